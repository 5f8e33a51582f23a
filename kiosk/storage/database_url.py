"""Which shared database this machine forwards to, if any: read without loading the forwarder itself.

A kiosk that works alone (most clinics) decides that before its first screen, and so never loads the forwarding
code or PostgreSQL's connection diagnostics.
"""

from __future__ import annotations

import os

URL_VARIABLE = "KIOSK_DATABASE_URL"
URL_SCHEMES = ("postgresql://", "postgres://")


class BadDatabaseUrl(ValueError):
    """The configured database is not a PostgreSQL URL."""


def resolve_database_url(explicit: str | None, setting: str = "") -> str | None:
    """The shared database to forward to: `--database`, else $KIOSK_DATABASE_URL, else the clinic setting; None
    when this machine works alone."""
    for candidate, where in ((explicit, "--database"), (os.environ.get(URL_VARIABLE), URL_VARIABLE),
                             (setting, "the database_url setting")):
        if candidate and candidate.strip():
            url = candidate.strip()
            if not url.startswith(URL_SCHEMES):
                raise BadDatabaseUrl(f"{where} must be a postgresql:// URL (got {url.split(':', 1)[0]}:...)")
            return url
    return None


def forwards(setting: str) -> bool:
    """Whether this machine forwards to a shared database (its retention then keeps rows not forwarded yet). A
    URL that is not postgresql:// counts: someone meant to forward, and purging cannot be taken back."""
    try:
        return resolve_database_url(None, setting) is not None
    except BadDatabaseUrl:
        return True
