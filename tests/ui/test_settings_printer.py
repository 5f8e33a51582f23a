"""The printer is chosen from the queues CUPS has, and "Print test page" reaches the chosen one (real cups-pdf)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from cups_queue import CupsQueue, create_queue, remove_queue
from fake_staff import FakeStaffData
from kiosk.console.controller import StaffConsole
from kiosk.content import Content
from kiosk.settings import Settings
from ui.console.settings_dialog import SettingsDialog


@pytest.fixture(scope="module")
def queue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CupsQueue]:
    made = create_queue(tmp_path_factory.mktemp("settings-pdf"), "kiosk-settings-test")
    yield made
    remove_queue(made)


def test_the_printer_list_is_cups_and_the_test_page_prints_there(qtbot, content: Content, queue: CupsQueue) -> None:
    data = FakeStaffData(content, [], settings=Settings(printer="gone-printer"))
    dialog = SettingsDialog(StaffConsole(content, data, lambda: "North", lambda pdf, sid: (True, "")))
    qtbot.addWidget(dialog)
    dialog.show()
    box = dialog.printer_box
    offered = [box.itemData(i) for i in range(box.count())]
    assert offered[0] == "" and queue.name in offered, offered
    assert box.currentData() == "gone-printer" and "not found" in box.currentText()

    box.setCurrentIndex(box.findData(queue.name))
    dialog.test_button.click()
    assert dialog.message.text().startswith(f"Sent to {queue.name}"), dialog.message.text()
    page = queue.wait_for(dialog.message.text())
    assert "Test page" in PdfReader(str(page)).pages[0].extract_text()
    dialog.save_button.click()
    assert data.settings().printer == queue.name
