"""Why a station could not connect to the shared PostgreSQL database, in plain words, and whether trying again can help.

libpq says what went wrong in its own terms ("certificate verify failed",
"fe_sendauth: no password supplied"); a clerk or the clinic's IT person needs to
know which of four things to fix: the server is away (wait; submissions queue
here), its TLS certificate is not trusted or not made out to the URL's host name,
or the server refused this station's login (password, client certificate, the
server's pg_hba.conf). Every message keeps libpq's own words for a search and
never carries the URL's password.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

# What went wrong, as a station can act on it. AWAY (and OTHER) may heal by themselves: the others need this station's URL,
# certificate files or login (or the server's pg_hba.conf) changed.
AWAY = "server away"
UNTRUSTED_CERTIFICATE = "untrusted certificate"
HOST_NAME_MISMATCH = "host name mismatch"
LOGIN_REFUSED = "login refused"
SETTINGS = "connection settings"
OTHER = "other"  # words this module does not know: treated as a server that may come back, as before

# libpq's words for a server that did not answer, or went away while starting, stopping or mid-session.
_AWAY_WORDS = ("connection refused", "timeout expired", "timed out", "no such file or directory",
               "could not translate host name", "failed to resolve host", "name or service not known",
               "no route to host", "network is unreachable", "the database system is starting up",
               "the database system is shutting down", "the database system is in recovery mode",
               "server closed the connection unexpectedly", "terminating connection due to administrator command",
               "connection reset by peer", "is the server running")


@dataclass(frozen=True)
class ConnectionProblem:
    kind: str  # one of the constants above
    text: str  # one line: libpq's words without the password, then what they mean here

    @property
    def lasting(self) -> bool:
        """True when trying again will not help until a setting is changed."""
        return self.kind not in (AWAY, OTHER)


def _parts(url: str) -> dict[str, Any]:
    try:
        from psycopg.conninfo import conninfo_to_dict

        return dict(conninfo_to_dict(url))
    except Exception:  # noqa: BLE001 - an unparsable URL: nothing in it to name or hide
        return {}


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def diagnose(url: str, error: BaseException) -> ConnectionProblem:
    """What `error` (raised while connecting to `url`) means for this station."""
    import getpass  # only when something went wrong: not on the kiosk's start path

    parts = _parts(url)
    said = first_line(error)
    if password := parts.get("password"):
        said = said.replace(str(password), "***")
    low = said.lower()
    host = parts.get("host") or os.environ.get("PGHOST") or "localhost"
    user = parts.get("user") or os.environ.get("PGUSER") or getpass.getuser()
    root = parts.get("sslrootcert") or os.environ.get("PGSSLROOTCERT") or \
        "(not set: libpq reads ~/.postgresql/root.crt)"
    refused = f"{said}; the server refused this station's login as {user}"
    if "does not match host name" in low:
        return ConnectionProblem(HOST_NAME_MISMATCH, (
            f"{said}; the server's TLS certificate was not accepted: it is signed by the CA in sslrootcert={root} "
            f"but not made out to the URL's host name, {host} (with sslmode=verify-full the URL must name the "
            "server as its certificate does)"))
    if "root certificate file" in low:
        return ConnectionProblem(UNTRUSTED_CERTIFICATE, (
            f"{said}; the server's TLS certificate cannot be checked: the clinic's CA file sslrootcert={root} "
            "is missing on this station"))
    if "password authentication failed" in low:
        return ConnectionProblem(LOGIN_REFUSED, (
            f"{refused}: wrong password (check the URL, the file $PGPASSFILE names, or ~/.pgpass)"))
    if "no password supplied" in low:
        return ConnectionProblem(LOGIN_REFUSED, (
            f"{said}; the server asks {user} for a password and this station has none (put it in ~/.pgpass, or in "
            "the file $PGPASSFILE names, mode 0600: libpq ignores a password file others can read)"))
    if "private key file" in low or ("certificate file" in low and "root certificate" not in low):
        return ConnectionProblem(LOGIN_REFUSED, (
            f"{said}; this station's client certificate (sslcert=, sslkey=) cannot be used: both files must exist "
            "and the key must be readable by this station's user only (mode 0600)"))
    if ("alert" in low and "certificate" in low) or "alert unknown ca" in low:  # the server's alert, about ours
        return ConnectionProblem(LOGIN_REFUSED, (
            f"{refused}: it did not accept this station's client certificate (sslcert=); it needs a client "
            f"certificate made out to {user} and signed by the CA the server trusts (its ssl_ca_file)"))
    if "client certificate" in low or "certificate authentication failed" in low:
        return ConnectionProblem(LOGIN_REFUSED, (
            f"{refused}: it needs a client certificate made out to {user} and signed by the clinic's CA "
            "(sslcert= and sslkey= in the URL)"))
    if "pg_hba.conf" in low or "authentication failed" in low:
        return ConnectionProblem(LOGIN_REFUSED, f"{refused} (the server's pg_hba.conf)")
    if any(word in low for word in ("ssl", "certificate", "tls")):
        return ConnectionProblem(UNTRUSTED_CERTIFICATE, (
            f"{said}; the server's TLS certificate was not accepted: with sslmode=verify-full it must be signed "
            f"by the clinic's CA in sslrootcert={root} and made out to the URL's host name, {host}"))
    if any(word in low for word in _AWAY_WORDS):
        return ConnectionProblem(AWAY, f"{said}; the server is not answering (down, or the network is away)")
    if "does not exist" in low:
        return ConnectionProblem(SETTINGS, f"{said}; check the database and user names in the URL")
    return ConnectionProblem(OTHER, said)
