"""Opaque, authenticated, expiring tokens for links sent by e-mail.

Django's signing keeps the payload readable (base64 JSON): the "Done" link showed the person's
sequential user id. Fernet (from ``cryptography``, already installed for allauth's MFA) encrypts
and authenticates it instead, with a timestamp, under a key derived from SECRET_KEY and the
link's purpose. Errors are Django's signing errors, so callers tell "expired" from "bad".
"""

from __future__ import annotations

import base64
import json
import time
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac


def _fernet(purpose: str, secret: str | None = None) -> Fernet:
    """The key for `purpose`, derived from `secret` (SECRET_KEY unless given)."""
    return _derived(purpose, secret or settings.SECRET_KEY)


@lru_cache(maxsize=32)
def _derived(purpose: str, secret: str) -> Fernet:
    """Derived once per purpose and secret (a batch of reminders seals two links per e-mail)."""
    key = salted_hmac(f"cramps.tokens.{purpose}", "fernet-key", secret=secret, algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(payload: dict, purpose: str) -> str:
    token = _fernet(purpose).encrypt(json.dumps(payload, separators=(",", ":")).encode())
    return token.decode().rstrip("=")  # the padding is restored on reading: shorter, cleaner links


def unseal(token: str, purpose: str, max_age: int) -> dict:
    """The payload; signing.SignatureExpired when older than max_age, signing.BadSignature if not ours."""
    fernet = _fernet(purpose)
    raw = (token + "=" * (-len(token) % 4)).encode()
    try:
        issued = fernet.extract_timestamp(raw)  # checks the signature
        if time.time() - issued > max_age:
            raise signing.SignatureExpired("link expired")
        data = json.loads(fernet.decrypt(raw))
    except (InvalidToken, ValueError, TypeError) as error:
        raise signing.BadSignature("not a valid link") from error
    if not isinstance(data, dict):
        raise signing.BadSignature("not a valid link")
    return data


# ---------------------------------------------------------------- secrets kept in the database

SECRET_PREFIX = "fernet:"


def _secret_fernets() -> list[Fernet]:
    """The key of SECRET_KEY, then those of SECRET_KEY_FALLBACKS (a rotated key still reads)."""
    return [_fernet("stored", key) for key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]]


def encrypt_secret(text: str) -> str:
    """A secret to store (an authenticator app's key, the recovery codes' seed), encrypted and authenticated."""
    return SECRET_PREFIX + _secret_fernets()[0].encrypt(text.encode()).decode()


def decrypt_secret(stored: str) -> str:
    """What encrypt_secret stored; a value stored before encryption began (no prefix) is read as it is."""
    if not stored.startswith(SECRET_PREFIX):
        return stored
    raw = stored[len(SECRET_PREFIX) :].encode()
    for fernet in _secret_fernets():
        try:
            return fernet.decrypt(raw).decode()
        except InvalidToken:
            continue
    raise ValueError("a stored secret that no key of this site can read")
