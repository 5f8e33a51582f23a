"""Walk every screen of the wizard at one screen size, save a PNG of each, and list what does not fit.

Usage: python tools/layout_check.py OUT_DIR --size 1280x800 [--scale 2] [--language en] [--text-step 2] [--contrast]
Runs itself under Xvfb (a real X server) when there is no display. Exit 1 when any text is cut off, a
control overlaps another or runs off the screen, or a touch target is under 48x48.
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


def clipped_texts(root) -> list[str]:
    """Labels, buttons, lists and fields whose text needs more room than the widget has."""
    from PySide6.QtWidgets import QAbstractButton, QCheckBox, QComboBox, QLabel, QLineEdit, QRadioButton

    problems = []
    for widget in root.findChildren(QLabel) + root.findChildren(QAbstractButton):
        if not widget.isVisibleTo(root) or not widget.text() or isinstance(widget, (QRadioButton, QCheckBox)):
            continue
        rect = widget.contentsRect()
        if isinstance(widget, QLabel) and widget.wordWrap():
            needed = widget.heightForWidth(rect.width())
            if needed > rect.height() + 1:
                problems.append(f"{widget.text()[:40]!r} needs {needed}px height, has {rect.height()}")
            continue
        if isinstance(widget, QAbstractButton):
            hint = widget.sizeHint()  # text plus the theme's padding and border
            if hint.width() > widget.width() + 1 or hint.height() > widget.height() + 1:
                problems.append(f"button {widget.text()[:40]!r} needs {hint.width()}x{hint.height()}, "
                                f"has {widget.width()}x{widget.height()}")
            continue
        width = widget.fontMetrics().horizontalAdvance(widget.text())
        if width > rect.width() + 1:
            problems.append(f"{widget.text()[:40]!r} needs {width}px width, has {rect.width()}")
    for combo in root.findChildren(QComboBox):
        if combo.isVisibleTo(root) and combo.sizeHint().width() > combo.width() + 1:
            problems.append(f"list {combo.accessibleName()[:40]!r} needs {combo.sizeHint().width()}px, has {combo.width()}")
    for field in root.findChildren(QLineEdit):
        text = field.text() or field.placeholderText()
        if field.isVisibleTo(root) and text and field.fontMetrics().horizontalAdvance(text) > field.contentsRect().width():
            problems.append(f"field {field.accessibleName()[:40]!r} cuts off {text[:20]!r}")
    return problems


def misplaced_controls(window) -> list[str]:
    """Controls smaller than 48x48, overlapping another control, or reaching past the window's edge."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import (
        QAbstractButton, QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QRadioButton, QWidget,
    )

    from ui.controls import OptionRow

    controls = []
    kinds = (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit, OptionRow)
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, kinds) or not widget.isVisibleTo(window) or widget is window.alerts.marker:
            continue
        if isinstance(widget, (QRadioButton, QCheckBox)) and isinstance(widget.parent(), OptionRow):
            continue  # the whole row is the target
        area = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        viewport = getattr(window.page, "viewport", None)
        if viewport is not None and window.page.isAncestorOf(widget):
            view = QRect(viewport().mapTo(window, QPoint(0, 0)), viewport().size())
            if not view.intersects(area):
                continue  # scrolled out of sight: checked when the patient scrolls there
            area = area.intersected(view)
            if area.height() < widget.height():
                continue  # partly scrolled: its size is checked where it is whole
        controls.append((widget, area))
    problems = []
    screen = window.rect()
    for widget, area in controls:
        name = widget.accessibleName() or type(widget).__name__
        if area.width() < 48 or area.height() < 48:
            problems.append(f"{name[:40]!r} is {area.width()}x{area.height()}, under 48x48")
        if not screen.contains(area):
            problems.append(f"{name[:40]!r} runs past the edge of the screen")
    for i, (first, a) in enumerate(controls):
        for second, b in controls[i + 1:]:
            if a.intersects(b) and not first.isAncestorOf(second) and not second.isAncestorOf(first):
                problems.append(f"{(first.accessibleName() or type(first).__name__)[:30]!r} overlaps "
                                f"{(second.accessibleName() or type(second).__name__)[:30]!r}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--scale", default="1")
    parser.add_argument("--language", default="en")
    parser.add_argument("--text-step", type=int, default=0, help="0 = normal text, then each larger size")
    parser.add_argument("--contrast", action="store_true", help="the high-contrast theme")
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

    from kiosk.content import load_content
    from kiosk.content.model import QuestionPage
    from kiosk.patient.intake import REVIEW, IntakeController
    from kiosk.system.paths import content_dir
    from kiosk.settings import Settings
    from kiosk.storage.db import connect
    from kiosk.storage.sqlite_submissions import SubmissionStore
    from kiosk.testing.wizard import answer_current_page
    from ui.app import build_window, show_kiosk

    app = QApplication([])
    data = Path(tempfile.mkdtemp(prefix="kiosk-layout-"))
    atexit.register(shutil.rmtree, data, True)
    content = load_content(content_dir())
    controller = IntakeController(content, SubmissionStore(connect(data / "kiosk.db")), data / "reports", lambda: "Riverside Clinic")
    window = build_window(controller, Settings(clinic_name="Riverside Clinic", speech_engine="mock", idle_warning_s=30),
                          kiosk_mode=True)
    controller.set_language(args.language)
    window.size_step = args.text_step
    window.contrast_button.setChecked(args.contrast)
    window.apply_theme()
    show_kiosk(window, app)
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.png"):
        old.unlink()
    failures: list[str] = []

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    def check(name: str) -> None:
        settle()
        window.grab().save(str(args.out / f"{name}.png"))
        failures.extend(f"{name}: {problem}" for problem in clipped_texts(window) + misplaced_controls(window))

    for step in range(200):
        name = f"{step:02d}-{controller.session.position}"
        check(name)
        if isinstance(controller.screen().page, QuestionPage) and not list(args.out.glob("*idle-warning.png")):
            # the idle warning over a page: the whole screen, since the dialog is its own window
            while window.idle.dialog is None:
                window.idle.tick()
            settle()
            app.primaryScreen().grabWindow(0).save(str(args.out / f"{name}-idle-warning.png"))
            failures.extend(f"{name} idle warning: {p}" for p in clipped_texts(window.idle.dialog))
            window.idle.still_here()
        if controller.session.position == REVIEW:
            break
        answer_current_page(controller)
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
