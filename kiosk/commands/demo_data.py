"""`demo-data --count N`: fill a data folder with training patients (fake names), marked as training everywhere.

On a folder that is not set up yet it sets one up first ("Demo Clinic", admin
from --staff or KIOSK_STAFF_NAME, default "Demo Admin"), with the passphrase
read like every staff secret. Rows are sealed and indexed like real ones and
marked as training (a badge in the queue, a watermark on every PDF page). A
folder that already holds real patients is refused unless --allow-mixed;
`--remove` deletes every training row again.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO

from kiosk.commands.common import CommandFailed, services_for, unlocked
from kiosk.commands.staff_secret import ENV_NAME, SecretMissing, add_staff_argument, read_passphrase
from kiosk.report import clinic_stats as dashboard
from kiosk.demo.generate import DemoPatients
from kiosk.staff.queue_reasons import queue_reason
from kiosk.staff import index, vault
from kiosk.staff.rights import Action
from kiosk.storage.db import atomic
from kiosk.storage.codecs import BatchSealingCodec
from kiosk.storage.sqlite_submissions import SubmissionStore
from kiosk.storage.submissions import Status

NAME = "demo-data"
HELP = ("add N training patients with fake names, marked as training (sets the folder up first if needed); "
        "--remove deletes them")
BATCH = 2000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--count", type=int, metavar="N", help="how many training patients to add")
    action.add_argument("--remove", action="store_true", help="delete every training patient from the folder")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same patients")
    parser.add_argument("--days", type=int, default=180, help="spread the visits over this many past days")
    parser.add_argument("--allow-mixed", action="store_true",
                        help="add training patients even though the folder holds real ones (not recommended)")
    add_staff_argument(parser)


class Progress:
    """A one-line bar on a terminal's stderr; silent when stderr is a file or a pipe."""

    def __init__(self, total: int, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.total, self.width = total, width
        self.shown = self.stream.isatty() and total > 0

    def update(self, done: int) -> None:
        if self.shown:
            filled = self.width * done // self.total
            self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{self.total}")
            self.stream.flush()

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def run(args: argparse.Namespace) -> int:
    if args.remove:
        return _remove(args)
    if args.count < 0:
        raise CommandFailed("--count must be 0 or more", 1)
    with services_for(args, need_setup=False) as services:
        if not services.is_set_up():
            try:
                passphrase = read_passphrase()
            except SecretMissing as exc:
                raise CommandFailed(str(exc), 3) from exc
            admin = args.staff or os.environ.get(ENV_NAME) or "Demo Admin"
            vault.setup_install(services.conn, "Demo Clinic", admin, passphrase)
            args.staff = admin
        real = services.store.count_real()
        if real and not args.allow_mixed:
            raise CommandFailed(
                f"{services.data_dir} holds {real} real patient submission(s); training patients there could be "
                "mistaken for them. Use an empty data folder for training (--data-dir), or add --allow-mixed if "
                "you really mean to mix them.", 1)
        staff = unlocked(services, args, Action.DEMO_DATA)
        made = _add(services, staff, args)
        staff.record("demo_data", "", {"count": made, "seed": args.seed, "mixed": bool(real)})
        staff.lock()
    print(f"Added {made} training patient(s) (marked TRAINING - NOT A PATIENT) to {services.data_dir}")
    return 0


def _add(services, staff, args: argparse.Namespace) -> int:
    """All rows in one transaction, written in batches: a cut-off run leaves nothing half-made."""
    keys = staff.unlocked.keys
    identity = services.content.manifest.identity
    patients = iter(DemoPatients(services.content, seed=args.seed, days=args.days))
    progress = Progress(args.count)
    made = 0
    # The token index grows in random order; a larger page cache keeps its B-tree in memory while it does.
    services.conn.execute("PRAGMA cache_size = -131072")
    totals: dashboard.Totals = {}  # the Clinic tab's day totals, written once at the end (not once per batch)
    with atomic(services.conn):
        while made < args.count:
            batch = [next(patients) for _ in range(min(BATCH, args.count - made))]
            store = SubmissionStore(services.conn, BatchSealingCodec(keys.public_key))
            store.save_many(batch)
            dashboard.tally(services.content, batch, into=totals)
            store.write_index_many((s.id, *index.index_entry(keys, s.id, {
                "name": str(s.answers.get(identity.name, "")), "dob": str(s.answers.get(identity.dob, "")),
                "reason": queue_reason(services.content, s)}))
                for s in batch)
            store.mark_reviewed_many((s.id, staff.actor, s.submitted_at or s.started_at)
                                     for s in batch if s.status == Status.REVIEWED)
            made += len(batch)
            progress.update(made)
        dashboard.write_totals(services.conn, keys, totals)
    progress.finish()
    return made


def _remove(args: argparse.Namespace) -> int:
    with services_for(args) as services:
        staff = unlocked(services, args, Action.DEMO_DATA)
        removed = services.store.remove_demo()
        staff.record("demo_data_removed", "", {"count": removed})
        staff.lock()
    print(f"Removed {removed} training patient(s) from {services.data_dir}")
    return 0
