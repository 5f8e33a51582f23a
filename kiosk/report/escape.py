"""The one escape helper for patient text on its way into the PDF.

reportlab's Paragraph parses its text as markup: an unescaped `<img src=...>`
in an answer could open a local file, `<b>` would change formatting and an
unclosed tag would stop the build. Every patient string passes through here,
for Paragraph markup (`escape_markup`) and for plain canvas strings
(`printable`).

The stated rule (tested with hypothesis: what is extracted from the PDF equals
`printable(typed)` once whitespace is ignored):

1. Control characters (Cc: NUL, C0/C1 controls), format characters (Cf: soft
   hyphen, zero-width joiners, bidirectional overrides and isolates, BOM),
   surrogates, private-use and unassigned code points are dropped: they are
   invisible or meaningless on paper, and bidi controls could make printed
   text read in an order other than the one typed.
2. Every line break (CR LF, CR, LF, U+2028, U+2029, VT, FF, ...) becomes a line
   break, and every other kind of space (tab, no-break space, ideographic
   space, ...) becomes a plain space.
3. A character the bundled font cannot draw (CJK, most astral characters,
   emoji, ...) prints as its code point, e.g. `[U+88AB]`, so nothing is
   silently lost and no black box appears.
4. Right-to-left letters print one by one in the order typed (no shaping); a
   PDF reader may extract such a run reversed.

Nothing else is changed: letters, digits, marks, punctuation and symbols print
as typed, and `<`, `>`, `&` and quotes are entities, never markup.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container

DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def neutralize(text: str) -> str:
    """Rules 1 and 2: drop what cannot be shown safely, make every break a newline and every space a space."""
    out = []
    for char in text.replace("\r\n", "\n"):
        if char in LINE_BREAKS:
            out.append("\n")
        elif char.isspace():
            out.append(" ")
        elif unicodedata.category(char) not in DROPPED_CATEGORIES:
            out.append(char)
    return "".join(out)


def printable(text: str, drawable: Container[int] | None = None) -> str:
    """Rules 1-3: `text` as it will appear on paper, given the code points the font can draw (None: all)."""
    clean = neutralize(text)
    if drawable is None:
        return clean
    return "".join(c if c in " \n" or ord(c) in drawable else f"[U+{ord(c):04X}]" for c in clean)


def escape_markup(text: str, drawable: Container[int] | None = None) -> str:
    """Patient text as literal reportlab Paragraph text: printable, entity-escaped, newlines as breaks."""
    clean = printable(text, drawable)
    clean = clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return clean.replace("\n", "<br/>")
