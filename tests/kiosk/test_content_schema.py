"""The shipped JSON Schemas match the models, and an editor using them accepts the shipped files and flags mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from kiosk.content.schema import SCHEMAS, render
from kiosk.system.paths import content_dir

SCHEMA_DIR = content_dir() / "schema"


def _validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8")))


def _schema_of(path: Path) -> str:
    """The schema a file names in its first line, as an editor reads it."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "../" * (len(path.relative_to(content_dir()).parts) - 1)
    assert first.startswith(f"# yaml-language-server: $schema={prefix}schema/"), f"{path.name} names no schema"
    return first.rsplit("/", 1)[1]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_shipped_schema_equals_the_generated_one(name: str) -> None:
    shipped = (SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert shipped == render(name), f"{name} is stale: run .venv/bin/python -m kiosk.content.schema"


def test_every_shipped_file_names_its_schema_and_validates_against_it() -> None:
    files = sorted(content_dir().rglob("*.yaml"))
    assert len(files) >= 10
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        errors = list(_validator(_schema_of(path)).iter_errors(data))
        assert errors == [], f"{path.name}: {errors[0].message}"


def test_the_schema_flags_an_unknown_key_and_a_bad_type_as_an_editor_would() -> None:
    data = yaml.safe_load((content_dir() / "alcohol.yaml").read_text(encoding="utf-8"))
    data["pages"][0]["questions"][0]["requried"] = True
    data["instruments"][0]["scoring"] = "average"
    messages = [e.message for e in _validator("content-file.schema.json").iter_errors(data)]
    assert any("requried" in m for m in messages)
    assert any("average" in m for m in messages)
