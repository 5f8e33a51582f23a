"""Read aloud never holds up, hangs or crashes the kiosk: the engine runs in a process of its own, on a time limit."""

from __future__ import annotations

import sys

import pytest

from ui import speech_process as speech


def test_a_speech_engine_that_never_answers_leaves_read_aloud_off_and_the_screen_live(qtbot, monkeypatch) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QWidget

    monkeypatch.setattr(speech, "OPEN_TIMEOUT_MS", 1500)
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


def test_the_real_engine_opens_while_the_screen_stays_responsive(qtbot) -> None:
    """speech-dispatcher's engine takes seconds to open; a patient tapping meanwhile must not see the kiosk freeze."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QWidget

    from kiosk.system.paths import program_command

    owner = QWidget()
    qtbot.addWidget(owner)
    results: list[object] = []
    clock = QElapsedTimer()
    clock.start()
    ticks: list[int] = []
    timer = QTimer(owner)
    timer.timeout.connect(lambda: ticks.append(clock.elapsed()))
    timer.start(10)
    speech.make_speech_later("speechd", results.append, owner, program_command())
    qtbot.waitUntil(lambda: bool(results), timeout=30_000)
    ticks.append(clock.elapsed())
    timer.stop()
    opened = results[0]
    assert isinstance(opened, speech.SpeechProcess), "the real engine opened (speech-dispatcher installed?)"
    assert opened.engine_name == "speechd"
    assert opened.voices("es"), "the engine handed over lists Spanish voices"
    longest = max(later - earlier for earlier, later in zip(ticks, ticks[1:]))
    # Opening on the window's thread froze it 1.6-2.6 s here; in its own process it costs the window nothing.
    assert longest < 200, f"the screen froze for {longest} ms while the read-aloud engine opened"
