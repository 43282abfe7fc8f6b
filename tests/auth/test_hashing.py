"""Password hashing with the production argon2 parameters (slow on purpose, so only a few tests)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type

from tests.auth.helpers import FAST_HASHER, location, post_login
from tests.conftest import PASSWORD
from wki.auth import services
from wki.core.extensions import db


@pytest.fixture
def fast_hashing() -> None:
    """Overrides the package's cheap hashing: these tests check the real thing."""


def test_production_hasher_is_argon2id_with_sound_parameters():
    hasher = services._hasher
    assert hasher.type is Type.ID
    # OWASP's minimum for argon2id is 19 MiB with 2 iterations; the library's defaults are above it.
    assert hasher.memory_cost >= 19 * 1024 and hasher.time_cost >= 2
    assert services.hash_password(PASSWORD).startswith("$argon2id$")
    assert services._DUMMY_HASH.startswith("$argon2id$")
    assert not hasher.check_needs_rehash(services._DUMMY_HASH)  # a missing account costs the same


def test_weak_hash_is_upgraded_at_log_in(client, factories):
    user = factories.UserFactory(password_hash=FAST_HASHER.hash(PASSWORD))
    assert services._hasher.check_needs_rehash(user.password_hash)

    assert location(post_login(client, user.email)) == "/"

    db.session.refresh(user)
    assert not services._hasher.check_needs_rehash(user.password_hash)
    assert PasswordHasher().verify(user.password_hash, PASSWORD)
