"""After the commit, off the patient's screen: the clinician PDF is drawn and printed in a child process.

The kiosk thanks the patient as soon as the answers are committed and hands the
rest to this same program started again with `--render-pdf`: the child reads one
job on its standard input, draws the PDF, prints it when a printer is set, and
answers on its standard output. So a slow render or printer never holds the
screen, and reportlab is never loaded in the kiosk process.

What the child answers is settled back on the kiosk's own thread (`collect`): a
printed job is recorded, a PDF that did not print waits in the outbox, a failure
is logged for staff. The submission was committed before the child started, so a
child (or a kiosk) killed mid-render leaves it "new" in the staff queue, where
staff print it; a child whose kiosk has gone does not print (nobody could record it).
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import queue
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from kiosk.content import Content
from kiosk.storage.submissions import Submission
from kiosk.system.paths import RENDER_PDF, program_command

# printing and subprocess load with the first submit (kiosk) or the job drawn (child), not at start
if TYPE_CHECKING:
    import subprocess

    from kiosk.printing.outbox import Outbox
    from kiosk.printing.printer import Printer

log = logging.getLogger(__name__)

KIOSK_GONE = "the kiosk stopped before the PDF was printed"


@dataclass
class RenderJob:
    """Everything the child needs, read in the kiosk at submit time (settings may change before it runs)."""

    content: Content
    submission: Submission
    clinic: str
    logo_png: bytes | None
    printer: Printer | None
    kiosk_pid: int


@dataclass(frozen=True)
class Rendered:
    """The child's answer: printed (and with what message), or the PDF to keep; `error` when none was made."""

    printed: bool = False
    message: str = ""
    pdf: bytes | None = None
    error: str = ""


def encode(rendered: Rendered) -> bytes:
    """One JSON line, then the PDF bytes (only when it did not print)."""
    head = {"printed": rendered.printed, "message": rendered.message, "error": rendered.error,
            "pdf": len(rendered.pdf) if rendered.pdf is not None else -1}
    return json.dumps(head).encode("utf-8") + b"\n" + (rendered.pdf or b"")


def decode(data: bytes) -> Rendered:
    line, _, rest = data.partition(b"\n")
    head = json.loads(line)
    size = int(head["pdf"])
    if size >= 0 and len(rest) != size:
        raise ValueError(f"the render process's PDF is cut short ({len(rest)} of {size} bytes)")
    return Rendered(printed=bool(head["printed"]), message=str(head["message"]), error=str(head["error"]),
                    pdf=rest if size >= 0 else None)


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # os.kill(pid, 0) would end the process on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def render_job(job: RenderJob) -> Rendered:
    """In the child: draw, then print if a printer is set and the kiosk is still there to record it."""
    from kiosk.patient.pipeline import render_pdf
    from kiosk.printing.delivery import NO_PRINTER
    from kiosk.printing.printer import job_title, safe_print

    try:
        pdf = render_pdf(job.content, job.submission, job.clinic, job.logo_png)
    except Exception as exc:  # noqa: BLE001 - reported to the kiosk, which logs it for staff
        return Rendered(error=f"PDF not made: {type(exc).__name__}")
    if job.printer is None:
        return Rendered(message=NO_PRINTER, pdf=pdf)
    if not _alive(job.kiosk_pid):
        return Rendered(message=KIOSK_GONE, pdf=pdf)
    printed, message = safe_print(job.printer, pdf, job_title(job.submission.id))
    return Rendered(printed=printed, message=message, pdf=None if printed else pdf)


