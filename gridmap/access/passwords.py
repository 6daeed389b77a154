"""Password hashing with Argon2id (argon2-cffi), and the secrets shown once: passwords, tokens.

Passwords are hashed with a memory-hard KDF; tokens and kiosk keys are long random strings, so a
plain SHA-256 of them is enough to store (nobody can guess 256 random bits, and it makes each
request's check cheap).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from gridmap.errors import AccessError

#: Shortest password accepted for a person.
MIN_PASSWORD = 10

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """Return the Argon2id hash of ``password``.

    Raises
    ------
    AccessError
        The password is shorter than :data:`MIN_PASSWORD` characters.
    """
    if len(password or "") < MIN_PASSWORD:
        raise AccessError(f"a password needs at least {MIN_PASSWORD} characters", field="password")
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """Return whether ``password`` matches the ``stored`` hash (False for a broken hash)."""
    try:
        return _hasher.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Return whether ``stored`` was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(stored)


def new_secret(nbytes: int = 32) -> str:
    """Return a new random secret (URL-safe text) for a token, kiosk key or one-time password."""
    return secrets.token_urlsafe(nbytes)


def digest(secret: str) -> str:
    """Return the SHA-256 hex digest under which a token or kiosk key is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def same_digest(a: str, b: str) -> bool:
    """Compare two digests in constant time."""
    return hmac.compare_digest(a, b)
