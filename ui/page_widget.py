"""One scrollable patient page: drag to scroll, and messages under questions only where the patient has looked.

Next on a page with missing answers scrolls to the first one so its question
text shows, and marks it; a question further down the patient has not
scrolled to yet gets no red message. A message goes as soon as the answer is
acceptable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QFrame, QLabel, QScrollArea, QStyledItemDelegate, QVBoxLayout, QWidget

from kiosk.patient.intake import Screen
from ui.touch import enable_drag_scroll

if TYPE_CHECKING:
    from ui.signature import SignaturePad

TOP_MARGIN = 24  # room above a question scrolled to, so it does not sit flush against the top bar


def _viewport() -> QWidget:
    """A viewport like the one QScrollArea makes, but made here: the first time Python is handed a widget Qt made,
    PySide6 sets up a type for every widget class to find its own (tens of milliseconds before the first screen)."""
    viewport = QWidget()
    viewport.setObjectName("qt_scrollarea_viewport")
    viewport.setBackgroundRole(QPalette.ColorRole.Base)
    viewport.setAutoFillBackground(True)
    return viewport


class PageWidget(QScrollArea):
    """A scrollable page; `problem_labels` hold a message under each question, `anchors` what Next scrolls to."""

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.screen = screen
        self.setViewport(_viewport())
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.inner = QWidget()
        self.body = QVBoxLayout(self.inner)
        self.body.setContentsMargins(32, 24, 32, 24)
        self.body.setSpacing(16)
        self.setWidget(self.inner)
        self.problem_labels: dict[str, QLabel] = {}
        self.anchors: dict[str, QWidget] = {}  # per problem key: the question text (or row) that must show
        self.deepest = 0  # the lowest point of the page that has been on screen
        self.signature: SignaturePad | None = None
        self.scroller = enable_drag_scroll(self)
        self.verticalScrollBar().valueChanged.connect(self._note_scrolled)

    def finish(self) -> None:
        self.body.addStretch(1)
        for combo in self.inner.findChildren(QComboBox):
            # a styled delegate lets the theme give each pop-up row a finger-sized height
            combo.setItemDelegate(QStyledItemDelegate(combo))

    def readable_text(self) -> str:
        """What read-aloud speaks: every visible label, in order."""
        return "\n".join(label.text() for label in self.inner.findChildren(QLabel)
                         if label.text() and label.isVisibleTo(self.inner))

    # -- problems ----------------------------------------------------------------------

    def show_problems(self, problems: dict[str, str]) -> None:
        """Scroll to the first problem's question text and mark it, and any other problem the patient has seen."""
        keys = [key for key in self.problem_labels if problems.get(key)]
        first = keys[0] if keys else None
        self.inner.layout().activate()
        if first is not None:
            self.scroll_to(first)
        seen = self.seen
        for key, label in self.problem_labels.items():
            message = problems.get(key, "") if key == first or key in seen else ""
            label.setText(message)
            label.setVisible(bool(message))

    def refresh_problems(self, problems: dict[str, str]) -> None:
        """After an answer changes: a shown message goes as soon as it no longer applies (none are added)."""
        for key, label in self.problem_labels.items():
            if label.isVisibleTo(self.inner):
                message = problems.get(key, "")
                label.setText(message)
                label.setVisible(bool(message))

    def any_problem_shown(self) -> bool:
        return any(label.isVisibleTo(self.inner) for label in self.problem_labels.values())

    # -- scrolling ---------------------------------------------------------------------

    def scroll_to(self, key: str) -> None:
        anchor = self.anchors.get(key) or self.problem_labels[key]
        self.scroller.stop()
        self.inner.layout().activate()
        top = anchor.mapTo(self.inner, QPoint(0, 0)).y()
        margin = TOP_MARGIN + self.covered_above(anchor)
        bar = self.verticalScrollBar()
        if not (bar.value() <= top - margin + TOP_MARGIN // 2
                and top + anchor.height() <= bar.value() + self.viewport().height()):
            bar.setValue(max(0, top - margin))

    def covered_above(self, anchor: QWidget) -> int:
        """How much of the viewport's top a pinned grid header covers when `anchor` (an item of that grid) is
        scrolled up to the top: the item's text must show below it."""
        widget: QWidget | None = anchor
        while widget is not None and widget is not self.inner:
            pinned_height = getattr(widget, "pinned_height", None)
            if callable(pinned_height):
                return int(pinned_height())
            widget = widget.parentWidget()
        return 0

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """A finger on the signature pad signs; anywhere else a drag scrolls the page."""
        if event.type() == QEvent.Type.ScrollPrepare and self._on_signature(event.startPos().toPoint()):
            event.ignore()
            return True
        return super().viewportEvent(event)

    def _on_signature(self, at: QPoint) -> bool:
        widget = self.viewport().childAt(at)
        return widget is not None and self.signature is not None and (widget is self.signature
                                                                       or self.signature.isAncestorOf(widget))

    def _note_scrolled(self, value: int) -> None:
        self.deepest = max(self.deepest, value + self.viewport().height())

    @property
    def seen(self) -> set[str]:
        """Questions whose whole question text has been on screen: the page starts at its top, so everything above
        the lowest point the patient has scrolled to."""
        self.deepest = max(self.deepest, self.verticalScrollBar().value() + self.viewport().height())
        return {key for key, anchor in self.anchors.items() if anchor.isVisibleTo(self.inner)
                and anchor.mapTo(self.inner, QPoint(0, 0)).y() + anchor.height() <= self.deepest}
