"""Runs `naltrexone-kiosk --smoke` in this process and prints, as JSON, the enum types PySide6 made before the
kiosk's first screen was painted.

PySide6 makes a Qt class's Python enums when it sets that class up, so they tell which classes a start set up:
handing Python an object Qt made (a scroll area's own viewport, a style, an event's receiver in an
application-wide filter) sets up every class it might be, which costs the first screen tens of milliseconds.
"""

from __future__ import annotations

import enum
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

made: list[str] = []
before_paint: list[str] = []
_real_create = enum.EnumType._create_


def _recording_create(cls, class_name, names, **kwargs):  # noqa: ANN001, ANN003, ANN202 - enum's own signature
    made.append(str(class_name))
    return _real_create(cls, class_name, names, **kwargs)


def main() -> int:
    enum.EnumType._create_ = _recording_create  # type: ignore[method-assign]
    from kiosk.cli import main as kiosk_main
    from ui import start_clock

    since_start = start_clock.since_process_start_ms

    def painted() -> float:  # `--smoke` asks for the time when the first screen has been painted
        if not before_paint:
            before_paint.extend(made)
        return since_start()

    start_clock.since_process_start_ms = painted  # type: ignore[assignment]
    code = kiosk_main(["--smoke", "--windowed", "--data-dir", sys.argv[1]])
    print(json.dumps(before_paint))
    return code


if __name__ == "__main__":
    sys.exit(main())
