"""After a staff session, the patient-facing process holds no master secret, data key, index key or private key.

The kiosk's staff gesture starts the real console process; staff sign in,
preview, print and lock there. Then this process (the kiosk) scans its own
memory for the keys. A control unlocks in this process, as the kiosk did
before the console had a process of its own, and the same scan finds them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from built_kiosk import built_kiosk
from conftest import ADMIN, ADMIN_PASSPHRASE
from fake_staff import make_submission
from kiosk.system.clock import utc_now
from kiosk.console.controller import QueueQuery
from kiosk.services import open_kiosk_services
from kiosk.staff import audit, vault
from kiosk.staff.data import SealedStaffData
from kiosk.staff.settings_store import save_settings
from kiosk.storage.sqlite_submissions import SubmissionStore
from memory_scan import scan
from ui.app import build_kiosk

CHILD = Path(__file__).with_name("console_child.py")
KEYS_OF = """
import json, sys
from pathlib import Path
from kiosk.system import crypto
from kiosk.staff import vault
from kiosk.storage.db import connect
keys = vault.unlock(connect(Path(sys.argv[1])), sys.argv[2], sys.argv[3]).keys
print(json.dumps({"master": keys.master.hex(), "data key": crypto.derive(keys.master, b"data").hex(),
                  "index key": keys.index_key.hex(), "x25519 private": crypto.derive(keys.master, b"x25519").hex()}))
"""


def key_needles(data_dir: Path) -> dict[str, bytes]:
    """The install's keys, worked out in another process: this one sees them only as hex text, never as bytes."""
    done = subprocess.run([sys.executable, "-c", KEYS_OF, str(data_dir / "kiosk.db"), ADMIN, ADMIN_PASSPHRASE],
                          capture_output=True, text=True, timeout=120, check=True)
    return {name: bytes.fromhex(value) for name, value in json.loads(done.stdout).items()}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/self/mem is Linux's")
def test_the_kiosk_process_never_holds_a_key_after_a_staff_session(qtbot, installed, data_dir, content,
                                                                    monkeypatch) -> None:
    for name in ("Rosa Diaz", "Lee Park"):
        SubmissionStore(installed).save(make_submission(content, name, "1980-02-03", utc_now()))
    with built_kiosk(qtbot, installed, data_dir, printer="no-such-printer-queue") as (window, services):
        flow = window.staff_flow
        assert flow.command[1:] == ["-m", "kiosk", "console", "--data-dir", str(data_dir), "--content",
                                    str(services.content.folder), "--windowed"]
        flow.command = [sys.executable, str(CHILD), str(data_dir)]  # the same console program, signed in by a script
        monkeypatch.setenv("KIOSK_STAFF_NAME", ADMIN)
        monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", ADMIN_PASSPHRASE)
        with qtbot.waitSignal(flow.closed, timeout=120_000):
            window.staff_exit_requested.emit()
        monkeypatch.delenv("KIOSK_STAFF_PASSPHRASE")
        assert flow.exit_codes == [0] and window.isVisible()
        session = [(e.actor, e.action) for e in audit.entries(services.conn, 0, 20)][::-1]
        actions = [action for actor, action in session if actor == ADMIN]
        worked = actions[actions.index("unlock"):]
        assert {"view", "print"} <= set(worked) and worked[-1] == "lock", "staff really worked in the console"

        needles = key_needles(data_dir)
        after_console = scan(needles)
        print("memory scan, kiosk process after a console session:", after_console)
        assert after_console == {name: 0 for name in needles}

        # the control: the same scan finds the keys once this process unlocks, as the kiosk used to
        staff = SealedStaffData(services.conn, vault.unlock(services.conn, ADMIN, ADMIN_PASSPHRASE), content)
        staff.submission(staff.rows(QueueQuery(), 0, 1)[0].id)
        while_unlocked = scan(needles)
        print("memory scan, same process while unlocked in-process:", while_unlocked)
        assert while_unlocked["master"] >= 1 and while_unlocked["index key"] >= 1
        staff.lock()
        del staff
        print("memory scan, same process after an in-process lock:", scan(needles))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/self/mem is Linux's")
def test_first_run_setup_makes_the_keys_in_the_console_process(qtbot, data_dir, monkeypatch) -> None:
    import ui.console_process

    monkeypatch.setattr(ui.console_process, "console_command", lambda *_a, **_k: [sys.executable, str(CHILD),
                                                                                 str(data_dir)])
    monkeypatch.setenv("KIOSK_STAFF_NAME", ADMIN)
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", ADMIN_PASSPHRASE)
    services = open_kiosk_services(data_dir)
    assert not services.is_set_up()
    save_settings(services.conn, "system", True, speech_engine="mock")  # no speech probe process outlives the test
    window = build_kiosk(services, kiosk_mode=False)
    monkeypatch.delenv("KIOSK_STAFF_PASSPHRASE")
    assert window is not None and services.is_set_up()
    qtbot.addWidget(window)
    after_setup = scan(key_needles(data_dir))
    print("memory scan, kiosk process after first-run setup:", after_setup)
    assert set(after_setup.values()) == {0}
    window.allow_close = True
    services.close()


def test_the_console_subcommand_is_registered_with_its_options(capsys) -> None:
    from kiosk.cli import main

    with pytest.raises(SystemExit) as done:
        main(["console", "--help"])
    assert done.value.code == 0 and "--windowed" in capsys.readouterr().out


def test_the_kiosk_unit_forbids_core_dumps() -> None:
    unit = Path(__file__).resolve().parents[2] / "packaging" / "linux" / "naltrexone-kiosk.service"
    assert "LimitCORE=0" in unit.read_text(encoding="utf-8").splitlines()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_a_process_that_asks_is_made_non_dumpable() -> None:
    probe = "from kiosk.system.hardening import forbid_core_dumps; import resource; print(forbid_core_dumps(), " \
            "resource.getrlimit(resource.RLIMIT_CORE))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True,
                          env={**os.environ})
    assert done.stdout.strip() == "True (0, 0)"
