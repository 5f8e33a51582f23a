"""The FHIR subcommands end to end: questionnaire, report (PDF through the wizard's pipeline) and import."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from pypdf import PdfReader

from fhir_fixtures import FLAG_TEXT, finished, full_answers, make_content_folder
from kiosk.cli import main
from kiosk.content import Content, load_content
from kiosk.fhir.response import to_response
from kiosk.services import open_database
from kiosk.staff.vault import setup_install, unlock
from kiosk.storage.codecs import OpeningCodec
from kiosk.storage.sqlite_submissions import SubmissionStore

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_content_folder(tmp_path_factory.mktemp("cli"))


@pytest.fixture(scope="module")
def scale_content(folder: Path) -> Content:
    return load_content(folder)


def response_file(content: Content, path: Path, **answers: Any) -> Path:
    submission = finished(content, full_answers(content, **answers), language="es")
    path.write_text(json.dumps(to_response(content, submission), ensure_ascii=False), encoding="utf-8")
    return path


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_questionnaire_prints_valid_fhir(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    assert main(["--content", str(folder), "questionnaire", "--format", "fhir"]) == 0
    data = json.loads(capsys.readouterr().out)
    Questionnaire.model_validate(data)
    assert any(i["linkId"] == "page.fhir_scale_page" for i in data["item"])


def test_questionnaire_writes_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "q.json"
    assert main(["questionnaire", "--format", "fhir", "--out", str(out)]) == 0
    Questionnaire.model_validate(json.loads(out.read_text(encoding="utf-8")))
    assert str(out) in capsys.readouterr().out


def test_report_renders_flags_and_scores_from_the_one_pipeline(capsys: pytest.CaptureFixture[str], folder: Path,
                                                               scale_content: Content, tmp_path: Path) -> None:
    response = response_file(scale_content, tmp_path / "high.json", fhir_scale_a="often", fhir_scale_b="often")
    out = tmp_path / "high.pdf"
    assert main(["--content", str(folder), "report", "--response", str(response), "--out", str(out),
                 "--clinic", "Riverside Clinic"]) == 0
    text = pdf_text(out)
    assert FLAG_TEXT in text
    assert "Test Scale total: 5" in text  # the flag's evidence, from the wizard's scorer
    assert "Riverside Clinic" in text
    assert "Spanish" in text  # the language the patient used
    assert "1 urgent" in capsys.readouterr().out


def test_report_uses_the_clinic_name_set_up_in_the_data_folder(folder: Path, scale_content: Content, tmp_path: Path,
                                                              data_dir: Path) -> None:
    setup_install(open_database(data_dir), "Hillside Recovery", "Ann", PASSPHRASE)
    response = response_file(scale_content, tmp_path / "r.json", fhir_scale_a="sometimes", fhir_scale_b="never")
    out = tmp_path / "r.pdf"
    assert main(["--content", str(folder), "report", "--data-dir", str(data_dir), "--response", str(response),
                 "--out", str(out)]) == 0
    text = pdf_text(out)
    assert "Hillside Recovery" in text and "Welcome Clinic" not in text
    assert main(["--content", str(folder), "report", "--data-dir", str(tmp_path / "fresh"), "--response", str(response),
                 "--out", str(out)]) == 0
    assert "Welcome Clinic" in pdf_text(out), "a folder never set up keeps the default name"


def test_report_without_the_cut_off_has_no_flag(folder: Path, scale_content: Content, tmp_path: Path) -> None:
    response = response_file(scale_content, tmp_path / "low.json", fhir_scale_a="sometimes", fhir_scale_b="never")
    out = tmp_path / "low.pdf"
    assert main(["--content", str(folder), "report", "--response", str(response), "--out", str(out)]) == 0
    text = pdf_text(out)
    assert FLAG_TEXT not in text
    assert "Test Scale" in text


def test_report_refuses_a_bad_response_and_writes_nothing(capsys: pytest.CaptureFixture[str], folder: Path,
                                                          tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"resourceType": "QuestionnaireResponse", "status": "completed",
                               "item": [{"linkId": "fhir_scale_a", "answer": [{"valueCoding": {"code": "x"}}]}]}))
    out = tmp_path / "bad.pdf"
    assert main(["--content", str(folder), "report", "--response", str(bad), "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert "item 'fhir_scale_a' at $.item[0].answer[0].valueCoding" in error
    assert "unknown option code 'x'" in error
    assert not out.exists()


@pytest.fixture
def set_up_dir(data_dir: Path) -> Path:
    """A data folder after first-run setup: submissions are sealed from here on."""
    conn = open_database(data_dir)
    setup_install(conn, "Riverside Clinic", "admin", PASSPHRASE)
    conn.close()
    return data_dir


def test_import_stores_a_submission_once_and_prints_its_id(capsys: pytest.CaptureFixture[str], folder: Path,
                                                           scale_content: Content, set_up_dir: Path,
                                                           tmp_path: Path) -> None:
    data_dir = set_up_dir
    response = response_file(scale_content, tmp_path / "r.json", fhir_scale_a="often", fhir_scale_b="often")
    argv = ["--content", str(folder), "import", "--response", str(response), "--data-dir", str(data_dir)]
    assert main(argv) == 0
    submission_id = capsys.readouterr().out.strip()
    assert re.fullmatch(r"[0-9a-f]{32}", submission_id)
    assert main(argv) == 0
    again = capsys.readouterr()
    assert again.out.strip() == submission_id and "imported before" in again.err

    conn = open_database(data_dir)
    staff = unlock(conn, "admin", PASSPHRASE)
    store = SubmissionStore(conn, OpeningCodec(staff.keys))
    stored = store.get(submission_id)
    assert store.count() == 1
    assert stored is not None and stored.source == "import" and stored.language == "es"
    assert stored.answers["fhir_scale_a"] == "often"
    assert stored.assessment.scores["fhir_scale"].total == 5
    assert stored.assessment.flags[0].text == FLAG_TEXT
    conn.close()
    waiting = list((data_dir / "outbox").iterdir())
    assert len(waiting) == 1 and not waiting[0].read_bytes().startswith(b"%PDF")  # the PDF waits, sealed


def test_import_into_a_kiosk_not_set_up_is_refused(capsys: pytest.CaptureFixture[str], folder: Path,
                                                   scale_content: Content, data_dir: Path, tmp_path: Path) -> None:
    response = response_file(scale_content, tmp_path / "r.json")
    assert main(["--content", str(folder), "import", "--response", str(response), "--data-dir", str(data_dir)]) == 1
    assert "not set up" in capsys.readouterr().err
    conn = open_database(data_dir)
    assert SubmissionStore(conn).count() == 0
    conn.close()


def test_import_refuses_an_invalid_response_and_stores_nothing(capsys: pytest.CaptureFixture[str], folder: Path,
                                                              set_up_dir: Path, tmp_path: Path) -> None:
    data_dir = set_up_dir
    bad = tmp_path / "bad.json"
    bad.write_text('{"resourceType": "QuestionnaireResponse", "status": "completed", "item": [{"linkId": "nope"}]}')
    argv = ["--content", str(folder), "import", "--response", str(bad), "--data-dir", str(data_dir)]
    assert main(argv) == 1
    assert "item 'nope' at $.item[0]: unknown linkId" in capsys.readouterr().err
    conn = open_database(data_dir)
    assert SubmissionStore(conn).count() == 0
    conn.close()


def test_import_refuses_malformed_json(capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["import", "--response", str(bad), "--data-dir", str(data_dir)]) == 1
    assert "not valid JSON" in capsys.readouterr().err


def test_what_a_client_says_about_the_patient_reaches_the_exported_patient(
        capsys: pytest.CaptureFixture[str], folder: Path, scale_content: Content, set_up_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from fhir.resources.R4B.bundle import Bundle

    response = json.loads(response_file(scale_content, tmp_path / "r.json", fhir_scale_a="often").read_text())
    mrn = {"use": "official", "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                                                   "code": "MR"}], "text": "MRN"},
           "system": "urn:oid:1.2.36.146.595.217.0.1", "value": "MRN-0042"}
    response["subject"] = {"reference": "Patient/ehr-77", "display": "Rosa Díaz",
                           "identifier": {"system": "https://clinic.example/ids", "value": "A-9"}}
    (tmp_path / "r.json").write_text(json.dumps(response, ensure_ascii=False), encoding="utf-8")
    contained = {**response, "subject": {"reference": "#p1"},
                 "contained": [{"resourceType": "Patient", "id": "p1", "identifier": [mrn]}]}
    (tmp_path / "c.json").write_text(json.dumps(contained, ensure_ascii=False), encoding="utf-8")
    for name in ("r.json", "c.json"):
        assert main(["--content", str(folder), "import", "--response", str(tmp_path / name),
                     "--data-dir", str(set_up_dir)]) == 0
    capsys.readouterr()

    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "bundle.json"
    assert main(["--content", str(folder), "export", "--format", "fhir", "--since", "2000-01-01", "--out", str(out),
                 "--data-dir", str(set_up_dir)]) == 0
    bundle = json.loads(out.read_text(encoding="utf-8"))
    Bundle.model_validate(bundle)
    patients = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    # Both responses are one person's (same name and birth date, no identifier in conflict): one Patient
    # carries what each sender said.
    (linked,) = patients
    assert linked["link"] == [{"other": {"reference": "Patient/ehr-77", "display": "Rosa Díaz"}, "type": "seealso"}]
    assert sorted(linked["identifier"], key=lambda i: i["value"]) == \
        [{"system": "https://clinic.example/ids", "value": "A-9"}, mrn]
