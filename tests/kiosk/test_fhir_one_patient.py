"""The FHIR export puts every visit of one person under one Patient, with each visit's Observations dated at that
visit: visits staff linked, and visits of the same normalised name and birth date not yet linked."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from fhir_fixtures import finished, full_answers
from kiosk.cli import main
from kiosk.content import Content, load_visits
from kiosk.export.people import person_keys
from kiosk.services import open_database
from kiosk.staff.vault import setup_install
from kiosk.storage.sqlite_submissions import SubmissionStore
from kiosk.storage.submissions import ClientSubject
from kiosk.system.paths import content_dir
from test_since_last_visit import PASSPHRASE, _response

FIRST = dt.datetime(2026, 10, 1, 15, 0, tzinfo=dt.timezone.utc)
BORN = "1988-04-09"


@pytest.fixture(scope="module")
def visits() -> dict[str, Content]:
    return load_visits(content_dir())


def visit(content: Content, name: str, days: int, sid: str, dob: str = BORN):
    answers = full_answers(content, **{content.manifest.identity.name: name, content.manifest.identity.dob: dob})
    return finished(content, answers, submission_id=sid, when=FIRST + dt.timedelta(days=days))


def test_visits_are_grouped_by_staff_links_then_by_normalised_name_and_birth_date(visits: dict[str, Content]) -> None:
    intake = visits["intake"]
    a, b, c = visit(intake, "José López", 0, "a" * 32), visit(intake, "jose LOPEZ", 28, "b" * 32), \
        visit(intake, "Jose Lopes", 56, "c" * 32)
    blank, other_dob = visit(intake, "", 0, "d" * 32), visit(intake, "Jose Lopez", 0, "e" * 32, dob="1988-04-10")
    keys = person_keys([a, b, c, blank, other_dob], intake, {})
    assert keys[a.id] == keys[b.id] and len({keys[a.id], keys[c.id], keys[blank.id], keys[other_dob.id]}) == 4

    merged = person_keys([a, b, c], intake, {a.id: "p-1", c.id: "p-1"})
    assert merged[a.id] == merged[b.id] == merged[c.id], "a typo staff merged joins; an unlinked namesake follows"
    split = person_keys([a, b, c], intake, {a.id: "p-1", c.id: "p-2"})
    assert split[a.id] != split[c.id]
    two_lopez = person_keys([a, b], intake, {a.id: "p-1"})
    assert two_lopez[b.id] == two_lopez[a.id]

    c_same_name = visit(intake, "José López", 56, "f" * 32)
    told_apart = person_keys([a, b, c_same_name], intake, {a.id: "p-1", c_same_name.id: "p-2"})
    assert told_apart[b.id] not in (told_apart[a.id], told_apart[c_same_name.id]), \
        "staff told two people of this name apart: an unlinked visit is not guessed onto either"


def test_a_sender_naming_another_patient_keeps_the_visit_apart(visits: dict[str, Content]) -> None:
    intake = visits["intake"]
    a, b, c = (visit(intake, "Rosa Diaz", days, sid) for days, sid in ((0, "1" * 32), (28, "2" * 32), (56, "3" * 32)))
    mrn = {"system": "urn:oid:1.2.3", "value": "MRN-1"}
    a.subject = ClientSubject(identifiers=(mrn,))
    b.subject = ClientSubject(identifiers=({"system": "urn:oid:1.2.3", "value": "MRN-2"},))
    c.subject = ClientSubject(identifiers=(mrn, {"system": "urn:other", "value": "X"}))
    keys = person_keys([a, b, c], intake, {})
    assert keys[a.id] == keys[c.id] != keys[b.id]


def test_the_export_of_an_intake_and_follow_ups_has_one_patient_and_observations_per_visit(
        capsys: pytest.CaptureFixture[str], visits: dict[str, Content], data_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    conn = open_database(data_dir)
    setup_install(conn, "Riverside Clinic", "admin", PASSPHRASE)
    conn.close()
    ids = {}
    for content, name, phq9, days, sid in (
            (visits["intake"], "José López", 18, 0, "1" * 32), (visits["follow-up"], "jose LOPEZ", 12, 28, "2" * 32),
            (visits["follow-up"], "José López", 6, 56, "3" * 32), (visits["intake"], "Jose Lopes", 3, 10, "4" * 32),
            (visits["intake"], "Ann Lee", 3, 20, "5" * 32), (visits["follow-up"], "Anne Lee", 3, 48, "6" * 32)):
        path = _response(content, tmp_path / f"{sid}.json", name, phq9, FIRST + dt.timedelta(days=days), sid)
        assert main(["import", "--response", str(path), "--data-dir", str(data_dir)]) == 0
        ids[name + str(days)] = capsys.readouterr().out.strip()
    conn = open_database(data_dir)
    SubmissionStore(conn).link_person([ids["Ann Lee20"], ids["Anne Lee48"]], "p-ann", "admin", FIRST)  # merged
    conn.close()

    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "bundle.json"
    assert main(["export", "--format", "fhir", "--since", "2026-01-01", "--out", str(out),
                 "--data-dir", str(data_dir)]) == 0
    bundle = json.loads(out.read_text(encoding="utf-8"))
    Bundle.model_validate(bundle)
    resources = [(e["fullUrl"], e["resource"]) for e in bundle["entry"]]
    patients = {url: r for url, r in resources if r["resourceType"] == "Patient"}
    assert len(patients) == 3, "José López (3 visits), Jose Lopes, and Ann Lee merged with Anne Lee"
    lopez = next(url for url, r in patients.items() if r["name"] == [{"text": "José López"}])
    assert patients[lopez]["birthDate"] == BORN
    responses = [r for _, r in resources if r["resourceType"] == "QuestionnaireResponse"
                 and r["subject"]["reference"] == lopez]
    assert sorted(r["authored"][:10] for r in responses) == ["2026-10-01", "2026-10-29", "2026-11-26"]
    phq9 = sorted((r["effectiveDateTime"][:10], r["valueInteger"]) for _, r in resources
                  if r["resourceType"] == "Observation" and r["subject"]["reference"] == lopez
                  and r["code"]["coding"][0]["code"] == "44261-6")
    assert phq9 == [("2026-10-01", 18), ("2026-10-29", 12), ("2026-11-26", 6)]
    ann = next(url for url, r in patients.items() if r["name"][0]["text"] in ("Ann Lee", "Anne Lee"))
    assert patients[ann]["name"] == [{"text": "Anne Lee"}], "the latest visit's spelling"
    assert sum(1 for _, r in resources if r["resourceType"] == "QuestionnaireResponse"
               and r["subject"]["reference"] == ann) == 2
