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
        render = controller.delivery.render
        render.listen(self.ready.emit)
        # Before this object is gone, and never while the waiting thread is emitting: a signal sent from that thread
        # to a deleted object logged "Signal source has been deleted" when a window closed with a PDF still drawing.
        self.destroyed.connect(lambda: render.listen(None))

    @Slot()
    def settle(self) -> None:
        self.controller.settle_printing()
