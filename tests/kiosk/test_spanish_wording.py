"""Spanish wording: one inclusive form throughout (o/a), "deseos intensos" rather than food "antojos",
and MAT spelled out in Spanish."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import yaml

from kiosk.system.paths import content_dir

# Adjectives about the patient that need both forms, each seen in the shipped Spanish.
MASCULINE_ONLY = re.compile(r"\b(Bienvenido|está solo|seguro|alérgico|decaído|quieto|cansado|inquieto|agitado|deprimido|"
                            r"dormido|mismo|muerto)\b(?!/a)")


def spanish_strings() -> Iterator[tuple[str, str]]:
    def walk(node, where: str):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "es" and isinstance(value, str):
                    yield where, value
                else:
                    yield from walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from walk(value, f"{where}[{index}]")

    for path in sorted(content_dir().rglob("*.yaml")):
        yield from walk(yaml.safe_load(path.read_text(encoding="utf-8")), str(path.relative_to(content_dir())))


STRINGS = list(spanish_strings())


def test_there_is_spanish_to_check() -> None:
    assert len(STRINGS) > 100


@pytest.mark.parametrize(("where", "text"), STRINGS, ids=[w for w, _ in STRINGS])
def test_inclusive_forms_are_consistent(where: str, text: str) -> None:
    text = text.replace("inicio seguro", "").replace("ha dormido", "").replace("ahora mismo", "")  # not about the patient
    assert "(a)" not in text, "use the o/a form throughout"
    found = MASCULINE_ONLY.search(text)
    assert found is None, f"{where}: {found.group(0)!r} needs its /a form"


def test_cravings_are_not_food_cravings_and_mat_is_spelled_out() -> None:
    spanish = " ".join(text for _, text in STRINGS)
    assert "antojo" not in spanish.lower()
    assert "deseos intensos" in spanish
    for where, text in STRINGS:
        if re.search(r"\bMAT\b", text):
            assert "tratamiento asistido con medicamentos" in text, where


@pytest.mark.parametrize("phrase", ["Bienvenido/a", "No está solo/a", "No estoy seguro/a"])
def test_the_named_forms_are_used(phrase: str) -> None:
    assert any(phrase in text for _, text in STRINGS)
