"""One person's visits: suggested by the keyed hash of the normalised name and date of birth (the search index),
never by plaintext, confirmed on the decrypted header so only the same whole name matches, and then linked by
staff (confirm, not the same person, merge, split) to an opaque person id.

Normalising drops accents and case and treats punctuation as spaces ('José  LÓPEZ' is 'jose lopez'); a
different spelling ('Lopes') is a different person, because a false match would put another patient's
numbers on this one's page. Staff join such records by merging them.

A visit no one has linked yet is only a suggested match: the PDF still shows its numbers, marked unconfirmed.
Once linked, a visit belongs to its person alone; visits of the same name and birth date that no one has linked
yet stay suggestions beside it. When two or more people already share a name and birth date, nothing is
suggested for a new visit: staff merge it with the right one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.report.trend import VisitPoint, point_of
from kiosk.staff import index
from kiosk.storage.repository import PersonLink, QueueFilter
from kiosk.storage.submissions import Status

if TYPE_CHECKING:
    from kiosk.staff.data import SealedStaffData


class PeopleStore(Protocol):
    """The repository's part people need (kiosk.storage.repository.SubmissionRepository has it all)."""

    def get(self, submission_id: str) -> Any: ...

    def person_links(self, submission_ids: Iterable[str]) -> dict[str, PersonLink]: ...

    def person_members(self, person: str) -> list[str]: ...

    def link_person(self, submission_ids: Iterable[str], person: str, actor: str, at: dt.datetime) -> None: ...


class PeopleData(Protocol):
    """What matching and linking need from an unlocked data layer (SealedStaffData, or the console tests' fake)."""

    actor: str

    @property
    def content(self) -> Any: ...

    @property
    def store(self) -> PeopleStore: ...

    def same_person_ids(self, name: str, dob: str) -> list[str]:
        """Stored, finished visits whose name and birth date normalise to these (kiosk: by keyed hash)."""
        ...

# More visits than a person has in years of monthly care; the trend shows the last 12.
MOST_VISITS = 200


def person_key(name: str, dob: str) -> tuple[tuple[str, ...], str]:
    """What makes two visits one person's: the name's words without accents or case, and the date of birth."""
    return tuple(index.name_words(name)), dob.strip()


def new_person_id() -> str:
    """Random, so the id says nothing about the person."""
    return secrets.token_hex(8)


@dataclass(frozen=True)
class PersonVisit:
    """One visit on a person's timeline; `point.unconfirmed` when it is only a suggested match."""

    id: str
    point: VisitPoint


@dataclass(frozen=True)
class PersonView:
    """A visit's person as staff see it: its confirmed visits and the suggested ones, oldest first."""

    submission_id: str
    person: str | None  # the person staff linked this visit to; None while it is only suggested
    linked_by: str
    linked_at: dt.datetime | None
    visits: tuple[PersonVisit, ...]  # this visit included
    suggested_person: str | None  # the already-linked person the suggestion points at, if any
    others: int  # other people, told apart by staff, who share this name and birth date

    @property
    def suggested(self) -> tuple[PersonVisit, ...]:
        return tuple(v for v in self.visits if v.point.unconfirmed)

    @property
    def confirmed(self) -> bool:
        return self.person is not None

    @property
    def ambiguous(self) -> bool:
        """Two or more people share the name and birth date and this visit is not linked to either yet."""
        return self.person is None and self.others > 1

    def ids(self) -> list[str]:
        return [v.id for v in self.visits]

    def summary(self) -> str:
        """One line for staff."""
        others = len(self.visits) - 1
        if self.ambiguous:
            return (f"{self.others} people share this name and date of birth: "
                    "merge this visit with the right one")
        if self.person is None:
            return ("No earlier visit matches this name and date of birth" if not others else
                    f"Suggested match: {others} other visit(s) with the same name and date of birth; not confirmed")
        when = self.linked_at.astimezone().strftime("%Y-%m-%d %H:%M") if self.linked_at else ""
        text = f"Same person confirmed by {self.linked_by} on {when}: {len(self.visits) - len(self.suggested)} visit(s)"
        return text + (f"; {len(self.suggested)} more suggested, not confirmed" if self.suggested else "")


def same_key_ids(data: SealedStaffData, name: str, dob: str) -> list[str]:
    """Every stored, finished visit whose name and birth date normalise to these (found by keyed hash)."""
    if not index.name_words(name) or not dob.strip():
        return []
    data.index_pending()
    keys = data.unlocked.keys
    wanted = person_key(name, dob)
    found = []
    for entry in data.store.queue(QueueFilter(tokens=tuple(index.query_tokens(keys, name, dob))), 0, MOST_VISITS):
        if not entry.training and _visit_key(keys, entry) == wanted:
            found.append(entry.id)
    return found


