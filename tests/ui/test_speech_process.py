"""Read aloud runs in a process of its own: the patient's session survives it, and it never outlives the kiosk."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT
from kiosk.system.paths import program_command
from ui import speech_process

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@pytest.fixture
def own_speech_dispatcher(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A private speech-dispatcher (started on the first connection, gone when idle), untouched by other processes."""
    folder = Path(tempfile.mkdtemp(prefix="sd", dir="/tmp"))  # short: a unix socket path has ~100 characters
    names = {name: str(folder) for name in ("XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME")}
    for name, value in names.items():
        monkeypatch.setenv(name, value)
    yield names
    for daemon in Path("/proc").glob("[0-9]*/cmdline"):  # it outlives its clients: end the one started here
        try:
            if str(folder).encode() in daemon.read_bytes():
                os.kill(int(daemon.parent.name), signal.SIGKILL)  # it may not answer SIGTERM while busy
        except (OSError, ValueError):
            continue
    shutil.rmtree(folder, ignore_errors=True)


def alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def read_aloud_children(pid: int) -> list[int]:
    def command(child: int) -> bytes:
        try:
            return Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            return b""

    return [child for child in children_of(pid) if b"--read-aloud" in command(child).split(b"\0")]


def test_killing_the_read_aloud_process_keeps_the_patient_going_and_hides_the_button(
        qtbot, content, data_dir, visit_time, own_speech_dispatcher, monkeypatch) -> None:
    from kiosk.patient.intake import IntakeController
    from kiosk.settings import Settings
    from kiosk.storage.db import connect
    from kiosk.storage.sqlite_submissions import SubmissionStore
    from kiosk.testing.wizard import answer_current_page
    from ui.app import build_window

    monkeypatch.setattr(speech_process, "RESTART_AFTER_MS", 200)
    conn = connect(data_dir / "kiosk.db")
    controller = IntakeController(content, SubmissionStore(conn), data_dir / "reports", lambda: "Riverside Clinic",
                                  clock=lambda: visit_time)
    window = build_window(controller, Settings(clinic_name="Riverside Clinic", speech_engine=""), kiosk_mode=False,
                          program=program_command())
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    try:
        qtbot.waitUntil(window.read_button.isVisible, timeout=40_000)
        first = window.speech_process.pid()
        assert first in read_aloud_children(os.getpid())
        controller.next()
        answer_current_page(controller)
        page = controller.session.position
        os.kill(first, signal.SIGKILL)  # the engine crashes, as the speechd plug-in once did
        qtbot.waitUntil(lambda: not window.read_button.isVisible(), timeout=10_000)
        assert window.speech is None
        assert window.isVisible() and controller.session.position == page, "the patient's screen is untouched"
        assert controller.next() and controller.session.position != page, "and the patient goes on"
        # a new process is started, and read aloud comes back once it is ready
        qtbot.waitUntil(window.read_button.isVisible, timeout=40_000)
        assert window.speech is window.speech_process and window.speech_process.pid() != first
        window.read_aloud()
        assert window.speech.last[0] == "en" and window.speech.last[1] == window.page.readable_text()
    finally:
        window.allow_close = True
        conn.close()


def test_read_aloud_stays_off_after_a_few_failed_starts(qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QWidget

    monkeypatch.setattr(speech_process, "RESTART_AFTER_MS", 50)
    owner = QWidget()
    qtbot.addWidget(owner)
    results: list[object] = []
    crashing = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"]
    process = speech_process.make_speech_later("speechd", results.append, owner, crashing)
    qtbot.waitUntil(lambda: process.starts == speech_process.MAX_STARTS
                    and process.process.state() == process.process.ProcessState.NotRunning, timeout=20_000)
    qtbot.wait(300)  # longer than the restart delay: no further start
    assert process.starts == speech_process.MAX_STARTS and results == [None]


def test_the_read_aloud_process_ends_with_its_window(qtbot, own_speech_dispatcher) -> None:
    from PySide6.QtWidgets import QWidget

    owner = QWidget()
    results: list[object] = []
    process = speech_process.make_speech_later("", results.append, owner, program_command())
    qtbot.waitUntil(lambda: bool(results), timeout=40_000)
    assert results == [process]
    pid = process.pid()
    assert alive(pid)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not alive(pid), timeout=5_000)
    assert process.process.state() == process.process.ProcessState.NotRunning and results == [process]


@pytest.mark.slow
def test_no_read_aloud_process_outlives_a_kiosk_that_is_killed(installed: sqlite3.Connection, data_dir: Path,
                                                              own_speech_dispatcher: dict[str, str]) -> None:
    installed.close()
    env = {**os.environ, **own_speech_dispatcher, "QT_QPA_PLATFORM": "offscreen"}
    kiosk = subprocess.Popen([*program_command(), "--data-dir", str(data_dir), "--windowed"], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        children: list[int] = []
        while not children and time.monotonic() < deadline:
            assert kiosk.poll() is None, kiosk.communicate()[1].decode()
            children = read_aloud_children(kiosk.pid)
            time.sleep(0.1)
        assert children, "the kiosk started its read-aloud process after the first paint"
        maps = Path(f"/proc/{kiosk.pid}/maps").read_text()
        assert "TextToSpeech" not in maps and "texttospeech" not in maps, "the engine is the other process's alone"
        kiosk.kill()  # a crash: no clean-up code runs in the kiosk
        kiosk.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(alive(child) for child in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(child) for child in children), "the read-aloud process ended with the kiosk"
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
        kiosk.communicate(timeout=30)
