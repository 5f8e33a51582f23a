"""`make screenshots` tour: each stop of the patient path is drawn in a real X window (Xvfb) at the asked size."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STOPS = ("welcome", "education", "question", "review", "thanks", "crisis", "grid")


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_the_tour_draws_every_stop_in_a_real_x_window_at_its_size(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "tour.py"), str(tmp_path), "--only", "es", "800x1280"],
                          capture_output=True, text=True, timeout=240, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    shots = {p.name: p for p in tmp_path.glob("*.png")}
    assert sorted(shots) == sorted(f"es-800x1280-{n}-{stop}.png" for n, stop in enumerate(STOPS, start=1))
    sizes = {png_size(p) for p in shots.values()}
    assert sizes == {(800, 1280)}
    assert len({p.read_bytes() for p in shots.values()}) == len(STOPS), "each stop shows a different screen"


def test_the_readme_links_the_tour_and_the_makefile_has_both_names() -> None:
    assert "docs/tour/README.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\nscreenshots:" in makefile and "\nscreenshot: screenshots" in makefile
