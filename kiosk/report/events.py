"""What happened on the kiosk during the session, as the clinician reads it on page 1.

Only the wizard records these events; an imported response never claims them,
so for anything not completed on the kiosk the line is empty.
"""

from __future__ import annotations

from kiosk.storage.submissions import Submission


def crisis_line(submission: Submission) -> str:
    """"Patient was shown crisis information at 10:42; staff alert: sound", or "" when it did not happen."""
    shown = submission.events.crisis_shown_at
    if shown is None or submission.source != "kiosk":
        return ""
    alert = submission.events.staff_alert or "none"
    return f"Patient was shown crisis information at {shown.astimezone().strftime('%H:%M')}; staff alert: {alert}"
