"""Engine settings per database: SQLite needs help to behave like a transactional database.

SQLite transactions (WAL mode, so readers never wait for the writer and the writer never waits for
readers):

- A request with a safe method (GET, HEAD, OPTIONS) starts with a plain, deferred ``BEGIN``: it reads
  from a snapshot and never waits for a running import or job. If such a request writes after all (an
  export records an audit event), its first write ends the read-only transaction and starts
  ``BEGIN IMMEDIATE`` in its place, which waits for the write lock (busy_timeout) instead of failing
  at once: SQLite cannot turn a reading transaction into a writing one while another writer holds the
  lock, nor at all once another writer has committed since its snapshot. The write then sees the
  latest committed data (PostgreSQL's READ COMMITTED, which the code must tolerate anyway).
- Every other transaction (a POST and its kin, the CLI, jobs, the scheduler, imports) starts with
  ``BEGIN IMMEDIATE``: it takes the write lock first, so two writers wait for each other instead of
  one failing half-way with "database is locked", and an import's transaction excludes every other
  writer from its first statement (register/services.py: acquire_import_lock).

PostgreSQL: a connection attempt gives up after ``DB_CONNECT_TIMEOUT_SECONDS``, so a server that
accepts connections but never answers cannot hold a request (or /healthz) for minutes.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool

# How long SQLite waits for a lock (the write lock, mostly) before "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 30_000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WRITE_VERBS = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER"})
# conn.info key: how the current SQLite transaction began ("deferred" or "immediate"); absent: none.
_TXN = "wki_sqlite_transaction"


def configure_engine_options(app: Flask) -> None:
    uri: str = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    if uri.startswith("sqlite"):
        options.pop("pool_pre_ping", None)
        connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
        connect_args["check_same_thread"] = False
        if uri in ("sqlite://", "sqlite:///:memory:"):
            options["poolclass"] = StaticPool
    elif uri.startswith("postgresql"):
        connect_args.setdefault("connect_timeout", int(app.config.get("DB_CONNECT_TIMEOUT_SECONDS", 5)))
    if connect_args:
        options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def wants_write_lock() -> bool:
    """Whether a new SQLite transaction should take the write lock at once (BEGIN IMMEDIATE)."""
    return not (has_request_context() and request.method in SAFE_METHODS)


def install_engine_events(engine: Engine) -> None:
    """SQLite: foreign keys on, WAL, and real BEGIN/SAVEPOINT semantics (see the module docstring).

    pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; SQLAlchemy documents
    switching it off and emitting BEGIN ourselves ("Serializable isolation / Savepoints / Transactional
    DDL").
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # A 64 MB page cache (the default is 2 MB) keeps the index pages of a large import in memory;
            # SQLite only takes it as pages are used. It makes a 100,000-row register import a fifth faster.
            cursor.execute("PRAGMA cache_size=-65536")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = "immediate" if wants_write_lock() else "deferred"
        conn.exec_driver_sql("BEGIN IMMEDIATE" if mode == "immediate" else "BEGIN")
        conn.info[_TXN] = mode

    @event.listens_for(engine, "savepoint")
    def _on_savepoint(conn: Any, name: str) -> None:
        # Before SAVEPOINT is sent: restarting the transaction later would end the savepoint too.
        _take_write_lock(conn)

    @event.listens_for(engine, "before_cursor_execute")
    def _before_execute(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                        executemany: bool) -> None:
        if conn.info.get(_TXN) == "deferred" and _is_write(statement):
            _take_write_lock(conn)

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(conn: Any) -> None:
        conn.info.pop(_TXN, None)


def _is_write(statement: str) -> bool:
    words = statement.lstrip().split(None, 1)
    return bool(words) and words[0].upper() in _WRITE_VERBS


def _take_write_lock(conn: Any) -> None:
    """Turn the current deferred (read-only so far) transaction into a BEGIN IMMEDIATE one.

    It has written nothing, so ending it loses nothing but its snapshot; the new transaction waits for
    the write lock (busy_timeout) and then sees the latest committed data.
    """
    if conn.info.get(_TXN) != "deferred":
        return
    conn.info[_TXN] = "immediate"
    dbapi_connection = conn.connection.dbapi_connection
    if not dbapi_connection.in_transaction:  # the transaction ended behind SQLAlchemy's back
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("COMMIT")
        cursor.execute("BEGIN IMMEDIATE")
    finally:
        cursor.close()
