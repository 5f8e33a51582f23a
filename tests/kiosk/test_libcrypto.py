"""The kiosk seals with the OpenSSL that hashlib loaded: the same bytes as `cryptography`, without its 11 MB."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT
from kiosk.system import crypto, libcrypto

pytestmark = pytest.mark.skipif(not libcrypto.available(), reason="no libcrypto mapped by hashlib on this platform")


def test_x25519_matches_rfc_7748() -> None:
    alice = bytes.fromhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
    bob_public = bytes.fromhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
    assert libcrypto.x25519_public(alice).hex() == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
    assert libcrypto.x25519(alice, bob_public).hex() == \
        "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"


def test_the_primitives_give_the_bytes_cryptography_gives() -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    for size in (0, 1, 15, 16, 17, 1000, 70_000):
        private, peer = os.urandom(32), X25519PrivateKey.generate()
        peer_public = crypto.public_bytes(peer)
        ours = X25519PrivateKey.from_private_bytes(private)
        assert libcrypto.x25519_public(private) == crypto.public_bytes(ours)
        shared = libcrypto.x25519(private, peer_public)
        assert shared == ours.exchange(X25519PublicKey.from_public_bytes(peer_public))
        salt, info = os.urandom(64), b"naltrexone-kiosk seal v1"
        assert crypto.hkdf_sha256(shared, info, salt) == HKDF(hashes.SHA256(), 32, salt, info).derive(shared)
        assert crypto.hkdf_sha256(shared, info) == HKDF(hashes.SHA256(), 32, None, info).derive(shared)
        key, nonce, data, aad = os.urandom(32), os.urandom(12), os.urandom(size), os.urandom(size % 40)
        assert libcrypto.aes_gcm_encrypt(key, nonce, data, aad) == AESGCM(key).encrypt(nonce, data, aad)


def test_what_the_kiosk_seals_opens_with_the_staff_keys_and_not_with_others() -> None:
    keys, other = crypto.MasterKeys.generate(), crypto.MasterKeys.generate()
    blob = crypto.seal(keys.public_key, b'{"answers": "private"}', b"row 7")
    assert keys.open_sealed(blob, b"row 7") == b'{"answers": "private"}'
    with pytest.raises(crypto.CryptoError):
        keys.open_sealed(blob, b"row 8")  # bound to its row
    with pytest.raises(crypto.CryptoError):
        other.open_sealed(blob, b"row 7")
    assert crypto.seal(keys.public_key, b"same", b"a") != crypto.seal(keys.public_key, b"same", b"a")


def test_a_bad_public_key_is_refused() -> None:
    with pytest.raises(ValueError):
        crypto.seal(b"\0" * 32, b"text", b"aad")  # a low-order point: the shared secret would be all zeros
    with pytest.raises(ValueError):
        crypto.seal(b"short", b"text", b"aad")


def test_sealing_loads_no_cryptography_package() -> None:
    """The patient-facing kiosk only seals; the staff console, which opens, still uses `cryptography`."""
    script = ("import sys; from kiosk.system import crypto; "
              "crypto.seal(bytes.fromhex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f'), "
              "b'answers', b'row'); print(sorted(m for m in sys.modules if m.startswith('cryptography')))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=ROOT,
                          check=True)
    assert done.stdout.strip() == "[]"
