"""Every screen at 1280x800, 800x1280 and 200% scaling, in a real X window under Xvfb.

The PNGs stay in test-artifacts/screens/ for a person to look at; the run
fails when any label's or button's text does not fit its widget.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.parametrize(("size", "scale", "language"), [
    ("1280x800", "1", "en"),
    ("800x1280", "1", "es"),
    ("1280x800", "2", "en"),
])
def test_every_screen_fits_at_tablet_sizes(size: str, scale: str, language: str) -> None:
    out = ROOT / "test-artifacts" / "screens" / f"{size}@{scale}x-{language}"
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "layout_check.py"), str(out), "--size", size, "--scale", scale,
         "--language", language],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    shots = sorted(out.glob("*.png"))
    assert len(shots) >= 5 and all(p.stat().st_size > 5000 for p in shots)
    assert shots[-1].name.endswith("review.png")
