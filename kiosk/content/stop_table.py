"""The README's table of STOP rules, generated from the shipped content so the two cannot drift.

A test compares the table in README.md with this output. After changing a
`stop` flag in the content, rewrite the table with

    .venv/bin/python -m kiosk.content.stop_table README.md
"""

from __future__ import annotations

import sys
from pathlib import Path

from kiosk.content.bundle import Content
from kiosk.content.model import Condition

START, END = "<!-- stop-rules:start -->", "<!-- stop-rules:end -->"


def _condition(condition: Condition) -> str:
    if condition.operator == "exists":
        return f"`{condition.subject}` {'answered' if condition.answer else 'not answered'}"
    answer = str(condition.answer).lower() if isinstance(condition.answer, bool) else condition.answer
    return f"`{condition.subject} {condition.operator} {answer}`"


def stop_table(content: Content) -> str:
    """One Markdown row per `stop` flag: its id, when it is raised and what the clinician reads."""
    rows = ["| flag | raised when | the clinician reads |", "|---|---|---|"]
    for rule in content.flags:
        if rule.severity == "stop":
            joiner = " or " if rule.enable_behavior == "any" else " and "
            when = joiner.join(_condition(c) for c in rule.enable_when)
            rows.append(f"| `{rule.id}` | {when} | {rule.clinician.replace('|', '/')} |")
    return "\n".join(rows)


def with_table(readme: str, content: Content) -> str:
    """The README text with the generated table between its two markers."""
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{stop_table(content)}\n{END}{tail}"


def main(argv: list[str]) -> int:
    from kiosk.content.loader import load_content
    from kiosk.system.paths import content_dir

    readme = Path(argv[0] if argv else "README.md")
    readme.write_text(with_table(readme.read_text(encoding="utf-8"), load_content(content_dir())), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
