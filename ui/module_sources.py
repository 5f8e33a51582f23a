"""Keep PySide from holding the source text of every module the kiosk imports.

PySide's import hook (shibokensupport.feature) asks, for each module imported
after PySide6, whether it mentions PySide6, by reading its source with
`inspect.getsource`; that leaves every line of every such module in
`linecache` for the life of the process: about 5 MB in the kiosk. The lines
are only a cache (a traceback reads them again when it needs them), so each
module's are dropped right after the check.
"""

from __future__ import annotations

import linecache
import logging
import sys
from types import ModuleType

log = logging.getLogger(__name__)


def keep_no_module_sources() -> bool:
    """Wrap PySide's check so it leaves nothing in linecache; True when PySide's hook was found and wrapped."""
    import PySide6.QtCore  # noqa: F401 - loads PySide's import hook

    feature = sys.modules.get("shibokensupport.feature")
    check = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or check is None:
        return False  # another PySide: nothing to wrap
    if getattr(check, "keeps_no_source", False):
        return True

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            # PySide's own answer ("PySide6" in the module's source), read straight from the file: its way, through
            # inspect and linecache, cost ~0.15 ms a module, ~17 ms CPU of the kiosk's start before the first screen
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                return False  # as PySide's check answers a module whose source cannot be read
        known = set(linecache.cache)
        try:
            return bool(check(module))
        finally:
            for name in set(linecache.cache) - known:
                linecache.cache.pop(name, None)

    uses_pyside.keeps_no_source = True  # type: ignore[attr-defined]
    uses_pyside.pyside_own = check  # type: ignore[attr-defined]  # PySide's check, for tests that need it as it was
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    linecache.clearcache()  # what the check kept for the modules imported so far
    return True
