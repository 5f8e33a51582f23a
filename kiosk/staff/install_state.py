"""Whether this install is set up (its key pair and first account exist).

The one question a daily start asks of the staff data, so it lives apart from the
vault: answering it does not load key wrapping, key epochs or the audit seal.
"""

from __future__ import annotations

from kiosk.storage.shared_connection import Db


def is_set_up(conn: Db) -> bool:
    return conn.execute("SELECT 1 FROM install WHERE id = 1").fetchone() is not None
