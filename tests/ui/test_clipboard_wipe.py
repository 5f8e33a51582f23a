"""Between patients nothing travels through the clipboard: it is wiped, and kiosk text fields offer no menu."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

from kiosk.patient.intake import WELCOME
from kiosk_fixtures import kiosk, make_kiosk  # noqa: F401 (pytest fixtures)
from test_kiosk_behaviour import CANARY, name_field, reach_identity_page


def test_the_idle_wipe_empties_the_clipboard_and_selection(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    reach_identity_page(qtbot, window, controller)
    field = name_field(window, controller)
    qtbot.keyClicks(field, CANARY)
    field.selectAll()
    field.copy()
    clipboard = QApplication.clipboard()
    assert clipboard.text() == CANARY, "the patient's copy reached the clipboard"
    if clipboard.supportsSelection():
        clipboard.setText(CANARY, QClipboard.Mode.Selection)
    for _ in range(5):
        window.idle.tick()
    assert controller.session.position == WELCOME
    assert clipboard.text() == ""
    if clipboard.supportsSelection():
        assert clipboard.text(QClipboard.Mode.Selection) == ""
    reach_identity_page(qtbot, window, controller)
    next_field = name_field(window, controller)
    next_field.paste()
    assert next_field.text() == "", "the next patient cannot paste the last one's text"


def test_finishing_at_thank_you_also_wipes_the_clipboard(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    QApplication.clipboard().setText(CANARY)
    controller.finish()
    assert QApplication.clipboard().text() == ""


def test_text_fields_have_no_context_menu_in_kiosk_mode_only(qtbot, make_kiosk) -> None:
    window, controller, _ = make_kiosk(kiosk_mode=True)
    reach_identity_page(qtbot, window, controller)
    fields = [w for w in window.page.findChildren(QLineEdit) + window.page.findChildren(QPlainTextEdit)]
    assert fields
    assert all(f.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu for f in fields)
    staff_window, staff_controller, _ = make_kiosk(kiosk_mode=False)
    reach_identity_page(qtbot, staff_window, staff_controller)
    assert name_field(staff_window, staff_controller).contextMenuPolicy() != Qt.ContextMenuPolicy.NoContextMenu
