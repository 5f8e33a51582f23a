"""The kiosk and its console process: hidden while it runs, back when it ends; the patient wiped only on sign-in."""

from __future__ import annotations

import sys

import pytest

from built_kiosk import built_kiosk


@pytest.fixture
def kiosk(qtbot, installed, data_dir):
    with built_kiosk(qtbot, installed, data_dir) as (window, services):
        controller = window.controller
        controller.start()
        controller.set_answer(services.content.manifest.identity.name, "Rosa Diaz")
        yield window


def run_child(qtbot, window, script: str) -> None:
    flow = window.staff_flow
    flow.command = [sys.executable, "-c", script]
    with qtbot.waitSignal(flow.closed, timeout=60_000):
        window.staff_exit_requested.emit()
        assert not window.isVisible(), "the kiosk hides while the console process runs"
        window.staff_exit_requested.emit()  # a second gesture while it runs starts nothing more


def test_a_cancelled_sign_in_brings_the_patient_back_where_they_were(qtbot, kiosk) -> None:
    run_child(qtbot, kiosk, "import sys; sys.exit(0)")
    assert kiosk.isVisible() and kiosk.controller.in_progress()
    assert kiosk.staff_flow.exit_codes == [0]


def test_a_sign_in_wipes_the_patient_session_before_the_console_shows(qtbot, kiosk) -> None:
    run_child(qtbot, kiosk, "print('unlocked', flush=True)")
    assert kiosk.isVisible() and not kiosk.controller.in_progress()


def test_a_console_that_fails_leaves_the_kiosk_working(qtbot, kiosk) -> None:
    run_child(qtbot, kiosk, "import sys; print('boom', file=sys.stderr); sys.exit(2)")
    assert kiosk.isVisible() and kiosk.controller.in_progress() and kiosk.staff_flow.exit_codes == [2]
    kiosk.staff_flow.command = ["/nonexistent/naltrexone-kiosk"]
    with qtbot.waitSignal(kiosk.staff_flow.closed, timeout=10_000):
        kiosk.staff_exit_requested.emit()
    assert kiosk.isVisible() and kiosk.staff_flow.exit_codes[-1] == -1


def test_one_console_process_serves_every_unlock_and_outlives_its_finished_signal(qtbot, kiosk) -> None:
    import shiboken6

    process = kiosk.staff_flow.process
    run_child(qtbot, kiosk, "import sys; sys.exit(0)")
    qtbot.wait(50)  # a deleteLater() from inside `finished` would have run by now
    assert shiboken6.isValid(process) and kiosk.staff_flow.process is process
    assert kiosk.isVisible() and kiosk.controller.in_progress()
    run_child(qtbot, kiosk, "print('unlocked', end='', flush=True)")  # its last line, without a newline
    assert kiosk.staff_flow.process is process and kiosk.staff_flow.exit_codes == [0, 0]
    assert kiosk.isVisible() and not kiosk.controller.in_progress(), "the second sign-in wiped the patient too"
