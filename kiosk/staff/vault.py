"""Setup, staff accounts, unlock with lockout, and recovery: who may open the install's master secret.

There is no default password: the first admin is made by `setup_install`.
Each account wraps the same master secret under its own passphrase, so every
action is attributable to one person (HIPAA unique user identification).
Wrong passphrases count across restarts, per account and install-wide
(kiosk/staff/lockout.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.storage.shared_connection import Db
from kiosk.system import crypto
from kiosk.system.clock import utc_now
from kiosk.staff import audit, audit_seal, epochs, lockout
from kiosk.staff.rights import Action, Role, require, role_of
from kiosk.staff.install_state import is_set_up as is_set_up  # its home; callers may ask the vault
from kiosk.system.crypto import (
    CryptoError,
    KdfParams,
    MasterKeys,
    derive_key,
    derive_key_while,
    recovery_key_bytes,
    recovery_key_text,
    recovery_wrap_key,
    unwrap,
    wrap,
)
from kiosk.storage.db import atomic

MIN_PASSPHRASE = 12
SYSTEM = lockout.SYSTEM


class SetupError(Exception):
    """Setup or an account change was refused; the message says why."""


class UnlockError(Exception):
    """Unlock refused: never says whether the name or the passphrase was wrong."""


@dataclass(frozen=True)
class Unlocked:
    actor: str
    role: Role
    keys: MasterKeys
    audit_findings: tuple[str, ...] = ()

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMINISTRATOR


def public_key(conn: Db) -> bytes | None:
    row = conn.execute("SELECT public_key FROM install WHERE id = 1").fetchone()
    return bytes(row[0]) if row else None


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise SetupError(f"A passphrase needs at least {MIN_PASSPHRASE} characters (a few words work well).")


def _account_aad(name: str) -> bytes:
    return f"staff:{name.casefold()}".encode("utf-8")


def _insert_account(conn: Db, keys: MasterKeys, name: str, passphrase: str, role: Role,
                    params: KdfParams | None = None) -> None:
    params = params or crypto.DEFAULT_KDF
    salt = os.urandom(16)
    pass_key = derive_key(passphrase, salt, params)
    conn.execute(
        "INSERT INTO staff (name, is_admin, role, created_at, kdf_salt, kdf_n, kdf_r, kdf_p, wrapped, epoch, public_key)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (name, int(role is Role.ADMINISTRATOR), role.value, utc_now().isoformat(), salt, params.n, params.r, params.p,
         wrap(pass_key, keys.master, _account_aad(name)), epochs.current_epoch(conn), epochs.staff_public_key(pass_key)),
    )


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > 80 or not cleaned.isprintable():
        raise SetupError("A staff name is 1 to 80 printable characters.")
    return cleaned


def setup_install(conn: Db, clinic: str, admin: str, passphrase: str) -> str:
    """Create the key material and the first admin; return the recovery key, to be shown once and written down."""
    admin = _clean_name(admin)
    check_passphrase(passphrase)
    if not clinic.strip():
        raise SetupError("Give the clinic's name; it is shown on the welcome screen and the PDF.")
    if is_set_up(conn):
        raise SetupError("This kiosk is already set up. Add staff from the console instead.")
    keys = MasterKeys.generate()
    recovery = secrets.token_bytes(32)
    with atomic(conn):
        conn.execute("INSERT INTO install (id, public_key, recovery_wrap, created_at) VALUES (1, ?, ?, ?)",
                     (keys.public_key, wrap(recovery_wrap_key(recovery), keys.master, b"recovery"), utc_now().isoformat()))
        epochs.start(conn, keys, recovery, utc_now().isoformat())
        _insert_account(conn, keys, admin, passphrase, Role.ADMINISTRATOR)
        conn.execute("INSERT INTO settings (key, value) VALUES ('clinic_name', ?)", (_json(clinic.strip()),))
        audit.append(conn, admin, "setup", detail={"clinic": clinic.strip()})
        audit_seal.seal(conn, keys.audit_key, check=False)
    return recovery_key_text(recovery)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def lockout_remaining(conn: Db, now: dt.datetime | None = None, name: str | None = None) -> int:
    """Seconds before the next try is allowed (0 when it is allowed now): for `name`, or for anyone when None."""
    return lockout.remaining(conn, now or utc_now(), _account_name(conn, name) if name else None)


def _account_name(conn: Db, name: str) -> str | None:
    row = conn.execute("SELECT name FROM staff WHERE lower(name) = lower(?)", (" ".join(name.split()),)).fetchone()
    return row[0] if row else None


def _refuse_if_locked(conn: Db, known_name: str | None, moment: dt.datetime) -> None:
    wait = lockout.refuse_if_locked(conn, known_name, moment)
    if wait:
        raise UnlockError(f"Too many wrong tries. Try again in {_duration(wait)}.")


def unlock(conn: Db, name: str, passphrase: str, now: dt.datetime | None = None,
           meanwhile: Callable[[], object] | None = None) -> Unlocked:
    """Open the master secret with one account's passphrase, or raise UnlockError with what staff can do.

    `meanwhile` runs on this thread while the key is derived on another (kiosk.staff.first_page); it runs for an
    unknown name too, so the time taken still does not reveal which names exist."""

    def during_kdf() -> None:
        crypto.load_ciphers()  # what opening the wrapped secret needs, imported now rather than after the KDF
        if meanwhile is not None:
            meanwhile()

    def slow_key(salt: bytes, params: KdfParams) -> bytes:
        if meanwhile is None:
            return derive_key(passphrase, salt, params)
        return derive_key_while(passphrase, salt, params, during_kdf)

    moment = now or utc_now()
    row = conn.execute("SELECT name, role, kdf_salt, kdf_n, kdf_r, kdf_p, wrapped, key_grant FROM staff WHERE lower(name) = lower(?)",
                       (" ".join(name.split()),)).fetchone()
    _refuse_if_locked(conn, row[0] if row is not None else None, moment)
    master = None
    if row is not None:
        key = slow_key(row[2], KdfParams(row[3], row[4], row[5]))
        try:
            master = unwrap(key, row[6], _account_aad(row[0]))
            if row[7] is not None:  # a key epoch began since this account last unlocked: take up its grant
                master = _take_grant(conn, row[0], key, row[7])
        except CryptoError:
            master = None
    else:
        slow_key(b"\0" * 16, crypto.DEFAULT_KDF)  # same cost either way: timing does not reveal names
    if master is None:
        known = row[0] if row is not None else None
        lockout.record_failure(conn, known, moment)
        wait = lockout.remaining(conn, moment, known)
        extra = f" Too many wrong tries: wait {_duration(wait)}." if wait else ""
        raise UnlockError("That name and passphrase do not match a staff account." + extra)
    if MasterKeys(master).public_key != public_key(conn):
        raise UnlockError("This account was left out when the keys were last changed (it predates key epochs and had "
                          "not signed in since). An administrator must remove it and add it again.")
    keys = epochs.with_previous(conn, master)
    with atomic(conn):
        conn.execute("UPDATE staff SET public_key = coalesce(public_key, ?) WHERE name = ?",
                     (epochs.staff_public_key(key), row[0]))
        lockout.record_success(conn, row[0])
        audit.append(conn, row[0], "unlock", at=moment)
        findings = audit_seal.seal(conn, keys.audit_key)
    return Unlocked(actor=row[0], role=Role(row[1]), keys=keys, audit_findings=tuple(findings))


def unlock_any(conn: Db, passphrase: str, now: dt.datetime | None = None) -> Unlocked:
    """For scripts that give only a passphrase: the account it opens; a miss counts towards the install-wide ceiling."""
    moment = now or utc_now()
    _refuse_if_locked(conn, None, moment)
    for (name,) in conn.execute("SELECT name FROM staff ORDER BY is_admin DESC, name").fetchall():
        row = conn.execute("SELECT kdf_salt, kdf_n, kdf_r, kdf_p, wrapped FROM staff WHERE name = ?", (name,)).fetchone()
        try:
            unwrap(derive_key(passphrase, row[0], KdfParams(row[1], row[2], row[3])), row[4], _account_aad(name))
        except CryptoError:
            continue
        return unlock(conn, name, passphrase, moment)
    lockout.record_failure(conn, None, moment)
    raise UnlockError("That passphrase does not open any staff account.")


def _take_grant(conn: Db, name: str, pass_key: bytes, grant: bytes) -> bytes:
    """Open the new epoch's master sealed to this account, and wrap it under the passphrase like any account's."""
    master = epochs.open_grant(pass_key, grant, name)
    with atomic(conn):
        conn.execute("UPDATE staff SET wrapped = ?, key_grant = NULL, epoch = ? WHERE name = ?",
                     (wrap(pass_key, master, _account_aad(name)), epochs.current_epoch(conn), name))
    return master


def rotate_keys(conn: Db, by: Unlocked, reason: str = "rotate") -> tuple[Unlocked, list[str]]:
    """Start a new key epoch; returns `by` holding the new keys, and the accounts that could not be given them."""
    require(by.role, Action.ACCOUNTS)
    with atomic(conn):
        keys, left_out = epochs.rotate(conn, by.keys, by.actor, reason, utc_now().isoformat())
    return Unlocked(by.actor, by.role, keys, by.audit_findings), left_out


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} seconds"
    minutes = (seconds + 59) // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def add_account(conn: Db, by: Unlocked, name: str, passphrase: str, role: Role | str = Role.CLINICIAN) -> None:
    require(by.role, Action.ACCOUNTS)
    role = role_of(role)
    name = _clean_name(name)
    check_passphrase(passphrase)
    with atomic(conn):
        if conn.execute("SELECT 1 FROM staff WHERE lower(name) = lower(?)", (name,)).fetchone():
            raise SetupError(f"There is already a staff account named {name!r}.")
        _insert_account(conn, by.keys, name, passphrase, role)
        audit.append(conn, by.actor, "account_add", name, {"role": role.value})


def remove_account(conn: Db, by: Unlocked, name: str) -> tuple[Unlocked, list[str]]:
    """Remove the account and start a new key epoch, so what is stored from now on is sealed to keys it never held.

    Returns `by` holding the new keys, and any account the new keys could not reach (see `rotate_keys`)."""
    require(by.role, Action.ACCOUNTS)
    with atomic(conn):
        row = conn.execute("SELECT name, is_admin FROM staff WHERE lower(name) = lower(?)", (" ".join(name.split()),)).fetchone()
        if row is None:
            raise SetupError(f"There is no staff account named {name!r}.")
        admins = conn.execute("SELECT count(*) FROM staff WHERE is_admin = 1").fetchone()[0]
        if row[1] and admins <= 1:
            raise SetupError("This is the last admin account; add another admin first.")
        conn.execute("DELETE FROM staff WHERE name = ?", (row[0],))
        lockout.clear(conn, row[0])
        audit.append(conn, by.actor, "account_remove", row[0])
        return rotate_keys(conn, by, reason=f"removed {row[0]}")


def recover(conn: Db, recovery_key: str, admin: str, new_passphrase: str) -> None:
    """With the recovery key printed at setup: give an admin account a new passphrase (or create it)."""
    admin = _clean_name(admin)
    check_passphrase(new_passphrase)
    row = conn.execute("SELECT recovery_wrap FROM install WHERE id = 1").fetchone()
    if row is None:
        raise SetupError("This kiosk is not set up yet; run setup instead.")
    try:
        raw = recovery_key_bytes(recovery_key)
        master = epochs.open_by_recovery(conn, raw)
        if master is None and epochs.current_epoch(conn) == 0:
            master = unwrap(recovery_wrap_key(raw), row[0], b"recovery")  # an install set up before key epochs
    except CryptoError as exc:
        raise SetupError("That recovery key does not open this kiosk's data.") from exc
    if master is None:
        raise SetupError("The keys were changed since this install's recovery key was made, and it cannot reach "
                         "the new ones: ask another administrator to set your passphrase.")
    keys = MasterKeys(master)
    with atomic(conn):
        conn.execute("DELETE FROM staff WHERE lower(name) = lower(?)", (admin,))
        _insert_account(conn, keys, admin, new_passphrase, Role.ADMINISTRATOR)
        lockout.clear(conn)
        audit.append(conn, admin, "recover", admin)
        audit_seal.seal(conn, keys.audit_key)