def _visit_key(keys: Any, entry: Any) -> tuple[tuple[str, ...], str] | None:
    """A stored visit's person key from its decrypted header; None for one never matched (no header, abandoned)."""
    if entry.header is None or entry.status == Status.ABANDONED:
        return None
    header = index.decrypt_header(keys, entry.id, entry.header)
    return person_key(str(header.get("name", "")), str(header.get("dob", "")))


def _points(data: PeopleData, ids: list[str], unconfirmed: bool) -> list[PersonVisit]:
    found = []
    for sid in dict.fromkeys(ids):
        submission = data.store.get(sid)
        if submission is not None:
            found.append(PersonVisit(sid, replace(point_of(submission), unconfirmed=unconfirmed)))
    return found


def identity_of(data: PeopleData, submission: object) -> tuple[str, str]:
    identity = data.content.manifest.identity
    answers = getattr(submission, "answers", {})
    return str(answers.get(identity.name, "")), str(answers.get(identity.dob, ""))


def person_view(data: PeopleData, submission_id: str, name: str | None = None,
                dob: str | None = None) -> PersonView:
    """The person of `submission_id` (stored, or not stored yet when `name` and `dob` are given)."""
    stored = data.store.get(submission_id)
    if name is None or dob is None:
        if stored is None:
            raise KeyError(f"no submission {submission_id}")
        name, dob = identity_of(data, stored)
    same = [sid for sid in data.same_person_ids(name, dob) if sid != submission_id]
    store = data.store
    links = store.person_links([submission_id, *same])
    own = links.get(submission_id)
    confirmed, suggested, suggested_person, others = _match(submission_id, same, links, store.person_members)
    visits = _points(data, [submission_id], False) if stored is not None else []
    visits += _points(data, confirmed, False) + _points(data, [s for s in suggested if s not in confirmed], True)
    visits.sort(key=lambda v: v.point.when)
    return PersonView(submission_id, own.person if own else None, own.linked_by if own else "",
                      own.linked_at if own else None, tuple(visits), suggested_person, others)


def _match(submission_id: str, same: list[str], links: dict[str, PersonLink],
           members: Callable[[str], list[str]]) -> tuple[list[str], list[str], str | None, int]:
    """The rule: given the other visits of the same name and birth date (`same`) and the links staff made, which
    visits are this one's person (confirmed), which are only suggested, the person a suggestion points at, and how
    many people staff told apart share the name and birth date."""
    own = links.get(submission_id)
    loose = [sid for sid in same if sid not in links]
    people = list(dict.fromkeys(links[sid].person for sid in same if sid in links))
    if own is not None:
        confirmed = [sid for sid in members(own.person) if sid != submission_id]
        return confirmed, loose, None, len([p for p in people if p != own.person])
    if len(people) <= 1:
        suggested_person = people[0] if people else None
        return [], (members(suggested_person) if suggested_person else []) + loose, suggested_person, len(people)
    return [], [], None, len(people)


def awaiting_confirmation(data: SealedStaffData, visits: Iterable[tuple[str, str, str]]) -> set[str]:
    """Which of these visits (id, name, date of birth), e.g. one page of the queue, have a suggested match staff
    have not confirmed: `person_view(...).suggested` is not empty. Batched for the page (one query for every
    visit that shares a birth date and a surname with one of them, one for their links) instead of a view per
    row."""
    wanted = {sid: person_key(name, dob) for sid, name, dob in visits if index.name_words(name) and dob.strip()}
    if not wanted:
        return set()
    keys, keyset = data.unlocked.keys, set(wanted.values())
    by_key: dict[tuple[tuple[str, ...], str], list[str]] = {}
    # Any one name word narrows the candidates (the exact check follows): the last, usually the family name.
    for entry in data.store.entries_with_both({keys.token("d", dob) for _, dob in keyset},
                                              {keys.token("n", words[-1]) for words, _ in keyset}):
        key = _visit_key(keys, entry)
        if key in keyset:
            by_key.setdefault(key, []).append(entry.id)
    links = data.store.person_links({*wanted, *(sid for ids in by_key.values() for sid in ids)})
    found = set()
    for sid, key in wanted.items():
        same = [other for other in by_key.get(key, []) if other != sid]
        # Only whether anything is suggested matters here: the linked visits among `same` stand in for their
        # person's members (a person suggested through them has at least those).
        _, suggested, _, _ = _match(sid, same, links, _linked_among(same, links))
        if suggested:
            found.add(sid)
    return found


