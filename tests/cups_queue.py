"""A real CUPS print queue for tests: cupsd running and a cups-pdf queue whose PDFs land in a folder we read.

Nothing is installed here (tools/install-system-deps.sh does that, run by
`make test`); this starts the scheduler if it is not running and (re)creates
the queue with its own cups-pdf configuration, so no state left by hand
matters. cups-pdf reads `/etc/cups/cups-pdf-<queue>.conf` for a queue whose
device URI is `cups-pdf:/<queue>`.
"""

from __future__ import annotations

import glob
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

QUEUE = "kiosk-test"
MISSING_QUEUE = "kiosk-test-no-such-printer"
CUPS_CONF = Path("/etc/cups")


class CupsUnavailable(RuntimeError):
    """The print system cannot be set up here; the message says what is missing."""


def _run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, check=check, timeout=60)


def scheduler_running() -> bool:
    return _run("lpstat", "-r", check=False).stdout.strip() == "scheduler is running"


def ensure_cupsd() -> None:
    """Start cupsd (as root) when it is not running, and wait until it answers."""
    for tool in ("cupsd", "lpadmin", "lp", "lpstat"):
        if shutil.which(tool) is None:
            raise CupsUnavailable(f"{tool} is missing: run tools/install-system-deps.sh as root (cups, cups-client, "
                                  "printer-driver-cups-pdf)")
    if scheduler_running():
        return
    _run("cupsd")
    deadline = time.monotonic() + 20
    while not scheduler_running():
        if time.monotonic() > deadline:
            raise CupsUnavailable("cupsd was started but does not answer lpstat -r within 20 s")
        time.sleep(0.2)


def cups_pdf_ppd() -> str:
    """The cups-pdf model this CUPS offers (the name differs between versions)."""
    models = _run("lpinfo", "-m").stdout.splitlines()
    names = [line.split()[0] for line in models if "cups-pdf" in line.lower()]
    if not names:
        raise CupsUnavailable("no cups-pdf printer model (lpinfo -m): install printer-driver-cups-pdf")
    return next((n for n in names if n.endswith("_opt.ppd")), names[0])


@dataclass
class CupsQueue:
    """One cups-pdf queue writing its PDFs into `out`."""

    name: str
    out: Path

    def completed_jobs(self) -> str:
        return _run("lpstat", "-W", "completed", "-o", self.name, check=False).stdout

    def wait_for(self, message: str, timeout_s: float = 60.0) -> Path:
        """Wait until the job named in the printer's message has completed, then return the PDF cups-pdf wrote."""
        found = re.search(r"job (\S+-(\d+))", message)
        assert found, f"no job id in the printer's message: {message!r}"
        job_id, number = found.group(1), found.group(2)
        deadline = time.monotonic() + timeout_s
        while True:
            done = re.search(rf"^{re.escape(job_id)}\s", self.completed_jobs(), re.MULTILINE)
            files = glob.glob(str(self.out / f"*job_{number}.pdf"))
            if done and files:
                path = Path(files[0])
                if path.stat().st_size > 0:
                    return path
            if time.monotonic() > deadline:
                raise AssertionError(f"job {job_id} did not complete within {timeout_s:g} s "
                                     f"(completed: {self.completed_jobs()!r}; files: {sorted(p.name for p in self.out.iterdir())})")
            time.sleep(0.2)


def create_queue(out: Path, name: str = QUEUE) -> CupsQueue:
    """(Re)create the queue with its own cups-pdf configuration pointing at `out`."""
    ensure_cupsd()
    out.mkdir(parents=True, exist_ok=True)
    out.chmod(0o777)  # cups-pdf writes as the job's user or its anonymous user
    conf = CUPS_CONF / f"cups-pdf-{name}.conf"
    conf.write_text(f"Out {out}\nAnonDirName {out}\nLog {out}\nUserUMask 0077\n", encoding="utf-8")
    _run("lpadmin", "-x", name, check=False)
    made = _run("lpadmin", "-p", name, "-E", "-v", f"cups-pdf:/{name}", "-m", cups_pdf_ppd(), check=False)
    if made.returncode != 0:
        raise CupsUnavailable(f"lpadmin could not create {name}: {made.stderr.strip()}")
    _run("lpadmin", "-x", MISSING_QUEUE, check=False)
    return CupsQueue(name, out)


def remove_queue(queue: CupsQueue) -> None:
    _run("lpadmin", "-x", queue.name, check=False)
    (CUPS_CONF / f"cups-pdf-{queue.name}.conf").unlink(missing_ok=True)
