"""The composition root: builds the core services, the controller and the window, then runs Qt.

Everything is wired here and only here (as in Mu's `app.py`): the controller
gets the content, the store and the clock; the window gets the controller.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from kiosk.content import Content, ContentInvalid, load_visits
from kiosk.system.datadir import DataDirError, prepare_data_dir
from kiosk.patient.intake import IntakeController
from kiosk.system.paths import content_dir, program_command
from kiosk.system.health import IntegrityCheck
from kiosk.services import KioskServices, open_kiosk_database
from kiosk.settings import Settings
from kiosk.staff.settings_store import load_settings
from kiosk.storage.db import StorageError
from kiosk.storage.instance_lock import AlreadyRunning, InstanceLock
from kiosk.storage.sqlite_submissions import SubmissionStore

log = logging.getLogger(__name__)


def _fail(message: str) -> int:
    print(f"naltrexone-kiosk: {message}", file=sys.stderr)
    return 2


def _has_display() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform or sys.platform != "linux":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run(args: argparse.Namespace) -> int:
    """Start the kiosk; exit 2 with a plain message when content, data folder or display are not usable."""
    from kiosk.system.hardening import forbid_core_dumps

    forbid_core_dumps()  # no core file, no same-user reading of this process's memory (patient answers)
    # Nearly every object a start makes (modules, classes, content, widgets) lives as long as the kiosk: the
    # collector's passes over them before the first screen free nothing. It runs again once that screen is up.
    gc.disable()
    try:
        return _run(args)
    finally:
        gc.enable()


def _run(args: argparse.Namespace) -> int:
    try:
        data_dir = prepare_data_dir(args.data_dir)
    except DataDirError as exc:
        return _fail(str(exc))
    lock = InstanceLock(data_dir)
    try:
        lock.acquire()  # held until this process ends: one patient-facing kiosk per data folder
    except (AlreadyRunning, OSError) as exc:
        return _fail(str(exc) if isinstance(exc, AlreadyRunning) else f"cannot lock {lock.path} ({exc.strerror})")
    try:
        return _run_locked(args, data_dir, lock)
    finally:
        lock.release()


def _run_locked(args: argparse.Namespace, data_dir: Path, lock: InstanceLock) -> int:
    try:
        # the compiled copy in the data folder spares a daily start the YAML parse and validation
        from kiosk.rules.estimate import promised_minutes

        visits = load_visits(args.content or content_dir(), cache_dir=data_dir / "cache", prepare=promised_minutes)
        content = visits["intake"]
    except ContentInvalid as invalid:
        return _fail("the content files have errors; the kiosk will not start with a half-built form:\n"
                     + "\n".join(f"  {e}" for e in invalid.errors))
    if not _has_display():
        return _fail("no display found (DISPLAY/WAYLAND_DISPLAY are not set). Start it inside a desktop "
                     "session, or set QT_QPA_PLATFORM=offscreen for a headless check.")
    integrity: IntegrityCheck | None = None
    conn: sqlite3.Connection | None = None
    try:
        conn, integrity = open_kiosk_database(data_dir, check_now=False)  # a large file: after the first paint
        settings = _verdict_on_error(integrity, lambda: load_settings(conn))
        problem = ""
    except StorageError as exc:
        conn, problem, settings = _close(conn), str(exc), Settings()
    configure_input_method(settings, os.environ)
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("naltrexone-kiosk")
    if conn is not None:
        services = KioskServices(content=content, data_dir=data_dir, conn=conn, store=SubmissionStore(conn),
                                 lock=lock, visits=visits)
        try:
            window = _verdict_on_error(integrity, lambda: build_kiosk(
                services, kiosk_mode=not args.windowed, smoke=args.smoke, integrity=integrity))
        except StorageError as exc:
            conn, problem = _close(conn), str(exc)
    if conn is None:
        from ui.out_of_service import OutOfServiceWindow

        log.error("database not usable; showing out-of-service")
        print(f"naltrexone-kiosk: {problem}", file=sys.stderr)
        return _show_and_run(app, OutOfServiceWindow(content, problem, settings.clinic_name), args)
    try:
        if window is None:
            return _fail("first-run setup was not finished: the kiosk takes no answers until a staff account exists. "
                         "Start it again to finish setup, or run `naltrexone-kiosk setup`.")
        if integrity is not None:
            from ui.start_chores import replace_if_damaged

            replace_if_damaged(integrity, window, lambda message: _out_of_service(app, content, message, settings, args))
        code = _show_and_run(app, window, args)
        # a PDF still being drawn or printed is recorded before the database closes (bounded: it is "new" either way)
        window.controller.settle_printing(wait_s=SETTLE_PRINTING_S)
        if integrity is not None and args.smoke:
            from ui.start_chores import report_damage

            report_damage(integrity.result())  # a smoke start still says whether the file is safe
        return code
    finally:
        conn.close()


def _verdict_on_error(integrity: IntegrityCheck | None, read):
    """A read that fails before the background check has spoken waits for it: damage becomes out-of-service."""
    try:
        return read()
    except sqlite3.Error:
        health = integrity.result() if integrity is not None else None
        if health is not None and not health.ok:
            raise StorageError(health.staff_message) from None
        raise


def _close(conn: sqlite3.Connection | None) -> None:
    if conn is not None:
        conn.close()


def _out_of_service(app, content: Content, message: str, settings: Settings, args: argparse.Namespace):
    from ui.out_of_service import OutOfServiceWindow

    window = OutOfServiceWindow(content, message, settings.clinic_name)
    if args.windowed:
        window.resize(1280, 800)
        window.show()
    else:
        show_kiosk(window, app)
    return window


def build_kiosk(services: KioskServices, kiosk_mode: bool, smoke: bool = False,
                integrity: IntegrityCheck | None = None):
    """First-run setup, start-up chores, then the patient window with its staff console: the whole kiosk, wired once.

    Returns None when setup was needed and not finished (no answers may be taken
    before the install has a key pair). `--smoke` paints even then.
    """
    from ui.module_sources import keep_no_module_sources

    keep_no_module_sources()  # before the window's modules load: PySide would keep each one's source text
    from ui.console_process import attach_console_process, console_command, run_setup_process
    from ui.start_chores import purge_after_first_paint

    # the staff console, and first-run setup, run in a process of their own: this one never holds a staff
    # secret or a private key (`--smoke` only paints the setup form here and closes it; it makes no keys)
    command = console_command(services.data_dir, services.content.folder, windowed=not kiosk_mode)
    if not services.is_set_up() and not smoke and run_setup_process(command) != -1:
        if not services.is_set_up():
            return None
    elif not services.is_set_up():  # the staff gate and console widgets load only for this, never on a daily start
        gc.enable()  # a form staff fill in at leisure, not a start racing to its first screen
        from kiosk.staff.gate import DatabaseGate
        from ui.console.flow import first_run_setup

        gate = DatabaseGate(services.conn, services.content, services.data_dir)
        if not first_run_setup(gate, smoke=smoke, full_screen=kiosk_mode) and not smoke:
            return None  # (in this process only when the setup process could not even start)
    recovered = services.start_up()
    if recovered:
        log.info("start-up: %d interrupted session(s) kept for staff", recovered)
    controller = services.intake_controller()
    window = build_window(controller, services.settings, kiosk_mode=kiosk_mode, program=program_command())
    flow = attach_console_process(window, controller.abandon, command, lambda: _show_again(window, kiosk_mode))
    flow.closed.connect(lambda: window.apply_settings(_settings_after_console(services)))
    purge_after_first_paint(services, window, integrity)
    window.first_paint.connect(_warn_if_spool_keeps_jobs)  # a word for staff in the log: the screen need not wait
    from kiosk.storage.database_url import forwards

    # several stations: sealed submissions are copied to the shared database in the background (None: one machine,
    # which never loads the forwarder)
    window.forwarder = None
    database_url = services.settings().database_url
    if forwards(database_url):
        from kiosk.storage.forwarder import start_forwarding

        window.forwarder = start_forwarding(services.data_dir, database_url)
    if window.forwarder is not None:
        send_alerts_to_consoles(window, services.conn, window.forwarder.wake)
    return window


def _warn_if_spool_keeps_jobs() -> None:
    from kiosk.printing.cups_config import warn_if_spool_keeps_jobs

    warn_if_spool_keeps_jobs(log)


def _settings_after_console(services: KioskServices) -> Settings:
    """After staff locked: on a station of a shared clinic, what they changed at the console (kept in the shared
    database) and a new key epoch apply to this kiosk at once."""
    services.take_up_clinic_changes()
    return services.settings()


def send_alerts_to_consoles(window, conn: sqlite3.Connection, wake: Callable[[], None]) -> None:
    """With a shared database, each staff alert of this kiosk (help, urgent, answers not saved) also goes to every
    unlocked console: into this station's outbox, and the forwarder is woken to send it now."""
    from kiosk.storage.alerts import ALERT_KINDS, raise_alert

    def raised(kind: str) -> None:
        if kind not in ALERT_KINDS:
            return
        try:
            raise_alert(conn, kind, window.controller.session.id)
        except Exception:  # noqa: BLE001 - the kiosk's own signal has gone off already; the patient goes on
            log.exception("the %s alert could not be queued for the consoles", kind)
            return
        wake()

    window.staff_alert.connect(raised)


