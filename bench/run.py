"""`make bench`: every target as a ratio against a baseline measured in the same run.

Prints one table and writes it, with a description of the machine, to
bench/results.md. Timings are never asserted in the test suite; this is
where they are watched.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH = ROOT / "bench"
ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen")
REPEATS = int(os.environ.get("KIOSK_BENCH_REPEATS", "5"))


@dataclass
class Row:
    what: str
    measured: list[float]
    baseline: list[float]
    unit: str
    target_ratio: float
    absolute_limit: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float:
        return statistics.median(self.measured) / statistics.median(self.baseline)

    @property
    def verdict(self) -> str:
        ok = self.ratio <= self.target_ratio
        if self.absolute_limit is not None:
            ok = ok and statistics.median(self.measured) <= self.absolute_limit
        return "meets" if ok else "misses"


def spread(values: list[float]) -> str:
    return f"{min(values):.1f} / {statistics.median(values):.1f} / {max(values):.1f}"


def start_up(tmp: Path) -> Row:
    from bench.start_bench import empty_set_up, first_paint_ms, kiosk_smoke
    from bench.queue_bench import ADMIN, PASSPHRASE

    kiosk = kiosk_smoke(empty_set_up(tmp, PASSPHRASE, ADMIN))  # a daily start: set up, content copy compiled
    bare = [sys.executable, str(BENCH / "bare_wizard.py")]
    measured, baseline = [], []
    for _ in range(REPEATS):
        baseline.append(first_paint_ms(bare))
        measured.append(first_paint_ms(kiosk))
    return Row("start to first painted screen (--smoke, offscreen)", measured, baseline, "ms", 1.5,
               note="baseline: bare QWizard; both timed from the process's start to its first paint")


def patient_runs() -> list[dict]:
    runs = []
    for _ in range(max(2, REPEATS // 2)):
        out = subprocess.run([sys.executable, str(BENCH / "patient_run.py")], env=ENV, check=True,
                             capture_output=True, text=True, cwd=ROOT).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    return runs


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def transitions(runs: list[dict]) -> Row:
    per_run = [p95(run["transitions_ms"]) for run in runs]
    return Row("page transition, p95 over a full wizard run", per_run, [1000 / 60], "ms", 1.0,
               note="baseline: one frame at 60 Hz")


def memory(runs: list[dict]) -> list[Row]:
    """The kiosk process's own peak, and separately its read-aloud process's (memory moved there still counts)."""
    bare = []
    for _ in range(2):
        out = subprocess.run([sys.executable, str(BENCH / "bare_wizard.py"), "--rss"], env=ENV, check=True,
                             capture_output=True, text=True).stdout
        bare.append(float(out.strip().splitlines()[-1]) / 1024)
    rows = [Row("peak memory after a full patient run (the kiosk process)", [r["rss_kb"] / 1024 for r in runs], bare,
                "MB", 1.5, note="baseline: bare QWizard")]
    speech = [r["speech_rss_kb"] / 1024 for r in runs if r.get("speech_rss_kb")]
    if speech:
        together = [(r["rss_kb"] + r["speech_rss_kb"]) / 1024 for r in runs if r.get("speech_rss_kb")]
        rows.append(Row("peak memory of the read-aloud process (the speech engine, a child of the kiosk)", speech,
                        bare, "MB", 1.0, note=f"baseline: bare QWizard; kiosk and read-aloud process summed: "
                                              f"{spread(together)} MB, shared libraries counted twice"))
    else:
        print("read aloud did not open in the patient runs (no speech-dispatcher?): its process was not measured",
              file=sys.stderr)
    return rows


def optional_rows(tmp: Path) -> list[Row]:
    """Rows whose code lives in other bench modules (PDF, submit, staff queue): each adds itself when present."""
    rows: list[Row] = []
    for name in ("submit_bench", "pdf_bench", "queue_bench", "start_bench", "dashboard_bench", "postgres_queue_bench"):
        path = BENCH / f"{name}.py"
        if not path.exists():
            continue
        module = __import__(f"bench.{name}", fromlist=["rows"])
        produce: Callable[[Path, int], list[Row]] | None = getattr(module, "rows", None)
        if produce is not None:
            rows += produce(tmp, REPEATS)
    return rows


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
        cpu = model
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30 if hasattr(os, "sysconf") else 0
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}"


def table(rows: list[Row]) -> str:
    lines = ["| what | measured min/median/max | baseline min/median/max | ratio | target | verdict |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        target = f"<= {row.target_ratio}x" + (f", <= {row.absolute_limit:.0f} {row.unit}" if row.absolute_limit else "")
        lines.append(f"| {row.what} | {spread(row.measured)} {row.unit} | {spread(row.baseline)} {row.unit} "
                     f"({row.note}) | {row.ratio:.2f}x | {target} | {row.verdict} |")
    return "\n".join(lines)


def main() -> int:
    import tempfile

    from bench.start_bench import installed_bytecode

    installed_bytecode()  # the kiosk as installed: compiled modules, like its baselines' libraries
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as folder:
        tmp = Path(folder)
        runs = patient_runs()
        rows = [start_up(tmp), transitions(runs), *optional_rows(tmp), *memory(runs)]
    text = table(rows)
    print(text)
    report = f"# Benchmark results\n\nMachine: {machine()}\n\nRepeats: {REPEATS}\n\n{text}\n"
    (BENCH / "results.md").write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
