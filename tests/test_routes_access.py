"""Every route declares who may use it, and the declarations are right (STYLE.md, convention 9).

Three layers: (a) the URL map has no endpoint without a rule and its URLs follow the conventions;
(b) every page answers each role as its rule says, and a hand-written table pins the rules of the
key pages, so a wrong declaration is caught too; (c) an endpoint without a rule is refused.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from werkzeug.routing import Rule

from config import TestingConfig
from tests.auth.helpers import location, use_fast_hashing
from tests.conftest import csrf_token
from tests.register.helpers import load, register_row
from wki import create_app
from wki.core.auth import AccessRule, Role, access_rule_for, login_required_any, public, requires_roles
from wki.core.clock import utcnow
from wki.core.jobs import JobRun
from wki.extensions import db
from wki.register import services as register_services
from wki.register.models import SnapshotKind, SyncOutcome

LOGIN_PATH = "/account/inloggen"
ROLES: list[Role | None] = [None, *Role]  # None: not logged in


def _role_id(role: Role | None) -> str:
    return role.value if role else "anoniem"


def _throwaway_app() -> Flask:
    """A separate application on an empty in-memory database (for the URL map and fake endpoints)."""

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        SECRET_KEY = "throwaway-" + "x" * 32

    return create_app(Config)


@functools.cache
def _rules() -> list[Rule]:
    """The application's URL rules (read at collection time, so the tests can be parametrized)."""
    app = _throwaway_app()
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule)


@functools.cache
def _access_rules() -> dict[str, AccessRule | None]:
    app = _throwaway_app()
    return {endpoint: access_rule_for(view) for endpoint, view in app.view_functions.items()}


def _get_rules() -> list[Rule]:
    return [r for r in _rules() if "GET" in r.methods]