def _show_again(window, kiosk_mode: bool) -> None:
    from PySide6.QtWidgets import QApplication

    if kiosk_mode:
        show_kiosk(window, QApplication.instance())
    else:
        window.show()


INPUT_DEVICES = Path("/proc/bus/input/devices")
_INPUT_PROP_DIRECT = 0x2  # the device draws on the screen it is part of (a touch screen, not a touchpad)
_ABS_MT_POSITION_X = 0x35


def touch_screen_present(devices: Path = INPUT_DEVICES) -> bool:
    """Whether the kernel reports a multi-touch screen (the devices Qt's xcb, Wayland and libinput back ends see as
    touch screens). Read before Qt starts, since the input method must be chosen before QApplication exists."""
    try:
        text = devices.read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    for block in text.split("\n\n"):
        bits = dict(line[3:].split("=", 1) for line in block.splitlines() if line.startswith("B: ") and "=" in line)
        try:
            prop = int(bits.get("PROP", "0").split()[-1], 16)
            absolute = int("".join(word.zfill(16) for word in bits.get("ABS", "0").split()), 16)
        except ValueError:
            continue
        if prop & _INPUT_PROP_DIRECT and absolute >> _ABS_MT_POSITION_X & 1:
            return True
    return False


def configure_input_method(settings: Settings, environ: dict[str, str] | os._Environ[str],
                           touch_screen: Callable[[], bool] = touch_screen_present) -> None:
    """Text fields get Qt Virtual Keyboard on a touch screen (found by itself) or where staff ticked touch-only;
    it must be chosen before QApplication exists.

    An input method the machine already chose (QT_IM_MODULE set by the OS or staff) is left alone.
    """
    if "QT_IM_MODULE" in environ:
        return
    if settings.touch_only or touch_screen():
        environ["QT_IM_MODULE"] = "qtvirtualkeyboard"


