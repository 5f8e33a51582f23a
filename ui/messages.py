"""What the patient window says over the page: the crisis page, "not saved", and the start-over confirm.

Each is an in-window overlay (ui.overlay); a new patient never meets the
previous one's message, so `close_all` runs whenever the welcome screen shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ui.crisis import CrisisPage
from ui.overlay import Overlay

if TYPE_CHECKING:
    from ui.window import KioskWindow

KEEP_GOING, START_OVER = 0, 1


class PatientMessages:
    def __init__(self, window: KioskWindow) -> None:
        self.window = window
        self.crisis: CrisisPage | None = None
        self.not_saved: Overlay | None = None
        self.start_over: Overlay | None = None

    def _text(self, key: str) -> str:
        return self.window.content.text(key, self.window.controller.language)

    def show_crisis(self) -> None:
        """Full window, large text, the crisis line; recorded with the staff signal for the clinician's report."""
        self._drop("crisis")
        page = CrisisPage(self.window, self._text("crisis_title"), self._text("crisis_body"),
                          self._text("crisis_continue"))
        self.crisis = page
        page.open()
        controller = self.window.controller
        controller.record_crisis_shown(controller.clock(), self.window.settings.staff_alert)
        self.window.crisis_banner.show_text(self._text("crisis_banner"))

    def show_not_saved(self) -> None:
        self._drop("not_saved")
        box = Overlay(self.window, "not-saved")
        box.add_text(self._text("not_saved"), "overlay-title")
        box.add_buttons((self._text("ok"), 0, "primary"))
        self.not_saved = box
        box.open()

    def confirm_start_over(self, wipe: Callable[[], None]) -> None:
        """Erasing is never the default: Enter or a stray tap on the first button keeps the answers."""
        self._drop("start_over")
        box = Overlay(self.window, "start-over-confirm")
        box.escape_result = KEEP_GOING
        box.add_text(self._text("start_over_title"), "overlay-title")
        box.add_text(self._text("start_over_body"))
        box.add_buttons((self._text("start_over_no"), KEEP_GOING, "primary"),
                        (self._text("start_over_yes"), START_OVER, "start-over"))
        box.finished.connect(lambda result: result == START_OVER and wipe())
        self.start_over = box
        box.open()

    def close_all(self) -> None:
        for name in ("crisis", "not_saved", "start_over"):
            self._drop(name)

    def _drop(self, name: str) -> None:
        overlay = getattr(self, name)
        if overlay is not None:
            setattr(self, name, None)
            overlay.blockSignals(True)
            overlay.done(0)
            overlay.deleteLater()
