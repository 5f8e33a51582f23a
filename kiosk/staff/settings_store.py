"""Clinic settings kept in the database: embedded defaults, overridden by what an admin saved.

Reading needs no key (the patient-facing process must know its idle timeout);
changing needs an unlocked admin, and every change is audited with the old and
new value.
"""

from __future__ import annotations

import json
from typing import Any

from kiosk.storage.shared_connection import Db
from kiosk.settings import BY_NAME, Settings
from kiosk.staff.rights import Action, Role, require
from kiosk.storage.db import atomic


def load_settings(conn: Db, base: Settings | None = None) -> Settings:
    """The saved settings over the defaults; a key this version does not know is ignored, not fatal."""
    settings = base or Settings()
    changes = {key: json.loads(value) for key, value in conn.execute("SELECT key, value FROM settings")
               if key in BY_NAME}
    return settings.updated(**changes) if changes else settings


def save_settings(conn: Db, actor: str, role: Role | str | bool, **changes: Any) -> Settings:
    """Validate, store and audit a change; the role must have the settings right (True: an administrator)."""
    if isinstance(role, bool):
        role = Role.ADMINISTRATOR if role else Role.FRONT_DESK
    require(role, Action.SETTINGS)
    from kiosk.staff import audit  # here, not at the top: a daily start reads settings and writes no audit entry

    current = load_settings(conn)
    updated = current.updated(**changes)
    updated.validate()
    with atomic(conn):
        for key in changes:
            old = getattr(current, key)
            new = getattr(updated, key)
            if old == new:
                continue
            stored = list(new) if isinstance(new, tuple) else new
            conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                         (key, json.dumps(stored, ensure_ascii=False)))
            audit.append(conn, actor, "setting_change", key,
                         {"old": list(old) if isinstance(old, tuple) else old, "new": stored})
    return updated
