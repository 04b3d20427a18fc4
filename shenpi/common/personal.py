"""Personal information at rest and on screen: resident ID numbers, mobile numbers and the
addresses notices go to are stored sealed, looked up by a keyed digest, and shown masked.

Sealing is SM4 (国密, through gmssl) in CBC mode with a random IV, encrypt-then-MAC with
HMAC-SHA256 over the key id, IV and ciphertext, so a token changed in the database is
refused rather than opened to garbage. The keys come from the environment, never from the
database (PIPL Art. 51; LAW.md PUB-01: an applicant's privacy is never published). A token
reads ``s<key id>.<base64url(iv | ciphertext | tag)>``; the key id lets a new key seal while
old tokens still open.

The digest is a keyed hash of the normalised value (HMAC-SHA256, 128 bits): equal numbers
give equal digests, so registration stays unique and a window or a system client finds a
person by ID number, while the table alone reveals nothing. Its key is separate from the
sealing key, so rotating the sealing key does not re-hash anything.
"""

import base64
import hashlib
import hmac
import os
import threading

from django.conf import settings
from gmssl.sm4 import SM4_DECRYPT, SM4_ENCRYPT, CryptSM4

_IV = 16
_TAG = 16
_local = threading.local()


class SealError(ValueError):
    """A token that does not open: altered, truncated, or sealed with an unknown key."""


def _keys() -> dict[str, tuple[bytes, bytes]]:
    """Key id → (SM4 key, MAC key), from settings.PERSONAL_DATA_KEYS (hex, 32 bytes each)."""
    cached = getattr(_local, "keys", None)
    source = settings.PERSONAL_DATA_KEYS
    if cached is None or cached[0] is not source:
        parsed = {}
        for key_id, text in source.items():
            raw = bytes.fromhex(text)
            if len(raw) != 32:
                raise ValueError(f"PERSONAL_DATA_KEYS[{key_id!r}] must be 32 bytes in hex")
            parsed[str(key_id)] = (raw[:16], raw[16:])
        cached = (source, parsed)
        _local.keys = cached
    return cached[1]


def _cipher(key: bytes, mode) -> CryptSM4:
    ciphers = getattr(_local, "ciphers", None)
    if ciphers is None:
        ciphers = _local.ciphers = {}
    cipher = ciphers.get((key, mode))
    if cipher is None:
        cipher = CryptSM4()
        cipher.set_key(key, mode)
        ciphers[(key, mode)] = cipher
    return cipher


def _tag(mac_key: bytes, key_id: str, body: bytes) -> bytes:
    return hmac.new(mac_key, key_id.encode() + b"." + body, hashlib.sha256).digest()[:_TAG]


def seal(value: str) -> str:
    """The token for a value, sealed with the current key."""
    key_id = settings.PERSONAL_DATA_KEY_ID
    enc_key, mac_key = _keys()[key_id]
    iv = os.urandom(_IV)
    body = iv + _cipher(enc_key, SM4_ENCRYPT).crypt_cbc(iv, value.encode("utf-8"))
    token = base64.urlsafe_b64encode(body + _tag(mac_key, key_id, body)).rstrip(b"=")
    return f"s{key_id}.{token.decode('ascii')}"


def unseal(token: str) -> str:
    """The value behind a token; SealError when it was altered or its key is unknown."""
    head, _, encoded = token.partition(".")
    keys = _keys()
    if not head.startswith("s") or head[1:] not in keys or not encoded:
        raise SealError("unknown key or not a sealed value")
    key_id = head[1:]
    enc_key, mac_key = keys[key_id]
    try:
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except ValueError as exc:
        raise SealError("not a sealed value") from exc
    body, tag = raw[:-_TAG], raw[-_TAG:]
    if len(body) < 2 * _IV or not hmac.compare_digest(tag, _tag(mac_key, key_id, body)):
        raise SealError("the sealed value was altered")
    plain = _cipher(enc_key, SM4_DECRYPT).crypt_cbc(body[:_IV], body[_IV:])
    return plain.decode("utf-8")


def digest(value: str) -> str:
    """The keyed look-up digest of an ID number or code (upper-cased, trimmed)."""
    key = bytes.fromhex(settings.PERSONAL_DATA_DIGEST_KEY)
    normal = value.strip().upper().encode("utf-8")
    return hmac.new(key, normal, hashlib.sha256).hexdigest()[:32]


class Sealed:
    """A value as the database holds it: opened only when somebody reads it, so a list of
    cases does not pay for numbers nobody shows."""

    __slots__ = ("token",)

    def __init__(self, token: str):
        self.token = token

    def open(self) -> str:
        return unseal(self.token)

    def __eq__(self, other):
        return isinstance(other, Sealed) and other.token == self.token

    def __hash__(self):
        return hash(self.token)

    def __repr__(self):
        return "<Sealed>"


# --- on screen and in exports -----------------------------------------------------------


def mask_code(value: str | None) -> str:
    """An ID number or code as lists and exports show it: the first four and last four."""
    value = value or ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_mobile(value: str | None) -> str:
    """A mobile number as lists show it: 138****5678."""
    value = value or ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    """A person's name as observers see it: the family name and asterisks."""
    value = value or ""
    return value[:1] + "*" * max(1, len(value) - 1) if value else ""
