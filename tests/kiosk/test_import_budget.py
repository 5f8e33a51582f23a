"""Start-up imports only what the first screen needs: reportlab, FHIR and export code wait until they are used,
and the content is read from its compiled copy without pydantic (check-content validates with it)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE
from kiosk.services import BACKGROUND_CHECK_BYTES

ROOT = Path(__file__).resolve().parents[2]
TYPES_PROBE = ROOT / "tests" / "start_types_probe.py"
# kiosk.commands.*: the subcommands (backup, demo data, import, the console...) are not part of starting the kiosk
# pydantic: the compiled content copy is plain data; cryptography: the first seal is the patient's first answer;
# the staff console's widgets and data (it runs in its own process), read aloud (opened a second after the first
# paint), YAML (the theme is JSON) and SVG (no picture on the first screen).
# The vault (key wrapping, epochs, the audit seal: a start only asks whether the install is set up), the audit log
# (a start writes no entry; settings are only read, retention runs after the first paint), the widgets of
# later pages (signature pad, typed signature, scale grid, teach-back note: built ahead after the first paint), and
# uuid with the platform module it brings (a submission id is 16 random bytes). The forwarder and PostgreSQL's
# connection diagnostics (a kiosk that works alone never forwards). subprocess: the PDF's render process starts with
# the first submit, the console's process when staff first open it. logging.handlers and the socket module it brings
# (the log file rotates through the kiosk's own handler).
LATER = ("reportlab", "fhir", "pypdf", "kiosk.report.pdf", "kiosk.fhir", "kiosk.export", "hypothesis",
         "kiosk.commands.", "pydantic", "pydantic_core", "cryptography", "ui.console.", "PySide6.QtTextToSpeech",
         "yaml", "PySide6.QtSvg", "kiosk.staff.data", "kiosk.staff.gate",
         "kiosk.staff.vault", "kiosk.staff.epochs", "kiosk.staff.audit", "kiosk.staff.records", "kiosk.report.clinic_stats",
         "ui.signature", "ui.typed_signature", "ui.scale_grid", "ui.teach_back_note", "uuid", "platform",
         "kiosk.storage.forwarder", "kiosk.storage.connection_problems", "subprocess",
         "logging.handlers", "socket")
# Modules named exactly (not as a prefix): CUPS and delivery (the printer is asked for and the PDF settled at the first
# submit; the spool check in kiosk.printing.cups_config runs after the first paint).
LATER_EXACT = ("kiosk.printing.cups", "kiosk.printing.delivery")


def imported_modules(args: list[str], env: dict[str, str]) -> set[str]:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "kiosk", *args], capture_output=True, text=True,
                          env=env, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


# Enums of classes PySide6 sets up only when it must find the class of an object Qt made: a QWizard's (every widget
# class: a widget Qt made, such as a scroll area's own viewport), a QThread's (every object class: the receivers seen
# by an application-wide event filter) and QStyle's (the application's style, fetched with style()).
SET_UP_BY_DISCOVERY = ("WizardButton", "QualityOfService", "PrimitiveElement")


@pytest.fixture
def set_up_data(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A set-up data folder whose content copy is compiled: the next start is a daily start."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_STAFF_PASSPHRASE": ADMIN_PASSPHRASE}
    data = tmp_path / "data"
    subprocess.run([sys.executable, "-m", "kiosk", "setup", "--data-dir", str(data), "--clinic", "C", "--admin", ADMIN],
                   env=env, check=True, capture_output=True, timeout=120, cwd=ROOT)
    imported_modules(["--data-dir", str(data), "--smoke", "--windowed"], env)  # the first start compiles the content
    return data, env


@pytest.mark.slow
def test_the_kiosk_paints_its_first_screen_without_loading_pdf_or_fhir_code(set_up_data) -> None:
    data, env = set_up_data
    modules = imported_modules(["--data-dir", str(data), "--smoke", "--windowed"], env)  # a daily start
    assert "kiosk.patient.intake" in modules and "PySide6.QtWidgets" in modules, "the probe sees the kiosk's own imports"
    early = sorted(m for m in modules if (m.split(".")[0] in LATER or m.startswith(LATER) or m in LATER_EXACT))
    assert early == []


def test_the_probe_does_see_reportlab_when_a_command_needs_it(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    modules = imported_modules(["questionnaire", "--format", "fhir", "--out", str(tmp_path / "q.json")], env)
    assert "kiosk.fhir" in modules


@pytest.mark.slow
@pytest.mark.parametrize("large", [False, True], ids=["small file", "large file checked after the first paint"])
def test_the_first_screen_does_not_make_pyside_set_up_every_qt_class(set_up_data, large: bool) -> None:
    data, env = set_up_data
    if large:  # free pages keep the file over the size whose integrity check waits for the first paint
        with sqlite3.connect(data / "kiosk.db") as conn:
            conn.execute("CREATE TABLE pad (x BLOB)")
            conn.execute("INSERT INTO pad VALUES (zeroblob(?))", (BACKGROUND_CHECK_BYTES + 2**20,))
            conn.execute("DROP TABLE pad")
        conn.close()
        assert (data / "kiosk.db").stat().st_size > BACKGROUND_CHECK_BYTES
    done = subprocess.run([sys.executable, str(TYPES_PROBE), str(data)], env=env, capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    made = json.loads(done.stdout.strip().splitlines()[-1])
    assert "AlignmentFlag" in made, "the probe sees the enums of the classes the first screen uses"
    assert [name for name in SET_UP_BY_DISCOVERY if name in made] == []
