"""Sealing and key wrapping: the only module that touches cryptographic primitives.

Design (issue 7): one 32-byte master secret per install. From it come an
X25519 key pair (submissions are sealed to the public key, so the patient-facing
process can write but never read them), an index key (keyed hashes for search)
and a data key (staff notes, queue headers). The master is stored only wrapped:
under a key derived from each staff passphrase (scrypt at OWASP settings) and
under the recovery key printed once at setup.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# The primitives are imported where they are used: the kiosk paints its first screen without them (a patient's
# first answer seals the autosave), and a process that only reads plain columns never loads them.

SEALED_MAGIC = b"NKS1"
WRAPPED_MAGIC = b"NKW1"


class CryptoError(Exception):
    """A sealed or wrapped blob could not be opened: wrong key, or the bytes were changed."""


@dataclass(frozen=True)
class KdfParams:
    """scrypt cost; OWASP's password storage cheat sheet: N=2^17, r=8, p=1."""

    n: int = 2**17
    r: int = 8
    p: int = 1


OWASP_SCRYPT = KdfParams()
DEFAULT_KDF = OWASP_SCRYPT


def derive_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """A 32-byte key from a staff passphrase (slow on purpose)."""
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=params.n, r=params.r, p=params.p,
                          maxmem=256 * 1024 * 1024, dklen=32)


def derive_key_while(passphrase: str, salt: bytes, params: KdfParams, meanwhile: Callable[[], object]) -> bytes:
    """`derive_key` on a worker thread while `meanwhile` runs on this one: hashlib.scrypt releases the GIL, so work
    that needs no key (reading the first screen's sealed rows) costs no time beside it. The KDF is unchanged."""
    found: list[bytes] = []
    failed: list[BaseException] = []

    def work() -> None:
        try:
            found.append(derive_key(passphrase, salt, params))
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread below
            failed.append(exc)

    worker = threading.Thread(target=work, name="staff key derivation", daemon=True)
    worker.start()
    try:
        meanwhile()
    finally:
        worker.join()
    if failed:
        raise failed[0]
    return found[0]


