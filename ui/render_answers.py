"""The render processes answer on a waiting thread; the kiosk records their answers on the Qt thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.patient.intake import IntakeController


class RenderAnswers(QObject):
    """`ready` is emitted from the waiting thread; Qt queues `settle` to this object's (the window's) thread,
    where the controller records the print or keeps the PDF in the outbox."""

    ready = Signal()

    def __init__(self, controller: IntakeController, parent: QObject) -> None:
        super().__init__(parent)
        self.controller = controller
        self.ready.connect(self.settle)
        controller.delivery.render.notify = self.ready.emit

    @Slot()
    def settle(self) -> None:
        self.controller.settle_printing()
