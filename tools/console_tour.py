"""Screenshots of every staff console screen in a real X window under Xvfb (no window manager), with training data.

Usage: python tools/console_tour.py OUT_DIR [--size 1280x800] [--count 200]
Starts itself under xvfb-run when there is no display. Prints one GEOMETRY line
per full-screen window (window and screen), which tests compare.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSPHRASE = "tour passphrase 2026"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    if not os.environ.get("KIOSK_UNDER_XVFB"):
        if not shutil.which("xvfb-run"):
            print("xvfb-run is missing: run `make system-deps` as root", file=sys.stderr)
            return 2
        env = dict(os.environ, KIOSK_UNDER_XVFB="1")
        env.pop("DISPLAY", None)
        return subprocess.call(["xvfb-run", "-a", "-s", f"-screen 0 {args.size}x24", sys.executable, *sys.argv], env=env)
    os.environ.pop("QT_QPA_PLATFORM", None)
    os.environ["KIOSK_STAFF_PASSPHRASE"] = PASSPHRASE
    data = Path(tempfile.mkdtemp(prefix="kiosk-tour-"))
    try:
        return tour(args.out, data, args.count)
    finally:
        shutil.rmtree(data, ignore_errors=True)


def tour(out: Path, data: Path, count: int) -> int:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from kiosk.cli import main as cli
    from kiosk.console.factory import console_factory
    from kiosk.console.forms import query_from_form  # noqa: F401 - the console's own search path is used below
    from kiosk.services import open_kiosk_services
    from kiosk.staff.gate import DatabaseGate
    from ui.console.common import fill_screen
    from ui.console.setup import SetupDialog
    from ui.console.unlock import UnlockDialog
    from ui.console.window import ConsoleWindow
    from ui.console_app import SignInCover

    app = QApplication([])
    out.mkdir(parents=True, exist_ok=True)

    def settle(ms: int = 400) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def shot(name: str) -> None:
        settle()
        app.primaryScreen().grabWindow(0).save(str(out / f"{name}.png"))
        print(f"wrote {out / name}.png")

    def geometry(name: str, widget) -> None:
        g, s = widget.geometry(), app.primaryScreen().geometry()
        print(f"GEOMETRY {name} {g.width()}x{g.height()}+{g.x()}+{g.y()} screen {s.width()}x{s.height()}+{s.x()}+{s.y()}")

    # First run: the setup screen, filled in as a clinic would.
    fresh = open_kiosk_services(data / "fresh")
    setup = SetupDialog(DatabaseGate(fresh.conn, fresh.content, fresh.data_dir).setup)
    fill_screen(setup)
    setup.clinic.setText("Riverside Recovery Clinic")
    setup.admin.setText("Ann Lee")
    setup.passphrase.setText(PASSPHRASE)
    setup.again.setText("not the same")
    setup.create()
    geometry("setup", setup)
    shot("01-first-run-setup")
    setup.done(0)
    fresh.close()

    folder = data / "clinic"
    assert cli(["setup", "--data-dir", str(folder), "--clinic", "Riverside Recovery Clinic", "--admin", "Ann Lee"]) == 0
    assert cli(["demo-data", "--data-dir", str(folder), "--count", str(count), "--days", "80"]) == 0
    services = open_kiosk_services(folder)
    gate = DatabaseGate(services.conn, services.content, services.data_dir)
    returning = store_return_visits(services)

    cover = SignInCover("Riverside Recovery Clinic")
    fill_screen(cover)
    unlock = UnlockDialog(lambda name, phrase: "Too many wrong tries. Try again in 4 minutes. The console stays "
                          "locked for everyone until then.", cover)
    unlock.open()
    unlock.name.setText("Ann Lee")
    unlock.try_unlock()
    shot("02-sign-in-with-message")
    unlock.done(0)

    window = ConsoleWindow(console_factory(services.content, services.outbox_dir)(gate.unlock("Ann Lee", PASSPHRASE)))
    fill_screen(window)
    cover.hide()
    settle(800)
    geometry("console", window)
    window.table.selectRow(0)
    settle(1200)
    shot("03-queue-and-preview")

    window.review_current()
    shot("04-confirm-review")
    if window.confirm is not None:
        window.confirm.button(QMessageBox.StandardButton.Yes).click()
    shot("05-reviewed-with-undo")

    window.name_field.setText("Lope")
    window.search()
    shot("06-search-name-prefix")
    window.dob_field.setText("13/45/1980")
    window.search()
    shot("07-search-rejected")
    window.clear_search()

    for name, opener in (("08-export", window.open_export), ("09-settings", window.open_settings),
                         ("10-audit-log", window.open_audit), ("11-staff-accounts", window.open_accounts),
                         ("12-system-check", window.open_system_check), ("13-clinic", window.open_clinic)):
        opener()
        settle(600)
        shot(name)
        if window.dialog is not None:
            window.dialog.close()

    # A returning patient's person view: the suggested match and the timeline.
    window.name_field.setText("Rosa Delgado")
    window.search()
    window.table.selectRow(next(r for r in range(window.model.rowCount()) if window.model.row_at(r).id == returning))
    settle(800)
    window.open_person()
    settle(800)
    shot("14-person-timeline")
    window.lock()
    services.close()
    return 0


def store_return_visits(services) -> str:
    """One (fictional, not training) patient's intake and four monthly follow-ups, stored as the kiosk stores
    them, with a PHQ-9 that improves; returns the last visit's id. The earlier visits are spelled differently
    (accents, case): the match ignores both."""
    import datetime as dt

    from kiosk.demo.generate import DemoPatients
    from kiosk.patient.pipeline import finalize
    from kiosk.storage.submissions import new_submission_id

    phq9_codes = ["not_at_all", "several_days", "more_than_half", "nearly_every_day"]
    visits = [("intake", "Rosa Delgado", 19, None, 2), ("follow-up", "ROSA DELGADO", 16, 8, 2),
              ("follow-up", "Rosa Delgado", 12, 6, 1), ("follow-up", "rosa delgado", 11, 5, 1),
              ("follow-up", "Rosa Delgado", 6, 3, 0)]
    first = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(days=28 * (len(visits) - 1))
    last = ""
    for number, (visit, name, phq9, cravings, drinks) in enumerate(visits):
        content = services.visit_contents()[visit]
        when = first + dt.timedelta(days=28 * number)
        submission = DemoPatients(content, seed=number + 1, days=1, now=when).submission()
        identity = content.manifest.identity
        submission.answers.update({identity.name: name, identity.dob: "1979-06-14"})
        left = phq9
        for item in range(1, 10):
            submission.answers[f"phq9_{item}"] = phq9_codes[min(3, left) if item < 9 else 0]
            left -= min(3, left) if item < 9 else 0
        submission.answers["audit_c_1"] = ["never", "monthly_or_less", "two_to_four_a_month"][drinks]
        submission.answers.update({"audit_c_2": "one_or_two", "audit_c_3": "never"})
        if cravings is not None:
            submission.answers["cravings"] = cravings
        submission.source, submission.status, submission.visit = "kiosk", "new", visit
        submission.id = new_submission_id()  # the generator's ids repeat those demo-data gave its rows
        assert services.store.save(finalize(content, submission, now=when))
        last = submission.id
    return last


if __name__ == "__main__":
    sys.exit(main())
