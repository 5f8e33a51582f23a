"""Shared fixtures. Qt must never reach for a display in tests, so the platform is set before any Qt import."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = os.environ.get("KIOSK_TEST_QPA", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

import datetime as dt
from pathlib import Path

import pytest

from kiosk.content import Content, load_content
from kiosk.system.paths import content_dir

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def content() -> Content:
    """The shipped content, loaded once."""
    return load_content(content_dir())


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def visit_time() -> dt.datetime:
    return dt.datetime(2026, 11, 24, 15, 30, tzinfo=dt.timezone.utc)


ADMIN, ADMIN_PASSPHRASE = "Admin Ann", "correct horse battery"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """scrypt at OWASP cost takes ~0.3 s and 128 MiB per try; tests use a cheap cost (test_staff checks the real default)."""
    from kiosk.system import crypto

    monkeypatch.setattr(crypto, "DEFAULT_KDF", crypto.KdfParams(n=2**10, r=8, p=1))


@pytest.fixture
def installed(data_dir: Path):
    """A set-up data directory: database migrated, key pair made, first admin created. Yields the connection."""
    from kiosk.staff.vault import setup_install
    from kiosk.storage.db import connect

    conn = connect(data_dir / "kiosk.db")
    setup_install(conn, "Riverside Clinic", ADMIN, ADMIN_PASSPHRASE)
    yield conn
    conn.close()
