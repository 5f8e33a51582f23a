"""CUPS keeps no plaintext copy of printed summaries: the installer says so in cupsd.conf, the kiosk warns if not."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.printing.cups_config import job_files_kept, warn_if_spool_keeps_jobs
from test_linux import ROOT, bundle, install  # noqa: F401 (pytest fixture)

DEBIAN_STYLE = """# a cupsd.conf as Debian ships it: no PreserveJobFiles line, so job files are kept a day
LogLevel warn
MaxLogSize 0
#PreserveJobFiles Yes
Listen localhost:631
Listen /run/cups/cups.sock
<Location />
  Order allow,deny
</Location>
"""


@pytest.fixture
def root_with_cups(tmp_path: Path) -> Path:
    dest = tmp_path / "root"
    conf = dest / "etc/cups/cupsd.conf"
    conf.parent.mkdir(parents=True)
    conf.write_text(DEBIAN_STYLE + "PreserveJobHistory Yes\n", encoding="utf-8")
    return dest


def test_install_turns_off_kept_job_files_once_however_often_it_runs(bundle: Path, root_with_cups: Path) -> None:  # noqa: F811
    conf = root_with_cups / "etc/cups/cupsd.conf"
    assert job_files_kept(conf).keeps is True
    for mode in ([], [], ["--desktop"]):
        done = install(bundle, root_with_cups, *mode)
        assert done.returncode == 0, done.stderr
        assert "PreserveJobFiles No" in done.stdout
    text = conf.read_text(encoding="utf-8")
    directives = [line for line in text.splitlines() if line.lower().startswith("preservejob")]
    assert directives == ["PreserveJobFiles No", "PreserveJobHistory 300"]
    assert "Listen /run/cups/cups.sock" in text and "<Location />" in text  # the rest is left as it was
    assert job_files_kept(conf).keeps is False
    if shutil.which("cupsd"):  # the scheduler itself accepts the result
        checked = subprocess.run(["cupsd", "-t", "-c", str(conf)], capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_install_without_a_local_cups_server_says_where_to_set_it(bundle: Path, tmp_path: Path) -> None:  # noqa: F811
    done = install(bundle, tmp_path / "root")
    assert done.returncode == 0 and "set PreserveJobFiles No on the print server" in done.stdout
    assert not (tmp_path / "root/etc/cups").exists()


def test_the_kiosk_warns_staff_when_the_spool_keeps_job_files(tmp_path: Path, caplog) -> None:
    conf = tmp_path / "cupsd.conf"
    log = logging.getLogger("kiosk.test")
    conf.write_text(DEBIAN_STYLE, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert warn_if_spool_keeps_jobs(log, conf) is True
    assert "PreserveJobFiles No" in caplog.text and "spool" in caplog.text
    caplog.clear()
    conf.write_text(DEBIAN_STYLE + "PreserveJobFiles No\n", encoding="utf-8")
    assert warn_if_spool_keeps_jobs(log, conf) is False and caplog.text == ""
    assert warn_if_spool_keeps_jobs(log, tmp_path / "absent.conf") is False


def test_a_kiosk_start_logs_the_warning(tmp_path: Path, data_dir: Path, installed) -> None:
    installed.close()
    conf = tmp_path / "cupsd.conf"
    conf.write_text(DEBIAN_STYLE, encoding="utf-8")
    start = ("import sys; from pathlib import Path; import kiosk.printing.cups_config as c; c.CUPSD_CONF = Path(sys.argv[1]);"
             " from kiosk.cli import main; sys.exit(main(['--data-dir', sys.argv[2], '--smoke', '--windowed']))")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SPEECHD_ADDRESS": "unix_socket:/nonexistent/speechd.sock"}
    done = subprocess.run([sys.executable, "-c", start, str(conf), str(data_dir)], capture_output=True, text=True,
                          timeout=120, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "CUPS spool" in (data_dir / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "PreserveJobFiles No" in done.stderr
