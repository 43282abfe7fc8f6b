"""The service boundary (wki/core/service.py): a refused call leaves nothing behind, the caller's own earlier
work stays, and a page that shows the refusal again (a 200, which the request commits) commits none of it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from wki.core.actors import Actor
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.sequences import SequenceCounter
from wki.core.service import is_service, service


def _counter(name: str) -> int | None:
    return db.session.scalar(sa.select(SequenceCounter.value).where(SequenceCounter.name == name))


@service
def _write_then_refuse(name: str) -> None:
    db.session.add(SequenceCounter(name=name, year=2026, value=1))
    db.session.flush()  # written to the database, not just held in the session
    raise ServiceError("Dit mag niet.")


@service
def _write(name: str) -> SequenceCounter:
    row = SequenceCounter(name=name, year=2026, value=1)
    db.session.add(row)
    db.session.flush()
    return row


def test_a_refusal_undoes_what_the_call_wrote(db_session):
    with pytest.raises(ServiceError):
        _write_then_refuse("weigering")
    assert _counter("weigering") is None


def test_the_callers_earlier_work_stays(db_session):
    _write("eerder")
    with pytest.raises(ServiceError):
        _write_then_refuse("daarna")
    assert _counter("eerder") == 1 and _counter("daarna") is None


def test_a_call_that_returns_is_kept_in_the_callers_transaction(db_session):
    row = _write("blijft")
    assert row.value == 1 and _counter("blijft") == 1
    assert is_service(_write) and not is_service(_counter)


def test_a_nested_refusal_caught_by_the_outer_service_undoes_only_itself(db_session):
    @service
    def outer() -> None:
        _write("buiten")
        try:
            _write_then_refuse("binnen")
        except ServiceError:
            pass

    outer()
    assert _counter("buiten") == 1 and _counter("binnen") is None


def test_a_page_that_shows_the_refusal_commits_nothing_of_it(app, db_session):
    """The request commits a 200 (wki/core/web.py's after-request hook); the refused call's writes are already
    undone by then."""
    from flask import Response

    with app.test_request_context("/"):
        try:
            _write_then_refuse("pagina")
        except ServiceError as exc:
            shown = Response(exc.message, status=200)
        response = app.process_response(shown)  # runs the hook that commits
    assert response.status_code == 200
    assert _counter("pagina") is None


def test_the_actor_names_who_acts():
    class User:
        id, email = 7, "inspecteur@example.nl"

    person = Actor.of(User())
    assert (person.label, person.user_id, str(person)) == ("inspecteur@example.nl", 7, "inspecteur@example.nl")
    assert person.is_user(7) and not person.is_user(8) and not Actor.process("job:x").is_user(None)
    assert Actor.cli().label.startswith("cli:")


def _public_functions_taking_an_actor() -> dict[str, object]:
    """Every public function defined in a module under wki/ with a parameter named ``actor``."""
    import importlib
    import inspect
    import pkgutil

    import wki

    found: dict[str, object] = {}
    for info in pkgutil.walk_packages(wki.__path__, "wki."):
        module = importlib.import_module(info.name)
        for name, func in vars(module).items():
            func = inspect.unwrap(func) if callable(func) else func
            if name.startswith("_") or not inspect.isfunction(func) or func.__module__ != module.__name__:
                continue
            if "actor" in inspect.signature(func).parameters:
                found[f"{module.__name__}.{name}"] = vars(module)[name]
    return found


def test_every_public_function_taking_an_actor_is_a_service_or_a_listed_exception(app):
    from wki.core.service import NOT_SERVICES

    functions = _public_functions_taking_an_actor()
    assert "wki.auth.services.set_active" in functions and "wki.core.audit.record" in functions  # the walk works
    undecorated = sorted(name for name, func in functions.items() if not is_service(func) and name not in NOT_SERVICES)
    assert undecorated == [], f"take an actor but are neither @service nor in NOT_SERVICES: {undecorated}"
    stale = sorted(name for name in NOT_SERVICES if name not in functions or is_service(functions[name]))
    assert stale == [], f"NOT_SERVICES lists what is not (or no longer) an undecorated actor-taking function: {stale}"