def _linked_among(same: list[str], links: dict[str, PersonLink]) -> Callable[[str], list[str]]:
    linked = {other: links[other].person for other in same if other in links}
    return lambda person: [other for other, owner in linked.items() if owner == person]


def earlier_visits(data: PeopleData, name: str, dob: str, exclude: str = "") -> list[VisitPoint]:
    """The numbers of the other visits of the person of visit `exclude` (named `name`, born `dob`), each marked
    unconfirmed unless staff linked it to that visit."""
    if not index.name_words(name) or not dob.strip():
        return []
    view = person_view(data, exclude, name, dob)
    return [v.point for v in view.visits if v.id != exclude]


def match_note(data: PeopleData, name: str, dob: str, exclude: str = "") -> str:
    """Why a return visit shows no earlier numbers though visits of its name and birth date are on file (staff
    told two such people apart and have not linked this visit to either); empty otherwise."""
    if not index.name_words(name) or not dob.strip():
        return ""
    view = person_view(data, exclude, name, dob)
    if not view.ambiguous:
        return ""
    return (f"Earlier visits: {view.others} people with this name and date of birth are on file, and staff have not "
            "linked this visit to either, so no earlier numbers are shown (staff: Timeline, then Merge).")


# -- what staff change (the caller checks the right and writes the audit entry in the same transaction) -----------


def confirm(data: PeopleData, submission_id: str, at: dt.datetime) -> tuple[str, list[str]]:
    """The suggested match is right: this visit and the suggested ones become one person. Returns (person, ids)."""
    view = person_view(data, submission_id)
    if view.ambiguous:
        raise ValueError("Two or more people share this name and date of birth: merge this visit with the right one.")
    person = view.person or view.suggested_person or new_person_id()
    ids = view.ids()
    data.store.link_person(ids, person, data.actor, at)
    return person, ids


def reject(data: PeopleData, submission_id: str, at: dt.datetime) -> tuple[str, list[str]]:
    """The suggested visits are someone else: this visit keeps (or gets) its own person, and they are linked
    together as the person they were suggested as. Returns (this visit's person, the other person's ids)."""
    view = person_view(data, submission_id)
    person = view.person or new_person_id()
    if view.person is None:
        data.store.link_person([submission_id], person, data.actor, at)
    others = [v.id for v in view.suggested]
    if others:
        data.store.link_person(others, view.suggested_person or new_person_id(), data.actor, at)
    return person, others


def split(data: PeopleData, submission_id: str, at: dt.datetime) -> tuple[str, str | None]:
    """This visit was wrongly linked: it becomes a person of its own. Returns (new person, person it left)."""
    view = person_view(data, submission_id)
    if view.person is None:
        return reject(data, submission_id, at)[0], None
    person = new_person_id()
    data.store.link_person([submission_id], person, data.actor, at)
    return person, view.person


def merge(data: PeopleData, submission_id: str, other_id: str, at: dt.datetime) -> tuple[str, list[str]]:
    """Two records are one person (a typo in the name): every visit of both, as staff see them, becomes one person.
    Returns (person, ids)."""
    if other_id == submission_id:
        raise ValueError("Choose another visit to merge with.")
    first, second = person_view(data, submission_id), person_view(data, other_id)
    person = first.person or second.person or first.suggested_person or second.suggested_person or new_person_id()
    ids = list(dict.fromkeys(first.ids() + second.ids()))
    data.store.link_person(ids, person, data.actor, at)
    return person, ids


def change(data: PeopleData, what: str, submission_id: str, other_id: str, at: dt.datetime) -> tuple[str, dict[str, Any]]:
    """One staff change to a person (`confirm`, `reject`, `split`, `merge` with `other_id`): (person, the audit
    entry's detail, which holds visit ids and opaque person ids only)."""
    if what == "confirm":
        person, ids = confirm(data, submission_id, at)
        return person, {"person": person, "visits": sorted(ids)}
    if what == "reject":
        person, others = reject(data, submission_id, at)
        return person, {"person": person, "not_with": sorted(others)}
    if what == "split":
        person, left = split(data, submission_id, at)
        return person, {"person": person, "from_person": left}
    if what == "merge":
        person, ids = merge(data, submission_id, other_id, at)
        return person, {"person": person, "with": other_id, "visits": sorted(ids)}
    raise ValueError(f"unknown change to a person: {what!r}")
