import pytest

from gridmap.access.passwords import (
    digest,
    hash_password,
    needs_rehash,
    new_secret,
    same_digest,
    verify_password,
)
from gridmap.errors import AccessError


def test_hash_and_verify():
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse batterY")
    assert not verify_password("not a hash", "correct horse battery")
    assert not needs_rehash(stored)
    # Salted: the same password hashes differently each time.
    assert hash_password("correct horse battery") != stored


def test_short_password_refused():
    with pytest.raises(AccessError, match="at least 10 characters") as err:
        hash_password("short")
    assert err.value.field == "password"


def test_secrets_and_digests():
    a, b = new_secret(), new_secret()
    assert a != b and len(a) >= 40
    assert len(digest(a)) == 64 and digest(a) == digest(a) != digest(b)
    assert same_digest(digest(a), digest(a)) and not same_digest(digest(a), digest(b))
