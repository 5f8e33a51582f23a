"""The sdist and wheel: built the way a release is built, installed into a fresh venv, run from outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

import kiosk

ROOT = Path(__file__).resolve().parents[2]


def run(command: list[str | Path], cwd: Path, env: dict[str, str] | None = None,
        timeout: int = 600) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, f"{command} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


def outside_env(home: Path) -> dict[str, str]:
    """No hint that points back into the checkout: no KIOSK_RESOURCES, no PYTHONPATH, a home of its own."""
    env = {k: v for k, v in os.environ.items() if k not in ("KIOSK_RESOURCES", "PYTHONPATH", "VIRTUAL_ENV")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "share"), QT_QPA_PLATFORM="offscreen")
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with only the wheel installed, built from the sdist (so the sdist is shown complete too)."""
    work = tmp_path_factory.mktemp("wheel")
    out = work / "dist"
    run([sys.executable, "-m", "build", "--outdir", out, ROOT], cwd=work)  # sdist, then the wheel from the sdist
    wheels = list(out.glob("naltrexone_kiosk-*.whl"))
    assert len(wheels) == 1 and list(out.glob("naltrexone_kiosk-*.tar.gz"))
    target = work / "venv"
    venv.create(target, with_pip=False)
    site = Path(subprocess.check_output([target / "bin" / "python", "-c", "import sysconfig;"
                                         "print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    # The dependencies (Qt alone is 600 MB) come from this environment instead of a second download. Only the
    # folder is added: its .pth files (the editable install of the checkout) are not processed from there.
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run([target / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-index", "--no-deps",
         "--ignore-installed", wheels[0]], cwd=work)
    return target


@pytest.mark.slow
def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    done = run([installed / "bin" / "python", "-c", "import kiosk, ui; print(kiosk.__file__); print(ui.__file__)"],
               cwd=tmp_path, env=outside_env(tmp_path))
    assert all(str(installed) in line for line in done.stdout.splitlines())


@pytest.mark.slow
def test_the_console_script_reports_the_version(installed: Path, tmp_path: Path) -> None:
    done = run([installed / "bin" / "naltrexone-kiosk", "--version"], cwd=tmp_path, env=outside_env(tmp_path))
    assert done.stdout.strip() == f"naltrexone-kiosk {kiosk.__version__}"


@pytest.mark.slow
def test_the_shipped_content_comes_from_the_wheel_data(installed: Path, tmp_path: Path) -> None:
    shared = installed / "share" / "naltrexone-kiosk" / "resources"
    for part in ("content/manifest.yaml", "fonts", "images", "styles"):
        assert (shared / part).exists(), f"{part} is missing from the wheel's data files"
    done = run([installed / "bin" / "naltrexone-kiosk", "check-content"], cwd=tmp_path, env=outside_env(tmp_path))
    assert f"{shared / 'content'}: content is valid" in done.stdout


@pytest.mark.slow
def test_the_installed_kiosk_starts_and_paints(installed: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    run([installed / "bin" / "naltrexone-kiosk", "--smoke", "--data-dir", data], cwd=tmp_path,
        env=outside_env(tmp_path), timeout=120)
    assert (data / "kiosk.db").is_file()
    assert "starting: kiosk" in (data / "logs" / "kiosk.log").read_text(encoding="utf-8")
