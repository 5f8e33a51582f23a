"""The one escape helper for patient text on its way into reportlab markup.

reportlab's Paragraph parses its text as markup: an unescaped `<img src=...>`
in an answer could open a local file, `<b>` would change formatting and an
unclosed tag would stop the build. Every patient string passes through here.
"""

from __future__ import annotations

import unicodedata

# Stated rule: control characters other than newline and tab are dropped, and
# bidirectional overrides/isolates are dropped so printed text reads in the
# order it was typed. Nothing else is changed.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def neutralize(text: str) -> str:
    """Remove characters that cannot be shown safely; keep every letter, digit, mark and symbol."""
    out = []
    for char in text:
        if char in "\n\t":
            out.append(char)
            continue
        if char in BIDI_CONTROLS:
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Co", "Cn"):
            continue
        out.append(char)
    return "".join(out)


def escape_markup(text: str) -> str:
    """Patient text as literal reportlab Paragraph text: neutralized, entity-escaped, newlines as breaks."""
    clean = neutralize(text)
    clean = clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return clean.replace("\t", " ").replace("\n", "<br/>")
