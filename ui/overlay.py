"""In-window overlays: the kiosk's own dialogs, drawn over the patient screen inside the main window.

A bare top-level dialog floats unframed over the next question on a kiosk
with no window manager, and a tap beside it lands on the page underneath.
An overlay is a child of the main window that covers all of it: a dimmed
layer (opaque where what is underneath must not be read) with one card in
the kiosk's style. While any overlay is open the page underneath takes no
taps, keys or focus.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractButton, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.controls import plain_label

DIM = 170  # alpha of the dark layer over the page: the page is still recognisable, not readable at a glance
CARD_WIDTH = 860
COVER = 255  # where what is underneath must not be read at all (the idle warning hides the last answers)


class Overlay(QWidget):
    """A modal layer over the whole window; `finished(result)` when a button (or Escape, if allowed) closes it."""

    finished = Signal(int)

    def __init__(self, window: QWidget, name: str, *, cover: bool = False, fill: bool = False) -> None:
        super().__init__(window)
        self.setObjectName(name)
        self.setAccessibleName("")
        self.alpha = COVER if cover else DIM
        self.escape_result: int | None = None
        self.default_button: QPushButton | None = None
        self.card = QFrame(self)
        self.card.setObjectName("overlay-card")
        self.content = QVBoxLayout(self.card)
        self.content.setContentsMargins(40, 36, 40, 36)
        self.content.setSpacing(24)
        self.fill = fill
        self.outer = QVBoxLayout(self)
        if not fill:
            self.outer.addStretch(1)
        self.outer.addWidget(self.card, 1 if fill else 0)  # no alignment flag: wrapped text gets its full height
        if not fill:
            self.outer.addStretch(1)
        self._fit_margins()
        self.hide()
        window.installEventFilter(self)

    # -- building ---------------------------------------------------------------------

    def add_text(self, text: str, name: str = "overlay-text") -> QLabel:
        label = plain_label(text, name)
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.content.addWidget(label)
        return label

    def add_buttons(self, *buttons: tuple[str, int, str]) -> list[QPushButton]:
        """(text, result, object name) each; the first is the default (Enter)."""
        row = QWidget()
        row.setObjectName("overlay-buttons")

        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(24)
        layout.addStretch(1)
        made = []
        for text, result, name in buttons:
            button = QPushButton(text)
            button.setObjectName(name)
            button.setAccessibleName(text)
            button.clicked.connect(lambda _=False, r=result: self.done(r))
            layout.addWidget(button)
            made.append(button)
        layout.addStretch(1)
        self.content.addWidget(row)
        self.default_button = made[0] if made else None
        return made

    # -- showing ------------------------------------------------------------------------

    def _fit_margins(self) -> None:
        """A card at most CARD_WIDTH wide, centred; the crisis page fills the window but for a dimmed rim."""
        width = self.parentWidget().width()
        side = 24 if self.fill else max(32, (width - CARD_WIDTH) // 2)
        top = 24 if self.fill else 48
        self.outer.setContentsMargins(side, top, side, top)

    def open(self) -> None:
        window = self.parentWidget()
        self._fit_margins()
        self.setGeometry(window.rect())
        self.show()
        self.raise_()
        for marker in window.findChildren(QFrame, "staff-marker"):
            if not marker.isHidden():
                marker.raise_()  # staff still see their signal from across the room
        _block_page(window)
        if self.default_button is not None:
            self.default_button.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def done(self, result: int) -> None:
        if self.isHidden():
            return
        self.hide()
        _block_page(self.parentWidget())
        self.finished.emit(result)

    def is_open(self) -> bool:
        return not self.isHidden()

    # -- Qt ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, self.alpha))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Keys stay in the overlay: Enter presses the focused (or default) button, Escape only where allowed."""
        key = event.key()
        if key == Qt.Key.Key_Escape and self.escape_result is not None:
            self.done(self.escape_result)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = self.focusWidget()
            if isinstance(focused, QAbstractButton) and self.isAncestorOf(focused):
                focused.click()
            elif self.default_button is not None:
                self.default_button.click()
        event.accept()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        event.accept()  # a tap beside the card never reaches the page underneath

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._fit_margins()
            self.setGeometry(self.parentWidget().rect())
        return False


def open_overlays(window: QWidget) -> list[Overlay]:
    return [o for o in window.findChildren(Overlay, options=Qt.FindChildOption.FindDirectChildrenOnly) if o.is_open()]


def _block_page(window: QWidget) -> None:
    """The page and its bars take no input while an overlay is open (Tab cannot reach the answers underneath)."""
    central = getattr(window, "centralWidget", lambda: None)()
    if central is not None:
        central.setEnabled(not open_overlays(window))
