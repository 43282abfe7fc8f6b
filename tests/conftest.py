"""Test fixtures: the schema is built once per session through the migrations, each test runs in a
transaction that is rolled back, and factories make data.

The database comes from ``TEST_DATABASE_URL``: a SQLite file by default; for PostgreSQL give the
server's URL (``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``) and the session creates a
database of its own, drops it at the end, and never touches another.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, has_app_context
from flask.testing import FlaskClient

from config import TestingConfig
from wki import create_app
from wki.core.auth import Role
from wki.core.extensions import db

PASSWORD = "correct-horse-battery-staple"


# ---------------------------------------------------------------- CI: a skipped test is a failure


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if os.environ.get("CI", "").lower() == "true" and skipped and exitstatus == 0:
        reporter.write_line(f"CI: {skipped} skipped test(s) count as failures here.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# ---------------------------------------------------------------- test client


class IsolatedClient(FlaskClient):
    """A test client whose every request gets its own application context, as in production.

    Tests hold an application context open (for factories and queries); without this, requests would
    share its ``g`` (Flask-Login's cached user, Flask-WTF's CSRF token) and its database session.
    After each request the test's own session is expired, so the test sees what the request wrote.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context() and db.session.registry.has():
            db.session.expire_all()
        return response


# ---------------------------------------------------------------- database


def _make_database_url(tmp_root: Path) -> tuple[str, callable]:
    base = os.environ.get("TEST_DATABASE_URL", "")
    if base.startswith("postgresql"):
        name = f"wki_test_{uuid.uuid4().hex[:10]}"
        admin_url = sa.make_url(base).set(database="postgres")
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with admin.connect() as conn:
                conn.exec_driver_sql(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                    (name,),
                )
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            admin.dispose()

        return sa.make_url(base).set(database=name).render_as_string(hide_password=False), drop
    path = tmp_root / "wki-test.sqlite3"
    return f"sqlite:///{path}", lambda: None


def make_test_config(tmp_root: Path, url: str) -> type[TestingConfig]:
    """The testing configuration on database ``url``, with its scheduler lock under ``tmp_root``."""

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = "test-secret-key-" + "x" * 32
        SCHEDULER_LOCK_PATH = str(tmp_root / "scheduler.lock")
        SIGNAL_ATTACHMENT_DIR = str(tmp_root / "bijlagen")
        DOCUMENT_STORE_DIR = str(tmp_root / "documenten")
        EVIDENCE_STORE_DIR = str(tmp_root / "bewijs")
        CASE_STORE_DIR = str(tmp_root / "zaken")

    return Config


@contextmanager
def migrated_app(tmp_root: Path, *, extra_features: Iterable[Any] = ()) -> Iterator[Flask]:
    """An application on a fresh database of its own, migrated to head with Alembic (never create_all), with
    ``extra_features`` installed after the application's own; the database is dropped afterwards."""
    url, drop = _make_database_url(tmp_root)
    application = create_app(make_test_config(tmp_root, url), extra_features=extra_features)
    application.test_client_class = IsolatedClient
    with application.app_context():
        from flask_migrate import upgrade

        upgrade()
    try:
        yield application
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
        drop()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The application, on a fresh database migrated to head with Alembic (never create_all)."""
    with migrated_app(tmp_path_factory.mktemp("db")) as application:
        yield application


@pytest.fixture
def db_session(app: Flask) -> Iterator:
    """A session inside an outer transaction that is rolled back after the test.

    Flask-SQLAlchemy picks its engine from ``db.engines``; pointing that entry at one connection with
    an open transaction (pallets-eco/flask-sqlalchemy#1171) makes every commit in the code under test
    a SAVEPOINT release, and the final rollback undoes everything.
    """
    with app.app_context():
        engines = db.engines
        engine = engines[None]
        connection = engine.connect()
        transaction = connection.begin()
        engines[None] = connection
        db.session.remove()
        db.session.session_factory.configure(join_transaction_mode="create_savepoint")
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session.session_factory.kw.pop("join_transaction_mode", None)
            if transaction.is_active:
                transaction.rollback()
            connection.close()
            engines[None] = engine


# ---------------------------------------------------------------- factories and clients


@pytest.fixture
def factories(db_session):
    """The factory-boy factories, bound to the test's session."""
    from tests import factories as f

    return f


@pytest.fixture
def client(app: Flask, db_session) -> FlaskClient:
    return app.test_client()


def csrf_token(client: FlaskClient, url: str) -> str:
    """Fetch ``url`` and return the CSRF token of its form."""
    response = client.get(url)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert match, f"no CSRF token on {url} (status {response.status_code})"
    return match.group(1)


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    token = csrf_token(client, "/account/inloggen")
    response = client.post("/account/inloggen", data={"csrf_token": token, "email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


@pytest.fixture
def login_as(app: Flask, factories):
    """``login_as(Role.X, ...)`` returns a test client logged in as a new user with those roles."""

    def _login(*roles: Role, **user_kwargs) -> FlaskClient:
        user = factories.UserFactory(roles=list(roles), **user_kwargs)
        c = app.test_client()
        login(c, user.email)
        c.user = user  # type: ignore[attr-defined]
        return c

    return _login


@pytest.fixture
def admin_client(login_as) -> FlaskClient:
    return login_as(Role.BEHEERDER)
