"""factory-boy factories; the session is the test's (see conftest ``db_session``)."""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory

from wki.auth.models import User, UserRole
from wki.auth.services import hash_password
from wki.core.auth import Role
from wki.extensions import db

# Hashing is deliberately slow; one hash shared by every factory-made user keeps the suite fast.
_PASSWORD_HASH: dict[str, str] = {}


def _hash(password: str) -> str:
    if password not in _PASSWORD_HASH:
        _PASSWORD_HASH[password] = hash_password(password)
    return _PASSWORD_HASH[password]


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class UserFactory(BaseFactory):
    class Meta:
        model = User

    class Params:
        password = "correct-horse-battery-staple"

    name = factory.Faker("name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"gebruiker{n}@inspectie.example.nl")
    password_hash = factory.LazyAttribute(lambda o: _hash(o.password))
    active = True

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):  # noqa: N805
        """``roles=[Role.X, ...]``; an inspector by default."""
        wanted = extracted if extracted is not None else [Role.INSPECTEUR]
        obj.role_rows = [UserRole(role=Role(r).value) for r in wanted]
        db.session.flush()
