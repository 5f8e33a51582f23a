"""Autosave of the session in progress, sealed, one row per patient, so a crash loses at most one answer.

Every answer given rewrites the session's sealed autosave in its own committed
transaction. The kiosk can write these rows but never read them back, so after
a crash the patient's data is not shown again: at start every leftover
autosave moves, still sealed, into submissions as abandoned
(`SubmissionRepository.adopt_autosaves`), and staff see it (scored when they
first unlock) if the clinic keeps abandoned sessions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from kiosk.rules.assessment import assess
from kiosk.system.clock import Clock, utc_now
from kiosk.rules.flow import effective_answers
from kiosk.storage.repository import SubmissionRepository
from kiosk.storage.submissions import Status, Submission

if TYPE_CHECKING:
    from kiosk.content import Content
    from kiosk.patient.intake import PatientSession


class SealedJournal:
    """The controller's `SessionJournal` over the repository; `keep_abandoned` is the clinic's setting, read
    when the patient walks away."""

    def __init__(self, store: SubmissionRepository, content: Content, keep_abandoned: Callable[[], bool],
                 clock: Clock = utc_now, visits: Mapping[str, Content] | None = None) -> None:
        self.store = store
        self.content = content
        self.content_version = content.version
        self.visits: dict[str, Content] = dict(visits) if visits else {content.visit: content}
        self.keep_abandoned = keep_abandoned
        self.clock = clock

    def _content(self, session: PatientSession) -> Content:
        """The questionnaire this session answers (its visit type's)."""
        return self.visits.get(session.visit, self.content)

    def _submission(self, session: PatientSession, status: Status) -> Submission:
        content = self._content(session)
        return Submission(id=session.id, started_at=session.started_at, content_version=content.version,
                          language=session.language, answers=dict(session.answers),
                          signature_png=session.signature_png, status=status, events=session.events,
                          visit=content.visit)

    def record(self, session: PatientSession) -> None:
        self.store.autosave(self._submission(session, Status.IN_PROGRESS), self.clock())

    def abandon(self, session: PatientSession) -> None:
        """The patient walked away: keep a scored copy for staff (or nothing, per setting); drop the autosave."""
        if not self.keep_abandoned():
            self.forget(session.id)
            return
        moment = self.clock()
        submission = self._submission(session, Status.ABANDONED)
        content = self._content(session)
        submission.answers = effective_answers(content, submission.answers)
        submission.submitted_at = moment
        submission.assessment = assess(content, submission.answers, moment.astimezone().date())
        self.store.keep_abandoned(submission)

    def forget(self, session_id: str) -> None:
        self.store.drop_autosave(session_id)
