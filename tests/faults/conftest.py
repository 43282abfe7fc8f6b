"""Fixtures of the fault tests: an application on a database of its own (the processes under test commit
for real), on SQLite and, when ``TEST_DATABASE_URL`` names one, PostgreSQL; and the processes started on it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import migrated_app
from tests.core.test_sequences import database_kinds
from tests.faults.processes import Processes


@dataclass
class Setting:
    kind: str
    app: Flask
    url: str
    tmp: Path
    processes: Processes


@pytest.fixture(params=database_kinds())
def own(request, tmp_path, monkeypatch) -> Iterator[Setting]:
    if request.param == "sqlite":
        monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    with migrated_app(tmp_path) as app:
        processes = Processes(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
        try:
            yield Setting(request.param, app, app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, processes)
        finally:
            processes.close()
