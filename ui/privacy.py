"""What one patient leaves in the machine's shared places, wiped before the next: the clipboard and X selection.

Text fields in kiosk mode also get no context menu (Copy, Paste, Select All),
so nothing invites a patient to move text through the clipboard at all.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit, QWidget

TEXT_FIELDS = (QLineEdit, QPlainTextEdit, QTextEdit)


def wipe_clipboard() -> None:
    """Empty the clipboard, and the X11 primary selection (text merely highlighted) where the platform has one."""
    clipboard = QGuiApplication.clipboard()
    if clipboard is None:
        return
    clipboard.clear(QClipboard.Mode.Clipboard)
    if clipboard.supportsSelection():
        clipboard.clear(QClipboard.Mode.Selection)


def without_context_menus(root: QWidget) -> None:
    """Every text field under `root` (and `root` itself, if it is one) loses its right-click / long-press menu."""
    fields = [root] if isinstance(root, TEXT_FIELDS) else []
    for field in fields + root.findChildren(QWidget):
        if isinstance(field, TEXT_FIELDS):
            field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
