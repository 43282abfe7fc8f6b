"""Every route declares who may use it, and the declarations are right (STYLE.md, convention 9).

Three layers: (a) the URL map has no endpoint without a rule and its URLs follow the conventions;
(b) several roles give the union of their rights (each endpoint is requested as each role against a
hand-written matrix from the design in tests/test_access_matrix.py, not against its own declaration);
(c) an endpoint without a rule is refused.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import pytest
from flask import Flask
from werkzeug.routing import Rule

from config import TestingConfig
from tests import proef_feature
from tests.auth.helpers import use_fast_hashing
from wki import create_app
from wki.core.auth import AccessRule, Role, access_rule_for, login_required_any, public, requires_roles


def _throwaway_app() -> Flask:
    """A separate application on an empty in-memory database (for the URL map and fake endpoints), with the
    throwaway feature of tests/proef_feature.py installed: a feature's routes are walked like any other's."""

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        SECRET_KEY = "throwaway-" + "x" * 32

    return create_app(Config, extra_features=[proef_feature.feature])


@functools.cache
def _rules() -> list[Rule]:
    """The application's URL rules (read at collection time, so the tests can be parametrized)."""
    app = _throwaway_app()
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule)


@functools.cache
def _access_rules() -> dict[str, AccessRule | None]:
    app = _throwaway_app()
    return {endpoint: access_rule_for(view) for endpoint, view in app.view_functions.items()}


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: these tests log in."""
    use_fast_hashing(monkeypatch)


@pytest.fixture
def client_for(app, login_as) -> Callable:
    """``client_for(role)``: a client logged in with that one role, or anonymous for None."""

    def _make(role: Role | None):
        return app.test_client() if role is None else login_as(role)

    return _make


# ---------------------------------------------------------------- (a) the URL map


def test_every_endpoint_declares_an_access_rule():
    missing = sorted(endpoint for endpoint, rule in _access_rules().items() if rule is None and endpoint != "static")
    assert missing == [], f"endpoints without @public, @login_required_any or @requires_roles: {missing}"


def test_a_feature_added_through_the_contract_is_walked_too():
    assert _access_rules()["proef.index"] == AccessRule("roles", frozenset({Role.INSPECTEUR}))
    assert "/proef/" in {rule.rule for rule in _rules()}


def test_rules_name_only_known_roles():
    for endpoint, rule in _access_rules().items():
        if rule is not None:
            assert rule.kind in {"public", "login", "roles", "token"}, endpoint
            assert (rule.kind == "roles") == bool(rule.roles), endpoint
            assert rule.roles <= set(Role), endpoint


def test_public_endpoints_are_the_expected_few():
    """Anything reachable without logging in is a deliberate choice; adding one means adding it here."""
    public_endpoints = {e for e, r in _access_rules().items() if r is not None and r.kind == "public"}
    assert public_endpoints == {
        "dashboard.index", "dashboard.index_moved", "dashboard.accessibility", "dashboard.privacy",
        "dashboard.contact", "auth.login", "auth.second_factor", "healthz.health",
    }


def test_token_endpoints_are_the_expected_few():
    """Machine clients (a partner's bearer token, never a session) reach only the partner API."""
    token_endpoints = {e for e, r in _access_rules().items() if r is not None and r.kind == "token"}
    assert token_endpoints == {"signals_api.create", "signals_api.signal"}


_SEGMENT = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+)?")
_PARAMETER = re.compile(r"<(?P<converter>[a-z]+)(\([^)]*\))?:(?P<name>[a-z_]+)>")


@pytest.mark.parametrize("rule", _rules(), ids=lambda r: r.rule)
def test_url_is_lowercase_kebab_case_with_typed_parameters(rule):
    for segment in rule.rule.strip("/").split("/"):
        if not segment:
            continue
        if segment.startswith("<"):
            match = _PARAMETER.fullmatch(segment)
            assert match, f"{rule.rule}: parameter {segment} needs a converter, e.g. <int:case_id>"
            if match["name"].endswith("_id"):
                assert match["converter"] == "int", f"{rule.rule}: {segment} should be <int:...>"
        else:
            assert _SEGMENT.fullmatch(segment), f"{rule.rule}: segment {segment!r} is not lowercase kebab-case"
    assert set(rule.arguments) == {m["name"] for m in _PARAMETER.finditer(rule.rule)}


def test_endpoints_are_named_blueprint_dot_view():
    for rule in _rules():
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", rule.endpoint), rule.endpoint


# ---------------------------------------------------------------- (b) who gets in
#
# Whether each declared rule is the right one is not checked against the declarations themselves (a
# role declared wrongly would pass): tests/test_access_matrix.py holds a hand-written matrix, from the
# design, of who may use every endpoint, and requests every endpoint as every role against it.


def test_user_with_several_roles_gets_the_union(login_as):
    client = login_as(Role.VOORLICHTING, Role.INSPECTEUR)
    assert client.get("/documenten").status_code == 200
    assert client.get("/signalen").status_code == 200
    assert client.get("/beheer/").status_code == 403


def test_unknown_url_is_404_for_everyone(client_for):
    for role in (None, Role.BEHEERDER):
        assert client_for(role).get("/bestaat-niet").status_code == 404


# ---------------------------------------------------------------- (c) fail closed


def test_endpoint_without_rule_is_refused():
    app = _throwaway_app()

    @app.get("/zonder-regel")
    def without_rule():
        return "geheime inhoud"

    @app.get("/met-regel")
    @public
    def with_rule():
        return "openbare inhoud"

    client = app.test_client()
    refused = client.get("/zonder-regel")
    assert refused.status_code == 403
    assert "geheime inhoud" not in refused.get_data(as_text=True)
    assert "Geen toegang" in refused.get_data(as_text=True)
    # The same app serves a page that does declare a rule: the refusal was the missing rule.
    assert client.get("/met-regel").get_data(as_text=True) == "openbare inhoud"


def test_view_losing_its_rule_is_refused_even_for_an_administrator(app, admin_client, monkeypatch):
    assert admin_client.get("/register/").status_code == 200
    monkeypatch.setitem(app.view_functions, "register.index", lambda: "zonder regel")
    response = admin_client.get("/register/")
    assert response.status_code == 403
    assert "zonder regel" not in response.get_data(as_text=True)


def test_a_view_cannot_declare_two_rules():
    def view():
        return ""

    public(view)
    with pytest.raises(RuntimeError, match="two access rules"):
        login_required_any(view)
    with pytest.raises(RuntimeError, match="two access rules"):
        requires_roles(Role.BEHEERDER)(view)


def test_requires_roles_needs_a_role():
    with pytest.raises(ValueError, match="at least one role"):
        requires_roles()
