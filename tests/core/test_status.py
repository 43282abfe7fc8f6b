"""Statuses as enums with a label and a style (wki/core/status.py), shown by one macro
(components/status_tag.html), stored as their strings and guarded by CHECK constraints (0012)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import render_template_string

from wki.core.extensions import db
from wki.core.jobs import JobOutcome, JobRun, JobTrigger
from wki.core.status import Freshness, LabelledEnum, Style, check_expression
from wki.core.worker import WorkItem, WorkStatus

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


class Colour(LabelledEnum):
    RED = "rood", "Rood", Style.ERROR
    GREY = "grijs", "Grijs"


def test_a_member_is_its_stored_string_with_a_label_and_a_style():
    assert Colour.RED == "rood" and str(Colour.RED) == "rood" and f"{Colour.RED}" == "rood"
    assert Colour("rood") is Colour.RED
    assert (Colour.RED.label, Colour.RED.style) == ("Rood", Style.ERROR)
    assert Colour.GREY.style == Style.NEUTRAL
    assert Colour.labels() == {"rood": "Rood", "grijs": "Grijs"}
    assert Colour.choices() == [("rood", "Rood"), ("grijs", "Grijs")]
    assert Colour.coerce("grijs") is Colour.GREY and Colour.coerce("oud") == "oud" and Colour.coerce(None) is None
    assert Colour.label_of("rood") == "Rood" and Colour.label_of("oud") == "oud" and Colour.label_of(None) == ""


def test_a_style_must_be_a_design_system_kind():
    with pytest.raises(ValueError):
        class Wrong(LabelledEnum):
            X = "x", "X", "paars"


def test_the_check_expression_lists_the_values_quoted():
    assert check_expression("trigger", Colour) == "\"trigger\" IN ('rood', 'grijs')"


def test_a_column_loads_members_and_stores_the_string(db_session):
    run = JobRun(job_name="proef", trigger=JobTrigger.MANUAL, outcome="geslaagd", started_at=sa.func.now())
    db_session.add(run)
    db_session.flush()
    stored = db_session.execute(sa.text("SELECT outcome, \"trigger\" FROM job_run WHERE id = :id"),
                                {"id": run.id}).one()
    assert tuple(stored) == ("geslaagd", "handmatig") and type(stored[0]) is str
    db_session.expire(run)
    assert run.outcome is JobOutcome.SUCCEEDED and run.trigger is JobTrigger.MANUAL
    assert db_session.scalar(sa.select(JobRun.id).where(JobRun.outcome == "geslaagd", JobRun.id == run.id)) == run.id


@pytest.mark.parametrize(("table", "column"), [("job_run", "outcome"), ("work_item", "status")])
def test_the_database_refuses_a_value_outside_the_enum(db_session, table, column):
    db_session.add(JobRun(job_name="proef", outcome=JobOutcome.RUNNING, started_at=sa.func.now()))
    db_session.add(WorkItem(kind="proef", payload={}, status=WorkStatus.QUEUED, created_at=sa.func.now()))
    db_session.flush()
    with pytest.raises(sa.exc.IntegrityError, match=f"ck_{table}_{column}|CHECK constraint failed"), \
            db_session.begin_nested():
        db_session.execute(sa.text(f"UPDATE {table} SET {column} = 'ongeldig'"))


def _render(app, source: str, **context) -> str:
    with app.test_request_context():
        return render_template_string('{% from "components/status_tag.html" import status_tag %}' + source,
                                      **context)


def test_status_tag_shows_a_members_label_and_style(app):
    assert _render(app, "{{ status_tag(s) }}", s=JobOutcome.FAILED) == (
        '<span class="utrecht-badge-status wki-tag wki-tag--error">Mislukt</span>')
    assert 'wki-tag--ok">Klaar<' in _render(app, "{{ status_tag(s) }}", s=WorkStatus.DONE)
    assert 'wki-tag--error">Te oud<' in _render(app, "{{ status_tag(s) }}", s=Freshness.NEVER)
    assert 'wki-tag--warning">Anders<' in _render(app, "{{ status_tag(s, 'Anders') }}", s=JobOutcome.INTERRUPTED)
    # Not a member (an old value kept in JSON): as itself, neutral.
    assert 'wki-tag--neutral">oud<' in _render(app, "{{ status_tag(s) }}", s="oud")
    assert 'wki-tag--neutral">Nog niet<' in _render(app, "{{ status_tag(none, 'Nog niet') }}")


def test_no_template_but_status_tag_maps_statuses_to_styles():
    """The one mapping is the members' own style: no template lists statuses or colours, and none passes
    status_tag a string of its own to pick a colour."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if path.name != "status_tag.html" and (re.search(r"\{%-?\s*set styles", text)
                                               or re.search(r"status_tag\(\s*[\"']", text)
                                               or re.search(r"wki-tag--\{\{", text)):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


def test_every_status_column_is_an_enum_with_a_check(app):
    """A String column named like a status holds an enum (``enum_column_type``) with its CHECK."""
    from wki.core.status import EnumText

    plain = []
    for table in db.metadata.tables.values():
        checks = {c.name for c in table.constraints if isinstance(c, sa.CheckConstraint)}
        for column in table.columns:
            if column.name in {"status", "outcome", "trigger", "channel", "auto_verdict", "decided_verdict"} \
                    and not isinstance(column.type, EnumText):
                plain.append(f"{table.name}.{column.name}")
            if isinstance(column.type, EnumText):
                assert f"ck_{table.name}_{column.name}" in checks
    assert plain == []
