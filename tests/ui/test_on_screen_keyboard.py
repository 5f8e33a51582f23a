"""The on-screen keyboard: chosen by itself on a touch screen, never over the field or Next."""

from __future__ import annotations

from pathlib import Path

import pytest

def test_touch_only_chooses_the_virtual_keyboard_unless_the_machine_chose_one() -> None:
    from kiosk.settings import Settings
    from ui.app import configure_input_method

    environ: dict[str, str] = {}
    configure_input_method(Settings(touch_only=False), environ, touch_screen=lambda: False)
    assert "QT_IM_MODULE" not in environ
    configure_input_method(Settings(touch_only=True), environ, touch_screen=lambda: False)
    assert environ["QT_IM_MODULE"] == "qtvirtualkeyboard"
    environ = {"QT_IM_MODULE": "ibus"}
    configure_input_method(Settings(touch_only=True), environ, touch_screen=lambda: True)
    assert environ["QT_IM_MODULE"] == "ibus"


TOUCH_SCREEN = """I: Bus=0018 Vendor=04f3 Product=2a1c Version=0100
N: Name="ELAN9008:00 04F3:2A1C"
H: Handlers=mouse2 event7
B: PROP=2
B: EV=1b
B: KEY=400 0 0 0 0 0
B: ABS=3273800000000003
"""
TOUCHPAD = TOUCH_SCREEN.replace("PROP=2", "PROP=5").replace("ELAN9008", "SYNA Touchpad")
MOUSE = """I: Bus=0003 Vendor=046d Product=c077 Version=0111
N: Name="Logitech USB Optical Mouse"
B: PROP=0
B: EV=17
B: REL=903
"""


@pytest.mark.parametrize(("devices", "touch"), [
    (MOUSE + "\n" + TOUCH_SCREEN, True), (MOUSE + "\n" + TOUCHPAD, False), (MOUSE, False), ("", False)])
def test_the_on_screen_keyboard_comes_by_itself_on_a_touch_screen(tmp_path: Path, devices: str, touch: bool) -> None:
    """No setting needed: a tablet's touch screen chooses the on-screen keyboard, a laptop's touchpad does not."""
    from kiosk.settings import Settings
    from ui.app import configure_input_method, touch_screen_present

    listing = tmp_path / "devices"
    listing.write_text(devices, encoding="ascii")
    assert touch_screen_present(listing) is touch
    environ: dict[str, str] = {}
    configure_input_method(Settings(), environ, touch_screen=lambda: touch_screen_present(listing))
    assert environ.get("QT_IM_MODULE") == ("qtvirtualkeyboard" if touch else None)
    assert touch_screen_present(tmp_path / "missing") is False


@pytest.mark.slow
@pytest.mark.parametrize("touch", [True, False])
def test_on_screen_keyboard_opens_on_a_touch_only_kiosk_and_covers_nothing(touch: bool) -> None:
    """In a real X window: tapping the name field opens Qt Virtual Keyboard, and Next and the field stay above it."""
    import json
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    shot = root / "test-artifacts" / "screens" / f"on-screen-keyboard-{'touch' if touch else 'desk'}.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("QT_IM_MODULE", "QT_QPA_PLATFORM")}
    result = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", sys.executable, str(Path(__file__).with_name("keyboard_probe.py")),
         "touch" if touch else "desk", str(shot)], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    if touch:
        assert seen["im_module"] == "qtvirtualkeyboard"
        assert seen["visible"] and seen["keyboard"][3] > 100, seen
        assert not seen["covers_next"] and not seen["covers_field"], seen
    else:
        assert seen["im_module"] == "" and not seen["visible"], seen
    assert shot.stat().st_size > 5000
