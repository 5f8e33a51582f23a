"""Scan this process's own memory (/proc/self/mem, every readable region in /proc/self/maps) for secret bytes.

The scanner must not count its own copies: the needles themselves and the
one reusable read buffer are skipped by address, and nothing else here copies
a needle.
"""

from __future__ import annotations

import ctypes
import gc
import sys

CHUNK = 1 << 20
_BYTES_DATA_OFFSET = sys.getsizeof(b"") - 1  # where a bytes object's data starts after its header


def _regions() -> list[tuple[int, int]]:
    found = []
    with open("/proc/self/maps", encoding="ascii") as maps:
        for line in maps:
            fields = line.split()
            start, end = (int(x, 16) for x in fields[0].split("-"))
            if fields[1][0] == "r" and not line.rstrip().endswith(("[vvar]", "[vsyscall]", "[vvar_vclock]")):
                found.append((start, end))
    return found


def scan(needles: dict[str, bytes]) -> dict[str, int]:
    """How many times each needle occurs in readable memory, besides the needle objects and the read buffer."""
    gc.collect()
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    buffer_start = ctypes.addressof((ctypes.c_char * CHUNK).from_buffer(buffer))
    own = {id(value) + _BYTES_DATA_OFFSET for value in needles.values()}
    counts = {name: 0 for name in needles}
    longest = max(len(v) for v in needles.values())
    with open("/proc/self/mem", "rb", buffering=0) as mem:
        for start, end in _regions():
            position = start
            while position < end:
                size = min(CHUNK, end - position)
                try:
                    mem.seek(position)
                    got = mem.readinto(view[:size])
                except (OSError, ValueError, OverflowError):
                    break
                if not got:
                    break
                for name, needle in needles.items():
                    at = buffer.find(needle, 0, got)
                    while at != -1:
                        address = position + at
                        if address not in own and not buffer_start <= address < buffer_start + CHUNK:
                            counts[name] += 1
                        at = buffer.find(needle, at + 1, got)
                if position + got >= end:
                    break
                position += got - (longest - 1)
    return counts
