"""Estimate how long a typical intake takes, from the content: 100 words a minute reading plus 2 s a tap.

    .venv/bin/python tools/estimate_time.py [CONTENT_DIR]

One line per typical path (English and Spanish, pill and shot, female and
male); the last line reads `longest typical path: N.N minutes`. The welcome
screen promises the same figure, rounded up to whole minutes.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.content import load_content
from kiosk.estimate import promised_minutes, summary, typical_paths
from kiosk.paths import content_dir


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else content_dir()
    content = load_content(folder)
    lines = summary(typical_paths(content))
    lines.insert(-1, f"the welcome screen promises about {promised_minutes(content)} minutes")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
