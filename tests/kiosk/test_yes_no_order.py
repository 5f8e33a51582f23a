"""Yes comes before No in every question: `check-content` names the file, line and option that breaks the order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content import Content
from kiosk.system.paths import content_dir


def test_every_shipped_question_lists_yes_before_no(content: Content) -> None:
    for question in content.questions.values():
        words = [o.text.get("en") for o in question.options]
        yes = [i for i, w in enumerate(words) if w == "Yes" or w.startswith("Yes,")]
        no = [i for i, w in enumerate(words) if w == "No" or w.startswith("No,")]
        if yes and no:
            assert max(yes) < min(no), (question.id, words)


def test_check_content_names_the_line_of_a_no_listed_before_yes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "content"
    shutil.copytree(content_dir(), folder)
    shutil.copytree(content_dir().parent / "images", tmp_path / "images")
    health = folder / "health.yaml"
    lines = health.read_text(encoding="utf-8").splitlines(keepends=True)
    yes = next(i for i, line in enumerate(lines) if 'code: "yes"' in line)
    assert 'code: "no"' in lines[yes + 1]
    lines[yes], lines[yes + 1] = lines[yes + 1], lines[yes]
    health.write_text("".join(lines), encoding="utf-8")
    code = main(["check-content", str(folder)])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err[0].startswith(f"health.yaml:{yes + 1}:pages[0].questions[0].options[0]: question "), err
    assert "put Yes first" in err[0]