def _post_only_rules() -> list[Rule]:
    return [r for r in _rules() if "POST" in r.methods and "GET" not in r.methods]


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: these tests log in once per role and page."""
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


def test_rules_name_only_known_roles():
    for endpoint, rule in _access_rules().items():
        if rule is not None:
            assert rule.kind in {"public", "login", "roles", "token"}, endpoint
            assert (rule.kind == "roles") == bool(rule.roles), endpoint
            assert rule.roles <= set(Role), endpoint


def test_public_endpoints_are_the_expected_few():
    """Anything reachable without logging in is a deliberate choice; adding one means adding it here."""
    public_endpoints = {e for e, r in _access_rules().items() if r is not None and r.kind == "public"}
    assert public_endpoints == {"dashboard.home", "auth.login", "auth.second_factor", "healthz.health"}


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


# ---------------------------------------------------------------- (b) each page answers each role as declared


def _job_run_id(factories) -> int:
    run = JobRun(job_name="housekeeping", trigger="handmatig", started_at=utcnow(), finished_at=utcnow(),
                 outcome="geslaagd", counts={"verwijderd": 0})
    db.session.add(run)
    db.session.flush()
    return run.id


def _registratienummer(factories) -> str:
    load([register_row(1)], date(2026, 1, 5))
    return register_row(1)["registratienummer"]


def _sync_run_id(factories) -> int:
    run = register_services.record_run(kind=SnapshotKind.REGISTER, trigger="import", source="test.csv",
                                       started_at=utcnow(), outcome=SyncOutcome.APPLIED, message="Ingelezen.")
    return run.id


def _quarantined_snapshot_id(factories) -> int:
    """A snapshot in quarantine: the second file would remove nine of the ten registrations."""
    load([register_row(n) for n in range(1, 11)], date(2026, 1, 5))
    return load([register_row(1)], date(2026, 2, 5)).snapshot.id


def _partner_token_id(factories) -> int:
    from wki.signals.services import issue_token

    return issue_token("Gemeente Testdorp", "gemeente", actor_email="test")[0].id


def _signal_id(factories) -> int:
    """A signal judged ``niet_geregistreerd`` with an attachment, so that its download answers too."""
    import io

    from PIL import Image

    from wki.signals.models import Channel
    from wki.signals.services import create_signal, store_attachment

    load([register_row(1)], date(2026, 1, 5))
    image = io.BytesIO()
    Image.new("RGB", (8, 8)).save(image, format="PNG")
    attachment = store_attachment(image.getvalue(), "brief.png", actor_email="test")
    values = {"referentie": "MLD-1", "ontvangen_op": "2026-03-10", "bron": "consument",
              "naam_incassant": "Snelgeld Inning"}
    return create_signal(values, channel=Channel.FORM, actor_email="test", attachment=attachment).id


def _suspect_id(factories) -> int:
    from wki.signals.services import get_signal

    return get_signal(_signal_id(factories)).suspect_id


def _signal_import_id(factories) -> int:
    """A bulk file with a skipped row, so that the download of its rejected rows answers too."""
    from wki.signals.services import import_signals

    data = b"referentie;ontvangen_op;bron;naam_incassant\r\nA-1;2026-03-10;consument;Snelgeld\r\nA-2;x;consument;Y\r\n"
    return import_signals(data, file_name="test.csv", actor_email="test", skip_invalid=True).record.id


# How to fill in a URL parameter with an existing record. A new parameter name needs an entry here.
PARAMETER_VALUES: dict[str, Callable] = {
    "user_id": lambda factories: factories.UserFactory().id,
    "run_id": _job_run_id,
    "registratienummer": _registratienummer,
    "sync_run_id": _sync_run_id,
    "snapshot_id": _quarantined_snapshot_id,
    "bron": lambda factories: "gemeente",  # the partner API: refused without a token before any lookup
    "referentie": lambda factories: "GEM/2026/001",
    "token_id": _partner_token_id,
    "signal_id": _signal_id,
    "suspect_id": _suspect_id,
    "import_id": _signal_import_id,
}

# Pages that answer an allowed request with a redirect by design: endpoint -> (for anonymous, for logged in).
# None means the page itself (200).
REDIRECTING_PAGES: dict[str, tuple[str | None, str | None]] = {
    "dashboard.home": (LOGIN_PATH, "/overzicht"),
    "auth.login": (None, "/overzicht"),
    "auth.second_factor": (LOGIN_PATH, LOGIN_PATH),  # only during a log-in, after the password step
}
# Former addresses that answer a permanent redirect to where the page lives now: endpoint -> its new path's start.
MOVED_PAGES: dict[str, str] = {
    "signals.suspects_moved": "/signalen/mogelijke-overtreders",
    "signals.suspect_moved": "/signalen/mogelijke-overtreders/",
}


def _url_for_rule(rule: Rule, factories) -> str:
    values = {}
    for name in rule.arguments:
        if name not in PARAMETER_VALUES:
            pytest.fail(f"no test value for <{name}> of {rule.endpoint}: add one to PARAMETER_VALUES")
        values[name] = PARAMETER_VALUES[name](factories)
    _, path = rule.build(values, append_unknown=False)
    return path


def _outcome(rule: AccessRule, role: Role | None) -> str:
    if rule.kind == "public":
        return "allowed"
    if rule.kind == "token":
        return "token"  # a session, whatever its roles, is no bearer token
    if role is None:
        return "login"
    if rule.kind == "login" or role in rule.roles:
        return "allowed"
    return "forbidden"


def _assert_sent_to_login(response, path: str) -> None:
    assert response.status_code == 302, response.status_code
    assert location(response) == LOGIN_PATH
    assert parse_qs(urlsplit(response.headers["Location"]).query).get("next") == [path]


@pytest.mark.parametrize("role", ROLES, ids=_role_id)
@pytest.mark.parametrize("rule", _get_rules(), ids=lambda r: r.endpoint)
def test_get_answers_as_declared(rule, role, client_for, factories):
    declared = _access_rules()[rule.endpoint]
    url = _url_for_rule(rule, factories)
    response = client_for(role).get(url)

    outcome = _outcome(declared, role)
    if outcome == "token":
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    elif outcome == "login":
        _assert_sent_to_login(response, url)
    elif outcome == "forbidden":
        assert response.status_code == 403
        assert "Geen toegang" in response.get_data(as_text=True)
    else:
        redirect_to = REDIRECTING_PAGES.get(rule.endpoint, (None, None))[0 if role is None else 1]
        if rule.endpoint in MOVED_PAGES:
            assert response.status_code == 301
            assert location(response).startswith(MOVED_PAGES[rule.endpoint])
        elif redirect_to:
            assert response.status_code == 302
            assert location(response) == redirect_to
        else:
            assert response.status_code == 200, response.get_data(as_text=True)[:500]


@pytest.mark.parametrize("role", ROLES, ids=_role_id)
@pytest.mark.parametrize("rule", _post_only_rules(), ids=lambda r: r.endpoint)
def test_post_only_actions_answer_as_declared(rule, role, client_for, factories):
    """Actions refuse the wrong people even with a valid CSRF token (their own session's)."""
    client = client_for(role)
    token = csrf_token(client, LOGIN_PATH if role is None else "/account/wachtwoord")
    url = _url_for_rule(rule, factories)
    response = client.post(url, data={"csrf_token": token})

    outcome = _outcome(_access_rules()[rule.endpoint], role)
    if outcome == "token":
        assert response.status_code == 401
    elif outcome == "login":
        assert response.status_code == 302
        assert location(response) == LOGIN_PATH
    elif outcome == "forbidden":
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 302)
        if response.status_code == 302 and rule.endpoint != "auth.logout":  # logging out ends at the log-in page
            assert location(response) != LOGIN_PATH


