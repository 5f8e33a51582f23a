"""The clinician PDF's layout against a golden file: page count and the text of every page.

The sample (`report_samples.golden_report`) does not depend on the shipped
content, so content edits do not move it; a layout change does. After an
intended layout change, regenerate and review the diff:

    KIOSK_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/kiosk/test_report_golden.py
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from pypdf import PdfReader

from kiosk.report.pdf import ClinicianReport
from report_samples import golden_report

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "clinician_report.json"


def layout() -> dict:
    pdf = ClinicianReport(deterministic=True).render(golden_report())
    pages = PdfReader(io.BytesIO(pdf)).pages
    return {"pages": len(pages), "text": [page.extract_text().splitlines() for page in pages]}


def test_layout_matches_the_golden_file() -> None:
    current = layout()
    if os.environ.get("KIOSK_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(current, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert current["pages"] == golden["pages"]
    for number, (now, then) in enumerate(zip(current["text"], golden["text"]), start=1):
        assert now == then, f"page {number} differs from {GOLDEN.name} (regenerate on purpose: see module docstring)"
