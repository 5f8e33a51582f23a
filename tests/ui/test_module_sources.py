"""The kiosk does not keep the source text of the modules it imports (PySide's import hook reads each one)."""

from __future__ import annotations

import importlib
import linecache
import sys
from pathlib import Path

from ui.module_sources import keep_no_module_sources


def _pyside_check_as_shipped(monkeypatch):  # noqa: ANN001, ANN202 - PySide's own function
    """PySide's own check, put back for this test (an earlier test in this process may have built a kiosk)."""
    import PySide6.QtCore  # noqa: F401

    feature = sys.modules["shibokensupport.feature"]
    check = feature._mod_uses_pyside
    check = getattr(check, "pyside_own", check)
    monkeypatch.setattr(feature, "_mod_uses_pyside", check)  # undone after the test
    return feature, check


def _import_as_pyside_sees_it(folder: Path, name: str) -> None:
    """Import a module and hand it to PySide's per-import hook, as PySide's __import__ does.

    The hook is called directly: which __import__ is installed depends on what ran earlier in the process
    (PySide later puts its lazy-loading __import__ in builtins, which no longer calls this hook), so an
    import statement alone answered differently in a full run than in this file alone."""
    feature = sys.modules["shibokensupport.feature"]
    sys.path.insert(0, str(folder))
    try:
        module = importlib.import_module(name)
        feature.feature_imported(module)
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop(name, None)


def _import_fresh(folder: Path, name: str) -> Path:
    source = folder / f"{name}.py"
    source.write_text("".join(f"LINE_{n} = {n}  # a module of some size\n" for n in range(2000)), encoding="utf-8")
    _import_as_pyside_sees_it(folder, name)
    return source


def test_pyside_keeps_an_imported_modules_source_unless_told_not_to(tmp_path: Path, monkeypatch) -> None:
    _pyside_check_as_shipped(monkeypatch)
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


def test_the_check_answers_as_pyside_does_reading_the_file_itself(tmp_path: Path, monkeypatch) -> None:
    feature, pyside_check = _pyside_check_as_shipped(monkeypatch)
    asked: list[str] = []

    def pyside_own(module):  # noqa: ANN001, ANN202 - PySide's own signature
        asked.append(module.__name__)
        return pyside_check(module)

    monkeypatch.setattr(feature, "_mod_uses_pyside", pyside_own)  # undone after this test
    assert keep_no_module_sources()
    answers = {}
    for name, text in (("kiosk_pyside_probe_yes", "# drawn with PySide6 widgets\nVALUE = 1\n"),
                       ("kiosk_pyside_probe_no", "VALUE = 2\n")):
        (tmp_path / f"{name}.py").write_text(text, encoding="utf-8")
        _import_as_pyside_sees_it(tmp_path, name)
        answers[name] = feature.pyside_feature_dict.pop(name)
    assert answers == {"kiosk_pyside_probe_yes": 0, "kiosk_pyside_probe_no": -1}, "0: uses PySide, -1: does not"
    assert asked == [], "a module's file is read directly, not through inspect and linecache (~0.15 ms a module)"
