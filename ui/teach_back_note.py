"""The note under a teach-back question: right or not quite, in words and an icon, in space kept from the start.

Both possible notes are laid out from the start, one on top of the other, and
hidden with their size kept: choosing an answer shows one, and nothing below
it moves while the patient aims at the next option.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QWidget

from kiosk.rules.teach_back import TeachBackFeedback
from ui.controls import plain_label


class _Note(QFrame):
    def __init__(self, right: bool) -> None:
        super().__init__()
        self.setObjectName("tb-right" if right else "tb-not-quite")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.icon = plain_label("✓" if right else "i", "tb-icon", wrap=False)
        self.icon.setFixedSize(36, 36)
        self.icon.setAccessibleName("")
        layout.addWidget(self.icon)
        self.text = plain_label("")
        layout.addWidget(self.text, 1)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.hide()


class TeachBackNote(QWidget):
    """`show_feedback(None)` leaves the reserved space empty."""

    def __init__(self, right_text: str, not_quite_text: str) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.right = _Note(True)
        self.not_quite = _Note(False)
        self.right.text.setText(right_text)
        self.not_quite.text.setText(not_quite_text)
        grid.addWidget(self.right, 0, 0)
        grid.addWidget(self.not_quite, 0, 0)

    def show_feedback(self, feedback: TeachBackFeedback | None) -> None:
        self.right.setVisible(feedback is not None and feedback.right)
        self.not_quite.setVisible(feedback is not None and not feedback.right)
        if feedback is not None:
            (self.right if feedback.right else self.not_quite).text.setText(feedback.text)

    def shown_text(self) -> str:
        for note in (self.right, self.not_quite):
            if note.isVisibleTo(self):
                return note.text.text()
        return ""
