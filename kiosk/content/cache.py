"""A compiled copy of a checked content folder, so a daily start skips YAML parsing and validation.

The key is a hash of everything the result depends on: every file in the
content folder and the images folder and the content model's source (plain
dataclasses: reading the copy needs neither YAML nor pydantic). Any edit gives a new key, so a stale copy is never used;
`check-content` never reads the cache and always validates in full.

The copy is a pickle, read back by an unpickler that only builds the classes
defined in the content model and plain containers: a file planted in the data folder
cannot run code in the kiosk or the staff console, it can only fail to load
(and is then rebuilt from the YAML).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_ALLOWED_MODULES = ("kiosk.content.model", "kiosk.content.manifest", "kiosk.content.bundle")
_ALLOWED_BUILTINS = {("builtins", name) for name in ("dict", "list", "set", "frozenset", "tuple", "str", "int",
                                                     "float", "bool", "bytes", "object")}
_ALLOWED_OTHER = {("pathlib", "PosixPath"), ("pathlib", "WindowsPath"), ("pathlib", "Path"),
                  ("copyreg", "_reconstructor"), ("datetime", "date"), ("datetime", "datetime")}


class _ContentUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_BUILTINS | _ALLOWED_OTHER:
            return super().find_class(module, name)
        if module in _ALLOWED_MODULES:
            found = super().find_class(module, name)
            # a class of the model itself; never a helper it imported (`dataclasses.replace`, ...)
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of the content model")


def content_key(folder: Path, images: Path) -> str:
    """Hash of the content and image files and of the code that reads them and works out their figures."""
    digest = hashlib.sha256(_code())
    for root in (folder, images):
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


# The code a compiled copy depends on: the model, and the rules that work out the content's figures.
CODE_FOLDERS = ("content", "rules")


def _code() -> bytes:
    from kiosk.content import model

    return _model_code(model.__file__)


def _model_code(source: str | None) -> bytes:
    """The sources of the model's package and of the rules beside it; a PyInstaller bundle ships none, so there
    the program file stands for them."""
    try:
        package = Path(source or "").resolve(strict=True).parent.parent
        return b"".join(path.read_bytes() for folder in CODE_FOLDERS for path in sorted((package / folder).glob("*.py")))
    except OSError:
        from kiosk import __version__

        program = Path(sys.executable).stat()
        return f"{__version__}:{program.st_size}:{program.st_mtime_ns}".encode()


def cached(folder: Path, images: Path, cache_dir: Path, build: Callable[[], Any], visit: str = "intake",
           key: str | None = None) -> Any:
    """One visit type's content from `cache_dir` when its key matches, otherwise `build()` and keep the result.

    Each visit type has a copy of its own, so loading one never evicts another. `key` is `content_key(folder,
    images)` when the caller has it already.
    """
    try:
        key = key or content_key(folder, images)
    except OSError as exc:  # the copy is only for speed: without a key, load the YAML as check-content does
        log.warning("content cache not used (%s)", exc)
        return build()
    path = cache_dir / f"content-{visit}-{key[:32]}.pickle"
    try:
        with path.open("rb") as handle:
            loaded = _ContentUnpickler(io.BytesIO(handle.read())).load()
        if getattr(loaded, "folder", None) == folder and getattr(loaded, "visit", None) == visit:
            return loaded
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 - a damaged or planted copy: rebuild from the YAML
        log.warning("content cache %s not usable (%s); rebuilding it", path.name, type(exc).__name__)
    content = build()
    _store(cache_dir, path, content, visit)
    return content


def _store(cache_dir: Path, path: Path, content: Any, visit: str) -> None:
    """Best effort: a cache that cannot be written only costs the next start its speed."""
    try:
        cache_dir.mkdir(mode=0o700, exist_ok=True)
        # Older copies of this visit type, and copies from before visit types had their own.
        stale = [*cache_dir.glob(f"content-{visit}-*.pickle"), *cache_dir.glob("content-" + "[0-9a-f]" * 32 + ".pickle")]
        for old in stale:
            old.unlink(missing_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, path)
    except OSError as exc:
        log.warning("content cache not written (%s)", exc)
