"""A signature typed with the keyboard, for patients who cannot draw one (keyboard-only, switch users, tremor).

The typed name is drawn into the same kind of PNG the signature pad makes, so the
clinician PDF and the store see one kind of signature whichever way it was given.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter

from ui.signature import png_bytes


def typed_signature_png(name: str, width: int = 600, height: int = 160) -> bytes | None:
    """The typed name in a large italic hand on white; None for an empty or blank name."""
    name = " ".join(name.split())
    if not name:
        return None
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    font = QFont("DejaVu Serif")
    font.setItalic(True)
    font.setPixelSize(56)
    while font.pixelSize() > 16 and _text_width(font, name) > width - 32:
        font.setPixelSize(font.pixelSize() - 4)
    painter.setFont(font)
    painter.setPen(QColor("#000000"))
    painter.drawText(QRect(16, 0, width - 32, height), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name)
    painter.end()
    return png_bytes(image)


def _text_width(font: QFont, text: str) -> int:
    return QFontMetrics(font).horizontalAdvance(text)
