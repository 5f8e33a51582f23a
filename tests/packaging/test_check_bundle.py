"""The bundle checker itself: it must notice a bundle that lacks a Qt piece, ships WebEngine, or is too big.

The real bundle is built and checked by `make package-check` after pytest; these
tests make sure that check can fail.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_bundle = load("check_bundle")
qml_modules = load("qml_modules")


def fake_bundle(root: Path) -> Path:
    bundle = root / "naltrexone-kiosk"
    for pattern in check_bundle.REQUIRED:
        path = bundle / pattern.replace("*", "x")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
    return bundle


def test_a_complete_bundle_has_nothing_missing_or_unwanted(tmp_path: Path) -> None:
    bundle = fake_bundle(tmp_path)
    assert check_bundle.missing_parts(bundle) == []
    assert check_bundle.unwanted_parts(bundle) == []


def test_a_bundle_without_the_virtual_keyboard_is_reported(tmp_path: Path) -> None:
    bundle = fake_bundle(tmp_path)
    (bundle / check_bundle.QT / "plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so").unlink()
    assert check_bundle.missing_parts(bundle) == [
        f"missing {check_bundle.QT}/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so (the on-screen keyboard)"]


def test_webengine_in_the_bundle_is_reported(tmp_path: Path) -> None:
    bundle = fake_bundle(tmp_path)
    (bundle / check_bundle.QT / "lib" / "libQt6WebEngineCore.so.6").write_bytes(b"")
    assert check_bundle.unwanted_parts(bundle) == [
        f"should not be shipped: {check_bundle.QT}/lib/libQt6WebEngineCore.so.6"]


def test_size_is_measured_on_disk(tmp_path: Path) -> None:
    bundle = fake_bundle(tmp_path)
    (bundle / "big.bin").write_bytes(b"\1" * (3 * 1024 * 1024))
    assert check_bundle.size_mib(bundle) >= 3


def test_a_missing_bundle_is_a_clear_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_bundle.main(["check_bundle", str(tmp_path / "nothing")]) == 1
    assert "run `make package` first" in capsys.readouterr().err


def test_the_keyboard_qml_closure_holds_what_keyboard_qml_imports() -> None:
    import PySide6

    qml = Path(PySide6.__file__).parent / "Qt" / "qml"
    modules = set(qml_modules.module_closure(qml))
    assert {"QtQuick.VirtualKeyboard", "QtQuick.VirtualKeyboard.Styles.Builtin", "QtQuick.Layouts",
            "QtQuick.Window", "QtQml", "QtQuick.VirtualKeyboard.Plugins.Hangul",
            "QtQuick.VirtualKeyboard.Plugins.Pinyin"} <= modules
    assert not [m for m in modules if "WebEngine" in m or "3D" in m or "Controls" in m]


LOADED = ('qt.core.library: "/b/_internal/PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so"'
          ' loaded library\nqt.qml.import: addLibraryImport:  "QtQuick.VirtualKeyboard.Components" version "6.10"\n')


def test_a_keyboard_that_loads_cleanly_passes() -> None:
    assert check_bundle.keyboard_problems(LOADED) == []


def test_a_keyboard_with_a_missing_qml_module_fails() -> None:
    stderr = LOADED + ('qrc:/qt-project.org/imports/QtQuick/VirtualKeyboard/InputPanel.qml:107:5: Type Keyboard unavailable\n'
                       'qrc:/qt-project.org/imports/QtQuick/VirtualKeyboard/Components/Keyboard.qml: module '
                       '"QtQuick.VirtualKeyboard.Plugins.Thai" is not installed\n')
    problems = check_bundle.keyboard_problems(stderr)
    assert len(problems) == 2 and "Type Keyboard unavailable" in problems[0] and "Plugins.Thai" in problems[1]


def test_a_keyboard_that_never_loaded_fails() -> None:
    assert len(check_bundle.keyboard_problems("")) == 2


def test_a_bundle_that_does_not_reach_postgresql_is_reported_and_one_that_does_passes(tmp_path: Path) -> None:
    import os
    import sys

    from conftest import ROOT as CHECKOUT
    from kiosk.testing.wizard import SAMPLE_TIME  # noqa: F401 - the sample response needs the shipped content

    bundle = fake_bundle(tmp_path / "silent")
    program = bundle / check_bundle.NAME
    program.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    program.chmod(0o755)
    response = tmp_path / "response.json"
    check_bundle.write_sample_response(response)
    env = {k: v for k, v in os.environ.items() if k != "KIOSK_DATABASE_URL"}
    home = tmp_path / "home-silent"
    home.mkdir()
    problems = check_bundle.postgres_problems(bundle, home, env, response)
    assert len(problems) == 1 and "did not forward to PostgreSQL" in problems[0]

    working = fake_bundle(tmp_path / "working")  # the program from this checkout, as the bundle runs it
    program = working / check_bundle.NAME
    program.write_text(f"#!/bin/sh\ncd {CHECKOUT} && exec {sys.executable} -m kiosk \"$@\"\n", encoding="utf-8")
    program.chmod(0o755)
    home = tmp_path / "home-working"
    home.mkdir()
    assert check_bundle.postgres_problems(working, home, env, response) == []
