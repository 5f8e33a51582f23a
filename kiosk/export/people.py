"""Which exported visits are one person's, for the FHIR export's one Patient per person.

Visits staff linked to a person (confirmed, merged, split) are that person's. A visit no one has linked yet
goes with the other visits of the same normalised name and date of birth (the kiosk's matching rule), and
joins a linked person of that name and birth date when there is exactly one; when staff have told two such
people apart, an unlinked visit stays a person of its own rather than be put under the wrong one. A visit with
no name or no birth date is always a person of its own, and so is one whose sending system named a different
patient (the same identifier system with another value, or another patient reference) than the visits it would
join.
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.content import Content
from kiosk.staff.people import person_key
from kiosk.storage.submissions import ClientSubject, Submission


def _sender_ids(subject: ClientSubject | None) -> dict[str, str]:
    """What the sending system called the patient: identifier system (or 'reference') -> value."""
    if subject is None:
        return {}
    found = {str(i.get("system", "")): str(i["value"]) for i in subject.identifiers if "value" in i}
    if subject.reference:
        found["reference"] = subject.reference
    return found


def _conflict(one: dict[str, str], other: dict[str, str]) -> bool:
    return any(other.get(system, value) != value for system, value in one.items())


def person_keys(submissions: list[Submission], content: Content, links: Mapping[str, str]) -> dict[str, str]:
    """Visit id -> an opaque key shared by the visits of one person (`links`: visit id -> linked person id)."""
    identity = content.manifest.identity

    def matching(s: Submission) -> tuple[tuple[str, ...], str] | None:
        key = person_key(str(s.answers.get(identity.name) or ""), str(s.answers.get(identity.dob) or ""))
        return key if key[0] and key[1] else None

    linked_by_key: dict[tuple[tuple[str, ...], str], set[str]] = {}
    for s in submissions:
        if s.id in links and (key := matching(s)) is not None:
            linked_by_key.setdefault(key, set()).add(links[s.id])
    found: dict[str, str] = {}
    # Per name and birth date, the groups of unlinked visits so far: (group key, what their senders called them).
    groups: dict[tuple[tuple[str, ...], str], list[tuple[str, dict[str, str]]]] = {}
    for s in sorted(submissions, key=lambda one: one.submitted_at or one.started_at):
        key, sender = matching(s), _sender_ids(s.subject)
        if s.id in links:
            found[s.id] = f"person:{links[s.id]}"
        elif key is None:
            found[s.id] = s.id
        elif len(people := linked_by_key.get(key, set())) == 1:
            found[s.id] = f"person:{next(iter(people))}"
        elif people:
            found[s.id] = s.id  # two or more people share this name and birth date: not guessed
        else:
            candidates = groups.setdefault(key, [])
            index = next((n for n, (_, ids) in enumerate(candidates) if not _conflict(sender, ids)), None)
            if index is None:
                candidates.append((s.id, dict(sender)))
                found[s.id] = s.id
            else:
                group, ids = candidates[index]
                ids.update(sender)
                found[s.id] = group
    return found
