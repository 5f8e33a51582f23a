"""JSON Schemas of the content format, so an editor can check a YAML file while it is typed.

The schemas are generated from the same pydantic models the loader uses and
shipped in `resources/content/schema/`; a test fails when the shipped files
differ from the generated ones. Regenerate them after changing the models with

    .venv/bin/python -m kiosk.content.schema
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from kiosk.content.manifest import Manifest, UiStrings
from kiosk.content.model import ContentFile

# File name in the schema folder -> the model that a content file of that kind must match.
SCHEMAS: dict[str, type] = {
    "content-file.schema.json": ContentFile,
    "manifest.schema.json": Manifest,
    "ui.schema.json": UiStrings,
}

TITLES: dict[str, str] = {
    "content-file.schema.json": "Naltrexone kiosk content file (pages, instruments, derived values, flags)",
    "manifest.schema.json": "Naltrexone kiosk content manifest",
    "ui.schema.json": "Naltrexone kiosk UI strings",
}


def generate(name: str) -> dict[str, Any]:
    schema = TypeAdapter(SCHEMAS[name]).json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": TITLES[name],
            **{k: v for k, v in schema.items() if k != "title"}}


def render(name: str) -> str:
    """The exact text shipped for `name`: stable key order, so diffs stay readable."""
    return json.dumps(generate(name), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / name
        path.write_text(render(name), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    from kiosk.system.paths import content_dir

    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else content_dir() / "schema"
    for path in write(folder):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
