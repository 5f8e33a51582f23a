"""Check a built bundle the way a clinic would meet it: the parts are there, it fits, and it starts.

Run by `make package-check` (part of `make test`) on dist/naltrexone-kiosk:

- the Qt pieces the kiosk needs are in it (platforms, print support, QtPdf,
  text-to-speech, the virtual keyboard and its QML), and WebEngine is not;
- it is at most `BUDGET_MIB` on disk (`du`);
- `--version`, `check-content`, `report` (the clinician PDF from a sample
  FHIR response: reportlab, fonts and Pillow inside the bundle) and `--smoke`
  (offscreen, a temporary data folder, the virtual keyboard requested) run and
  exit 0, the smoke run creates the database and the log, and Qt reports the
  virtual keyboard plug-in and its QML as loaded with no missing module;
- the kiosk's real path works: the bundle inside `cage` on Wayland (headless
  wlroots backend) loads Qt's Wayland plug-in and starts;
- several stations work: on a throw-away PostgreSQL server
  (tests/postgres_server.py), the bundle's `import --database` forwards a
  submission, so its psycopg, the binary implementation and its libpq load and
  connect (`sync`/the kiosk's forwarder use the same path).

Exit 0 when all hold; otherwise every problem is listed and the exit is 1.
The file patterns are those of a Linux build (the only one CI makes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BUDGET_MIB = 250
NAME = "naltrexone-kiosk"
QT = "_internal/PySide6/Qt"
REQUIRED = {
    f"{QT}/plugins/platforms/libqoffscreen.so": "headless smoke runs",
    f"{QT}/plugins/platforms/libqxcb.so": "X11 desktops",
    f"{QT}/plugins/platforms/libqwayland*.so": "Wayland (the cage kiosk session)",
    f"{QT}/plugins/printsupport/libcupsprintersupport.so": "printing through CUPS",
    f"{QT}/lib/libQt6Pdf.so.6": "PDF preview in the staff console",
    # loaded by the bundle's own read-aloud process (`naltrexone-kiosk --read-aloud`, ui/speech_child.py)
    f"{QT}/plugins/texttospeech/libqtexttospeech_speechd.so": "read aloud (speech-dispatcher)",
    f"{QT}/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so": "the on-screen keyboard",
    f"{QT}/qml/QtQuick/VirtualKeyboard/qmldir": "the on-screen keyboard's QML",
    f"{QT}/qml/QtQuick/VirtualKeyboard/Styles/Builtin/qmldir": "the on-screen keyboard's look",
    "_internal/resources/content/manifest.yaml": "the clinical content",
    "_internal/resources/fonts/*.ttf": "the fonts",
    "_internal/psycopg_binary/_psycopg*.so": "the PostgreSQL driver (several stations)",
    "_internal/**/libpq*.so*": "libpq, which the PostgreSQL driver calls",
}
UNWANTED = ("*WebEngine*", "*Qt6Quick3D*", "*Qt63D*", "*Qt6Charts*", "*Qt6Designer*", "*libavcodec*")


def missing_parts(bundle: Path) -> list[str]:
    return [f"missing {pattern} ({why})" for pattern, why in REQUIRED.items() if not list(bundle.glob(pattern))]


def unwanted_parts(bundle: Path) -> list[str]:
    found = sorted({p for pattern in UNWANTED for p in bundle.rglob(pattern)})
    return [f"should not be shipped: {p.relative_to(bundle)}" for p in found]


def size_mib(bundle: Path) -> int:
    """Disk use as `du -sm` counts it (MiB, rounded up)."""
    return int(subprocess.run(["du", "-sm", str(bundle)], capture_output=True, text=True, check=True).stdout.split()[0])


def _run(bundle: Path, args: list[str], env: dict[str, str], cwd: Path) -> tuple[subprocess.CompletedProcess[str] | None, str]:
    try:
        done = subprocess.run([str(bundle / NAME), *args], capture_output=True, text=True, env=env, cwd=cwd,
                              timeout=120, check=False)
    except subprocess.TimeoutExpired:
        return None, f"`{NAME} {' '.join(args)}` did not finish within 120 s"
    if done.returncode != 0:
        return done, f"`{NAME} {' '.join(args)}` exited {done.returncode}:\n{done.stdout}{done.stderr}"
    return done, ""


def keyboard_problems(stderr: str) -> list[str]:
    """What Qt said about the on-screen keyboard in a smoke run with QML_IMPORT_TRACE=1 and QT_DEBUG_PLUGINS=1."""
    problems = []
    if "libqtvirtualkeyboardplugin.so\" loaded library" not in stderr:
        problems.append("Qt did not load the virtual keyboard plug-in in the smoke run")
    if '"QtQuick.VirtualKeyboard.Components"' not in stderr:
        problems.append("the virtual keyboard's QML was not loaded in the smoke run")
    broken = [line.strip() for line in stderr.splitlines()
              if "VirtualKeyboard" in line and ("is not installed" in line or "unavailable" in line)]
    problems += [f"virtual keyboard QML: {line}" for line in broken]
    return problems


def _everyone_can_enter(path: Path) -> bool:
    return all(os.stat(folder).st_mode & 0o001 for folder in [path.resolve(), *path.resolve().parents])


def cage_smoke(bundle: Path, home: Path) -> list[str]:
    """The clinic's path: the bundle on Wayland inside cage (wlroots' headless backend, software rendering).

    cage refuses to run as root, so as root this run drops to `nobody`; the
    bundle must then be readable by everyone (PyInstaller's output is).
    """
    cage = shutil.which("cage")
    if cage is None:
        return ["cage is not installed, so the Wayland kiosk path was not tried (tools/install-system-deps.sh installs it)"]
    folder, runtime = home / "cage", home / "cage-runtime"
    folder.mkdir()
    runtime.mkdir(mode=0o700)
    data = folder / "data"
    if os.geteuid() == 0 and not _everyone_can_enter(bundle):
        # The checkout may sit in a folder only root can enter (a clone in root's home): `nobody` gets a copy.
        shutil.copytree(bundle, home / "bundle", symlinks=True)
        bundle = home / "bundle"
    command = [cage, "-d", "--", str(bundle / NAME), "--smoke", "--data-dir", str(data)]
    if os.geteuid() == 0:
        home.chmod(0o711)
        for path in (folder, runtime):
            os.chown(path, 65534, 65534)
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    env = {k: v for k, v in os.environ.items() if k not in ("KIOSK_RESOURCES", "PYTHONPATH", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(HOME=str(folder), XDG_RUNTIME_DIR=str(runtime), WLR_BACKENDS="headless", WLR_LIBINPUT_NO_DEVICES="1",
               WLR_RENDERER="pixman", QT_QPA_PLATFORM="wayland", QT_DEBUG_PLUGINS="1")
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=folder, timeout=120, check=False)
    except subprocess.TimeoutExpired:
        return ["the smoke run inside cage did not finish within 120 s"]
    problems = []
    if 'libqwayland.so" loaded library' not in done.stderr:  # cage exits 0 even when the program fails
        reasons = [line.strip() for line in done.stderr.splitlines()
                   if "libqwayland" in line and "cannot load" in line or "[ERROR]" in line][:3]
        problems.append("the Wayland platform plug-in did not load inside cage: " + (" | ".join(reasons) or "no reason given"))
    log = data / "logs" / "kiosk.log"
    if not log.is_file() or "starting: kiosk" not in log.read_text(encoding="utf-8"):
        problems.append("the smoke run inside cage did not start the kiosk (no logs/kiosk.log)")
    return problems


def write_sample_response(path: Path) -> None:
    """A QuestionnaireResponse for the shipped content with a plausible answer everywhere (the tests' answer plan)."""
    import json

    from kiosk.content import load_content
    from kiosk.fhir.response import to_response
    from kiosk.system.paths import content_dir
    from kiosk.patient.pipeline import finalize
    from kiosk.testing.wizard import SAMPLE_TIME, sample_submission

    content = load_content(content_dir())
    # signed: the PDF draws the signature, which needs Pillow in the bundle
    submission = finalize(content, sample_submission(content, "c" * 32), now=SAMPLE_TIME)
    path.write_text(json.dumps(to_response(content, submission), ensure_ascii=False), encoding="utf-8")


def render_process_problems(command: list[str], env: dict[str, str]) -> list[str]:
    """After thank-you the kiosk draws the clinician PDF in a render process (itself again, `--render-pdf`): one
    job through the bundle's own, sent as the kiosk sends it."""
    from kiosk.content import load_content
    from kiosk.patient.after_commit import Rendered, RenderJob, RenderProcesses
    from kiosk.patient.pipeline import finalize
    from kiosk.system.paths import RENDER_PDF, content_dir
    from kiosk.testing.wizard import SAMPLE_TIME, sample_submission

    content = load_content(content_dir())
    submission = finalize(content, sample_submission(content, "d" * 32), now=SAMPLE_TIME)
    answers: list[Rendered] = []
    processes = RenderProcesses([*command, RENDER_PDF], timeout_s=120, env=env)
    processes.start(RenderJob(content, submission, "Bundle Clinic", None, None, os.getpid()), answers.append)
    processes.wait()
    if not answers:
        return ["the render process (--render-pdf) gave no answer within 120 s"]
    rendered = answers[0]
    if rendered.error or rendered.pdf is None or not rendered.pdf.startswith(b"%PDF"):
        return [f"the render process (--render-pdf) drew no clinician PDF: {rendered.error or rendered.message}; "
                "after thank-you no submission would be printed or kept in the outbox"]
    return []


def postgres_problems(bundle: Path, home: Path, env: dict[str, str], response: Path) -> list[str]:
    """The bundle as a station of several: set up a folder, then `import --database` on a real server; the
    submission must be in the server's table afterwards."""
    import psycopg

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from postgres_server import PostgresServer, running_server

    folder = home / "station"
    # PSYCOPG_IMPL=binary: psycopg fails rather than fall back to a system libpq, which this machine has and a
    # tablet need not
    station_env = dict(env, KIOSK_STAFF_PASSPHRASE="bundle check passphrase", KIOSK_STAFF_NAME="Bundle Check",
                       PSYCOPG_IMPL="binary")
    servers = running_server(PostgresServer())
    try:
        server = next(servers)
    except Exception as exc:  # noqa: BLE001 - named in the report, like every other problem
        return [f"no PostgreSQL server could be started for the bundle check ({exc})"]
    try:
        url = server.create_database("bundle")
        _, problem = _run(bundle, ["setup", "--data-dir", str(folder), "--clinic", "Bundle Clinic",
                                   "--admin", "Bundle Check"], station_env, home)
        if problem:
            return [problem]
        done, problem = _run(bundle, ["import", "--data-dir", str(folder), "--response", str(response),
                                      "--database", url], station_env, home)
        if problem or done is None:
            return [problem]
        with psycopg.connect(url) as conn:
            made = conn.execute("SELECT to_regclass('submissions') IS NOT NULL").fetchone()[0]
            stored = conn.execute("SELECT count(*) FROM submissions").fetchone()[0] if made else 0
        if stored != 1 or "Forwarded" not in done.stderr:
            return ["`import --database` did not forward to PostgreSQL (psycopg or libpq missing from the bundle?): "
                    f"{stored} row(s) on the server; {done.stderr.strip()[-300:]}"]
        return []
    finally:
        servers.close()


def run_checks(bundle: Path, expected_version: str) -> list[str]:
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="kiosk-bundle-check-") as tmp:
        home = Path(tmp)
        data = home / "data"
        env = {k: v for k, v in os.environ.items() if k not in ("KIOSK_RESOURCES", "PYTHONPATH")}
        env.update(HOME=str(home), XDG_DATA_HOME=str(home / "share"), QT_QPA_PLATFORM="offscreen")
        done, problem = _run(bundle, ["--version"], env, home)
        if problem or done is None:
            problems.append(problem)
        elif done.stdout.strip() != f"{NAME} {expected_version}":
            problems.append(f"--version says {done.stdout.strip()!r}, expected {NAME} {expected_version}")
        done, problem = _run(bundle, ["check-content"], env, home)
        if problem or done is None:
            problems.append(problem)
        elif str(bundle) not in done.stdout:
            problems.append(f"check-content did not read the bundle's own content: {done.stdout.strip()}")
        write_sample_response(home / "response.json")
        pdf = home / "report.pdf"
        done, problem = _run(bundle, ["report", "--response", str(home / "response.json"), "--out", str(pdf)], env, home)
        if problem or done is None:
            problems.append(problem)
        elif not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF") or pdf.stat().st_size < 2000:
            problems.append("`report` did not write a clinician PDF (reportlab, fonts or Pillow missing from the bundle?)")
        problems += render_process_problems([str(bundle / NAME)], env)
        smoke_env = dict(env, QT_IM_MODULE="qtvirtualkeyboard", QT_DEBUG_PLUGINS="1", QML_IMPORT_TRACE="1")
        done, problem = _run(bundle, ["--smoke", "--data-dir", str(data)], smoke_env, home)
        if problem or done is None:
            problems.append(problem)
        else:
            if not (data / "kiosk.db").is_file():
                problems.append("the smoke run did not create the database in --data-dir")
            log = data / "logs" / "kiosk.log"
            if not log.is_file() or "starting: kiosk" not in log.read_text(encoding="utf-8"):
                problems.append("the smoke run did not start logs/kiosk.log in --data-dir")
            problems += keyboard_problems(done.stderr)
        problems += cage_smoke(bundle, home)
        problems += postgres_problems(bundle, home, env, home / "response.json")
    return problems


def main(argv: list[str]) -> int:
    bundle = Path(argv[1] if len(argv) > 1 else f"dist/{NAME}").resolve()
    root = Path(__file__).resolve().parent.parent
    sys.path[:0] = [str(root)]
    from kiosk import __version__

    if not (bundle / NAME).is_file():
        print(f"check_bundle: no bundle at {bundle}; run `make package` first.", file=sys.stderr)
        return 1
    size = size_mib(bundle)
    print(f"bundle: {bundle} {size} MiB (budget {BUDGET_MIB} MiB)")
    problems = missing_parts(bundle) + unwanted_parts(bundle)
    if size > BUDGET_MIB:
        problems.append(f"the bundle is {size} MiB, over the {BUDGET_MIB} MiB budget")
    problems += run_checks(bundle, __version__)
    for problem in problems:
        print(f"check_bundle: {problem}", file=sys.stderr)
    if not problems:
        print("bundle checks passed: parts present, no WebEngine, within budget; --version, check-content, "
              "report (clinician PDF), --smoke offscreen and inside cage (Wayland), import forwarded to PostgreSQL ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
