"""A PDF still being drawn when the kiosk window goes away: its answer waits, and nothing signals a deleted object."""

from __future__ import annotations

import logging
import sys
from types import SimpleNamespace

from kiosk.patient.after_commit import Rendered, RenderProcesses


def test_an_answer_after_the_window_is_gone_signals_nothing_and_waits_for_collect(qtbot, caplog) -> None:
    from PySide6.QtCore import QObject
    from shiboken6 import Shiboken

    from ui.render_answers import RenderAnswers

    # A render process that takes a moment and answers nothing a PDF could be made of: the answer is an error.
    render = RenderProcesses(command=[sys.executable, "-c", "import sys, time; sys.stdin.buffer.read(); time.sleep(0.5)"])
    settled: list[Rendered] = []
    controller = SimpleNamespace(delivery=SimpleNamespace(render=render), settle_printing=lambda: render.collect())
    window = QObject()
    RenderAnswers(controller, window)  # type: ignore[arg-type]
    render.start("a job", settled.append)  # type: ignore[arg-type]
    Shiboken.delete(window)  # the window closes while the PDF is drawn
    with caplog.at_level(logging.ERROR):
        assert render.wait(10) == 0
    assert [r.error.startswith("render process ended without an answer") for r in settled] == [True]
    assert not [r for r in caplog.records if "could not signal" in r.getMessage()], caplog.text
