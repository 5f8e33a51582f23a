"""Only the part pyproject.toml cannot say: every file under resources/ (sub-folders included) as wheel data.

A wheel installs them under <prefix>/share/naltrexone-kiosk/resources, which
kiosk/system/paths.py looks for; the sdist carries them because setuptools adds data
files to it. A new content sub-folder needs no change here.
"""

from pathlib import Path

from setuptools import setup

SHARE = Path("share") / "naltrexone-kiosk"


def resource_data_files() -> list[tuple[str, list[str]]]:
    folders: dict[str, list[str]] = {}
    for path in sorted(Path("resources").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith("."):
            folders.setdefault(str(SHARE / path.parent), []).append(str(path))
    return sorted(folders.items())


setup(data_files=resource_data_files())
