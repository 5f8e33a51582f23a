"""X25519 and AES-256-GCM from the OpenSSL library that Python's own hashlib has already loaded.

The patient-facing kiosk only seals (kiosk/system/crypto.py `seal`): one X25519
exchange with a fresh key, HKDF-SHA256, AES-256-GCM. Loading the `cryptography`
package for that costs the kiosk about 11 MB (its own statically linked OpenSSL
and bindings), while the same primitives sit in the libcrypto already mapped
for hashlib. These calls produce the very bytes `cryptography` would (tested
against it); where that library cannot be found (not Linux, OpenSSL older than
1.1.1) `available()` is False and crypto.py uses `cryptography` as before.
"""

from __future__ import annotations

import ctypes
import sys
from functools import lru_cache

EVP_PKEY_X25519 = 1034  # NID_X25519
EVP_CTRL_GCM_SET_IVLEN = 0x9
EVP_CTRL_GCM_GET_TAG = 0x10
KEY_BYTES = 32
TAG_BYTES = 16

_P = ctypes.c_void_p
_SIGNATURES: dict[str, tuple[object, list[object]]] = {
    "OpenSSL_version_num": (ctypes.c_ulong, []),
    "EVP_PKEY_new_raw_private_key": (_P, [ctypes.c_int, _P, ctypes.c_char_p, ctypes.c_size_t]),
    "EVP_PKEY_new_raw_public_key": (_P, [ctypes.c_int, _P, ctypes.c_char_p, ctypes.c_size_t]),
    "EVP_PKEY_get_raw_public_key": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.POINTER(ctypes.c_size_t)]),
    "EVP_PKEY_free": (None, [_P]),
    "EVP_PKEY_CTX_new": (_P, [_P, _P]),
    "EVP_PKEY_CTX_free": (None, [_P]),
    "EVP_PKEY_derive_init": (ctypes.c_int, [_P]),
    "EVP_PKEY_derive_set_peer": (ctypes.c_int, [_P, _P]),
    "EVP_PKEY_derive": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.POINTER(ctypes.c_size_t)]),
    "EVP_aes_256_gcm": (_P, []),
    "EVP_CIPHER_CTX_new": (_P, []),
    "EVP_CIPHER_CTX_free": (None, [_P]),
    "EVP_EncryptInit_ex": (ctypes.c_int, [_P, _P, _P, ctypes.c_char_p, ctypes.c_char_p]),
    "EVP_CIPHER_CTX_ctrl": (ctypes.c_int, [_P, ctypes.c_int, ctypes.c_int, _P]),
    "EVP_EncryptUpdate": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_char_p,
                                         ctypes.c_int]),
    "EVP_EncryptFinal_ex": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]),
}


class OpenSSLError(Exception):
    """An OpenSSL call failed (a malformed key, or a low-order point in an exchange)."""


def _hashlib_libcrypto() -> str | None:
    """The path of the libcrypto that hashlib linked, as this process mapped it (Linux only)."""
    if not sys.platform.startswith("linux"):
        return None
    import _hashlib  # noqa: F401 - the OpenSSL-backed hashes: their libcrypto is the one to use

    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                fields = line.split(maxsplit=5)
                if len(fields) == 6 and "/libcrypto" in fields[5] and ".so" in fields[5]:
                    return fields[5].strip()
    except OSError:
        pass
    return None


@lru_cache(maxsize=1)
def _library() -> ctypes.CDLL | None:
    path = _hashlib_libcrypto()
    if path is None:
        return None
    try:
        library = ctypes.CDLL(path)
        for name, (restype, argtypes) in _SIGNATURES.items():
            function = getattr(library, name)
            function.restype, function.argtypes = restype, argtypes
    except (OSError, AttributeError):
        return None
    if library.OpenSSL_version_num() < 0x10101000:  # raw X25519 keys came with OpenSSL 1.1.1
        return None
    return library


def available() -> bool:
    return _library() is not None


def _lib() -> ctypes.CDLL:
    library = _library()
    if library is None:
        raise OpenSSLError("libcrypto is not available here")
    return library


def _check(ok: int, what: str) -> None:
    if ok != 1:
        raise OpenSSLError(f"{what} failed")


def x25519_public(private: bytes) -> bytes:
    """The public key of a 32-byte X25519 private key."""
    lib = _lib()
    key = lib.EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, None, private, len(private))
    if not key:
        raise OpenSSLError("not an X25519 private key")
    try:
        out = ctypes.create_string_buffer(KEY_BYTES)
        size = ctypes.c_size_t(KEY_BYTES)
        _check(lib.EVP_PKEY_get_raw_public_key(key, out, ctypes.byref(size)), "reading the public key")
        return out.raw[:size.value]
    finally:
        lib.EVP_PKEY_free(key)


def x25519(private: bytes, peer_public: bytes) -> bytes:
    """The shared secret of `private` and the peer's public key (OpenSSL refuses an all-zero result)."""
    lib = _lib()
    key = lib.EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, None, private, len(private))
    peer = lib.EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, None, peer_public, len(peer_public))
    ctx = lib.EVP_PKEY_CTX_new(key, None) if key else None
    try:
        if not key or not peer or not ctx:
            raise OpenSSLError("not an X25519 key")
        _check(lib.EVP_PKEY_derive_init(ctx), "starting the exchange")
        _check(lib.EVP_PKEY_derive_set_peer(ctx, peer), "taking the peer's key")
        out = ctypes.create_string_buffer(KEY_BYTES)
        size = ctypes.c_size_t(KEY_BYTES)
        _check(lib.EVP_PKEY_derive(ctx, out, ctypes.byref(size)), "the exchange")
        return out.raw[:size.value]
    finally:
        if ctx:
            lib.EVP_PKEY_CTX_free(ctx)
        for pkey in (key, peer):
            if pkey:
                lib.EVP_PKEY_free(pkey)


def aes_gcm_encrypt(key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """AES-256-GCM: the ciphertext followed by the 16-byte tag (the layout of cryptography's AESGCM.encrypt)."""
    if len(key) != KEY_BYTES or len(nonce) != 12:
        raise OpenSSLError("AES-256-GCM takes a 32-byte key and a 12-byte nonce")
    lib = _lib()
    ctx = lib.EVP_CIPHER_CTX_new()
    if not ctx:
        raise OpenSSLError("no cipher context")
    try:
        _check(lib.EVP_EncryptInit_ex(ctx, lib.EVP_aes_256_gcm(), None, None, None), "choosing AES-256-GCM")
        _check(lib.EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, len(nonce), None), "setting the nonce length")
        _check(lib.EVP_EncryptInit_ex(ctx, None, None, key, nonce), "setting the key")
        written = ctypes.c_int(0)
        if aad:
            _check(lib.EVP_EncryptUpdate(ctx, None, ctypes.byref(written), aad, len(aad)), "authenticating")
        out = ctypes.create_string_buffer(len(plaintext) + 16)
        _check(lib.EVP_EncryptUpdate(ctx, out, ctypes.byref(written), plaintext, len(plaintext)), "encrypting")
        total = written.value
        rest = ctypes.create_string_buffer(16)
        _check(lib.EVP_EncryptFinal_ex(ctx, rest, ctypes.byref(written)), "finishing")
        body = out.raw[:total] + rest.raw[:written.value]
        tag = ctypes.create_string_buffer(TAG_BYTES)
        _check(lib.EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_BYTES, ctypes.cast(tag, _P)), "the tag")
        return body + tag.raw
    finally:
        lib.EVP_CIPHER_CTX_free(ctx)
