"""Read aloud with Qt TextToSpeech, in the screen's language; absent when no engine works.

The kiosk itself never loads this module's engine: it runs in the read-aloud
process (ui/speech_child.py), driven through ui/speech_process.py. Tests and
demos use the instant mock engine in-process.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtTextToSpeech import QTextToSpeech

LOCALES = {"en": QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
           "es": QLocale(QLocale.Language.Spanish, QLocale.Country.UnitedStates)}


class Speech:
    """A thin wrapper so the window can ask for speech without knowing the engine."""

    def __init__(self, engine: QTextToSpeech) -> None:
        self.engine = engine
        self.last: tuple[str, str] | None = None  # (language, text): only the current patient's last request

    def use_language(self, language: str) -> bool:
        """Pick the engine's locale for `language`: the clinic's country first, then Latin American Spanish, then any."""
        locale = LOCALES.get(language)
        if locale is None:
            return False
        matches = [loc for loc in self.engine.availableLocales() if loc.language() == locale.language()]
        matches.sort(key=lambda loc: (loc.territory() != locale.territory(), loc.territory() != QLocale.Country.LatinAmerica))
        if matches:
            self.engine.setLocale(matches[0])
        return bool(matches)

    def voices(self, language: str) -> list[str]:
        """Names of the voices that read `language` (empty when the engine has none)."""
        return [voice.name() for voice in self.engine.availableVoices()] if self.use_language(language) else []

    def say(self, text: str, language: str) -> None:
        self.use_language(language)
        self.last = (language, text)
        self.engine.say(text)

    def forget(self) -> None:
        """Stop talking and drop the last text: it may hold the previous patient's screen."""
        self.engine.stop(QTextToSpeech.BoundaryHint.Immediate)
        self.last = None


def engine_order(preferred: str = "") -> list[str]:
    """The engines to try, the preferred one first; never the mock unless asked for by name."""
    engines = [e for e in QTextToSpeech.availableEngines() if e != "mock"]
    if preferred:
        engines = [preferred] + [e for e in engines if e != preferred]
    return engines


def make_speech(preferred: str = "") -> Speech | None:
    """The first engine that is ready (the preferred one first); None hides the read-aloud button."""
    for name in engine_order(preferred):
        engine = QTextToSpeech(name)
        if engine.state() != QTextToSpeech.State.Error:
            return Speech(engine)
    return None
