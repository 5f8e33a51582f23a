"""A picture tour of the patient path, in a real X window under Xvfb: `make screenshots` writes docs/tour/.

    .venv/bin/python tools/tour.py [OUT_DIR] [--only LANGUAGE SIZE]

For each language (English, Spanish) and screen (1280x800 landscape, 800x1280
portrait) it shows, in one kiosk window: the welcome screen, an education
screen, a question page, review, thank-you, the crisis page and the PHQ-9 grid, and saves each
as `LANGUAGE-WIDTHxHEIGHT-N-NAME.png`. Each language and size runs in its own
Xvfb screen of that size, started with xvfb-run.
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

LANGUAGES = ("en", "es")
SIZES = ("1280x800", "800x1280")
STOPS = ("welcome", "education", "question", "review", "thanks", "crisis", "grid")
EDUCATION_PAGE = "edu_overdose"
QUESTION_PAGE = "opioid_use"
GRID_PAGE = "phq9"  # items sharing one answer scale: the answers once, as column headers
CRISIS_PAGE = "phq9"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "docs" / "tour")
    parser.add_argument("--only", nargs=2, metavar=("LANGUAGE", "SIZE"))
    args = parser.parse_args()
    if os.environ.get("KIOSK_TOUR_RUN"):
        language, size = args.only
        return shoot(args.out, language, size)
    if not shutil.which("xvfb-run"):
        print("xvfb-run is missing: run `make system-deps` as root", file=sys.stderr)
        return 2
    runs = [tuple(args.only)] if args.only else [(lang, size) for lang in LANGUAGES for size in SIZES]
    for language, size in runs:
        env = dict(os.environ, KIOSK_TOUR_RUN="1")
        env.pop("QT_QPA_PLATFORM", None)
        env.pop("DISPLAY", None)
        command = ["xvfb-run", "-a", "-s", f"-screen 0 {size}x24", sys.executable, __file__, str(args.out),
                   "--only", language, size]
        code = subprocess.call(command, env=env, timeout=180)
        if code != 0:
            return code
    return 0


def shoot(out: Path, language: str, size: str) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.patient.intake import REVIEW, THANKS
    from kiosk.rules.estimate import typical_answers
    from kiosk_window import throwaway_kiosk
    from ui.app import show_kiosk

    app = QApplication([])
    window, controller, content = throwaway_kiosk(language, "kiosk-tour-")
    show_kiosk(window, app)
    answers = {"consent": True, **typical_answers(content, "shot", "female")}
    answers[content.manifest.identity.name] = "Maria Lopez" if language == "es" else "Alex Rivera"

    def go(position: str) -> None:
        controller.session.answers.clear()
        controller.session.answers.update(answers)
        controller._go(position)

    steps = {
        "welcome": lambda: None,
        "education": lambda: go(EDUCATION_PAGE),
        "question": lambda: go(QUESTION_PAGE),
        "review": lambda: go(REVIEW),
        "thanks": lambda: go(THANKS),
        "crisis": lambda: (go(CRISIS_PAGE), window.show_crisis()),
        "grid": lambda: go(GRID_PAGE),
    }
    out.mkdir(parents=True, exist_ok=True)
    # the crisis page is photographed last: once shown, its banner stays on every later screen of this patient
    queue = sorted(enumerate(STOPS, start=1), key=lambda stop: stop[1] == "crisis")

    def next_stop() -> None:
        if not queue:
            app.exit(0)
            return
        number, name = queue[0]
        steps[name]()
        QTimer.singleShot(700, lambda: save(number, name))

    def save(number: int, name: str) -> None:
        queue.pop(0)
        path = out / f"{language}-{size}-{number}-{name}.png"
        app.primaryScreen().grabWindow(0).save(str(path))
        print(f"wrote {path}")
        next_stop()

    QTimer.singleShot(800, next_stop)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
