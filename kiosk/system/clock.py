"""The one clock: aware UTC, whole seconds (what is stored, audited and printed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def iso_utc(moment: dt.datetime) -> str:
    """How an instant is stored: ISO 8601 in UTC, so stored times sort as text."""
    return moment.astimezone(dt.timezone.utc).isoformat()


def local_days(since: dt.date | None, until: dt.date | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Inclusive local dates (what staff type) as instants: from the start of `since` to the end of `until`."""

    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time()).astimezone().astimezone(dt.timezone.utc)

    return (midnight(since) if since else None, midnight(until + dt.timedelta(days=1)) if until else None)

