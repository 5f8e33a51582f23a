"""`doctor`: the checks a clinic's IT person runs on a kiosk, each a tick or a cross with what to do.

Qt-free and read-only: the database is opened read-only and nothing needs the
staff secret, so it can run before the first patient or from a support call.
`System` says where the machine's facts are read (files under /proc, /sys,
/etc and a few commands); tests point it at a prepared machine.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kiosk.system.health import check_database
from kiosk.printing.cups_config import CUPSD_CONF, FIX as CUPS_FIX, job_files_kept

DB_NAME = "kiosk.db"
BACKUP_MAX_AGE = dt.timedelta(days=7)
MIN_FREE = 1024**3
MIN_SCREEN = (1024, 768)
CLOCK_SLACK = dt.timedelta(minutes=5)
INPUT_PROP_DIRECT = 1  # a touch screen, as opposed to a touch pad
ABS_MT_POSITION_X = 0x35


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = "\N{CHECK MARK}" if self.ok else "\N{BALLOT X}"
        return f"{mark} {self.name}: {self.detail}" + ("" if self.ok or not self.fix else f"\n    Fix: {self.fix}")


def _run(args: list[str]) -> tuple[int, str]:
    """(exit code, output) of a command; 127 when it is not installed, 124 when it hangs."""
    if shutil.which(args[0]) is None:
        return 127, f"{args[0]} not found"
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=15, check=False)
    except subprocess.TimeoutExpired:
        return 124, f"{args[0]} did not answer within 15 s"
    return done.returncode, (done.stdout + done.stderr).strip()


@dataclass
class System:
    """Where the facts come from: the real machine unless a test says otherwise."""

    proc_input: Path = Path("/proc/bus/input/devices")
    drm: Path = Path("/sys/class/drm")
    cupsd_conf: Path = CUPSD_CONF
    run: Callable[[list[str]], tuple[int, str]] = _run
    now: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.timezone.utc))
    platform: str = sys.platform


@dataclass(frozen=True)
class KioskFacts:
    """What the doctor reads from the data folder (None when the database cannot be read)."""

    printer: str = ""
    touch_only: bool = False
    languages: tuple[str, ...] = ("en",)
    last_backup: dt.datetime | None = None
    last_audit: dt.datetime | None = None
    database_url: str = ""
    public_key: bytes | None = None  # what this machine seals to


def read_facts(db: Path, languages: Iterable[str]) -> KioskFacts | None:
    from kiosk.staff.settings_store import load_settings

    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            settings = load_settings(conn)
            backup = conn.execute("SELECT max(at) FROM audit WHERE action = 'backup'").fetchone()[0]
            newest = conn.execute("SELECT max(at) FROM audit").fetchone()[0]
            sealing = conn.execute("SELECT public_key FROM install WHERE id = 1").fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, ValueError):
        return None
    offered = tuple(lang for lang in settings.languages if lang in set(languages)) or tuple(languages)
    return KioskFacts(settings.printer, settings.touch_only, offered,
                      dt.datetime.fromisoformat(backup) if backup else None,
                      dt.datetime.fromisoformat(newest) if newest else None, settings.database_url,
                      bytes(sealing[0]) if sealing else None)


# -- the checks ------------------------------------------------------------------


def data_folder(folder: Path) -> Check:
    name = "Data folder"
    if not folder.is_dir():
        return Check(name, False, f"{folder} does not exist", f"Run naltrexone-kiosk setup --data-dir {folder}.")
    problems = []
    info = folder.stat()
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        problems.append(f"{folder} belongs to user id {info.st_uid}, not to the kiosk's user")
    if os.name == "posix" and info.st_mode & 0o077:
        problems.append(f"{folder} is open to other users (mode {info.st_mode & 0o777:o})")
    for item in sorted(folder.glob(DB_NAME + "*")):
        if os.name == "posix" and item.stat().st_mode & 0o077:
            problems.append(f"{item.name} is readable by other users (mode {item.stat().st_mode & 0o777:o})")
    if problems:
        return Check(name, False, "; ".join(problems),
                     f"As the kiosk's user: chmod 700 {folder}; chmod 600 {folder / DB_NAME}*")
    return Check(name, True, f"{folder} is private to the kiosk's user")


def database(folder: Path, facts: KioskFacts | None) -> Check:
    name = "Database"
    db = folder / DB_NAME
    if not db.exists():
        return Check(name, False, f"no database in {folder}", f"Run naltrexone-kiosk setup --data-dir {folder}.")
    health = check_database(db)
    if not health.ok:
        return Check(name, False, health.staff_message, "Keep the file as it is and restore the latest backup.")
    if facts is None:
        return Check(name, False, f"{db} passes its integrity check but its settings cannot be read",
                     "Start the kiosk once so it brings the database up to date.")
    return Check(name, True, f"{db} passes SQLite's integrity check")


def backup_age(facts: KioskFacts | None, now: dt.datetime) -> Check:
    name = "Last backup"
    fix = "Run naltrexone-kiosk backup --out FILE at least weekly (daily is better), to a place as protected as the kiosk."
    if facts is None or facts.last_backup is None:
        return Check(name, False, "no backup has been made from this kiosk", fix)
    age = now - facts.last_backup
    when = facts.last_backup.astimezone().strftime("%Y-%m-%d %H:%M")
    if age > BACKUP_MAX_AGE:
        return Check(name, False, f"{age.days} days ago ({when})", fix)
    return Check(name, True, f"{when} ({age.days} day(s) ago)")


def printer(facts: KioskFacts | None, system: System) -> Check:
    name = "Printer"
    queue = facts.printer if facts else ""
    if not queue:
        code, out = system.run(["lpstat", "-d"])
        found = re.search(r"destination:\s*(\S+)", out)
        if code != 0 or not found:
            return Check(name, False, "no printer is chosen and CUPS has no default printer"
                         if code != 127 else "CUPS is not installed (lpstat not found)",
                         "Add the printer in CUPS (lpadmin) and choose it in the console's settings.")
        queue = found.group(1)
    code, out = system.run(["lpstat", "-p", queue])
    if code != 0 or queue not in out:
        return Check(name, False, f"the printer '{queue}' does not exist in CUPS ({out.splitlines()[0] if out else code})",
                     "Choose an existing printer in the console's settings, or add it with lpadmin.")
    if "disabled" in out:
        return Check(name, False, f"'{queue}' is paused (disabled)", f"Run cupsenable {queue}.")
    code, out = system.run(["lpstat", "-a", queue])
    if code != 0 or "not accepting" in out or "accepting" not in out:
        return Check(name, False, f"'{queue}' does not accept jobs", f"Run cupsaccept {queue}.")
    return Check(name, True, f"'{queue}' exists and accepts jobs")


def cups_job_files(system: System) -> Check:
    name = "Print spool"
    kept = job_files_kept(system.cupsd_conf)
    if kept.keeps is None:
        return Check(name, False, kept.detail, CUPS_FIX)
    return Check(name, not kept.keeps, kept.detail, CUPS_FIX)


def voices(facts: KioskFacts | None, system: System) -> Check:
    """Read aloud goes through speech-dispatcher; each language the kiosk offers needs a voice there."""
    name = "Read-aloud voices"
    languages = facts.languages if facts else ("en",)
    code, out = system.run(["spd-say", "-L"])
    if code != 0:
        return Check(name, False, f"speech-dispatcher does not list voices ({out.splitlines()[-1] if out else code})",
                     "Install speech-dispatcher, speech-dispatcher-espeak-ng and espeak-ng.")
    # Columns NAME LANGUAGE VARIANT; a name may hold spaces, so the language is the second word from the right.
    found = {line.split()[-2].split("-")[0].lower() for line in out.splitlines()[1:] if len(line.split()) >= 3}
    missing = [lang for lang in languages if lang.lower() not in found]
    if missing:
        return Check(name, False, f"no voice for {', '.join(missing)}", "Install espeak-ng (it has voices for most languages).")
    return Check(name, True, f"voices for {', '.join(languages)}")


def touch_screen(facts: KioskFacts | None, system: System) -> Check:
    name = "Touch screen"
    try:
        text = system.proc_input.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    screens = []
    for block in text.split("\n\n"):
        bits = dict(re.findall(r"^B: (\w+)=(.*)$", block, re.MULTILINE))
        device = re.search(r'^N: Name="(.*)"$', block, re.MULTILINE)
        if _has_bit(bits.get("PROP", ""), INPUT_PROP_DIRECT) and _has_bit(bits.get("ABS", ""), ABS_MT_POSITION_X):
            screens.append(device.group(1) if device else "touch screen")
    if screens:
        return Check(name, True, ", ".join(screens))
    if facts is not None and facts.touch_only:
        return Check(name, False, "none found, but the kiosk is set to touch only",
                     "Connect the touch screen (USB/HDMI), or turn 'touch only' off in the settings.")
    return Check(name, True, "none found; patients use mouse and keyboard ('touch only' is off)")


def _has_bit(mask: str, bit: int) -> bool:
    """Bit `bit` of a /proc/bus/input bitmap: hexadecimal words, most significant first."""
    words = mask.split()
    width = 64 if any(len(w) > 8 for w in words) else 32
    index = len(words) - 1 - bit // width
    return 0 <= index < len(words) and bool(int(words[index], 16) >> (bit % width) & 1)


def screen_size(system: System) -> Check:
    name = "Screen"
    sizes = []
    for status in sorted(system.drm.glob("card*-*/status")):
        if status.read_text().strip() == "connected":
            modes = (status.parent / "modes").read_text().split()
            if modes:
                sizes.append(tuple(int(n) for n in re.findall(r"\d+", modes[0])[:2]))
    if not sizes and os.environ.get("DISPLAY"):
        code, out = system.run(["xrandr", "--current"])
        sizes += [(int(w), int(h)) for w, h in re.findall(r" connected.*? (\d+)x(\d+)\+", out)] if code == 0 else []
    if not sizes:
        return Check(name, False, "no connected screen found", "Connect the screen and check its cable.")
    width, height = max(sizes)
    if width < MIN_SCREEN[0] or height < MIN_SCREEN[1]:
        return Check(name, False, f"{width}x{height} is smaller than {MIN_SCREEN[0]}x{MIN_SCREEN[1]}",
                     "Use a larger screen or a higher resolution; smaller screens cut answers off.")
    return Check(name, True, f"{width}x{height}")


def disk_encryption(folder: Path, system: System) -> Check:
    name = "Disk encryption"
    if system.platform == "win32":
        drive = str(folder.resolve().drive or "C:")
        code, out = system.run(["manage-bde", "-status", drive])
        if code == 0 and re.search(r"Protection Status:\s*Protection On", out):
            return Check(name, True, f"BitLocker protects {drive}")
        return Check(name, False, f"BitLocker is not on for {drive}", "Turn on BitLocker for the drive (Control Panel).")
    fix = "Install the kiosk on a LUKS-encrypted disk (full-disk encryption is the clinic's duty; see README)."
    code, source = system.run(["findmnt", "-n", "-o", "SOURCE", "--target", str(folder)])
    if code != 0 or not source.startswith("/dev/"):
        return Check(name, False, f"the disk under {folder} cannot be identified ({source or code}); encryption unknown", fix)
    code, types = system.run(["lsblk", "-n", "-s", "-o", "TYPE", source.split("[")[0]])
    if code == 0 and "crypt" in types.split():
        return Check(name, True, f"{source} is on a LUKS (dm-crypt) volume")
    return Check(name, False, f"{source} is not on an encrypted volume", fix)


def clock(facts: KioskFacts | None, system: System) -> Check:
    name = "Clock and time zone"
    now = system.now()
    zone = now.astimezone().tzname()
    shown = f"{now.astimezone().strftime('%Y-%m-%d %H:%M')} {zone}"
    if facts is not None and facts.last_audit is not None and facts.last_audit - now > CLOCK_SLACK:
        return Check(name, False, f"{shown} is behind the last recorded event ({facts.last_audit.astimezone():%Y-%m-%d %H:%M})",
                     "Set the clock (timedatectl set-ntp true) before patients use the kiosk; dates on summaries depend on it.")
    code, synced = system.run(["timedatectl", "show", "-p", "NTPSynchronized", "--value"])
    if code == 0 and synced.strip() == "no":
        return Check(name, False, f"{shown}, not synchronised with network time", "Run timedatectl set-ntp true.")
    return Check(name, True, shown + (", synchronised" if code == 0 else ""))


def free_disk(folder: Path) -> Check:
    name = "Free disk"
    target = folder if folder.exists() else folder.parent
    free = shutil.disk_usage(target).free
    text = f"{free / 1024**3:.1f} GiB free under {target}"
    if free < MIN_FREE:
        return Check(name, False, text, "Free at least 1 GiB (old backups, logs) so answers can always be saved.")
    return Check(name, True, text)


def shared_database(facts: KioskFacts | None) -> Check | None:
    """With a shared database configured: can it be reached, and does this machine seal for the clinic there
    (its newest key)? Read-only: a plain connection, no migration. None on a machine alone."""
    from kiosk.storage.forwarder import BadDatabaseUrl, connection_problem, describe, resolve_database_url

    name = "Shared database"
    try:
        url = resolve_database_url(None, facts.database_url if facts else "")
    except BadDatabaseUrl as bad:
        return Check(name, False, str(bad), "Set a postgresql:// URL (setup --database URL).")
    if url is None:
        return None
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3, autocommit=True) as conn:
            install = conn.execute("SELECT public_key FROM install WHERE id = 1").fetchone()
            epochs = {bytes(r[0]) for r in conn.execute("SELECT public_key FROM key_epochs")}
    except psycopg.Error as exc:
        return Check(name, False, f"the shared {describe(url)} cannot be reached: {connection_problem(url, exc)}",
                     "Check the network, the server and this machine's login (~/.pgpass); submissions are kept "
                     "here and forwarded when it is back.")
    own = facts.public_key if facts else None
    if install is None:
        return Check(name, False, f"the shared {describe(url)} holds no clinic yet",
                     "Run naltrexone-kiosk setup --database URL on the first station.")
    if own == bytes(install[0]):
        return Check(name, True, f"reached the shared {describe(url)}; this machine seals for its clinic")
    if own in epochs:
        return Check(name, False, "this machine still seals to an earlier key of the clinic (keys were changed at "
                     "a console)", "Run naltrexone-kiosk sync on this machine.")
    return Check(name, False, "this machine seals to keys of its own, not the shared clinic's",
                 "Join the clinic from a new data folder: naltrexone-kiosk setup --data-dir NEW --database URL.")


def run_checks(folder: Path, languages: Iterable[str], system: System | None = None) -> list[Check]:
    system = system or System()
    facts = read_facts(folder / DB_NAME, languages) if (folder / DB_NAME).exists() else None
    return [data_folder(folder), database(folder, facts), backup_age(facts, system.now()), printer(facts, system),
            cups_job_files(system), voices(facts, system), touch_screen(facts, system), screen_size(system),
            disk_encryption(folder, system), clock(facts, system), free_disk(folder),
            *[c for c in (shared_database(facts),) if c is not None]]


def as_json(checks: list[Check]) -> dict:
    return {"ok": all(c.ok for c in checks), "checks": [asdict(c) for c in checks]}
