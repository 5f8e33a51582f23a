"""The kiosk does not keep the source text of the modules it imports (PySide's import hook reads each one)."""

from __future__ import annotations

import linecache
import sys
from pathlib import Path

import pytest

from ui.module_sources import keep_no_module_sources


def _import_fresh(folder: Path, name: str) -> Path:
    source = folder / f"{name}.py"
    source.write_text("".join(f"LINE_{n} = {n}  # a module of some size\n" for n in range(2000)), encoding="utf-8")
    sys.path.insert(0, str(folder))
    try:
        __import__(name)  # an import statement: PySide hooks __import__
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop(name, None)
    return source


def test_pyside_keeps_an_imported_modules_source_unless_told_not_to(tmp_path: Path, monkeypatch) -> None:
    import PySide6.QtCore  # noqa: F401

    feature = sys.modules["shibokensupport.feature"]
    monkeypatch.setattr(feature, "_mod_uses_pyside", feature._mod_uses_pyside)  # undone after this test
    if getattr(feature._mod_uses_pyside, "keeps_no_source", False):
        pytest.skip("this process already wrapped PySide's check (an earlier test built a kiosk)")
    kept = _import_fresh(tmp_path, "kiosk_source_probe_a")
    assert str(kept) in linecache.cache, "PySide's import hook reads and keeps the module's lines"
    assert keep_no_module_sources()
    assert str(kept) not in linecache.cache, "what was kept so far is dropped"
    dropped = _import_fresh(tmp_path, "kiosk_source_probe_b")
    assert str(dropped) not in linecache.cache, "and nothing is kept for later imports"
    assert keep_no_module_sources(), "a second call wraps nothing twice"


def test_the_kiosk_start_drops_module_sources() -> None:
    source = (Path(__file__).resolve().parents[2] / "ui" / "app.py").read_text(encoding="utf-8")
    build = source.split("def build_kiosk(", 1)[1].split("\ndef ", 1)[0]
    assert "keep_no_module_sources()" in build
