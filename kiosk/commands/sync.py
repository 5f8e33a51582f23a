"""`sync [--database URL]`: forward now every sealed submission still waiting on this machine, and say what is left.

A station of a shared clinic also takes up the clinic's newest public key and settings, so what it seals after a
key epoch started at a console is sealed to the new keys.

Exit 0 when nothing is left to forward and the server answered; 1 when some
remain or the server is away (the reason on stderr), or no shared database is
configured; 2 when this station cannot use the server until a setting changes:
its TLS certificate is not trusted or not made out to the URL's host name, or
the server refuses this station's login (password, client certificate).
"""

from __future__ import annotations

import argparse
import sys

from kiosk.commands.common import CommandFailed, services_for

NAME = "sync"
HELP = "forward the submissions stored here to the shared PostgreSQL database now, and print what is left"


def add_database_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", default=None, metavar="URL",
                        help="the shared database, postgresql://... (default: $KIOSK_DATABASE_URL, "
                             "else the database_url setting)")


def shared_database(args: argparse.Namespace, setting: str) -> str | None:
    """The URL to forward to, or None; a URL that is not postgresql:// is refused (exit 1) before anything is stored."""
    from kiosk.storage.database_url import BadDatabaseUrl, resolve_database_url

    try:
        return resolve_database_url(getattr(args, "database", None), setting)
    except BadDatabaseUrl as bad:
        raise CommandFailed(str(bad), 1) from bad


def forward_after_store(conn, url: str) -> str:  # conn: the local sqlite3.Connection
    """Forward what waits (the submission just stored and any earlier one); a line saying where it went or that it
    is queued. Never fails: the submission is already safe on this machine."""
    from kiosk.storage.forwarder import describe, forward_pending

    try:
        result = forward_pending(conn, url, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001 - the submission is stored; forwarding is retried by sync
        return (f"Stored on this machine and queued for the shared database ({type(exc).__name__}); "
                "`naltrexone-kiosk sync` forwards it.")
    if result.error is None:
        return f"Forwarded to the shared {describe(url)}; {result.remaining} submission(s) left to forward."
    return (f"Stored on this machine and queued for the shared database: {result.error}. "
            f"{result.remaining} submission(s) wait; `naltrexone-kiosk sync` forwards them when it is back.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_database_argument(parser)


def run(args: argparse.Namespace) -> int:
    from kiosk.storage.forwarder import describe, forward_pending, pending_count

    with services_for(args) as services:
        url = shared_database(args, services.settings().database_url)
        if url is None:
            left = pending_count(services.conn)
            raise CommandFailed(f"no shared database is configured (--database URL, $KIOSK_DATABASE_URL or the "
                                f"database_url setting); {left} submission(s) stay on this machine only", 1)
        result = forward_pending(services.conn, url)
        error, lasting, refreshed = result.error, result.lasting, False
        if error is None:  # also when nothing waited: sync always says whether this station reaches the server
            error, lasting, refreshed = _take_up(services.conn, url)
    print(f"Forwarded {result.forwarded} submission(s) to {describe(url)}"
          + (f" ({result.repeated} were already there)" if result.repeated else "") + ".")
    print(f"{result.remaining} submission(s) left to forward.")
    if refreshed:
        print("Took up the clinic's current public key and settings.")
    if error is not None and lasting:
        print(f"naltrexone-kiosk: {error}; submissions stay queued here until this station's connection "
              "settings are fixed", file=sys.stderr)
        return 2
    if error is not None:
        print(f"naltrexone-kiosk: {error}; run sync again when it is back", file=sys.stderr)
    elif result.remaining:
        print("naltrexone-kiosk: some submissions are still waiting; run sync again", file=sys.stderr)
    return 0 if error is None and result.remaining == 0 else 1


def _take_up(local, url: str) -> tuple[str | None, bool, bool]:  # local: sqlite3.Connection
    """Connect to the clinic and take up its newest key and settings: (why it could not connect, whether that is
    lasting, whether anything was taken up)."""
    import psycopg

    from kiosk.staff.clinic import NotThisClinic, take_up_from
    from kiosk.storage.forwarder import unreachable

    try:
        return None, False, take_up_from(local, url)
    except NotThisClinic:  # a folder set up alone forwards its sealed rows all the same
        return None, False, False
    except (psycopg.Error, RuntimeError) as failed:
        return (*unreachable(url, failed), False)
