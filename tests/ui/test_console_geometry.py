"""Under a bare X server (Xvfb, no window manager) the console and the first-run setup fill the screen."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("size", ["1280x800", "1920x1080"])
def test_console_and_setup_fill_a_bare_x_screen(size: str, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "console_tour.py"), str(tmp_path), "--size", size,
                             "--count", "30"], capture_output=True, text=True, timeout=400)
    assert result.returncode == 0, result.stdout + result.stderr
    found = dict(re.findall(r"^GEOMETRY (\w+) (\S+) screen \S+$", result.stdout, re.MULTILINE))
    assert found == {"setup": f"{size}+0+0", "console": f"{size}+0+0"}, result.stdout
    shots = sorted(tmp_path.glob("*.png"))
    assert len(shots) == 14 and all(p.stat().st_size > 5000 for p in shots)
