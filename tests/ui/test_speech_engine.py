"""Read aloud with the real speech stack (speech-dispatcher + espeak-ng through Qt's speechd plug-in), not the mock."""

from __future__ import annotations

import re
from pathlib import Path

from ui.speech import make_speech

ROOT = Path(__file__).resolve().parents[2]


def test_the_system_packages_include_the_speech_stack() -> None:
    script = (ROOT / "tools" / "install-system-deps.sh").read_text(encoding="utf-8")
    lines = [line.split("#", 1)[0] for line in script.split("PACKAGES=(", 1)[1].splitlines()]
    listed = set(re.findall(r"[a-z0-9][a-z0-9.+-]+", "\n".join(lines).split(")", 1)[0]))
    assert {"speech-dispatcher", "espeak-ng", "libspeechd2", "libpulse0"} <= listed


def test_the_real_engine_lists_an_english_and_a_spanish_voice(qapp) -> None:
    speech = make_speech()
    assert speech is not None, "no text-to-speech engine loads: is speech-dispatcher installed (make system-deps)?"
    assert speech.engine.engine() == "speechd", "the real Linux engine, not the mock"
    for language in ("en", "es"):
        assert speech.voices(language), f"the engine lists no voice for {language!r}"
    speech.use_language("es")
    assert speech.engine.locale().language().name == "Spanish"
