"""This process's own peak resident memory.

`ru_maxrss` is inherited across fork+exec on Linux, so a child started from a
large bench process reports the parent's peak; `VmHWM` in /proc/self/status
belongs to this process image alone.
"""

from __future__ import annotations

import resource


def peak_kb() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # not Linux: the best there is
