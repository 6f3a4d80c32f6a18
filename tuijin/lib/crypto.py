"""Field-level encryption for personal data (等保 2.0 数据保密性; PIPL 第五十一条).

Values are sealed with SM4-GCM (国密, GB/T 32907) under a keyring read from the environment or a file:

    FIELD_KEYS="k2:<base64 16 bytes>,k1:<base64 16 bytes>"      # first = current key, others still readable
    FIELD_KEYS_FILE=/run/secrets/tuijin-field-keys               # same format, one key per line or commas
    FIELD_INDEX_KEY / FIELD_INDEX_KEY_FILE                        # HMAC key for blind indexes (never rotated)

A sealed value is text: ``enc1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>``. Anything without the prefix is
plaintext written before encryption was switched on; it reads as is and `tuijin rotate-keys` seals it.
Blind indexes (HMAC-SM3 of a normalised value) let the database find duplicates without decrypting.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.test.signals import setting_changed

PREFIX = "enc1:"
NONCE_BYTES = 12
TAG_BYTES = 16


class CryptoError(Exception):
    """Personal data cannot be sealed or unsealed; the message says why and what to do."""


class KeyError_(CryptoError):
    """The keyring is missing, malformed, or lacks the key a value was sealed with."""


class TamperedError(CryptoError):
    """A sealed value fails its SM4-GCM authentication tag: it was altered in the database, truncated, or the
    key with its id is not the key it was sealed with."""


@dataclass(frozen=True)
class Keyring:
    keys: dict[str, bytes]  # key id → 16-byte SM4 key, in order; the first is current
    index_key: bytes

    @property
    def current_id(self) -> str:
        return next(iter(self.keys))


def parse_keys(text: str) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    for item in text.replace("\n", ",").split(","):
        item = item.strip()
        if not item or item.startswith("#"):
            continue
        kid, sep, b64 = item.partition(":")
        if not sep or not kid.isalnum():
            raise KeyError_(f"field key entry {item[:12]!r}… must look like ID:BASE64")
        try:
            raw = base64.b64decode(b64, validate=True)
        except ValueError as exc:
            raise KeyError_(f"field key {kid!r} is not base64") from exc
        if len(raw) != 16:
            raise KeyError_(f"field key {kid!r} must be 16 bytes (SM4), not {len(raw)}")
        if kid in keys:
            raise KeyError_(f"field key {kid!r} appears twice")
        keys[kid] = raw
    return keys


def new_key_line(kid: str) -> str:
    return f"{kid}:{base64.b64encode(os.urandom(16)).decode()}"


def _env_secret(name: str) -> str:
    path = os.environ.get(f"{name}_FILE")
    if path:
        with open(path, encoding="utf-8") as fh:
            return fh.read().strip()
    return os.environ.get(name, "")


_lock = threading.Lock()
_cached: Keyring | None = None


def keyring() -> Keyring:
    """The keyring from settings.FIELD_KEYS / FIELD_INDEX_KEY (which read the environment)."""
    global _cached
    if _cached is None:
        with _lock:
            from django.conf import settings

            keys = parse_keys(settings.FIELD_KEYS)
            if not keys:
                raise KeyError_("FIELD_KEYS (or FIELD_KEYS_FILE) is not set: personal data cannot be sealed")
            index = settings.FIELD_INDEX_KEY.encode()
            if len(index) < 16:
                raise KeyError_("FIELD_INDEX_KEY must be at least 16 characters")
            _cached = Keyring(keys=keys, index_key=index)
    return _cached


def reset_keyring() -> None:
    """Forget the cached keyring (after settings change: tests, key rotation)."""
    global _cached
    _cached = None


def _settings_changed(*, setting, **kwargs) -> None:
    if setting in ("FIELD_KEYS", "FIELD_INDEX_KEY"):
        reset_keyring()


setting_changed.connect(_settings_changed, dispatch_uid="tuijin.lib.crypto.reset_keyring")


class Sealed(str):
    """Text already sealed by `seal`: model fields store it as is. A plain `str` is always sealed on save, even
    when it looks sealed, so nobody can paste another row's ciphertext into a form and have it unsealed."""

    __slots__ = ()


def is_sealed(value: str | None) -> bool:
    return bool(value) and value.startswith(PREFIX)


def key_id_of(value: str) -> str | None:
    return value.split(":", 2)[1] if is_sealed(value) else None


def seal(plaintext: str, *, ring: Keyring | None = None) -> Sealed:
    ring = ring or keyring()
    kid = ring.current_id
    nonce = os.urandom(NONCE_BYTES)
    enc = Cipher(algorithms.SM4(ring.keys[kid]), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(kid.encode())
    body = enc.update(plaintext.encode("utf-8")) + enc.finalize()
    return Sealed(f"{PREFIX}{kid}:{base64.b64encode(nonce + body + enc.tag).decode()}")


def unseal(value: str, *, ring: Keyring | None = None) -> str:
    if not is_sealed(value):
        return value
    ring = ring or keyring()
    parts = value.split(":", 2)
    if len(parts) != 3:
        raise TamperedError("sealed value has no key id: the stored text was altered")
    _prefix, kid, b64 = parts
    key = ring.keys.get(kid)
    if key is None:
        raise KeyError_(
            f"no field key {kid!r} in the keyring; was it removed before `tuijin rotate-keys` ran?"
        )
    try:
        raw = base64.b64decode(b64, validate=True)
    except ValueError:
        raw = b""
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise TamperedError(f"sealed value under key {kid!r} is truncated or not base64: it was altered")
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    dec = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    dec.authenticate_additional_data(kid.encode())
    try:
        plain = dec.update(body) + dec.finalize()
    except InvalidTag:
        raise TamperedError(
            f"sealed value under key {kid!r} fails its SM4-GCM integrity check: the stored text was altered, "
            f"or FIELD_KEYS holds a different key under the id {kid!r}"
        ) from None
    return plain.decode("utf-8")


def blind_index(value: str, *, purpose: str, ring: Keyring | None = None) -> str:
    """A stable keyed digest of `value` (HMAC-SM3), for equality lookups and duplicate checks.

    `purpose` separates indexes of different fields so equal values in two fields do not match."""
    ring = ring or keyring()
    mac = crypto_hmac.HMAC(ring.index_key, hashes.SM3())
    mac.update(purpose.encode() + b"\x00" + value.strip().upper().encode("utf-8"))
    return mac.finalize().hex()


def hmac_sha256(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()
