"""Estimate how long a typical visit takes, from the content: 100 words a minute reading plus 2 s a tap.

    .venv/bin/python tools/estimate_time.py [CONTENT_DIR] [--visit intake|follow-up]

The intake (first visit) is estimated unless `--visit` names another visit type.

One line per typical path (English and Spanish, pill and shot, female and
male), then the longest path screen by screen (words, taps, seconds) to show
where the time goes; the last line reads `longest typical path: N.N minutes`. The welcome
screen promises the same figure, rounded up to whole minutes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.content import ContentInvalid, load_content
from kiosk.rules.estimate import promised_minutes, summary, typical_paths
from kiosk.system.paths import content_dir


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="estimate_time.py", description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=None, help="content folder (the shipped one)")
    parser.add_argument("--visit", default="intake", help="visit type to estimate (default intake)")
    args = parser.parse_args(argv)
    try:
        content = load_content(args.folder or content_dir(), visit=args.visit)
    except ContentInvalid as invalid:
        print(invalid, file=sys.stderr)
        return 1
    lines = summary(typical_paths(content))
    lines.insert(0, f"visit: {content.visit}")
    if content.visit == "intake":
        lines.insert(-1, f"the welcome screen promises about {promised_minutes(content)} minutes")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
