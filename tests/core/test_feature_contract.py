"""The feature contract (wki/core/features.py): a feature added through its own package and one entry in the
list of features appears everywhere a feature belongs, and core needs no change for it.

The throwaway feature (tests/proef_feature.py) is installed in an application of its own, on a database of
its own migrated to head, so the rest of the suite never sees it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask

import wki
from tests import proef_feature
from tests.auth.helpers import use_fast_hashing
from tests.conftest import PASSWORD, IsolatedClient, login, migrated_app
from wki import create_app
from wki.core.auth import Role
from wki.core.extensions import db
from wki.core.features import DASHBOARD, Feature, NavEntry, registry


@pytest.fixture(scope="module")
def proef_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with migrated_app(tmp_path_factory.mktemp("proef"), extra_features=[proef_feature.feature]) as application:
        yield application


def _client(app: Flask, email: str, *roles: Role) -> IsolatedClient:
    from wki.auth import services

    with app.app_context():
        if services.find_user_by_email(email) is None:
            services.create_user(email=email, name=email.split("@")[0], roles=roles, password=PASSWORD)
            db.session.commit()
    client = app.test_client()
    login(client, email)
    return client


def _navigation(page: str) -> list[str]:
    nav = re.search(r'<nav[^>]*aria-label="Hoofdmenu".*?</nav>', page, re.S)
    assert nav, "no main navigation on the page"
    return re.findall(r">\s*([^<>]+?)\s*</a>", nav.group(0))


def test_the_feature_appears_in_the_navigation_for_its_roles(proef_app, monkeypatch):
    use_fast_hashing(monkeypatch)
    inspector = _client(proef_app, "inspecteur@proef.example", Role.INSPECTEUR)
    page = inspector.get("/overzicht", follow_redirects=True).get_data(as_text=True)
    labels = _navigation(page)
    assert labels.index("Proefsectie") == labels.index("Toezicht") + 1  # by its order, 35
    assert inspector.get("/proef/").get_data(as_text=True) == "Proefpagina"
    informer = _client(proef_app, "voorlichting@proef.example", Role.VOORLICHTING)
    page = informer.get("/overzicht", follow_redirects=True).get_data(as_text=True)
    assert "Proefsectie" not in _navigation(page)
    assert informer.get("/proef/").status_code == 403  # its access rule, not only its menu entry


def test_the_feature_tile_is_on_the_dashboard(proef_app, monkeypatch):
    use_fast_hashing(monkeypatch)
    page = _client(proef_app, "inspecteur@proef.example", Role.INSPECTEUR).get(
        "/overzicht", follow_redirects=True).get_data(as_text=True)
    assert "Proeftegels" in page and 'href="/proef/"' in page
    assert proef_feature.proef_tiles in registry(proef_app).providers[DASHBOARD]


def test_the_feature_job_is_scheduled_listed_and_runs(proef_app):
    from wki.core.jobs import get_job, run_job_now
    from wki.scheduler import build_scheduler

    result = proef_app.test_cli_runner().invoke(args=["scheduler", "list"])
    assert result.exit_code == 0, result.output
    assert re.search(r"^proef-taak\s+cron \{'hour': 4, 'minute': 5\}\s+laatst geslaagd: nooit \(te oud\)$",
                     result.output, re.M), result.output
    assert "proef-taak" in {job.id for job in build_scheduler(proef_app).get_jobs()}
    proef_feature.RUNS.clear()
    run = run_job_now(proef_app, "proef-taak")
    assert (run.outcome, run.counts, proef_feature.RUNS) == ("geslaagd", {"proeven": 1}, ["job"])
    with proef_app.app_context():
        assert get_job("proef-taak").title == "Proeftaak draaien"


def test_the_feature_housekeeping_runs_with_the_others(proef_app):
    from wki.core.housekeeping import confirmation
    from wki.core.jobs import run_job_now

    proef_feature.RUNS.clear()
    run = run_job_now(proef_app, "housekeeping")
    assert run.counts == {"oude_taakuitvoeringen_verwijderd": 0, "mislukte_aanmeldingen_verwijderd": 0,
                          "losse_bijlagen_verwijderd": 0,
                          "losse_documenten_verwijderd": 0, "los_bewijs_verwijderd": 0,
                          "losse_zaakbijlagen_verwijderd": 0, "proefrijen_verwijderd": 3}
    with proef_app.app_context():
        assert confirmation() == ("Uitvoeringen van taken ouder dan de bewaartermijn (behalve de laatste geslaagde "
                                  "per taak), mislukte aanmeldingen, bijlagen die bij geen signaal horen, opgeslagen pdf's die "
                                  "bij geen uitgegeven document horen (van een afgebroken uitgifte), opgeslagen "
                                  "bewijsstukken die bij geen inspectie horen (van een afgebroken upload), "
                                  "opgeslagen bijlagen die bij geen handhavingszaak horen (van een afgebroken "
                                  "upload) en proefrijen, worden definitief verwijderd.")


def test_an_application_without_the_feature_knows_nothing_of_it(app):
    assert "proef" not in app.blueprints
    assert "proef-taak" not in {job.name for job in registry(app).jobs}
    assert "proef" not in registry(app).section_keys()


def _bare_app(*extra: Feature) -> Flask:
    from config import TestingConfig

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        SECRET_KEY = "throwaway-" + "x" * 32

    return create_app(Config, extra_features=extra)


def test_a_placeholder_section_makes_way_for_its_feature(monkeypatch: pytest.MonkeyPatch):
    landed = _bare_app()
    assert "sections.documenten" not in landed.view_functions  # the documents feature has landed
    assert "sections.toezicht" not in landed.view_functions  # the supervision feature has landed
    assert "sections.handhaving" not in landed.view_functions  # the enforcement feature has landed
    assert [n.endpoint for n in registry(landed).nav if n.key == "handhaving"] == ["enforcement.cases"]
    # Without the enforcement feature its section has a placeholder, until another feature takes the section.
    monkeypatch.setattr(wki, "FEATURES", tuple(f for f in wki.FEATURES if f != "wki.enforcement"))
    before = _bare_app()
    assert "sections.handhaving" in before.view_functions
    after = _bare_app(proef_feature.feature, proef_feature.enforcement_feature)
    assert "sections.handhaving" not in after.view_functions
    assert [n.endpoint for n in registry(after).nav if n.key == "handhaving"] == ["proef.index"]


@pytest.mark.parametrize("clash", [
    Feature(name="signals"),  # a feature's name
    Feature(name="tweede-register", nav=NavEntry("register", "Register", "register.index", frozenset(Role))),
])
def test_a_feature_cannot_take_what_another_declared(clash):
    with pytest.raises(RuntimeError):
        _bare_app(clash)
