"""packaging/linux: the cage kiosk unit, its install script and the desktop entry, checked with the real tools."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
UNIT = LINUX / "naltrexone-kiosk.service"
INSTALL = LINUX / "install.sh"


def unit_entries(path: Path) -> dict[str, list[str]]:
    """`Section.Key` -> every value, in order (systemd allows a key more than once, so configparser will not do)."""
    entries: dict[str, list[str]] = {}
    section = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        entries.setdefault(f"{section}.{key.strip()}", []).append(value.strip())
    return entries


def test_systemd_accepts_the_unit() -> None:
    done = subprocess.run(["systemd-analyze", "verify", str(UNIT)], capture_output=True, text=True, timeout=120,
                          check=False)
    ours = [line for line in done.stderr.splitlines() if UNIT.name in line]
    assert done.returncode == 0 and not ours, done.stderr


def test_the_unit_runs_the_bundle_in_cage_as_the_kiosk_user_and_always_restarts() -> None:
    unit = unit_entries(UNIT)
    command = unit["Service.ExecStart"][0].split()
    assert command[0] == "/usr/bin/cage"
    assert "-s" not in command[: command.index("--")], "-s would let anyone switch to a text console"
    assert command[command.index("--") + 1] == "/opt/naltrexone-kiosk/naltrexone-kiosk"
    assert command[command.index("--data-dir") + 1].startswith("/var/lib/naltrexone-kiosk")
    assert unit["Service.User"] == ["kiosk"]
    assert unit["Service.Restart"] == ["always"]
    assert unit["Unit.StartLimitIntervalSec"] == ["0"]
    assert unit["Service.StateDirectoryMode"] == ["0700"]
    assert unit["Install.WantedBy"] == ["graphical.target"]
    assert (LINUX / f"{unit['Service.PAMName'][0]}.pam").is_file()


def test_the_desktop_entry_is_valid() -> None:
    entry = LINUX / "naltrexone-kiosk.desktop"
    done = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and not done.stdout.strip() and not done.stderr.strip(), done.stdout + done.stderr
    assert "Exec=/opt/naltrexone-kiosk/naltrexone-kiosk --windowed" in entry.read_text(encoding="utf-8")


def test_the_install_script_parses() -> None:
    subprocess.run(["bash", "-n", str(INSTALL)], check=True, timeout=30)
    assert os.access(INSTALL, os.X_OK)


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A stand-in for dist/naltrexone-kiosk with the files the script touches."""
    folder = tmp_path / "bundle"
    (folder / "_internal" / "resources" / "images").mkdir(parents=True)
    (folder / "naltrexone-kiosk").write_text("#!/bin/sh\necho kiosk\n")
    (folder / "naltrexone-kiosk").chmod(0o755)
    shutil.copy(ROOT / "resources" / "images" / "tablet.svg", folder / "_internal" / "resources" / "images")
    return folder


def install(bundle: Path, dest: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(INSTALL), *options, str(bundle)], env=dict(os.environ, DESTDIR=str(dest)),
                          capture_output=True, text=True, timeout=120, check=False)


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_kiosk_install_puts_bundle_unit_and_pam_in_place_and_enables_it(bundle: Path, tmp_path: Path) -> None:
    dest = tmp_path / "root"
    first = install(bundle, dest)
    assert first.returncode == 0, first.stderr
    assert (dest / "opt/naltrexone-kiosk/naltrexone-kiosk").read_text() == "#!/bin/sh\necho kiosk\n"
    assert (dest / "etc/systemd/system/naltrexone-kiosk.service").read_bytes() == UNIT.read_bytes()
    assert (dest / "etc/pam.d/naltrexone-kiosk").is_file()
    wants = dest / "etc/systemd/system/graphical.target.wants/naltrexone-kiosk.service"
    assert wants.is_symlink() and str(os.readlink(wants)).endswith("naltrexone-kiosk.service")
    assert os.readlink(dest / "etc/systemd/system/default.target").endswith("graphical.target")
    assert "NAutoVTs=0" in (dest / "etc/systemd/logind.conf.d/naltrexone-kiosk.conf").read_text()
    assert "kernel.sysrq = 0" in (dest / "etc/sysctl.d/90-naltrexone-kiosk.conf").read_text()


def test_installing_again_updates_in_place(bundle: Path, tmp_path: Path) -> None:
    dest = tmp_path / "root"
    assert install(bundle, dest).returncode == 0
    before = tree(dest)
    (bundle / "naltrexone-kiosk").write_text("#!/bin/sh\necho kiosk 2\n")
    again = install(bundle, dest)
    assert again.returncode == 0, again.stderr
    assert tree(dest) == before
    assert "kiosk 2" in (dest / "opt/naltrexone-kiosk/naltrexone-kiosk").read_text()


def test_desktop_install_adds_a_menu_entry_and_no_service(bundle: Path, tmp_path: Path) -> None:
    dest = tmp_path / "root"
    done = install(bundle, dest, "--desktop")
    assert done.returncode == 0, done.stderr
    assert (dest / "usr/share/applications/naltrexone-kiosk.desktop").is_file()
    assert (dest / "usr/share/icons/hicolor/scalable/apps/naltrexone-kiosk.svg").is_file()
    assert os.readlink(dest / "usr/local/bin/naltrexone-kiosk") == "/opt/naltrexone-kiosk/naltrexone-kiosk"
    assert not (dest / "etc/systemd").exists()


def test_help_describes_both_modes() -> None:
    done = subprocess.run(["bash", str(INSTALL), "--help"], capture_output=True, text=True, timeout=30, check=True)
    assert "--desktop" in done.stdout and "DESTDIR" in done.stdout and "set -euo" not in done.stdout


def test_a_missing_bundle_is_explained(tmp_path: Path) -> None:
    done = install(tmp_path / "nowhere", tmp_path / "root")
    assert done.returncode == 1
    assert "make package" in done.stderr
    assert not (tmp_path / "root").exists()


def test_without_root_it_refuses_politely_and_changes_nothing() -> None:
    from world_readable import world_readable

    with world_readable(LINUX) as (linux,):  # `nobody` may not reach the checkout
        command = ["bash", str(linux / INSTALL.name)]
        if os.geteuid() == 0:  # drop to `nobody` for this run
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        env = {k: v for k, v in os.environ.items() if k != "DESTDIR"}
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False, env=env)
    assert done.returncode == 1
    assert "needs root" in done.stderr and "Nothing was changed" in done.stderr and "sudo" in done.stderr
