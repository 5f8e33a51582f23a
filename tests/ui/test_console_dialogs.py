"""First-run setup, unlock, settings, accounts and audit dialogs, driven as staff would."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QSpinBox

from fake_staff import START, FakeGate, FakeStaffData, make_submission
from kiosk.console.controller import StaffConsole
from kiosk.content import Content
from ui.console.accounts import AccountsDialog
from ui.console.audit import AuditDialog
from ui.console.export import ExportDialog
from ui.console.settings_dialog import SettingsDialog
from ui.console.setup import WARNING, SetupDialog
from ui.console.unlock import UnlockDialog

GOOD = "correct horse battery"


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def shown(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def console(data: FakeStaffData) -> StaffConsole:
    return StaffConsole(data.content, data, lambda: "C", lambda pdf, sid: (True, ""))


def test_setup_refuses_weak_input_then_shows_the_recovery_key_once(qtbot, content: Content) -> None:
    gate = FakeGate(content)
    dialog = shown(qtbot, SetupDialog(gate.setup))
    assert WARNING in [w.text() for w in dialog.findChildren(type(dialog.problems))]
    assert "cannot be read" in WARNING or "never be read" in WARNING
    click(qtbot, dialog.create_button)
    assert "clinic" in dialog.problems.text() and "at least 12" in dialog.problems.text()
    qtbot.keyClicks(dialog.clinic, "North Clinic")
    qtbot.keyClicks(dialog.admin, "Dana")
    qtbot.keyClicks(dialog.passphrase, GOOD)
    qtbot.keyClicks(dialog.again, GOOD + "x")
    click(qtbot, dialog.create_button)
    assert dialog.problems.text() == "The two passphrases are not the same."
    assert gate.needs_setup()
    dialog.again.setText(GOOD)
    click(qtbot, dialog.create_button)
    assert not gate.needs_setup() and gate.accounts["Dana"] == (GOOD, True)
    assert dialog.key_field.text() == "ABCD-EFGH-IJKL-MNOP-QRST" and dialog.passphrase.text() == ""
    assert not dialog.finish_button.isEnabled()
    dialog.reject()  # Escape on the key page does not close it: the key must be confirmed
    assert dialog.isVisible()
    dialog.confirm.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        click(qtbot, dialog.finish_button)
    assert dialog.key_field.text() == "", "the key is not left in a widget"


def test_unlock_never_says_which_was_wrong_and_shows_the_lockout(qtbot, content: Content) -> None:
    gate = FakeGate(content, accounts={"Dana": (GOOD, True)})
    opened = []

    def attempt(name: str, passphrase: str) -> str | None:
        try:
            opened.append(gate.unlock(name, passphrase))
        except Exception as exc:  # noqa: BLE001
            return str(exc)
        return None

    dialog = shown(qtbot, UnlockDialog(attempt))
    messages = []
    for name, passphrase in (("Dana", "wrong passphrase"), ("Nobody", GOOD)):
        dialog.name.setText(name)
        qtbot.keyClicks(dialog.passphrase, passphrase)
        click(qtbot, dialog.unlock_button)
        messages.append(dialog.message.text())
        assert dialog.passphrase.text() == ""
    assert messages[0] == messages[1], "a wrong name and a wrong passphrase read the same"
    for _ in range(3):
        qtbot.keyClicks(dialog.passphrase, "still wrong")
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert gate.failures == 5, "Return submits once per press"
    dialog.name.setText("Dana")
    qtbot.keyClicks(dialog.passphrase, GOOD)
    click(qtbot, dialog.unlock_button)
    assert "Try again in" in dialog.message.text() and not opened
    gate.failures = 0
    qtbot.keyClicks(dialog.passphrase, GOOD)
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        click(qtbot, dialog.unlock_button)
    assert opened[0].actor == "Dana"


def test_settings_are_saved_through_the_data_layer_and_audited(qtbot, content: Content) -> None:
    data = FakeStaffData(content, [])
    dialog = shown(qtbot, SettingsDialog(console(data)))
    dialog.widgets["clinic_name"].setText("Riverside Clinic")
    dialog.widgets["console_idle_timeout_s"].setValue(600)
    dialog.widgets["auto_print"].setChecked(False)
    dialog.widgets["languages"].boxes["es"].setChecked(False)
    click(qtbot, dialog.save_button)
    saved = data.settings()
    assert (saved.clinic_name, saved.console_idle_timeout_s, saved.auto_print, saved.languages) == \
        ("Riverside Clinic", 600, False, ("en",))
    assert dialog.message.text().startswith("Saved: ")
    assert data.audit[-1].action == "setting_change"
    dialog.widgets["languages"].boxes["en"].setChecked(False)
    click(qtbot, dialog.save_button)
    assert "at least one" in dialog.message.text() and data.settings().languages == ("en",)
    assert isinstance(dialog.widgets["retention_days"], QSpinBox)
    assert isinstance(dialog.widgets["touch_only"], QCheckBox)


def test_saving_one_setting_leaves_every_other_setting_as_it_was(qtbot, content: Content) -> None:
    """Each setting shows its stored value, so saving another one does not rewrite it (staff_alert=marker
    used to come back as sound)."""
    from kiosk.settings import STAFF_ALERTS, Settings

    for alert in STAFF_ALERTS:
        current = Settings(clinic_name="North", idle_timeout_s=600, idle_warning_s=45, console_idle_timeout_s=900,
                           keep_abandoned=False, auto_print=False, printer="desk", languages=("es",),
                           retention_days=30, staff_alert=alert, touch_only=True)
        data = FakeStaffData(content, [], settings=current)
        dialog = shown(qtbot, SettingsDialog(console(data)))
        dialog.widgets["clinic_name"].setText("South")
        click(qtbot, dialog.save_button)
        assert data.settings() == current.updated(clinic_name="South"), alert
        dialog.close()
    from kiosk.settings import SPECS

    assert set(dialog.widgets) == {spec.name for spec in SPECS if spec.in_console}, "the form is the declarations"


def test_settings_refused_for_non_admin(qtbot, content: Content) -> None:
    data = FakeStaffData(content, [], actor="Lee", is_admin=False)
    dialog = shown(qtbot, SettingsDialog(console(data)))
    dialog.widgets["clinic_name"].setText("Elsewhere")
    click(qtbot, dialog.save_button)
    assert dialog.message.text() == "Not saved: Changing settings needs an administrator (this account's role: clinician)."
    assert data.settings().clinic_name != "Elsewhere"


def test_accounts_add_each_with_own_passphrase_and_remove(qtbot, content: Content) -> None:
    data = FakeStaffData(content, [])
    dialog = shown(qtbot, AccountsDialog(console(data)))
    assert dialog.table.rowCount() == 1
    qtbot.keyClicks(dialog.name, "Lee")
    qtbot.keyClicks(dialog.passphrase, "short")
    qtbot.keyClicks(dialog.again, "short")
    click(qtbot, dialog.add_button)
    assert "at least 12" in dialog.message.text() and "Lee" not in data.account_list
    dialog.passphrase.setText("lee has a long passphrase")
    dialog.again.setText("lee has a long passphrase")
    click(qtbot, dialog.add_button)
    assert data.account_list["Lee"] == ("lee has a long passphrase", False)
    assert [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())] == ["Dana", "Lee"]
    click(qtbot, dialog.remove_button)
    assert dialog.message.text() == "Select the account to remove first."
    dialog.table.selectRow(0)
    click(qtbot, dialog.remove_button)
    click(qtbot, dialog.remove_button)
    assert dialog.message.text().startswith("Not removed: You cannot remove your own account")
    dialog.table.selectRow(1)
    click(qtbot, dialog.remove_button)
    assert dialog.message.text().startswith("Remove Lee?") and "Lee" in data.account_list
    dialog.table.selectRow(0)
    dialog.table.selectRow(1)
    click(qtbot, dialog.remove_button)
    assert "Lee" in data.account_list, "changing the selection cancels a pending removal"
    click(qtbot, dialog.remove_button)
    assert "Lee" not in data.account_list and dialog.table.rowCount() == 1


def test_audit_dialog_shows_the_chain_check_and_exports(qtbot, content: Content, tmp_path: Path) -> None:
    data = FakeStaffData(content, [])
    data.record("unlock")
    data.record("view", "abc")
    dialog = shown(qtbot, AuditDialog(console(data)))
    assert dialog.check.text() == "Audit log intact"
    assert [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())] == ["view", "unlock"]
    click(qtbot, dialog.export_button)
    assert dialog.message.text() == "Enter the full path of the file to write."
    dialog.path.setText(str(tmp_path / "missing" / "audit.jsonl"))
    click(qtbot, dialog.export_button)
    assert "does not exist" in dialog.message.text()
    dialog.path.setText(str(tmp_path / "audit.jsonl"))
    click(qtbot, dialog.export_button)
    lines = (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0]) == {"check": "intact"} and len(lines) == 3
    data.tampered.append("entry 1 was changed after it was written")
    tampered = shown(qtbot, AuditDialog(console(data)))
    assert tampered.check.text() == "Audit log problems:\nentry 1 was changed after it was written"


def test_export_dialog_checks_the_form_then_writes_the_chosen_format(qtbot, content: Content, tmp_path: Path) -> None:
    data = FakeStaffData(content, [make_submission(content, "Rosa Diaz", "1980-02-03", START)])
    dialog = shown(qtbot, ExportDialog(console(data)))
    qtbot.keyClicks(dialog.since, "yesterday")
    click(qtbot, dialog.export_button)
    assert dialog.message.text() == ("From: 'yesterday' is not a date; use YYYY-MM-DD, e.g. 2026-11-24.\n"
                                     "File: choose where to save it (Choose file...).")
    dialog.since.clear()
    dialog.path.setText(str(tmp_path / "no-such-folder" / "out.json"))
    click(qtbot, dialog.export_button)
    assert dialog.message.text().startswith("Export failed: The folder") and "does not exist" in dialog.message.text()
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    dialog.path.setText(str(tmp_path / "out.csv"))
    click(qtbot, dialog.export_button)
    assert dialog.message.text() == f"Exported 1 submission(s) to {tmp_path / 'out.csv'}"
    assert "Rosa Diaz" in (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert data.audit[-1].action == "export" and data.audit[-1].detail["format"] == "csv"


def test_an_unlock_dialog_left_alone_closes_itself(qtbot) -> None:
    dialog = shown(qtbot, UnlockDialog(lambda name, passphrase: "no", idle_close_s=1))
    assert dialog.idle.interval() == 1000
    qtbot.keyClicks(dialog.name, "D")
    assert dialog.idle.isActive(), "typing keeps it open"
    with qtbot.waitSignal(dialog.rejected, timeout=5000):
        pass
    assert not dialog.isVisible()
