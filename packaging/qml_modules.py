"""Which QML module folders the bundle needs, so the virtual keyboard works without shipping all of Qt Quick.

The virtual keyboard is a QML plugin: Qt loads `QtQuick/VirtualKeyboard` and the
modules it `import`s / `depends` on at run time. PyInstaller does not follow QML
imports, and collecting the whole `qml/` tree (with WebEngine, 3D, Charts, ...)
would break the size budget. So the spec asks this module for the closure of
imports, starting from the virtual keyboard.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOTS = ("QtQuick.VirtualKeyboard",)
# Nothing is skipped: the keyboard's own Keyboard.qml imports every input-method plug-in (Hangul, Pinyin, ...),
# and without them the whole keyboard fails to load ("Type Keyboard unavailable"), not just those languages.
# They cost about 3 MB. A name here would leave a module out; the bundle check would then catch the breakage.
SKIPPED: frozenset[str] = frozenset()
_IMPORT = re.compile(r"^\s*(?:optional\s+)?(?:import|depends)\s+([A-Za-z][\w.]*)", re.MULTILINE)


def module_dir(qml_root: Path, module: str) -> Path:
    return qml_root.joinpath(*module.split("."))


def _own_files(folder: Path) -> list[Path]:
    """Files of one module: its folder, and sub-folders that are resources (no qmldir of their own)."""
    found: list[Path] = []
    for entry in sorted(folder.iterdir()):
        if entry.is_file():
            found.append(entry)
        elif entry.is_dir() and not (entry / "qmldir").exists():
            found.extend(p for p in sorted(entry.rglob("*")) if p.is_file())
    return found


def _imports(folder: Path) -> set[str]:
    names: set[str] = set()
    for path in _own_files(folder):
        if path.name == "qmldir" or path.suffix in (".qml", ".js"):
            names.update(_IMPORT.findall(path.read_text(encoding="utf-8", errors="replace")))
    return names


def module_closure(qml_root: Path, roots: tuple[str, ...] = ROOTS) -> list[str]:
    """Every module reachable from `roots` that exists under `qml_root`, sub-modules of a root included."""
    pending = list(roots)
    for root in roots:
        base = module_dir(qml_root, root)
        pending += [".".join(q.parent.relative_to(qml_root).parts) for q in base.rglob("qmldir") if q.parent != base]
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen or name in SKIPPED or not (module_dir(qml_root, name) / "qmldir").is_file():
            continue
        seen.add(name)
        pending.extend(_imports(module_dir(qml_root, name)))
    return sorted(seen)


def collect(qml_root: Path, dest_root: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(binaries, datas) for PyInstaller: shared objects as binaries so their own Qt libraries are pulled in too."""
    binaries: list[tuple[str, str]] = []
    datas: list[tuple[str, str]] = []
    for name in module_closure(qml_root):
        for path in _own_files(module_dir(qml_root, name)):
            dest = str(Path(dest_root) / path.parent.relative_to(qml_root))
            (binaries if path.suffix == ".so" or path.suffix == ".dll" else datas).append((str(path), dest))
    return binaries, datas
