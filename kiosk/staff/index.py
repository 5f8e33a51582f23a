"""The search index: keyed hashes of name words and date of birth, and an encrypted queue header.

The kiosk cannot read what it stored, so rows are indexed when a staff member
unlocks: each new payload is opened once, its name and date of birth become
HMAC tokens (equal values match; without the key they say nothing), and a short
header (name, date of birth, printed-or-not) is encrypted under the data key so
the queue can show a page of rows without opening 200 sealed payloads.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from kiosk.system.crypto import MasterKeys

# Shorter beginnings would match most of the queue and say more about the name to anyone holding the index.
MIN_PREFIX = 3


def name_words(name: str) -> list[str]:
    """Lower-case words without accents, so 'José' finds 'jose' and 'JOSE'."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return list(dict.fromkeys(words))


def word_prefixes(word: str) -> list[str]:
    """The word and its beginnings of MIN_PREFIX letters or more: 'lopez' -> lop, lope, lopez."""
    return [word[:end] for end in range(min(MIN_PREFIX, len(word)), len(word) + 1)]


def tokens_for(keys: MasterKeys, name: str, dob: str) -> list[bytes]:
    """What one row is found by: each name word and each of its prefixes, and the date of birth, as keyed hashes."""
    prefixes = dict.fromkeys(p for word in name_words(name) for p in word_prefixes(word))
    found = [keys.token("n", prefix) for prefix in prefixes]
    if dob.strip():
        found.append(keys.token("d", dob.strip()))
    return found


def query_tokens(keys: MasterKeys, name: str, dob: str) -> list[bytes]:
    """Every token a match must have: each word typed (a whole word, or the start of one when 3+ letters), and the
    date of birth."""
    found = [keys.token("n", word) for word in name_words(name)]
    if dob.strip():
        found.append(keys.token("d", dob.strip()))
    return found


def encrypt_header(keys: MasterKeys, submission_id: str, header: dict[str, Any]) -> bytes:
    return keys.encrypt(json.dumps(header, ensure_ascii=False).encode("utf-8"), f"header:{submission_id}".encode())


def decrypt_header(keys: MasterKeys, submission_id: str, blob: bytes) -> dict[str, Any]:
    header: dict[str, Any] = json.loads(keys.decrypt(blob, f"header:{submission_id}".encode()))
    return header


def index_entry(keys: MasterKeys, submission_id: str, header: dict[str, Any]) -> tuple[list[bytes], bytes]:
    """One row's search tokens and encrypted header (which holds at least name and dob), for the repository."""
    return tokens_for(keys, str(header["name"]), str(header["dob"])), encrypt_header(keys, submission_id, header)
