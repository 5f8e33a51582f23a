"""The search index: keyed hashes of name words and date of birth, and an encrypted queue header.

The kiosk cannot read what it stored, so rows are indexed when a staff member
unlocks: each new payload is opened once, its name and date of birth become
HMAC tokens (equal values match; without the key they say nothing), and a short
header (name, date of birth, printed-or-not) is encrypted under the data key so
the queue can show a page of rows without opening 200 sealed payloads.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections.abc import Iterable
from typing import Any

from kiosk.crypto import MasterKeys
from kiosk.storage.db import atomic

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
    return json.loads(keys.decrypt(blob, f"header:{submission_id}".encode()))


def write_index(conn: sqlite3.Connection, keys: MasterKeys, submission_id: str, name: str, dob: str,
                extra_header: dict[str, Any] | None = None) -> None:
    """Replace one row's tokens and header (inside the caller's transaction when there is one)."""
    header = {"name": name, "dob": dob, **(extra_header or {})}
    with atomic(conn):
        conn.execute("DELETE FROM search_tokens WHERE submission_id = ?", (submission_id,))
        conn.executemany("INSERT INTO search_tokens (submission_id, token) VALUES (?, ?)",
                         [(submission_id, token) for token in tokens_for(keys, name, dob)])
        conn.execute("UPDATE submissions SET header = ?, indexed = 1 WHERE id = ?",
                     (encrypt_header(keys, submission_id, header), submission_id))


def write_many(conn: sqlite3.Connection, keys: MasterKeys, entries: Iterable[tuple[str, dict[str, Any]]]) -> None:
    """Index rows not indexed before (training data), inside the caller's transaction; each header holds name and
    dob."""
    tokens: list[tuple[str, bytes]] = []
    headers: list[tuple[bytes, str]] = []
    for submission_id, header in entries:
        tokens += [(submission_id, t) for t in tokens_for(keys, str(header["name"]), str(header["dob"]))]
        headers.append((encrypt_header(keys, submission_id, header), submission_id))
    conn.executemany("INSERT INTO search_tokens (submission_id, token) VALUES (?, ?)", tokens)
    conn.executemany("UPDATE submissions SET header = ?, indexed = 1 WHERE id = ?", headers)


def pending_ids(conn: sqlite3.Connection, limit: int = 1000) -> list[str]:
    return [r[0] for r in conn.execute("SELECT id FROM submissions WHERE indexed = 0 LIMIT ?", (limit,))]


def match_clause(tokens: Iterable[bytes]) -> tuple[str, list[bytes]]:
    """SQL that keeps rows holding every token (an intersection over the token index)."""
    wanted = list(tokens)
    if not wanted:
        return "", []
    parts = " INTERSECT ".join("SELECT submission_id FROM search_tokens WHERE token = ?" for _ in wanted)
    return f"id IN ({parts})", wanted
