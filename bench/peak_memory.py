"""A process's own peak resident memory (this one, or a child such as the read-aloud process).

`ru_maxrss` is inherited across fork+exec on Linux, so a child started from a
large bench process reports the parent's peak; `VmHWM` in /proc/self/status
belongs to this process image alone.
"""

from __future__ import annotations

import resource


def peak_kb(pid: int | str = "self") -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    if pid != "self":
        return 0  # not Linux, or the process is gone: nothing honest to report
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # not Linux: the best there is
