"""How long since this process began: what `--smoke` reports and the start-up benchmark compares."""

from __future__ import annotations

import os
import time
from pathlib import Path

_LOADED = time.perf_counter()


def since_process_start_ms() -> float:
    """Wall time since this process began (Linux: its start time in /proc); elsewhere since this module loaded."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return (uptime - ticks / os.sysconf("SC_CLK_TCK")) * 1000
    except (OSError, ValueError, IndexError):
        return (time.perf_counter() - _LOADED) * 1000
