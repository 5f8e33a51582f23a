"""Key epochs: removing a staff account (or `account rotate`) gives later submissions a key it never held.

Each epoch has its own master secret and so its own X25519 key pair; the
kiosk seals to the newest public key. A new epoch's master reaches the
accounts that remain without their passphrases: each account has a key pair
derived from its passphrase key (public half stored), and the new master is
sealed to it as a grant, taken up at the account's next unlock. The recovery
key has a key pair too. Each epoch's master wraps the one before it, so the
accounts that remain still open everything older; an account removed (and
anyone with an old backup and its passphrase) holds only the old masters.

Notes, queue headers and search tokens are re-encrypted under the new epoch's
keys at once; sealed payloads stay as they are and open with the old epoch's
private key, which only current masters unwrap.
"""

from __future__ import annotations

import secrets

from kiosk.storage.shared_connection import Db, submission_store
from kiosk.system import crypto
from kiosk.system.crypto import CryptoError, MasterKeys, derive, private_from, public_bytes, seal, unwrap, wrap
from kiosk.report.clinic_stats import rekey_days
from kiosk.staff import audit, audit_seal, index
from kiosk.storage.db import atomic

STAFF_KEY = b"staff x25519"
RECOVERY_KEY = b"recovery x25519"


def staff_public_key(pass_key: bytes) -> bytes:
    return public_bytes(private_from(pass_key, STAFF_KEY))


def grant_aad(name: str) -> bytes:
    return f"grant:{name.casefold()}".encode("utf-8")


def _previous_aad(epoch: int) -> bytes:
    return f"epoch:{epoch}".encode("ascii")


def current_epoch(conn: Db) -> int:
    row = conn.execute("SELECT max(epoch) FROM key_epochs").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def start(conn: Db, keys: MasterKeys, recovery_raw: bytes, created_at: str) -> None:
    """At setup: epoch 0, and the recovery key's public half so later epochs can be sealed to it."""
    recovery_public = public_bytes(private_from(recovery_raw, RECOVERY_KEY))
    conn.execute("UPDATE install SET recovery_public = ? WHERE id = 1", (recovery_public,))
    conn.execute("INSERT INTO key_epochs (epoch, public_key, recovery_sealed, created_at, reason) VALUES (0, ?, ?, ?, 'setup')",
                 (keys.public_key, seal(recovery_public, keys.master, b"recovery epoch 0"), created_at))


def open_grant(pass_key: bytes, grant: bytes, name: str) -> bytes:
    return crypto.open_sealed_with(private_from(pass_key, STAFF_KEY), grant, grant_aad(name))


def with_previous(conn: Db, master: bytes) -> MasterKeys:
    """The current epoch's keys, holding every earlier epoch's private key as well."""
    keys = MasterKeys(master)
    current = master
    for epoch, wrapped in conn.execute("SELECT epoch, previous_wrap FROM key_epochs WHERE previous_wrap IS NOT NULL "
                                       "ORDER BY epoch DESC").fetchall():
        current = unwrap(derive(current, b"previous epoch"), wrapped, _previous_aad(epoch - 1))
        keys.add_previous(current)
    return keys


def open_by_recovery(conn: Db, recovery_raw: bytes) -> bytes | None:
    """The newest master the recovery key reaches through its key pair (None for an install made before epochs)."""
    row = conn.execute("SELECT epoch, recovery_sealed FROM key_epochs WHERE recovery_sealed IS NOT NULL "
                       "ORDER BY epoch DESC LIMIT 1").fetchone()
    if row is None or row[0] != current_epoch(conn):
        return None
    private = private_from(recovery_raw, RECOVERY_KEY)
    return crypto.open_sealed_with(private, row[1], f"recovery epoch {row[0]}".encode("ascii"))


def rotate(conn: Db, old: MasterKeys, actor: str, reason: str, created_at: str) -> tuple[MasterKeys, list[str]]:
    """Start a new epoch (inside the caller's transaction). Returns the new keys and the accounts left without a grant."""
    new = MasterKeys(secrets.token_bytes(32))
    epoch = current_epoch(conn) + 1
    recovery_public = conn.execute("SELECT recovery_public FROM install WHERE id = 1").fetchone()[0]
    with atomic(conn):
        conn.execute("INSERT INTO key_epochs (epoch, public_key, previous_wrap, recovery_sealed, created_at, reason) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     (epoch, new.public_key, wrap(derive(new.master, b"previous epoch"), old.master, _previous_aad(epoch - 1)),
                      seal(bytes(recovery_public), new.master, f"recovery epoch {epoch}".encode("ascii"))
                      if recovery_public else None, created_at, reason))
        conn.execute("UPDATE install SET public_key = ? WHERE id = 1", (new.public_key,))
        left_out = []
        for name, public in conn.execute("SELECT name, public_key FROM staff").fetchall():
            if public is None:
                left_out.append(name)
                continue
            conn.execute("UPDATE staff SET key_grant = ? WHERE name = ?",
                         (seal(bytes(public), new.master, grant_aad(name)), name))
        _rekey_rows(conn, old, new)
        audit.append(conn, actor, "key_rotation", "", {"epoch": epoch, "reason": reason, "without_grant": left_out})
        audit_seal.seal(conn, new.audit_key, check=False, from_start=True)
    new.inherit(old)
    return new, left_out


def _rekey_rows(conn: Db, old: MasterKeys, new: MasterKeys) -> None:
    """Notes, dose records, queue headers and search tokens move to the new epoch's data and index keys."""
    store = submission_store(conn)
    rekey_days(conn, old, new)
    for submission_id, dose in store.encrypted_doses():
        aad = f"dose:{submission_id}".encode()
        store.set_dose(submission_id, new.encrypt(old.decrypt(dose, aad), aad))
    for submission_id, header, note in store.encrypted_fields():
        if note is not None:
            aad = f"note:{submission_id}".encode()
            store.set_note(submission_id, new.encrypt(old.decrypt(note, aad), aad))
        if header is not None:
            try:
                info = index.decrypt_header(old, submission_id, header)
            except CryptoError:
                store.drop_index(submission_id)
                continue
            store.write_index(submission_id, *index.index_entry(new, submission_id, info))
