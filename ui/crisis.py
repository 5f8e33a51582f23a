"""The crisis moment: a full-window page with the crisis line, then a banner that stays until the patient is done.

The words are the clinic's (ui.yaml: crisis_title, crisis_body, crisis_banner,
crisis_continue), so a clinic can put its own local line beside 988.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QWidget

from kiosk.system.paths import resources_dir
from ui.controls import plain_label
from ui.overlay import Overlay

CONTINUE = 1


class CrisisPage(Overlay):
    """Large text over the whole window; only "Continue" closes it (a stray Escape or tap beside it does not)."""

    def __init__(self, window: QWidget, title: str, body: str, continue_text: str) -> None:
        super().__init__(window, "crisis", fill=True)
        self.content.addStretch(1)
        self.content.addWidget(heart(96), 0, Qt.AlignmentFlag.AlignHCenter)
        self.title = self.add_text(title, "crisis-title")
        self.body = self.add_text(body, "crisis-body")
        self.content.addStretch(1)
        (self.continue_button,) = self.add_buttons((continue_text, CONTINUE, "crisis-continue"))
        self.setAccessibleName(title)


class CrisisBanner(QFrame):
    """A strip under the top bar with the crisis line, on every screen after the crisis page, until the next patient."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("crisis-banner")
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(16, 8, 16, 8)
        self.icon: QWidget | None = None  # drawn the first time the banner shows: most patients never see it
        self.label = plain_label("", "crisis-banner-text")
        self.row.addWidget(self.label, 1)
        self.hide()

    def show_text(self, text: str | None) -> None:
        """Shown with `text`; None hides it and drops the words."""
        if text is not None and self.icon is None:
            self.icon = heart(32)
            self.row.insertWidget(0, self.icon, 0, Qt.AlignmentFlag.AlignVCenter)
        self.label.setText(text or "")
        self.label.setAccessibleName(text or "")
        self.setVisible(text is not None)


def heart(size: int) -> QWidget:
    """The crisis line's heart; the SVG module is loaded with the first one drawn, never for the first screen."""
    from PySide6.QtSvgWidgets import QSvgWidget

    icon = QSvgWidget(str(resources_dir() / "images" / "heart.svg"))
    icon.setFixedSize(size, size)
    icon.setAccessibleName("")
    return icon