def child_main(stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> int:
    """`naltrexone-kiosk --render-pdf`: one job in (pickled by the kiosk that started us), one answer out."""
    source = stdin or sys.stdin.buffer
    sink = stdout or sys.stdout.buffer
    job = pickle.load(source)  # noqa: S301 - written by the parent kiosk process into our own pipe
    rendered = render_job(job)
    sink.write(encode(rendered))
    sink.flush()
    return 0 if not rendered.error else 1


def settle_answer(submission_id: str, rendered: Rendered, outbox: Outbox, mark_printed: Callable[[str], None]) -> None:
    """In the kiosk, once the child answered: record the print, or keep the PDF in the outbox; log any failure."""
    from kiosk.printing.delivery import settle

    if rendered.error:
        log.error("submission %s saved, but its PDF was not made (%s); staff can print it from the console",
                  submission_id[:8], rendered.error)
        return
    try:
        settle(submission_id, rendered.pdf, rendered.printed, rendered.message, outbox, mark_printed)
    except Exception as exc:  # noqa: BLE001 - the answers are committed; staff print them from the console
        log.error("submission %s saved, but its PDF could not be kept in the outbox (%s); staff can print it "
                  "from the console", submission_id[:8], type(exc).__name__)


class RenderProcesses:
    """One waiting thread runs the jobs in turn, one child process each (never several renders competing for
    the kiosk's cores); `collect` settles the answers on the caller's thread.

    `notify` is called from that thread when an answer is ready (the Qt view turns it into a queued call of
    `collect` on its own thread); without it the owner calls `collect` or `wait`. `listen` sets or clears it
    under a lock, so a view being destroyed is never signalled from this thread half-way through.
    """

    def __init__(self, command: Sequence[str] | None = None, notify: Callable[[], None] | None = None,
                 timeout_s: float = 300.0, env: dict[str, str] | None = None) -> None:
        self.command = list(command) if command is not None else [*program_command(), RENDER_PDF]
        self.env = env  # None: the kiosk's own environment
        self._notify = notify
        self._notify_lock = threading.Lock()
        self.timeout_s = timeout_s
        self._jobs: queue.Queue[tuple[RenderJob, Callable[[Rendered], None]]] = queue.Queue()
        self._answers: queue.SimpleQueue[tuple[Callable[[Rendered], None], Rendered]] = queue.SimpleQueue()
        self._worker: threading.Thread | None = None
        self._children: dict[int, subprocess.Popen[bytes]] = {}
        self._lock = threading.Lock()

    def start(self, job: RenderJob, settle: Callable[[Rendered], None]) -> None:
        self._jobs.put((job, settle))
        with self._lock:
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="render-pdf", daemon=True)
                self._worker.start()

    def listen(self, notify: Callable[[], None] | None) -> None:
        """Call `notify` from the waiting thread at each answer from now on (None: stop; returns once no call is
        under way)."""
        with self._notify_lock:
            self._notify = notify

    def running(self) -> list[int]:
        """Process ids of the render processes still drawing or printing."""
        return list(self._children)

    def pending(self) -> int:
        """Jobs not yet settled: waiting, in a render process, or answered and waiting for `collect`."""
        return self._jobs.unfinished_tasks + self._answers.qsize()

    def collect(self) -> int:
        """Settle every answer that is in, on the caller's thread; returns how many are still to come."""
        while True:
            try:
                settle, rendered = self._answers.get_nowait()
            except queue.Empty:
                break
            settle(rendered)
        return self.pending()

    def wait(self, timeout_s: float | None = None) -> int:
        """Block until every job has been answered (tests, shutdown) and settle them; returns how many remain."""
        deadline = time.monotonic() + (timeout_s if timeout_s is not None else self.timeout_s * max(1, self.pending()))
        while self._jobs.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.collect()

    def _work(self) -> None:
        while True:
            job, settle = self._jobs.get()
            try:
                self._answers.put((settle, self._child(job)))
            finally:
                self._jobs.task_done()
            with self._notify_lock:
                if self._notify is not None:
                    try:
                        self._notify()
                    except Exception:  # noqa: BLE001 - the answer waits in the queue for the next collect
                        log.exception("could not signal that a PDF is ready")

    def _child(self, job: RenderJob) -> Rendered:
        import subprocess

        try:
            data = pickle.dumps(job)
            child = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=self.env)
        except Exception as exc:  # noqa: BLE001 - the submission is stored; staff print it from the console
            return Rendered(error=f"render process not started: {type(exc).__name__}")
        self._children[child.pid] = child
        try:
            out, _err = child.communicate(data, timeout=self.timeout_s)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            return Rendered(error=f"render process gave no answer within {self.timeout_s:g} s")
        except OSError as exc:  # the child died before it read its job (a broken pipe)
            child.wait()
            return Rendered(error=f"render process ended early: {type(exc).__name__}, exit {child.returncode}")
        finally:
            self._children.pop(child.pid, None)
        if child.returncode < 0:
            return Rendered(error=f"render process killed by signal {-child.returncode}")
        try:
            rendered = decode(out)
        except (ValueError, KeyError, UnicodeDecodeError):
            return Rendered(error=f"render process ended without an answer (exit {child.returncode})")
        return rendered
