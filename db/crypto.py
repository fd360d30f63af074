"""Sealing restricted text: the primitives, all from the ``cryptography`` package.

- A **key pair** (X25519) per staff member and one for the school.
- **Sealing to a public key**: an ephemeral X25519 key agreement, HKDF-SHA256
  and AES-256-GCM (the shape of an ECIES "sealed box"); only the holder of the
  private key opens it.
- A **text field** is sealed with its own random key (AES-256-GCM), and that key
  is sealed to each recipient's public key (the school's, and the author's), so
  whoever writes needs only public keys and whoever reads needs one private key.
  The field's name is the authenticated data: a sealed value moved to another
  column does not open.
- **Wrapping under a secret** (a PIN, the school's recovery code): the key is
  derived with scrypt (``hashlib.scrypt``, as PINs are hashed) and the secret
  wrapped with AES-256-GCM.

Nothing here knows the database; ``db.keys`` decides who holds what.
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct
from typing import Any, TypeGuard

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "enc1:"  # a sealed text field, as stored
NONCE = 12
KEY = 32
_RAW: dict[str, Any] = dict(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)


class CannotOpen(Exception):
    """Wrong key, wrong secret, or a value changed since it was sealed."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


# -- key pairs and sealing to a public key ------------------------------------------
def new_key_pair() -> tuple[bytes, bytes]:
    """``(private, public)``, 32 raw bytes each."""
    private = X25519PrivateKey.generate()
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    return raw, private.public_key().public_bytes(**_RAW)


def public_of(private: bytes) -> bytes:
    return X25519PrivateKey.from_private_bytes(private).public_key().public_bytes(**_RAW)


def _box_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY, salt=ephemeral + recipient,
                info=b"bangfu sealed box v1").derive(shared)


def seal(public: bytes, secret: bytes, aad: bytes = b"") -> bytes:
    """``secret`` sealed so that only ``public``'s private key opens it."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(**_RAW)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    nonce = os.urandom(NONCE)
    box = AESGCM(_box_key(shared, ephemeral_public, public)).encrypt(nonce, secret, aad)
    return ephemeral_public + nonce + box


def unseal(private: bytes, sealed: bytes, aad: bytes = b"") -> bytes:
    if len(sealed) < 32 + NONCE + 16:
        raise CannotOpen("short")
    ephemeral_public, nonce, box = sealed[:32], sealed[32:32 + NONCE], sealed[32 + NONCE:]
    key = X25519PrivateKey.from_private_bytes(private)
    try:
        shared = key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        return AESGCM(_box_key(shared, ephemeral_public, public_of(private))).decrypt(
            nonce, box, aad)
    except (InvalidTag, ValueError) as exc:
        raise CannotOpen("tag") from exc


# -- wrapping under a PIN or the recovery code ---------------------------------------
SECRET_N = 2 ** 14  # as a PIN's hash: the wrap is no easier to guess than the hash


def _secret_key(secret: str, salt: bytes, n: int) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, n=n, r=8, p=1,
                          maxmem=256 * 1024 * 1024, dklen=KEY)


def wrap(secret: str, value: bytes, aad: bytes = b"", *, n: int = SECRET_N) -> bytes:
    """``value`` wrapped under a key derived from ``secret`` (cost ``n`` kept with it)."""
    salt, nonce = os.urandom(16), os.urandom(NONCE)
    box = AESGCM(_secret_key(secret, salt, n)).encrypt(nonce, value, aad)
    return struct.pack(">I", n) + salt + nonce + box


def unwrap(secret: str, wrapped: bytes, aad: bytes = b"") -> bytes:
    if len(wrapped) < 4 + 16 + NONCE + 16:
        raise CannotOpen("short")
    (n,) = struct.unpack(">I", wrapped[:4])
    if n < 2 or n > 2 ** 22 or n & (n - 1):
        raise CannotOpen("cost")
    salt, nonce, box = wrapped[4:20], wrapped[20:20 + NONCE], wrapped[20 + NONCE:]
    try:
        return AESGCM(_secret_key(secret, salt, n)).decrypt(nonce, box, aad)
    except InvalidTag as exc:
        raise CannotOpen("tag") from exc


# -- text fields ----------------------------------------------------------------------
def is_sealed(value) -> TypeGuard[str]:
    return isinstance(value, str) and value.startswith(PREFIX)


def seal_text(text: str, field: str, recipients: list[bytes]) -> str:
    """``text`` as stored: sealed for each public key in ``recipients`` ("" stays "")."""
    if not text:
        return ""
    key, nonce = AESGCM.generate_key(bit_length=256), os.urandom(NONCE)
    aad = field.encode()
    body = AESGCM(key).encrypt(nonce, text.encode("utf-8"), aad)
    boxes = [seal(public, key, aad) for public in recipients]
    packed = struct.pack(">B", len(boxes)) + b"".join(boxes) + nonce + body
    return PREFIX + b64(packed)


_BOX = 32 + NONCE + KEY + 16


def open_text(value: str, field: str, privates: list[bytes]) -> str:
    """The text of a sealed ``value`` with the first of ``privates`` that opens it;
    a value not sealed comes back as it is.  ``CannotOpen`` if none does."""
    if not is_sealed(value):
        return value
    try:
        packed = unb64(value[len(PREFIX):])
    except ValueError as exc:
        raise CannotOpen("encoding") from exc
    if not packed:
        raise CannotOpen("short")
    count = packed[0]
    boxes = [packed[1 + i * _BOX:1 + (i + 1) * _BOX] for i in range(count)]
    rest = packed[1 + count * _BOX:]
    nonce, body = rest[:NONCE], rest[NONCE:]
    aad = field.encode()
    for private in privates:
        for box in boxes:
            try:
                key = unseal(private, box, aad)
            except CannotOpen:
                continue
            try:
                return AESGCM(key).decrypt(nonce, body, aad).decode("utf-8")
            except (InvalidTag, ValueError) as exc:
                raise CannotOpen("tag") from exc
    raise CannotOpen("no key")


# -- the school's recovery code -------------------------------------------------------
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_recovery_code() -> str:
    """Eight groups of four (160 bits), e.g. ``K7QF-…``: typed from paper."""
    raw = os.urandom(32)
    chars = [RECOVERY_ALPHABET[b % len(RECOVERY_ALPHABET)] for b in raw]
    return "-".join("".join(chars[i:i + 4]) for i in range(0, 32, 4))


def normal_code(text: str) -> str:
    """A recovery code as typed (any case, spaces or dashes) in its printed form."""
    chars = [c for c in text.upper() if c.isalnum()]
    return "-".join("".join(chars[i:i + 4]) for i in range(0, len(chars), 4))
