"""A kiosk process whose disk "fills up" right before submit (a file-size limit), then gets space back.

Prints, in order: NOT_SAVED when the first submit fails, STILL_AT_REVIEW if the
answers are still there, then SAVED <id> after the retry. Run as
`python disk_full_child.py DATA_DIR NAME`.
"""

from __future__ import annotations

import resource
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from intake_child import QuietView, answer_page
from kiosk.patient.intake import REVIEW
from kiosk.services import open_kiosk_services


def main() -> int:
    data_dir, name = Path(sys.argv[1]), sys.argv[2]
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, like a full disk
    services = open_kiosk_services(data_dir)
    ctl = services.intake_controller()
    ctl.attach(QuietView())
    ctl.next()
    while ctl.session.position != REVIEW:
        answer_page(ctl, name)
        assert ctl.next()
    services.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
    if ctl.next():
        print("SAVED_WITHOUT_SPACE", flush=True)
        return 1
    if ctl.session.position == REVIEW and ctl.answers():
        print("STILL_AT_REVIEW", flush=True)
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))  # the front desk freed some space
    sid = ctl.session.id
    if ctl.next():
        print(f"SAVED {sid}", flush=True)
    services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
