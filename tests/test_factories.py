"""Every model has a factory in ``tests/factories.py``, and each builds a row that the database takes
(its columns, types, foreign keys and constraints), on SQLite and on PostgreSQL."""

from __future__ import annotations

import inspect

import pytest
import sqlalchemy as sa

from tests import factories
from wki import models
from wki.core.db import Base
from wki.core.extensions import db

FACTORIES = {cls._meta.model: cls for _name, cls in inspect.getmembers(factories, inspect.isclass)
             if issubclass(cls, factories.BaseFactory) and not cls._meta.abstract}
MODELS = sorted((mapper.class_ for mapper in Base.registry.mappers), key=lambda m: m.__name__)


def test_every_model_has_a_factory():
    assert {m.__name__ for m in MODELS} - {m.__name__ for m in FACTORIES} == set()
    # and every table belongs to a module its feature declares (Feature.models), which wki.models imports
    assert {m.__module__ for m in MODELS} == {module.__name__ for module in models.MODULES}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_factory_builds_a_row_that_saves(db_session, model):
    factory = FACTORIES[model]
    first, second = factory(), factory()  # twice: unique columns get unique values
    db.session.flush()
    keys = [sa.inspect(row).identity for row in (first, second)]
    assert keys[0] != keys[1]
    db.session.expunge_all()
    for key in keys:
        assert db.session.get(model, key) is not None  # read back from the database, not the session