def _raw_public(private: X25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _aead(key: bytes) -> AESGCM:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def _x25519() -> ModuleType:
    """The X25519 key classes, imported on first use."""
    from cryptography.hazmat.primitives.asymmetric import x25519

    return x25519


def load_ciphers() -> None:
    """Import the AEAD and X25519 modules now: a fresh process's first unwrap would otherwise pay for them after the
    KDF (tens of ms), where a staff member signing in is waiting."""
    _aead(bytes(32))
    _x25519()


def wrap(key: bytes, secret: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(12)
    return WRAPPED_MAGIC + nonce + _aead(key).encrypt(nonce, secret, aad)


def unwrap(key: bytes, blob: bytes, aad: bytes) -> bytes:
    from cryptography.exceptions import InvalidTag

    if not blob.startswith(WRAPPED_MAGIC):
        raise CryptoError("not a wrapped key")
    nonce, body = blob[4:16], blob[16:]
    try:
        return _aead(key).decrypt(nonce, body, aad)
    except InvalidTag as exc:
        raise CryptoError("wrong key or changed bytes") from exc


def hkdf_sha256(secret: bytes, info: bytes, salt: bytes | None = None) -> bytes:
    """RFC 5869 HKDF-SHA256, 32 bytes (one expand block), with the standard library's HMAC: the bytes of
    `cryptography`'s HKDF (tested against it), without loading that package to derive a key."""
    prk = hmac.digest(salt or bytes(32), secret, "sha256")
    return hmac.digest(prk, info + b"\x01", "sha256")


def seal(public_key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt to the install's public key: anyone can seal, only the master's holder can open.

    Where Python's hashlib brought OpenSSL's libcrypto, the same primitives are called there: the
    patient-facing kiosk, which only seals, then never loads the `cryptography` package (about 11 MB).
    """
    from kiosk.system import libcrypto

    if libcrypto.available():
        ephemeral = secrets.token_bytes(32)
        eph_public = libcrypto.x25519_public(ephemeral)
        try:
            shared = libcrypto.x25519(ephemeral, public_key)
        except libcrypto.OpenSSLError as exc:
            raise ValueError("not an X25519 public key") from exc
        key = hkdf_sha256(shared, b"naltrexone-kiosk seal v1", salt=eph_public + public_key)
        nonce = os.urandom(12)
        return SEALED_MAGIC + eph_public + nonce + libcrypto.aes_gcm_encrypt(key, nonce, plaintext, aad)
    x25519 = _x25519()
    ephemeral = x25519.X25519PrivateKey.generate()
    eph_public = _raw_public(ephemeral)
    shared = ephemeral.exchange(x25519.X25519PublicKey.from_public_bytes(public_key))
    key = hkdf_sha256(shared, b"naltrexone-kiosk seal v1", salt=eph_public + public_key)
    nonce = os.urandom(12)
    return SEALED_MAGIC + eph_public + nonce + _aead(key).encrypt(nonce, plaintext, aad)


class BatchSealer:
    """Seals many payloads under one ephemeral key (one X25519 exchange per batch, not per row), for bulk writes
    such as training data. Each payload still has its own random nonce and row-bound `aad`, and opens like `seal`'s."""

    def __init__(self, public_key: bytes) -> None:
        x25519 = _x25519()
        ephemeral = x25519.X25519PrivateKey.generate()
        self._prefix = SEALED_MAGIC + _raw_public(ephemeral)
        shared = ephemeral.exchange(x25519.X25519PublicKey.from_public_bytes(public_key))
        self._aead = _aead(hkdf_sha256(shared, b"naltrexone-kiosk seal v1", salt=self._prefix[4:] + public_key))

    def seal(self, plaintext: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(12)
        return self._prefix + nonce + self._aead.encrypt(nonce, plaintext, aad)


def is_sealed(blob: bytes) -> bool:
    return blob.startswith(SEALED_MAGIC)


def open_sealed_with(private: X25519PrivateKey, blob: bytes, aad: bytes) -> bytes:
    """Open what `seal` made for `private`'s public key; CryptoError when it was sealed to another key or changed."""
    from cryptography.exceptions import InvalidTag

    if not is_sealed(blob):
        raise CryptoError("not a sealed payload")
    eph_public, nonce, body = blob[4:36], blob[36:48], blob[48:]
    own_public = _raw_public(private)
    shared = private.exchange(_x25519().X25519PublicKey.from_public_bytes(eph_public))
    key = hkdf_sha256(shared, b"naltrexone-kiosk seal v1", salt=eph_public + own_public)
    try:
        return _aead(key).decrypt(nonce, body, aad)
    except InvalidTag as exc:
        raise CryptoError("wrong key or changed bytes") from exc


def private_from(secret: bytes, purpose: bytes) -> X25519PrivateKey:
    """An X25519 key derived from a secret (a staff passphrase's key, the recovery key) for one purpose."""
    return _x25519().X25519PrivateKey.from_private_bytes(hkdf_sha256(secret, purpose))


def public_bytes(private: X25519PrivateKey) -> bytes:
    return _raw_public(private)


def derive(secret: bytes, purpose: bytes) -> bytes:
    """A 32-byte key for one purpose from a secret (HKDF-SHA256)."""
    return hkdf_sha256(secret, purpose)


class MasterKeys:
    """The keys derived from an opened master secret; held in memory only while the console is unlocked."""

    def __init__(self, master: bytes) -> None:
        if len(master) != 32:
            raise CryptoError("a master secret is 32 bytes")
        self.master = master
        self._private = _x25519().X25519PrivateKey.from_private_bytes(hkdf_sha256(master, b"x25519"))
        self.index_key = hkdf_sha256(master, b"search index")
        self.audit_key = hkdf_sha256(master, b"audit chain")
        self._data = _aead(hkdf_sha256(master, b"data"))
        self._previous: list[X25519PrivateKey] = []

    def add_previous(self, master: bytes) -> None:
        """An earlier key epoch's master: its private key still opens what was sealed in that epoch."""
        self._previous.append(_x25519().X25519PrivateKey.from_private_bytes(hkdf_sha256(master, b"x25519")))

    def inherit(self, older: "MasterKeys") -> None:
        """Hold every private key `older` holds (its own and its earlier epochs'), after this epoch's own."""
        self._previous.extend([older._private, *older._previous])

    @property
    def epochs_held(self) -> int:
        return 1 + len(self._previous)

    @classmethod
    def generate(cls) -> "MasterKeys":
        return cls(secrets.token_bytes(32))

    @property
    def public_key(self) -> bytes:
        return _raw_public(self._private)

    def open_sealed(self, blob: bytes, aad: bytes) -> bytes:
        """Open a payload sealed in this epoch or, failing that, in an earlier one (newest first)."""
        for private in (self._private, *self._previous):
            try:
                return open_sealed_with(private, blob, aad)
            except CryptoError:
                continue
        raise CryptoError("wrong key or changed bytes")

    def encrypt(self, plaintext: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._data.encrypt(nonce, plaintext, aad)

    def decrypt(self, blob: bytes, aad: bytes) -> bytes:
        from cryptography.exceptions import InvalidTag

        try:
            return self._data.decrypt(blob[:12], blob[12:], aad)
        except InvalidTag as exc:
            raise CryptoError("wrong key or changed bytes") from exc

    def token(self, kind: str, value: str) -> bytes:
        """A keyed hash for search: equal values match, but the index reveals nothing without the key."""
        return hmac.digest(self.index_key, f"{kind}:{value}".encode("utf-8"), "sha256")[:16]


def recovery_key_text(raw: bytes) -> str:
    """32 random bytes as groups of base32 a person can copy onto paper."""
    text = base64.b32encode(raw).decode("ascii").rstrip("=")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def recovery_key_bytes(text: str) -> bytes:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    padded = cleaned + "=" * (-len(cleaned) % 8)
    try:
        raw = base64.b32decode(padded)
    except ValueError as exc:
        raise CryptoError("that is not a recovery key (letters A-Z and digits 2-7 in groups of four)") from exc
    if len(raw) != 32:
        raise CryptoError("that recovery key is too short or too long")
    return raw


def recovery_wrap_key(raw: bytes) -> bytes:
    return hkdf_sha256(raw, b"recovery key")
