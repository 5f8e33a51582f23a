"""How a submission's payload is written to disk: plain before setup, sealed to the install's key after.

The patient-facing kiosk only ever seals (it cannot read back what it stored);
an unlocked staff console opens.
"""

from __future__ import annotations

from typing import Protocol

from kiosk.system.crypto import BatchSealer, MasterKeys, is_sealed, seal


class Sealed(Exception):
    """The payload is sealed and this process holds no key to open it (the patient-facing kiosk never does)."""


class PayloadCodec(Protocol):
    """How a payload is written to disk. `aad` binds it to its row, so payloads cannot be swapped between rows."""

    def encode(self, data: bytes, aad: bytes) -> bytes: ...

    def decode(self, data: bytes, aad: bytes) -> bytes: ...


class PlainCodec:
    """Only for a database that was never set up (no key pair yet); `open_kiosk_services` refuses those."""

    def encode(self, data: bytes, aad: bytes) -> bytes:
        return data

    def decode(self, data: bytes, aad: bytes) -> bytes:
        if is_sealed(data):
            raise Sealed("this payload is sealed; unlock the staff console to read it")
        return data


class SealingCodec:
    """Write-only: seals to the install's public key; cannot read anything back."""

    def __init__(self, public_key: bytes) -> None:
        self.public_key = public_key

    def encode(self, data: bytes, aad: bytes) -> bytes:
        return seal(self.public_key, data, aad)

    def decode(self, data: bytes, aad: bytes) -> bytes:
        if not is_sealed(data):
            return data
        raise Sealed("this payload is sealed; unlock the staff console to read it")


class BatchSealingCodec(SealingCodec):
    """Write-only like SealingCodec, but one ephemeral key for every payload it seals (bulk training data)."""

    def __init__(self, public_key: bytes) -> None:
        super().__init__(public_key)
        self._sealer = BatchSealer(public_key)

    def encode(self, data: bytes, aad: bytes) -> bytes:
        return self._sealer.seal(data, aad)


class OpeningCodec(SealingCodec):
    """Read and write, for an unlocked staff console."""

    def __init__(self, keys: MasterKeys) -> None:
        super().__init__(keys.public_key)
        self.keys = keys

    def decode(self, data: bytes, aad: bytes) -> bytes:
        return self.keys.open_sealed(data, aad) if is_sealed(data) else data
