"""Printing through Qt's print support, for kiosks without `lp` (Windows): each PDF page is drawn by QtPdf.

Same interface as kiosk.printing.cups.CupsPrinter: PDF bytes in, (ok, message)
out. The PDF is read from memory (QBuffer), never from a temp file, and the
job's name is the short title the caller gives (never the patient's name).
Linux kiosks keep `lp` on standard input, which needs no Qt in the patient path.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

DPI = 300


class QtPrinter:
    """One printer by name (empty: the system default), printed through QPrinter."""

    def __init__(self, queue: str = "") -> None:
        self.queue = queue

    @property
    def label(self) -> str:
        return self.queue or "the default printer"

    def print_pdf(self, pdf: bytes, title: str) -> tuple[bool, str]:
        info = QPrinterInfo.printerInfo(self.queue) if self.queue else QPrinterInfo.defaultPrinter()
        if info.isNull():
            return False, f"Not printed: no printer called {self.label} is installed."
        data = QByteArray(pdf)
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document = QPdfDocument()
        document.load(buffer)
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
            return False, "Not printed: the PDF could not be read."
        printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        printer.setFullPage(True)
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        painter = QPainter()
        if not painter.begin(printer):
            return False, f"Not printed: {self.label} did not accept the job."
        try:
            for number in range(document.pageCount()):
                if number:
                    printer.newPage()
                target = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
                points = document.pagePointSize(number)
                size = QSize(int(points.width() / 72 * DPI), int(points.height() / 72 * DPI))
                image = document.render(number, size)
                painter.drawImage(target, image, QRectF(image.rect()))
        finally:
            painter.end()
            document.close()
            buffer.close()
        return True, f"Sent to {self.label} ({document.pageCount()} page(s))"


def platform_printer(queue: str):
    """`lp` on standard input where CUPS's client is the norm (Linux), Qt's print support elsewhere (Windows)."""
    if sys.platform.startswith("linux"):
        from kiosk.printing.cups import CupsPrinter

        return CupsPrinter(queue)
    return QtPrinter(queue)


__all__ = ["QtPrinter", "platform_printer"]
