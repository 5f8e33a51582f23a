"""Memory a deleted page freed goes back to the system, not kept in the kiosk's resident size."""

from __future__ import annotations

from ui.heap import give_back


def resident_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def test_freed_heap_below_live_memory_goes_back_to_the_system() -> None:
    # many small blocks (malloc's heap, not mmap), then one kept after them, so the freed ones are a hole below it
    blocks = [bytes(4000) + bytes([i % 256]) for i in range(8000)]
    kept = [bytes(4000) for _ in range(4)]
    del blocks
    before = resident_kb()
    give_back()
    after = resident_kb()
    assert before - after > 15_000, f"resident {before} kB -> {after} kB: the freed 32 MB stayed with the process"
    assert kept
