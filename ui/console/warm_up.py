"""The console window's once-per-process costs, paid while a sign-in's key is derived.

The console runs in a process of its own, so each sign-in builds its window
for the first time: Qt loads the PDF module, polishes widgets under the
console's style sheet and lays out text in its fonts. scrypt runs on a worker
thread during sign-in (kiosk.staff.first_page), leaving this thread idle for
half a second; a scratch window of the same kinds of widget, never shown,
is built and drawn off screen then, so the real one opens sooner.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QTableView, QVBoxLayout, QWidget

from ui.console.common import button, console_style, label, line
from ui.console.queue_model import HEADERS

_warm = False


def warm_up() -> None:
    """Once per process; nothing here holds patient data, and a refused sign-in has only spent idle time."""
    global _warm
    if _warm:
        return
    _warm = True
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

    scratch = QWidget()
    scratch.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    scratch.setStyleSheet(console_style())
    layout = QVBoxLayout(scratch)
    table = QTableView()
    rows = QStandardItemModel(2, len(HEADERS), table)
    rows.setHorizontalHeaderLabels(list(HEADERS))
    table.setModel(rows)
    preview = QPdfView()
    preview.setDocument(QPdfDocument(preview))
    for widget in (label("Staff console"), line("Name", "Name"), button("Search", lambda: None), table, preview):
        layout.addWidget(widget)
    scratch.resize(1280, 800)
    scratch.grab()  # polish, lay out and paint once, into a pixmap
    scratch.deleteLater()
