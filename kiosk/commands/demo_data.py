"""`demo-data --count N`: fill a data folder with synthetic patients (fake names) for training and benchmarks.

On a folder that is not set up yet it sets one up first ("Demo Clinic", admin
from --staff or KIOSK_STAFF_NAME, default "Demo Admin"), with the passphrase
read like every staff secret. Rows are sealed and indexed like real ones.
"""

from __future__ import annotations

import argparse
import os

from kiosk.commands.common import CommandFailed, services_for, unlocked
from kiosk.commands.staff_secret import ENV_NAME, SecretMissing, add_staff_argument, read_passphrase
from kiosk.demo.generate import DemoPatients
from kiosk.staff import index, vault
from kiosk.staff.rights import Action
from kiosk.storage.db import atomic

NAME = "demo-data"
HELP = "add N synthetic submissions with fake names (sets the folder up first if needed); for training and benchmarks"
BATCH = 1000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--count", type=int, required=True, metavar="N")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same patients")
    parser.add_argument("--days", type=int, default=180, help="spread the visits over this many past days")
    add_staff_argument(parser)


def run(args: argparse.Namespace) -> int:
    if args.count < 0:
        raise CommandFailed("--count must be 0 or more", 2)
    with services_for(args, need_setup=False) as services:
        if not services.is_set_up():
            try:
                passphrase = read_passphrase()
            except SecretMissing as exc:
                raise CommandFailed(str(exc), 3) from exc
            admin = args.staff or os.environ.get(ENV_NAME) or "Demo Admin"
            vault.setup_install(services.conn, "Demo Clinic", admin, passphrase)
            args.staff = admin
        staff = unlocked(services, args, Action.DEMO_DATA)
        keys = staff.unlocked.keys
        identity = services.content.manifest.identity
        patients = iter(DemoPatients(services.content, seed=args.seed, days=args.days))
        made = 0
        while made < args.count:
            with atomic(services.conn):
                for _ in range(min(BATCH, args.count - made)):
                    submission = next(patients)
                    staff.store.save(submission)
                    index.write_index(services.conn, keys, submission.id, str(submission.answers.get(identity.name, "")),
                                      str(submission.answers.get(identity.dob, "")))
                    if submission.status == "reviewed":
                        services.conn.execute("UPDATE submissions SET reviewed_by = ?, reviewed_at = submitted_at WHERE id = ?",
                                              (staff.actor, submission.id))
                    made += 1
        staff.record("demo_data", "", {"count": made, "seed": args.seed})
        staff.lock()
    print(f"Added {made} synthetic submission(s) to {services.data_dir}")
    return 0
