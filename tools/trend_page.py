"""The tour picture of a return visit's page 1 ("Since last visit"), made through the real product.

Usage: python tools/trend_page.py [OUT.png]   (default docs/tour/report-since-last-visit.png; `make screenshots`)

In a throw-away data folder: set up, import an intake and seven monthly follow-ups of one (made-up) patient
with `import`, have a clinician confirm they are one person and record the shot given (side, lot) at each
visit but one, then render the last visit's PDF as the console does and turn page 1 into a PNG with pdftoppm.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSPHRASE = "tour passphrase 2026"
NAME, BORN = "Mara Quinn", "1988-04-09"
FIRST = dt.datetime(2026, 5, 13, 15, 0, tzinfo=dt.timezone.utc)
PHQ9 = ["not_at_all", "several_days", "more_than_half", "nearly_every_day"]
AUDIT_C = (["never", "monthly_or_less", "two_to_four_a_month", "two_to_three_a_week", "four_or_more_a_week"],
           ["one_or_two", "three_or_four", "five_or_six", "seven_to_nine", "ten_or_more"],
           ["never", "less_than_monthly", "monthly", "weekly", "daily"])
# One visit every 28 days: PHQ-9 total, AUDIT-C items, cravings, opioid use since the last visit (days before),
# and what the clinician recorded as given (None: the shot was held, opioid use is a STOP until assessed).
VISITS: list[tuple[int, tuple[int, int, int], int | None, int | None, tuple[str, str] | None]] = [
    (17, (3, 2, 2), None, 9, ("left", "L2605A")),
    (16, (2, 1, 2), 7, None, ("right", "L2606C")),
    (14, (2, 1, 1), 7, None, ("left", "L2606C")),
    (15, (2, 1, 1), 6, 4, None),
    (9, (1, 1, 1), 4, None, ("right", "L2609B")),
    (8, (1, 0, 1), 3, None, ("left", "L2609B")),
    (6, (1, 0, 1), 3, None, ("right", "L2611A")),
    (4, (1, 0, 0), 2, None, None),
]


def answers_for(content: Any, index: int) -> dict[str, Any]:
    from kiosk.testing.wizard import complete_answers

    phq9, audit_c, cravings, used_days_ago, _ = VISITS[index]
    when = FIRST + dt.timedelta(days=28 * index)
    given: dict[str, Any] = {"patient_name": NAME, "date_of_birth": BORN, "sex_at_birth": "female",
                             "form_preference": "injection", "pregnant": "no", "naloxone_home": "yes"}
    left = phq9
    for item in range(1, 10):
        given[f"phq9_{item}"] = PHQ9[0] if item == 9 else PHQ9[min(3, left)]
        left -= 0 if item == 9 else min(3, left)
    given.update({f"audit_c_{n + 1}": AUDIT_C[n][score] for n, score in enumerate(audit_c)})
    if cravings is not None:
        given["cravings"] = cravings
    if index == 0:  # the intake asks for the date of the last use
        given.update({"opioid_ever": True, "last_opioid_kind": "short_acting", "last_opioid_when": "exact_date",
                      "last_opioid_date": (when - dt.timedelta(days=used_days_ago or 9)).date().isoformat()})
    elif used_days_ago is not None:  # a follow-up offers quick choices
        given.update({"opioid_since_visit": True, "last_opioid_kind": "short_acting", "last_opioid_when": "days_4_6"})
    else:
        given["opioid_since_visit"] = False
    answers = {key: value for key, value in given.items() if key in content.questions}
    return {**complete_answers(content, lambda c, q: answers.get(q.id, _default(c, q))), **answers}


def _default(content: Any, question: Any) -> Any:
    from kiosk.testing.wizard import plan_answer

    if question.type == "boolean":
        return False  # nothing else to report
    options = [o.code for o in question.options or []]
    for quiet in ("none", "no", "never"):
        if quiet in options:
            return [quiet] if question.type == "multi" else quiet
    return plan_answer(content, question)


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "tour" / "report-since-last-visit.png"
    if not shutil.which("pdftoppm"):
        print("pdftoppm is missing: run `make system-deps` as root (Debian package poppler-utils)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="kiosk-trend-page-"))
    try:
        pdf = render_last_visit(work)
        (work / "page.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(work / "page.pdf"),
                        str(work / "page")], check=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(work / "page.png", out)
        print(f"wrote {out}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def render_last_visit(work: Path) -> bytes:
    from kiosk.cli import main as cli
    from kiosk.console.controller import StaffConsole
    from kiosk.content import load_visits
    from kiosk.fhir.response import to_response
    from kiosk.patient.pipeline import finalize
    from kiosk.services import open_database
    from kiosk.staff.data import SealedStaffData
    from kiosk.staff.vault import setup_install, unlock
    from kiosk.storage.submissions import Submission
    from kiosk.system.paths import content_dir

    data_dir = work / "data"
    data_dir.mkdir(mode=0o700)
    conn = open_database(data_dir)
    setup_install(conn, "Riverside Clinic", "Dana Ortiz", PASSPHRASE)
    conn.close()
    visits = load_visits(content_dir())
    ids = []
    for index in range(len(VISITS)):
        content = visits["intake" if index == 0 else "follow-up"]
        when = FIRST + dt.timedelta(days=28 * index)
        submission = finalize(content, Submission(id=f"{index + 1:032x}", started_at=when - dt.timedelta(minutes=9),
                                                  content_version=content.version, language="en",
                                                  answers=answers_for(content, index)), now=when)
        response = work / f"visit-{index}.json"
        response.write_text(json.dumps(to_response(content, submission), ensure_ascii=False), encoding="utf-8")
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            if cli(["import", "--response", str(response), "--data-dir", str(data_dir)]) != 0:
                raise RuntimeError(f"import of visit {index} failed")
        ids.append(printed.getvalue().strip())  # `import` prints the stored submission's id
    conn = open_database(data_dir)
    try:
        staff = SealedStaffData(conn, unlock(conn, "Dana Ortiz", PASSPHRASE), visits["intake"], data_dir)
        console = StaffConsole(visits["intake"], staff, lambda: "Riverside Clinic", lambda pdf, sid: (True, ""))
        console.confirm_person(ids[-1])
        for submission_id, (*_, given) in zip(ids, VISITS):
            if given is not None:
                console.record_dose(submission_id, "shot", *given)
        pdf = console.pdf(ids[-1])
        console.lock()
        return pdf
    finally:
        conn.close()


if __name__ == "__main__":
    os.umask(0o077)
    raise SystemExit(main())
