"""What an imported response may not say, and what it says about where it came from.

Kept beside the reader in `response.py`: consent refused, answers that
contradict an exclusive option ("None of these"), and the response's
author and source in words for page 1 of the PDF.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.content import Content
from kiosk.content.model import ConsentPage, Question

ORIGIN_LIMIT = 200


def declined_consent(content: Content, answers: Mapping[str, Any]) -> str | None:
    """The linkId of a consent the response answers `false`, or None."""
    return next((p.id for p in content.pages if isinstance(p, ConsentPage) and answers.get(p.id) is False), None)


def exclusive_conflict(question: Question | None, codes: list[Any]) -> str | None:
    """Why these options cannot be chosen together ("None of these" with a symptom), or None."""
    if question is None or len(codes) < 2:
        return None
    alone = [question.option(str(c)) for c in codes]
    exclusive = next((o for o in alone if o is not None and o.exclusive), None)
    if exclusive is None:
        return None
    others = ", ".join(repr(str(c)) for c in codes if c != exclusive.code)
    return (f"option {exclusive.code!r} ({exclusive.text.get('en')}) excludes every other answer, "
            f"but {others} was also chosen")


def origin(data: Mapping[str, Any]) -> str:
    """"author: Dr Lee (Practitioner/7); source: Patient/3" from the response's own references, if any."""
    parts = []
    for key in ("author", "source"):
        ref = data.get(key)
        if not isinstance(ref, dict):
            continue
        display, reference = ref.get("display"), ref.get("reference")
        words = " ".join(str(w) for w in (display, f"({reference})" if reference and display else reference) if w)
        if words:
            parts.append(f"{key}: {words}")
    text = "; ".join(parts)
    return text if len(text) <= ORIGIN_LIMIT else text[:ORIGIN_LIMIT] + "..."
