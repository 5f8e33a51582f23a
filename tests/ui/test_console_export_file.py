"""Export goes to a file chosen in a save dialog, and replacing an existing file is asked first."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from fake_staff import START, FakeStaffData, make_submission
from kiosk.console.controller import StaffConsole
from kiosk.content import Content
from ui.console.export import ExportDialog


def test_the_file_comes_from_a_save_dialog_and_an_existing_one_is_replaced_only_when_confirmed(
        qtbot, content: Content, tmp_path: Path) -> None:
    data = FakeStaffData(content, [make_submission(content, "Rosa Diaz", "1980-02-03", START)])
    dialog = ExportDialog(StaffConsole(content, data, lambda: "North", lambda pdf, sid: (True, "")))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.path.isReadOnly()
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    dialog.choose_button.click()
    chooser = dialog.file_dialog
    assert chooser is not None and chooser.isVisible() and chooser.defaultSuffix() == "csv"
    target = tmp_path / "intake.csv"
    target.write_text("yesterday's export", encoding="utf-8")
    chooser.selectFile(str(target))
    chooser.accept()
    assert dialog.path.text() == str(target)

    dialog.export_button.click()
    assert dialog.confirm is not None and str(target) in dialog.confirm.text()
    dialog.confirm.button(QMessageBox.StandardButton.Cancel).click()
    assert target.read_text(encoding="utf-8") == "yesterday's export"
    assert dialog.message.text() == "Nothing exported; the file was left as it was."

    dialog.export_button.click()
    dialog.confirm.button(QMessageBox.StandardButton.Yes).click()
    assert "Rosa Diaz" in target.read_text(encoding="utf-8")
    assert dialog.message.text() == f"Exported 1 submission(s) to {target}"
