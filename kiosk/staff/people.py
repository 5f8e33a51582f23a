"""One person's visits: matched by the keyed hash of the normalised name and date of birth (the search index),
never by plaintext, then confirmed on the decrypted header so only the same whole name matches.

Normalising drops accents and case and treats punctuation as spaces ('José  LÓPEZ' is 'jose lopez'); a
different spelling ('Lopes') is a different person, because a false match would put another patient's
numbers on this one's page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.report.trend import VisitPoint, point_of
from kiosk.staff import index
from kiosk.storage.repository import QueueFilter
from kiosk.storage.submissions import Status

if TYPE_CHECKING:
    from kiosk.staff.data import SealedStaffData

# More visits than a person has in years of monthly care; the trend shows the last 12.
MOST_VISITS = 200


def person_key(name: str, dob: str) -> tuple[tuple[str, ...], str]:
    """What makes two visits one person's: the name's words without accents or case, and the date of birth."""
    return tuple(index.name_words(name)), dob.strip()


def earlier_visits(data: SealedStaffData, name: str, dob: str, exclude: str = "") -> list[VisitPoint]:
    """The numbers of every stored, finished visit of the person named `name` born `dob` (not `exclude`)."""
    if not index.name_words(name) or not dob.strip():
        return []
    data.index_pending()
    keys = data.unlocked.keys
    wanted = person_key(name, dob)
    found: list[VisitPoint] = []
    query = QueueFilter(tokens=tuple(index.query_tokens(keys, name, dob)))
    for entry in data.store.queue(query, 0, MOST_VISITS):
        if entry.id == exclude or entry.training or entry.header is None or entry.status == Status.ABANDONED:
            continue
        header = index.decrypt_header(keys, entry.id, entry.header)
        if person_key(str(header.get("name", "")), str(header.get("dob", ""))) != wanted:
            continue
        submission = data.store.get(entry.id)
        if submission is not None:
            found.append(point_of(submission))
    return found
