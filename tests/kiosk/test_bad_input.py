"""Bad input to the command line: a clear one-line refusal with the README's exit code, never a traceback."""

from __future__ import annotations

import base64
import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from answer_plans import tiny_png
from conftest import ADMIN
from fhir_fixtures import finished, full_answers
from kiosk.cli import main
from kiosk.content import Content
from kiosk.fhir.response import to_response
from kiosk.staff import audit


def response(content: Content, when: dt.datetime | None = None, signature: bytes | None = None) -> dict[str, Any]:
    submission = finished(content, full_answers(content), when=when or dt.datetime.now(dt.timezone.utc))
    submission.signature_png = signature
    return to_response(content, submission)


def write(tmp_path: Path, data: Any, name: str = "r.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_clear_line(err: str) -> None:
    assert "Traceback" not in err and err.startswith("naltrexone-kiosk: ") and len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("authored", ["2100-01-01T09:00:00Z", "1899-12-31T09:00:00Z", "2100-01-01"])
def test_import_refuses_an_authored_time_in_the_future_or_before_1900(installed: sqlite3.Connection, data_dir: Path,
                                                                       content: Content, tmp_path: Path, capsys,
                                                                       authored: str) -> None:
    data = response(content)
    data["authored"] = authored
    code, _, err = run(capsys, "import", "--data-dir", str(data_dir), "--response", str(write(tmp_path, data)))
    assert code == 1 and "authored" in err and ("future" in err or "1900" in err)
    one_clear_line(err)
    assert installed.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0


def test_import_accepts_now_and_writes_an_audit_entry(installed: sqlite3.Connection, data_dir: Path,
                                                      content: Content, tmp_path: Path, capsys) -> None:
    data = response(content, signature=tiny_png())
    code, out, err = run(capsys, "import", "--data-dir", str(data_dir), "--response", str(write(tmp_path, data)))
    assert code == 0, err
    entry = [e for e in audit.entries(installed) if e.action == "import"]
    assert len(entry) == 1 and entry[0].target == out.strip() and entry[0].detail["file"] == "r.json"


def test_import_refuses_a_damaged_signature_png(installed: sqlite3.Connection, data_dir: Path, content: Content,
                                                tmp_path: Path, capsys) -> None:
    png = bytearray(tiny_png())
    png[40] ^= 0xFF  # inside the IHDR chunk: the signature bytes and size still look right, the checksum does not
    data = json.dumps(response(content, signature=tiny_png()))
    data = data.replace(base64.b64encode(tiny_png()).decode("ascii"), base64.b64encode(bytes(png)).decode("ascii"))
    code, _, err = run(capsys, "import", "--data-dir", str(data_dir), "--response", str(write(tmp_path, data)))
    assert code == 1 and "damaged PNG" in err
    one_clear_line(err)
    assert installed.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0


def test_import_on_a_damaged_database_cannot_start(data_dir: Path, content: Content, tmp_path: Path, capsys) -> None:
    (data_dir / "kiosk.db").write_bytes(b"SQLite format 3\x00" + b"\x17" * 8000)
    code, _, err = run(capsys, "import", "--data-dir", str(data_dir), "--response",
                       str(write(tmp_path, response(content))))
    assert code == 2 and "damaged" in err and "Traceback" not in err


@pytest.mark.parametrize("command", ["import", "report"])
@pytest.mark.parametrize("text", ["[" * 10_000 + "]" * 10_000,
                                  '{"resourceType": "QuestionnaireResponse", "authored": ' + "7" * 5000 + "}"])
def test_hostile_json_gets_one_line_and_exit_1(installed: sqlite3.Connection, data_dir: Path, tmp_path: Path,
                                               capsys, command: str, text: str) -> None:
    path = write(tmp_path, text)
    extra = ["--out", str(tmp_path / "r.pdf")] if command == "report" else []
    code, _, err = run(capsys, command, "--data-dir", str(data_dir), "--response", str(path), *extra)
    assert code == 1
    one_clear_line(err)


def test_purge_refuses_zero_days_on_stderr(installed: sqlite3.Connection, data_dir: Path, capsys,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", "correct horse battery")
    monkeypatch.setenv("KIOSK_STAFF_NAME", ADMIN)
    code, out, err = run(capsys, "purge", "--data-dir", str(data_dir), "--days", "0")
    assert code == 1 and out == "" and "--days must be 1 or more" in err


def test_an_unexpected_failure_is_one_line_with_the_details_in_the_log(installed: sqlite3.Connection, data_dir: Path,
                                                                       capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.commands.purge as purge

    def broken(*_args, **_kwargs):
        raise RuntimeError("something nobody planned for")

    monkeypatch.setattr(purge, "services_for", broken)
    code, _, err = run(capsys, "purge", "--data-dir", str(data_dir), "--days", "5")
    assert code == 1 and "RuntimeError" in err and "kiosk.log" in err and "nobody planned" not in err
    one_clear_line(err)
    assert "Traceback" in (data_dir / "logs" / "kiosk.log").read_text(encoding="utf-8")


def test_check_content_refuses_an_alias_bomb_at_once(tmp_path: Path, capsys) -> None:
    import shutil

    from kiosk.system.paths import content_dir

    folder = tmp_path / "content"
    shutil.copytree(content_dir(), folder)
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 9) + "]" for i in range(1, 10)]
    with (folder / "mood.yaml").open("a", encoding="utf-8") as stream:
        stream.write("\n".join(lines) + "\n")
    code, _, err = run(capsys, "check-content", str(folder), "--data-dir", str(tmp_path / "data"))
    assert code == 1 and "mood.yaml:" in err and "YAML aliases" in err
    code, out, _ = run(capsys, "check-content", "--data-dir", str(tmp_path / "data"))
    assert code == 0, out  # the shipped content's shared option lists (anchors) stay allowed
