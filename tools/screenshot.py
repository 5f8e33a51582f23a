"""Screenshots of the wizard in a real X window under Xvfb, for the README and for looking at layouts.

Usage: python tools/screenshot.py OUT.png [--size 1280x800] [--page PAGE_ID|welcome] [--language es]
Starts itself under xvfb-run when there is no display.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--page", default="")
    parser.add_argument("--language", default="en")
    parser.add_argument("--scale", default="1")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") and not os.environ.get("KIOSK_UNDER_XVFB"):
        if not shutil.which("xvfb-run"):
            print("xvfb-run is missing: run `make system-deps` as root", file=sys.stderr)
            return 2
        env = dict(os.environ, KIOSK_UNDER_XVFB="1")
        command = ["xvfb-run", "-a", "-s", f"-screen 0 {args.size}x24", sys.executable, *sys.argv]
        return subprocess.call(command, env=env)
    os.environ.pop("QT_QPA_PLATFORM", None)
    os.environ["QT_SCALE_FACTOR"] = args.scale
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk_window import throwaway_kiosk
    from ui.app import show_kiosk

    app = QApplication([])
    window, controller, content = throwaway_kiosk(args.language, "kiosk-shot-")
    # The README picture shows the page with the most kinds of answer control (name, date, choices).
    page = args.page or content.page_of[content.manifest.identity.name].id
    if page != "welcome":
        controller.session.answers.update({"consent": True})
        controller._go(page)
    show_kiosk(window, app)

    def shoot() -> None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        screen = app.primaryScreen()
        screen.grabWindow(0).save(str(args.out))
        print(f"wrote {args.out}")
        app.exit(0)

    QTimer.singleShot(800, shoot)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
