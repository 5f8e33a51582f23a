"""The outbox: clinician PDFs that did not print, waiting in the data directory for staff to retry.

Nothing plain is written here unless the caller says so: bytes go through
`seal` on the way in and `open_` on the way out (the kiosk passes its
sealing; identity is the default for tests and tools). Files are written by
the one private writer (owner-only, whole or not at all) in an owner-only folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from kiosk.storage.private_files import private_folder, write_private

Transform = Callable[[bytes], bytes]
SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def identity(data: bytes) -> bytes:
    return data


class Outbox:
    """One folder, one file per waiting submission: `<submission id><suffix>`."""

    def __init__(self, folder: Path, seal: Transform = identity, open_: Transform = identity,
                 suffix: str = ".pdf") -> None:
        self.folder = Path(folder)
        self.seal = seal
        self.open_ = open_
        self.suffix = suffix

    def path(self, submission_id: str) -> Path:
        if not SAFE_ID.match(submission_id):
            raise ValueError(f"submission id {submission_id!r} cannot name an outbox file")
        return self.folder / f"{submission_id}{self.suffix}"

    def put(self, submission_id: str, pdf: bytes) -> Path:
        """Keep the (sealed) PDF until it prints; replaces an older copy for the same submission."""
        target = self.path(submission_id)
        private_folder(self.folder)
        return write_private(target, self.seal(pdf))

    def read(self, submission_id: str) -> bytes | None:
        """The PDF waiting for this submission, opened; None if nothing waits."""
        try:
            data = self.path(submission_id).read_bytes()
        except FileNotFoundError:
            return None
        return self.open_(data)

    def remove(self, submission_id: str) -> None:
        self.path(submission_id).unlink(missing_ok=True)

    def waiting(self) -> list[str]:
        """Submission ids with a PDF waiting, oldest first."""
        if not self.folder.is_dir():
            return []
        found = [p for p in self.folder.iterdir() if p.is_file() and p.name.endswith(self.suffix)]
        found.sort(key=lambda p: (p.stat().st_mtime, p.name))
        ids = [p.name[: -len(self.suffix)] for p in found]
        return [i for i in ids if SAFE_ID.match(i)]

    def __contains__(self, submission_id: object) -> bool:
        return isinstance(submission_id, str) and self.path(submission_id).is_file()
