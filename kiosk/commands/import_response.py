"""`import --response FILE.json`: store answers taken on paper or another device as a submission.

The response goes through `kiosk.patient.pipeline.complete_submission`, the wizard's
own path (score, seal and commit, PDF sealed into the outbox for staff to
print). Its id comes from the file, so importing the same file twice stores it once.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from kiosk.content import ContentInvalid
from kiosk.system.datadir import DataDirError
from kiosk.storage.db import StorageError

NAME = "import"
log = logging.getLogger(__name__)

HELP = "store a FHIR R4 QuestionnaireResponse as a submission and print its id"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--response", type=Path, required=True, metavar="FILE.json", help="the QuestionnaireResponse")
    from kiosk.commands.sync import add_database_argument

    add_database_argument(parser)


def run(args: argparse.Namespace) -> int:
    from kiosk.commands.fhir_io import CommandFailed, fail, visit_response_from
    from kiosk.commands.sync import forward_after_store, shared_database
    from kiosk.patient.pipeline import complete_submission
    from kiosk.services import open_kiosk_services
    from kiosk.staff import audit, vault
    from kiosk.staff.data import outbox_sealer

    try:
        services = open_kiosk_services(args.data_dir, getattr(args, "content", None))
    except (DataDirError, StorageError, ContentInvalid) as exc:
        raise CommandFailed(str(exc), 2) from exc  # cannot start: data folder, database or content
    try:
        content, parsed = visit_response_from(services.visit_contents(), args.response)
        services.require_setup()
        sealer = outbox_sealer(services.conn)
        shared = shared_database(args, services.settings().database_url)
        outcome = complete_submission(content, services.store, parsed.submission(content),
                                      services.settings().clinic_name, services.outbox_dir, now=parsed.authored,
                                      **({"seal": sealer} if sealer is not None else {}))
        try:
            audit.append(services.conn, vault.SYSTEM, "import", outcome.submission.id,
                         {"file": Path(args.response).name, "stored": outcome.stored})
        except Exception as exc:  # noqa: BLE001 - the response is stored; the log says the audit line is missing
            log.error("imported %s but could not write its audit entry (%s)", outcome.submission.id[:8],
                      type(exc).__name__)
        forwarded = forward_after_store(services.conn, shared) if shared else None
    except StorageError as failed:
        return fail(str(failed))
    finally:
        services.close()
    print(outcome.submission.id)
    if not outcome.stored:
        print("This response was imported before; nothing new was stored.", file=sys.stderr)
    if forwarded:
        print(forwarded, file=sys.stderr)
    return 0
