"""Process hardening: no core dumps and no same-user memory reading of a process that may hold patient data or keys.

On Linux `prctl(PR_SET_DUMPABLE, 0)` stops core dumps and makes /proc/PID/mem
and ptrace refuse other processes of the same user; RLIMIT_CORE 0 is the
portable half. Elsewhere this does what the platform allows and says so.
"""

from __future__ import annotations

import logging
import sys

log = logging.getLogger(__name__)

PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3


def forbid_core_dumps() -> bool:
    """True when the process is now non-dumpable (Linux); core size is set to 0 wherever `resource` exists."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
            log.warning("could not mark the process non-dumpable (errno %d)", ctypes.get_errno())
            return False
        return libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False
