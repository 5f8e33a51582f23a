"""Walk every screen of the wizard at one screen size, save a PNG of each, and list labels whose text is cut off.

Usage: python tools/layout_check.py OUT_DIR --size 1280x800 [--scale 2] [--language en]
Runs itself under Xvfb (a real X server) when there is no display. Exit 1 when any text does not fit.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def clipped_labels(root) -> list[str]:
    """Labels and buttons whose text needs more room than the widget has."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    problems = []
    for widget in root.findChildren(QLabel) + root.findChildren(QAbstractButton):
        if not widget.isVisibleTo(root) or not widget.text():
            continue
        metrics = widget.fontMetrics()
        rect = widget.contentsRect()
        if isinstance(widget, QLabel) and widget.wordWrap():
            needed = widget.heightForWidth(rect.width())
            if needed > rect.height() + 1:
                problems.append(f"{widget.text()[:40]!r} needs {needed}px height, has {rect.height()}")
            continue
        if isinstance(widget, QAbstractButton) and not widget.text():
            continue
        width = metrics.horizontalAdvance(widget.text())
        room = rect.width() - (24 if isinstance(widget, QAbstractButton) else 0)
        if width > room + 1:
            problems.append(f"{widget.text()[:40]!r} needs {width}px width, has {room}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--scale", default="1")
    parser.add_argument("--language", default="en")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    if not os.environ.get("KIOSK_UNDER_XVFB"):
        if not shutil.which("xvfb-run"):
            print("xvfb-run is missing: run `make system-deps` as root", file=sys.stderr)
            return 2
        scale = float(args.scale)
        screen = f"{int(width * scale)}x{int(height * scale)}x24"
        env = dict(os.environ, KIOSK_UNDER_XVFB="1")
        env.pop("QT_QPA_PLATFORM", None)
        return subprocess.call(["xvfb-run", "-a", "-s", f"-screen 0 {screen}", sys.executable, *sys.argv], env=env)
    os.environ["QT_SCALE_FACTOR"] = args.scale
    from PySide6.QtWidgets import QApplication

    from answer_plans import plan_answer, tiny_png
    from kiosk.content import load_content
    from kiosk.content.model import ConsentPage, QuestionPage
    from kiosk.flow import visible_questions
    from kiosk.intake import REVIEW, IntakeController
    from kiosk.paths import content_dir
    from kiosk.settings import Settings
    from kiosk.storage.db import connect
    from kiosk.storage.submissions import SubmissionStore
    from ui.app import build_window, show_kiosk

    app = QApplication([])
    data = Path(tempfile.mkdtemp(prefix="kiosk-layout-"))
    atexit.register(shutil.rmtree, data, True)
    content = load_content(content_dir())
    controller = IntakeController(content, SubmissionStore(connect(data / "kiosk.db")), data / "reports", lambda: "Riverside Clinic")
    window = build_window(controller, Settings(clinic_name="Riverside Clinic", speech_engine="mock"), kiosk_mode=True)
    controller.set_language(args.language)
    show_kiosk(window, app)
    args.out.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    for step in range(200):
        for _ in range(5):
            app.processEvents()
        name = f"{step:02d}-{controller.session.position}"
        window.grab().save(str(args.out / f"{name}.png"))
        failures += [f"{name}: {problem}" for problem in clipped_labels(window)]
        if controller.session.position == REVIEW:
            break
        page = controller.screen().page
        if isinstance(page, ConsentPage):
            controller.set_answer(page.id, True)
            controller.set_signature(tiny_png())
        elif isinstance(page, QuestionPage):
            for question in visible_questions(content, page, controller.answers()):
                controller.set_answer(question.id, plan_answer(content, question))
        if not controller.next():
            failures.append(f"{name}: could not go on")
            break
    window.allow_close = True
    for line in failures:
        print(line)
    print(f"{len(failures)} layout problem(s) at {args.size} scale {args.scale}; screenshots in {args.out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
