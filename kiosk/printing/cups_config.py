"""What the local CUPS scheduler is set to do with a printed job's file, read from cupsd.conf.

A printed clinician PDF should not outlive its job in /var/spool/cups. CUPS
keeps job files after printing unless `PreserveJobFiles` says otherwise, and
the default differs between versions (Debian keeps them a day), so only an
explicit "No" (or "Off"/"False") counts as not keeping them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

CUPSD_CONF = Path("/etc/cups/cupsd.conf")
OFF = {"no", "off", "false"}
FIX = "Set 'PreserveJobFiles No' in /etc/cups/cupsd.conf and restart CUPS (systemctl restart cups)."


@dataclass(frozen=True)
class JobFiles:
    keeps: bool | None  # None: the file could not be read
    detail: str


def job_files_kept(conf: Path = CUPSD_CONF) -> JobFiles:
    """Whether CUPS keeps printed job files, and the line (or its absence) that decides it."""
    try:
        text = conf.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return JobFiles(None, f"cannot read {conf} ({exc.strerror or exc})")
    value = None
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2 and words[0].lower() == "preservejobfiles":
            value = words[1]  # the last one wins, as in cupsd
    if value is None:
        return JobFiles(True, f"{conf} does not set PreserveJobFiles, so CUPS keeps job files (its default)")
    if value.lower() in OFF:
        return JobFiles(False, f"{conf}: PreserveJobFiles {value}")
    return JobFiles(True, f"{conf}: PreserveJobFiles {value} keeps printed summaries in the spool")


def warn_if_spool_keeps_jobs(log: logging.Logger, conf: Path | None = None) -> bool:
    """At kiosk start: tell staff (the log, and stderr) when the local CUPS keeps printed summaries; True if it does.

    Nothing is said when there is no local CUPS server (no cupsd.conf): printing then goes to another machine,
    whose spool is that machine's to configure.
    """
    conf = conf or CUPSD_CONF
    if not conf.exists():
        return False
    kept = job_files_kept(conf)
    if kept.keeps:
        log.warning("printed summaries stay readable in the CUPS spool: %s. %s", kept.detail, FIX)
    return bool(kept.keeps)
