"""The Questionnaire's calculatedExpressions, run by a real SDC FHIRPath engine (fhirpath.js, the one LHC-Forms
uses, on the machine's Node.js), give the same totals as the kiosk's own scorer, branching included."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from fhir_fixtures import finished, full_answers
from kiosk.content import Content
from kiosk.fhir import codes
from kiosk.fhir.questionnaire import build_questionnaire
from kiosk.fhir.response import to_response

ENGINE = Path(__file__).resolve().parent.parent / "fhirpath"


@pytest.fixture(scope="module")
def node() -> str:
    """Node.js with fhirpath.js installed from the pinned lock file (installed here on first use)."""
    found = shutil.which("node")
    npm = shutil.which("npm")
    assert found and npm, "Node.js and npm are needed to run fhirpath.js (the machine's own, or apt nodejs npm)"
    if not (ENGINE / "node_modules" / "fhirpath").is_dir():
        subprocess.run([npm, "ci", "--silent", "--no-audit", "--no-fund"], cwd=ENGINE, check=True, timeout=600,
                       stdin=subprocess.DEVNULL)
    return found


def walk(items: list[dict[str, Any]]):
    for item in items:
        yield item
        yield from walk(item.get("item", []))


def evaluate(node: str, questionnaire: dict[str, Any], response: dict[str, Any],
             expressions: dict[str, str]) -> dict[str, Any]:
    data = json.dumps({"questionnaire": questionnaire, "response": response, "expressions": expressions})
    done = subprocess.run([node, str(ENGINE / "evaluate.js")], input=data, capture_output=True, text=True,
                          timeout=120, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("answers", [
    {"phq9_1": "several_days", "phq9_9": "nearly_every_day", "audit_c_1": "two_to_three_a_week",
     "audit_c_2": "five_or_six", "audit_c_3": "monthly"},
    {"audit_c_1": "never"},  # AUDIT-C questions 2 and 3 are skipped and count 0
    {**{f"phq9_{n}": "nearly_every_day" for n in range(1, 10)}, "audit_c_1": "four_or_more_a_week",
     "audit_c_2": "ten_or_more", "audit_c_3": "daily"},
], ids=["mixed", "never_drinks", "highest"])
def test_an_sdc_engine_computes_the_kiosk_s_totals(node: str, content: Content, answers: dict[str, str]) -> None:
    questionnaire = build_questionnaire(content)
    submission = finished(content, full_answers(content, **answers))
    response = to_response(content, submission)
    expressions = {
        item["linkId"]: extension["valueExpression"]["expression"]
        for item in walk(questionnaire["item"]) for extension in item.get("extension", [])
        if extension["url"] == codes.CALCULATED_EXPRESSION
    }
    expected = {codes.total_link(key): score.total for key, score in submission.assessment.scores.items()}
    assert set(expressions) == set(expected) and expected
    found = evaluate(node, questionnaire, response, expressions)
    assert {link: value for link, value in found.items()} == {link: [total] for link, total in expected.items()}