def collect_after_first_paint(window) -> None:
    """The garbage collector, held off while the kiosk starts (see `run`), resumes once `window` has painted."""
    from ui.start_chores import after_first_paint

    after_first_paint(window, gc.enable)


def _show_and_run(app, window, args: argparse.Namespace) -> int:
    collect_after_first_paint(window)
    if args.smoke:
        from PySide6.QtCore import QTimer

        def painted() -> None:
            from ui.start_clock import since_process_start_ms

            print(f"first screen painted {since_process_start_ms():.0f} ms after the start", flush=True)
            app.exit(0)  # exit(), not quit(): quit() asks the windows first, and a kiosk window refuses to close

        QTimer.singleShot(0, lambda: QTimer.singleShot(0, painted))
    if args.windowed:
        window.resize(1280, 800)
        window.show()
    else:
        show_kiosk(window, app)
    return int(app.exec())


def show_kiosk(window, app) -> None:
    """Full screen on the primary screen, also where no window manager honours the full-screen request."""
    window.setGeometry(app.primaryScreen().geometry())
    window.showFullScreen()


SETTLE_PRINTING_S = 15  # at exit, how long a render process in flight may still take
SPEECH_AFTER_MS = 1000  # read aloud is opened once the first screen is up


def build_window(controller: IntakeController, settings: Settings | Callable[[], Settings], kiosk_mode: bool = True,
                 program: list[str] | None = None):
    """The window wired to its controller; shared by `run` and the tests.

    `settings` is read once here for what the screens are built with; what applies later is read through
    the controller (keeping abandoned sessions, printing) or handed over by `KioskWindow.apply_settings`.
    """
    from ui.idle import IdleWatcher
    from ui.window import KioskWindow

    settings = settings() if callable(settings) else settings
    window = KioskWindow(controller, settings, kiosk_mode=kiosk_mode)
    controller.attach(window)
    from ui.render_answers import RenderAnswers

    window.render_answers = RenderAnswers(controller, window)

    window.idle = IdleWatcher(window, settings.idle_timeout_s, settings.idle_warning_s, controller.in_progress,
                              lambda key: controller.content.text(key, controller.language), window.wipe,
                              listen_now=False)
    window.first_paint.connect(window.idle.listen)  # see IdleWatcher.listen
    if program is None:
        from ui.speech import make_speech

        window.set_speech(make_speech(settings.speech_engine))
    else:  # the kiosk: the engine runs in a process of its own, started once the first screen is up
        from PySide6.QtCore import QTimer

        engine = settings.speech_engine

        def speech_later() -> None:
            from ui.speech_process import make_speech_later

            window.speech_process = make_speech_later(engine, window.set_speech, window, program)

        QTimer.singleShot(SPEECH_AFTER_MS, window, speech_later)
    return window




