"""Why a queue row is urgent or stop, in a few words staff can act on: "self-harm thoughts", "3 days since heroin".

Worked out once when a row is indexed and kept in its encrypted queue header,
so the queue shows reasons without opening a sealed payload per row. A flag
that compares a derived number of days (the opioid washout rules) says the
days and the kind of opioid; other flags have a short phrase here, or fall
back to the first clause of the flag's clinician text.
"""

from __future__ import annotations

from kiosk.content import Content
from kiosk.content.model import SEVERITY_ORDER
from kiosk.storage.submissions import Submission

SHOWN_UP_TO = SEVERITY_ORDER["stop"]  # urgent and stop rows say why; review and info rows do not
MOST = 3
LONGEST = 48
# What a front desk calls each kind of last opioid (the content's option codes).
KIND_WORDS = {"short_acting": "heroin/fentanyl/pills", "methadone": "methadone", "buprenorphine": "buprenorphine",
              "tramadol_other": "tramadol/other opioid"}
SHORT = {
    "self_harm": "self-harm thoughts",
    "opioid_pain_rx": "prescribed opioid pain medicine",
    "maintenance_now": "on methadone/buprenorphine now",
    "withdrawal_now": "withdrawal symptoms now",
    "allergy_naltrexone": "naltrexone allergy (or unsure)",
    "allergy_injection": "injection allergy (or unsure)",
    "pregnancy": "pregnant (or unsure)",
}


def queue_reason(content: Content, submission: Submission) -> str:
    """The reasons for the row's urgent and stop flags, most severe first, joined by '; ' (empty when none)."""
    rules = {rule.id: rule for rule in content.flags}
    found: list[str] = []
    for flag in sorted(submission.assessment.flags, key=lambda f: SEVERITY_ORDER.get(f.severity, 99)):
        if SEVERITY_ORDER.get(flag.severity, 99) > SHOWN_UP_TO:
            continue
        text = _days_since(rules.get(flag.id), content, submission) or SHORT.get(flag.id) or _first_clause(flag.text)
        if text not in found:
            found.append(text)
    return "; ".join(found[:MOST]) + ("; ..." if len(found) > MOST else "")


def _days_since(rule, content: Content, submission: Submission) -> str:
    if rule is None:
        return ""
    days = next((submission.assessment.derived.get(c.derived) for c in rule.enable_when if c.derived), None)
    if days is None:
        return ""
    kind = next((c for c in rule.enable_when if c.question and c.operator == "="), None)
    code = str(submission.answers.get(kind.question, "")) if kind else ""
    words = KIND_WORDS.get(code) or _option_text(content, kind.question if kind else "", code) or "last opioid"
    return f"{days} day{'s' if days != 1 else ''} since {words}"


def _option_text(content: Content, question_id: str, code: str) -> str:
    question = content.questions.get(question_id)
    option = question.option(code) if question else None
    return option.text.get("en").lower() if option else ""


def _first_clause(text: str) -> str:
    clause = text.split(":")[0].split(".")[0].strip()
    return clause if len(clause) <= LONGEST else clause[: LONGEST - 3].rstrip() + "..."