# The rules of the key pages, written out by hand: a wrong declaration fails here even though the
# derived test above (which trusts the declarations) passes.
ALL_ROLES = frozenset(Role)
ANYONE = "anyone, also without logging in"
KEY_PAGES: list[tuple[str, frozenset[Role] | str]] = [
    ("/beheer/", frozenset({Role.BEHEERDER})),
    ("/beheer/gebruikers", frozenset({Role.BEHEERDER})),
    ("/beheer/gebruikers/nieuw", frozenset({Role.BEHEERDER})),
    ("/beheer/audit", frozenset({Role.BEHEERDER})),
    ("/beheer/audit/export.csv", frozenset({Role.BEHEERDER})),
    ("/beheer/taken", frozenset({Role.BEHEERDER})),
    ("/register/", ALL_ROLES),
    ("/register/export.csv", ALL_ROLES),
    ("/register/beheer/synchronisaties", frozenset({Role.BEHEERDER})),
    ("/register/beheer/snapshots", frozenset({Role.BEHEERDER})),
    ("/beheer/partners", frozenset({Role.BEHEERDER})),
    ("/signalen", frozenset({Role.INSPECTEUR, Role.HANDHAVER})),
    ("/toezicht", frozenset({Role.INSPECTEUR, Role.HANDHAVER})),
    ("/handhaving", frozenset({Role.INSPECTEUR, Role.HANDHAVER})),
    ("/documenten", frozenset({Role.VOORLICHTING, Role.HANDHAVER})),
    ("/overzicht", ALL_ROLES),
    ("/account/", ALL_ROLES),
    ("/account/wachtwoord", ALL_ROLES),
    ("/account/tweestapsverificatie", ALL_ROLES),
    ("/account/herstelcodes", ALL_ROLES),
    ("/healthz", ANYONE),
]


@pytest.mark.parametrize("role", ROLES, ids=_role_id)
@pytest.mark.parametrize(("url", "allowed"), KEY_PAGES, ids=[u for u, _ in KEY_PAGES])
def test_key_pages(url, allowed, role, client_for):
    response = client_for(role).get(url)
    if allowed == ANYONE or (role is not None and role in allowed):
        assert response.status_code == 200
    elif role is None:
        _assert_sent_to_login(response, url)
    else:
        assert response.status_code == 403


def test_admin_user_pages_with_parameters(client_for, factories):
    other = factories.UserFactory()
    for role in ROLES:
        client = client_for(role)
        for url in (f"/beheer/gebruikers/{other.id}", f"/beheer/gebruikers/{other.id}/bewerken"):
            response = client.get(url)
            expected = {None: 302, Role.BEHEERDER: 200}.get(role, 403)
            assert response.status_code == expected, (url, role)


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
