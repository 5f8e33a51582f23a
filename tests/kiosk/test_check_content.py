"""`naltrexone-kiosk check-content DIR`: exit 0 on good content, exit 1 naming the file, line and place of each error.

Each test breaks one thing in a copy of the minimal fixture folder and checks
the exact lines a clinic editor would read.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from content_fixtures import copy_fixture, edit
from kiosk.cli import main
from kiosk.system.paths import content_dir


def check(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["check-content", str(folder)])
    err = capsys.readouterr().err
    return code, err.replace(str(folder), "DIR").splitlines()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return copy_fixture("minimal", tmp_path / "content")


def test_the_shipped_folder_is_valid(capsys) -> None:
    assert main(["check-content"]) == 0
    assert "content is valid" in capsys.readouterr().out


def test_the_installed_command_passes_the_shipped_folder() -> None:
    script = Path(sys.executable).with_name("naltrexone-kiosk")
    run = subprocess.run([str(script), "check-content", str(content_dir())], capture_output=True, text=True,
                         timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith("content is valid")


def test_the_minimal_fixture_is_valid(folder: Path, capsys) -> None:
    assert check(folder, capsys) == (0, [])


def test_unknown_key_names_the_key_and_the_allowed_ones(folder: Path, capsys) -> None:
    edit(folder / "screening.yaml", "        past_only: true\n", "        past_only: true\n        requried: false\n")
    code, lines = check(folder, capsys)
    assert code == 1
    assert lines == [
        "screening.yaml:13:pages[0].questions[1].requried: unknown key 'requried'; allowed here: clinician_label, "
        "enable_behavior, enable_when, feedback, help, id, implied, loinc, max, max_length, min, options, past_only, required, "
        "text, type",
        "1 error(s) in DIR",
    ]


def test_unknown_key_on_a_page_is_placed_on_the_page(folder: Path, capsys) -> None:
    edit(folder / "screening.yaml", '    section: "About"\n', '    section: "About"\n    colour: red\n')
    code, lines = check(folder, capsys)
    assert code == 1
    assert lines[0].startswith("screening.yaml:5:pages[0].colour: unknown key 'colour'; allowed here: enable_behavior,")
    assert "questions" in lines[0] and "icon" not in lines[0]


def test_missing_translation(folder: Path, capsys) -> None:
    edit(folder / "screening.yaml", '{en: "Do you drink alcohol?", es: "¿Toma alcohol?"}', '{en: "Do you drink alcohol?"}')
    assert check(folder, capsys) == (1, [
        "screening.yaml:16:pages[0].questions[2].text.es: missing 'es' translation",
        "1 error(s) in DIR",
    ])


def test_condition_pointing_at_a_missing_question(folder: Path, capsys) -> None:
    edit(folder / "screening.yaml", "{question: drinks, operator", "{question: drink, operator")
    assert check(folder, capsys) == (1, [
        "screening.yaml:25:pages[0].questions[3].enable_when[0].question: condition refers to question 'drink', "
        "which does not exist",
        "1 error(s) in DIR",
    ])


def test_duplicate_id(folder: Path, capsys) -> None:
    edit(folder / "screening.yaml", "instruments:\n", "  - kind: info\n    id: about\n"
         '    title: {en: "More", es: "Más"}\n    body: {en: "More.", es: "Más."}\ninstruments:\n')
    assert check(folder, capsys) == (1, [
        "screening.yaml:27:pages[1].id: duplicate id 'about' (first defined at screening.yaml:pages[0])",
        "1 error(s) in DIR",
    ])


def test_bad_score_table(folder: Path, capsys) -> None:
    edit(folder / "screening.yaml", '{min: 1, max: 1, label: "some"}', '{min: 1, max: 2, label: "some"}')
    assert check(folder, capsys) == (1, [
        "screening.yaml:31:instruments[0].bands: bands cover 0-2 but the item scores add up to 0-1",
        "1 error(s) in DIR",
    ])


def test_bands_with_a_gap_are_refused(folder: Path, capsys) -> None:
    edit(folder / "screening.yaml", '{min: 1, max: 1, label: "some"}', '{min: 2, max: 2, label: "some"}')
    code, lines = check(folder, capsys)
    assert code == 1
    assert lines[0] == "screening.yaml:27:instruments[0]: Value error, band 'some' starts at 2, expected 1"


def test_wrong_answer_type_in_a_condition(folder: Path, capsys) -> None:
    edit(folder / "screening.yaml", 'operator: ">=", answer: 5}', 'operator: ">=", answer: "five"}')
    assert check(folder, capsys) == (1, [
        "screening.yaml:37:flags[0].enable_when[0].answer: answer 'five' does not fit question 'drinks_per_day' "
        "of type integer",
        "1 error(s) in DIR",
    ])


def test_unknown_question_type(folder: Path, capsys) -> None:
    edit(folder / "screening.yaml", "        type: integer\n", "        type: number\n")
    assert check(folder, capsys) == (1, [
        "screening.yaml:21:pages[0].questions[3].type: Input should be 'choice', 'multi', 'boolean', 'date', "
        "'integer', 'decimal', 'string' or 'text'",
        "1 error(s) in DIR",
    ])


def test_a_page_cannot_depend_on_a_score(folder: Path, capsys) -> None:
    edit(folder / "screening.yaml", '{question: drinks, operator: "=", answer: "yes"}',
         '{score: drink_screen, operator: ">=", answer: 1}')
    code, lines = check(folder, capsys)
    assert code == 1
    assert lines[0] == ("screening.yaml:25:pages[0].questions[3].enable_when[0]: a page or question can only depend "
                        "on an earlier answer: use 'question', not a score or derived value")


def test_teach_back_needs_exactly_one_right_answer(folder: Path, capsys) -> None:
    edit(folder / "screening.yaml", '    section: "About"\n', '    section: "About"\n    teach_back: true\n')
    code, lines = check(folder, capsys)
    assert code == 1
    assert "screening.yaml:8:pages[0].questions[0]: teach-back question 'patient_name' must be a choice" in lines[0]


def test_every_error_is_listed_not_just_the_first(folder: Path, capsys) -> None:
    edit(folder / "screening.yaml", '{en: "Do you drink alcohol?", es: "¿Toma alcohol?"}', '{en: "Do you drink alcohol?"}')
    edit(folder / "screening.yaml", "{question: drinks, operator", "{question: drink, operator")
    code, lines = check(folder, capsys)
    assert code == 1 and lines[-1] == "2 error(s) in DIR" and len(lines) == 3


def test_positive_screen_condition_needs_an_instrument_with_a_cutoff(folder: Path, capsys) -> None:
    edit(folder / "screening.yaml", '[{question: drinks_per_day, operator: ">=", answer: 5}]',
         "[{positive: drink_screen, operator: \"=\", answer: true}]")
    assert check(folder, capsys) == (1, [
        "screening.yaml:37:flags[0].enable_when[0].positive: condition refers to instrument 'drink_screen', "
        "which does not exist or has no cut-off",
        "1 error(s) in DIR",
    ])


def test_an_instrument_option_without_a_score_is_named(folder: Path, capsys) -> None:
    edit(folder / "screening.yaml", '{code: "no", score: 0, text:', '{code: "no", text:')
    code, lines = check(folder, capsys)
    assert code == 1 and "Traceback" not in "\n".join(lines)
    assert lines[0].endswith("instruments[0].items[0]: instrument item 'drinks' has option 'no' without a score")
