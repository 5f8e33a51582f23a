"""A scripted kiosk process for fault tests: patient after patient through the real Qt-free path.

Run as `python intake_child.py DATA_DIR COUNT SEED CANARY`. It prints
`SAVED <id>` (flushed) only after submit returned, i.e. exactly when a patient
would see the thank-you screen. The parent kills it at random moments.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from answer_plans import answer_current_page, plan_answer
from kiosk.patient.intake import REVIEW, IntakeController
from kiosk.system.logs import setup_logging
from kiosk.services import open_kiosk_services


class QuietView:
    def show_screen(self, screen) -> None: ...

    def show_problems(self, problems) -> None: ...

    def show_crisis(self) -> None: ...

    def alert_staff(self, reason: str) -> None: ...

    def show_not_saved(self) -> None:
        print("NOT_SAVED", flush=True)


def answer_page(ctl: IntakeController, canary: str) -> None:
    """Every free-text answer and the name carry the canary, so a scan can tell if any leaked."""
    identity = ctl.content.manifest.identity

    def choose(content, question):
        if question.id == identity.name or question.type in ("string", "text"):
            return f"{canary} {question.id}"[: question.text_limit]
        return plan_answer(content, question)

    answer_current_page(ctl, choose)


def one_patient(ctl: IntakeController, canary: str) -> bool:
    ctl.next()
    while ctl.session.position != REVIEW:
        answer_page(ctl, canary)
        if not ctl.next():
            return False
    sid = ctl.session.id
    if ctl.next():
        print(f"SAVED {sid}", flush=True)
        ctl.finish()
        return True
    return False


def main() -> int:
    data_dir, count, seed, canary = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    random.seed(seed)
    setup_logging(data_dir)
    services = open_kiosk_services(data_dir)
    services.start_up()
    ctl = services.intake_controller()
    ctl.attach(QuietView())
    print("READY", flush=True)
    for _ in range(count):
        one_patient(ctl, canary)
    ctl.settle_printing(wait_s=None)  # as the kiosk does at exit: PDFs still being drawn are kept first
    services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
