"""The clinic's logo for the PDF masthead: a staff-chosen image file read once, never a patient path."""

from __future__ import annotations

import io
import logging
from pathlib import Path

log = logging.getLogger(__name__)
LARGEST_LOGO = 2 * 1024 * 1024


def load_logo(path: str | Path | None) -> bytes | None:
    """The logo's bytes if `path` names a readable PNG or JPEG image; None (and a log line saying why) otherwise."""
    if not path:
        return None
    file = Path(path)
    try:
        if file.stat().st_size > LARGEST_LOGO:
            log.warning("clinic logo %s is larger than 2 MB; printing without it", file)
            return None
        data = file.read_bytes()
    except OSError as exc:
        log.warning("clinic logo %s cannot be read (%s); printing without it", file, exc.strerror or exc)
        return None
    from reportlab.lib.utils import ImageReader

    try:
        ImageReader(io.BytesIO(data)).getSize()
    except Exception:  # noqa: BLE001 - any undecodable file is simply not a logo
        log.warning("clinic logo %s is not a PNG or JPEG image; printing without it", file)
        return None
    return data
