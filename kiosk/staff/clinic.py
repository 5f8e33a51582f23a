"""One clinic, several stations: the clinic's key pair, accounts and epochs live in the shared database.

The first `setup --database URL` makes the clinic there (`vault.setup_install`
on the shared connection). Each later station joins it: an administrator
proves the clinic's secret (their passphrase, or the recovery key), and the
station copies only what a kiosk needs to seal for the clinic (the public key,
the recovery key's wrap and public half, the key epochs' public parts) and the
clinic's settings into its own SQLite file. No account, passphrase wrap or
private key is copied: staff sign in against the shared database, so a
submission sealed on any station opens on every console.
"""

from __future__ import annotations

import socket
from typing import Any

from kiosk.staff import audit, epochs, vault
from kiosk.staff.rights import Action, NotAllowed, require
from kiosk.storage.db import atomic
from kiosk.storage.shared_connection import Db, SharedConnection
from kiosk.system.crypto import CryptoError, MasterKeys, recovery_key_bytes, recovery_wrap_key, unwrap

RECOVERY_ACTOR = "recovery key"
# Settings that belong to one machine, never copied from the clinic's.
LOCAL_SETTINGS = frozenset({"database_url"})


class JoinRefused(Exception):
    """The secret given does not open the clinic's keys, or its account may not add a station."""


class NotThisClinic(Exception):
    """This data folder is already set up as a clinic of its own."""


def prove_with_recovery(shared: Db, recovery_key: str) -> str:
    """The recovery key opens the clinic's current keys: returns who joined (for the audit)."""
    try:
        raw = recovery_key_bytes(recovery_key)
        master = epochs.open_by_recovery(shared, raw)
        if master is None and epochs.current_epoch(shared) == 0:
            row = shared.execute("SELECT recovery_wrap FROM install WHERE id = 1").fetchone()
            master = unwrap(recovery_wrap_key(raw), bytes(row[0]), b"recovery")
    except (CryptoError, ValueError) as exc:
        raise JoinRefused("That recovery key does not open this clinic's keys; nothing was changed.") from exc
    if master is None or MasterKeys(master).public_key != vault.public_key(shared):
        raise JoinRefused("That recovery key no longer reaches the clinic's current keys (they were changed since); "
                          "join with an administrator's passphrase.")
    return RECOVERY_ACTOR


def prove_with_passphrase(shared: Db, name: str | None, passphrase: str) -> str:
    """An administrator's passphrase opens the clinic's keys (counted by the lock-out like any sign-in)."""
    try:
        unlocked = vault.unlock(shared, name, passphrase) if name else vault.unlock_any(shared, passphrase)
    except vault.UnlockError as exc:
        raise JoinRefused(f"{exc} Nothing was changed.") from exc
    try:
        require(unlocked.role, Action.ACCOUNTS)
    except NotAllowed as refused:
        audit.append(shared, unlocked.actor, "refused", "", {"action": "station_join", "role": unlocked.role.value})
        raise JoinRefused(f"{refused}: adding a station to the clinic needs an administrator's secret. "
                          "Nothing was changed.") from refused
    return unlocked.actor


def joined_already(local: Db, shared: Db) -> bool:
    """True when this folder already seals for this clinic; NotThisClinic when it is a clinic of its own."""
    own = vault.public_key(local)
    if own is None:
        return False
    known = {bytes(r[0]) for r in shared.execute("SELECT public_key FROM key_epochs").fetchall()}
    if own in known or own == vault.public_key(shared):
        return True
    raise NotThisClinic("This data folder is already set up as a clinic of its own; a station joins the shared "
                        "clinic from a new data folder (its submissions stay here, sealed to its own keys).")


def adopt(local: Db, shared: Db, actor: str, url: str) -> None:
    """Make this folder a station of the shared clinic: its public keys and settings, in one local transaction."""
    install = shared.execute("SELECT public_key, recovery_wrap, created_at, recovery_public FROM install "
                             "WHERE id = 1").fetchone()
    rows = shared.execute("SELECT epoch, public_key, previous_wrap, recovery_sealed, created_at, reason "
                          "FROM key_epochs ORDER BY epoch").fetchall()
    settings = [(k, v) for k, v in shared.execute("SELECT key, value FROM settings").fetchall()
                if k not in LOCAL_SETTINGS]
    with atomic(local):
        local.execute("DELETE FROM key_epochs")
        local.execute("INSERT INTO install (id, public_key, recovery_wrap, created_at, recovery_public) "
                      "VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET public_key = excluded.public_key",
                      tuple(install))
        local.executemany("INSERT INTO key_epochs (epoch, public_key, previous_wrap, recovery_sealed, created_at, "
                          "reason) VALUES (?, ?, ?, ?, ?, ?)", rows)
        _write_settings(local, [*settings, ("database_url", _json(url))])
        audit.append(local, actor, "station_join", "", {"host": socket.gethostname()})


def refresh(local: Db, shared: Db) -> bool:
    """A station takes up the clinic's newest public key and settings (after a key epoch or a settings change in a
    console); returns whether anything changed. The station's own settings stay."""
    public = vault.public_key(shared)
    if public is None or vault.public_key(local) is None:
        return False
    settings = [(k, v) for k, v in shared.execute("SELECT key, value FROM settings").fetchall()
                if k not in LOCAL_SETTINGS]
    ours = dict(local.execute("SELECT key, value FROM settings").fetchall())
    changed = [(k, v) for k, v in settings if ours.get(k) != v]
    if public == vault.public_key(local) and not changed:
        return False
    with atomic(local):
        local.execute("UPDATE install SET public_key = ? WHERE id = 1", (public,))
        _write_settings(local, changed)
    return True


def take_up(local: Db, url: str, connect_timeout: int = 3) -> bool:
    """A station that joined the shared clinic takes up its newest public key (a key epoch started at a console)
    and settings; False when nothing changed, the server is away, or this folder is not one of its stations."""
    import psycopg

    try:
        return take_up_from(local, url, connect_timeout)
    except (psycopg.Error, RuntimeError, NotThisClinic):
        return False


def take_up_from(local: Db, url: str, connect_timeout: int = 3) -> bool:
    """`take_up` that lets a server it cannot reach raise (psycopg.Error, RuntimeError) and NotThisClinic, for
    `sync`, which must say why."""
    from kiosk.storage.shared_connection import open_shared

    with open_shared(url, connect_timeout=connect_timeout) as shared:
        return joined_already(local, shared) and refresh(local, shared)


def _write_settings(local: Db, items: list[Any]) -> None:
    local.executemany("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                      "SET value = excluded.value", items)


def _json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def record_join(shared: SharedConnection, actor: str) -> None:
    """The clinic's own log says who added a station; a station-only login may not write it (then only the
    station's log does)."""
    import psycopg

    try:
        audit.append(shared, actor, "station_join", "", {"host": socket.gethostname()})
    except psycopg.errors.InsufficientPrivilege:
        pass
