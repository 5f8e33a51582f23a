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
@pytest.mark.parametrize(("size", "scale", "language", "extra"), [
    ("1280x800", "1", "en", []),
    ("800x1280", "1", "es", []),
    ("1280x800", "2", "en", []),
    ("800x1280", "1", "es", ["--text-step", "2", "--contrast"]),
])
def test_every_screen_fits_at_tablet_sizes(size: str, scale: str, language: str, extra: list[str]) -> None:
    """Cut-off text, overlapping or tiny controls, and controls off the screen all fail the run."""
    name = f"{size}@{scale}x-{language}" + ("-largest-text-high-contrast" if extra else "")
    out = ROOT / "test-artifacts" / "screens" / name
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "layout_check.py"), str(out), "--size", size, "--scale", scale,
         "--language", language, *extra],
        capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    shots = sorted(out.glob("*.png"))
    assert len(shots) >= 6 and all(p.stat().st_size > 5000 for p in shots)
    assert shots[-1].name.endswith("review.png")
    assert any(p.name.endswith("idle-warning.png") for p in shots), "the idle warning is looked at too"
    width, height = (int(int(n) * float(scale)) for n in size.split("x"))
    from PySide6.QtGui import QImage

    image = QImage(str(shots[0]))
    assert (image.width(), image.height()) == (width, height), "the window fills the screen at this size"


def test_the_layout_check_catches_text_that_does_not_fit(qtbot) -> None:
    """The checker itself: a label squeezed below its text's size, and a small overlapping button, are reported."""
    sys.path.insert(0, str(ROOT / "tools"))
    from layout_check import clipped_texts
    from PySide6.QtWidgets import QLabel, QPushButton, QWidget

    root = QWidget()
    qtbot.addWidget(root)
    label = QLabel("A sentence that needs far more room than it gets", root)
    label.setGeometry(0, 0, 60, 20)
    button = QPushButton("A long button label", root)
    button.setGeometry(0, 30, 50, 30)
    fine = QLabel("OK", root)
    fine.setGeometry(0, 70, 200, 40)
    root.resize(300, 200)
    root.show()
    problems = clipped_texts(root)
    assert any("A sentence" in p for p in problems) and any("A long button" in p for p in problems)
    assert not any("'OK'" in p for p in problems)
