"""A signature pad for finger, stylus or mouse, exported as a PNG for the clinician PDF."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen, QTabletEvent
from PySide6.QtWidgets import QWidget


class SignaturePad(QWidget):
    """Collects strokes; `png()` is None while the pad is empty, so an empty pad cannot pass as a signature."""

    def __init__(self, on_change: Callable[[bytes | None], None], accessible_name: str,
                 signed_png: bytes | None = None) -> None:
        super().__init__()
        self.on_change = on_change
        self.strokes: list[list[QPointF]] = []
        self.signed = QImage.fromData(signed_png) if signed_png else None
        self.setMinimumSize(300, 160)
        self.setAccessibleName(accessible_name)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def clear(self) -> None:
        self.strokes = []
        self.signed = None
        self.update()
        self.on_change(None)

    def is_empty(self) -> bool:
        return self.signed is None and not any(len(stroke) > 1 for stroke in self.strokes)

    def add_stroke(self, points: list[QPointF]) -> None:
        """Used by tests and by accessibility tools to draw without a pointer device."""
        self.strokes.append(list(points))
        self._changed()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        self.strokes.append([event.position()])

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.strokes:
            self.strokes[-1].append(event.position())
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._changed()

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self.strokes.append([event.position()])
        elif kind == QTabletEvent.Type.TabletMove and self.strokes:
            self.strokes[-1].append(event.position())
            self.update()
        elif kind == QTabletEvent.Type.TabletRelease:
            self._changed()
        event.accept()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setPen(QPen(QColor("#9AA4AF"), 2, Qt.PenStyle.DashLine))
        painter.drawRect(self.rect().adjusted(1, 1, -2, -2))
        self._draw(painter)

    def png(self) -> bytes | None:
        if self.is_empty():
            return None
        image = QImage(self.size(), QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        self._draw(painter)
        painter.end()
        return png_bytes(image)

    def _draw(self, painter: QPainter) -> None:
        if self.signed is not None:
            painter.drawImage(0, 0, self.signed)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#000000"), 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        for stroke in self.strokes:
            if len(stroke) > 1:
                path = QPainterPath(stroke[0])
                for point in stroke[1:]:
                    path.lineTo(point)
                painter.drawPath(path)

    def _changed(self) -> None:
        self.update()
        self.on_change(self.png())


def png_bytes(image: QImage) -> bytes:
    """A signature image as PNG bytes in memory (never a file: it is patient data)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())
