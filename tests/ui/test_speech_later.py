"""Read aloud never holds up or hangs the kiosk: the engine is tried in a child process first, on a time limit."""

from __future__ import annotations

import sys

import pytest

from ui import speech


def test_a_speech_engine_that_never_answers_leaves_read_aloud_off_and_the_screen_live(qtbot, monkeypatch) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QWidget

    monkeypatch.setattr(speech, "PROBE_TIMEOUT_MS", 1500)
    owner = QWidget()
    qtbot.addWidget(owner)
    results: list[object] = []
    ticks: list[int] = []
    clock = QTimer(owner)
    clock.timeout.connect(lambda: ticks.append(1))
    clock.start(20)
    hung = [sys.executable, "-c", "import time; time.sleep(120)"]  # stands for a speech-dispatcher that hangs
    speech.make_speech_later("speechd", results.append, owner, hung)
    qtbot.waitUntil(lambda: results == [None], timeout=10_000)
    # A blocking wait for the child would let no tick through; on a loaded machine a live loop still lets several.
    assert len(ticks) >= 3, "the event loop kept running while the engine was tried"


@pytest.mark.parametrize("code", [1, 3])
def test_a_failed_probe_hides_read_aloud(qtbot, code: int) -> None:
    from PySide6.QtWidgets import QWidget

    owner = QWidget()
    qtbot.addWidget(owner)
    results: list[object] = []
    speech.make_speech_later("speechd", results.append, owner, [sys.executable, "-c", f"raise SystemExit({code})"])
    qtbot.waitUntil(lambda: results == [None], timeout=10_000)
