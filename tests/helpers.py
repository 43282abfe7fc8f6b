"""Helpers every feature's tests share (the rows themselves: ``tests/factories.py``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask
from werkzeug.test import TestResponse

from wki.core.extensions import db
from wki.core.iban import nl_iban


def make_iban(account: int, bank: str = "ABNA") -> str:
    """A Dutch IBAN with correct check digits for an account number of up to 10 digits."""
    return nl_iban(bank, account)


def run_worker_once(app: Flask) -> str:
    """``flask worker run --once``: the worker does what waits, as its own process would; returns its output.
    The test's session forgets what it loaded, so it reads what the worker wrote."""
    result = app.test_cli_runner().invoke(args=["worker", "run", "--once"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def redirected_id(response: TestResponse, prefix: str) -> int:
    """The id at the end of a redirect to ``<prefix>/<id>`` (the page that follows queued work)."""
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    match = re.fullmatch(rf"{re.escape(prefix)}/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """The SQL statements sent to the database inside the block, in order (every engine and connection,
    so also the test's own connection that ``db_session`` binds the app to)."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        statements.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", before)
