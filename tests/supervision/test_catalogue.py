"""The catalogue pages: the version in force with every requirement, the version selector, and one
requirement's history across versions with what changed."""

from __future__ import annotations

import html as html_lib
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.clock import today_local
from wki.core.extensions import db
from wki.supervision import catalogue, catalogue_views
from wki.supervision.models import CatalogueVersion, Requirement

CATALOGUE_FILE = Path(catalogue.__file__).with_name("kwaliteitseisen.json")
CHANGED = "REGISTRATIE_ACTUEEL"
UNCHANGED = "VOG_MEDEWERKER"
NEW_WORDING = "Het bureau staat in het register voordat het incassowerk doet of aanbiedt, en verlengt elk jaar."


def plain(html: str) -> str:
    return html_lib.unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def version_two(geldig_vanaf: date = date(2026, 7, 1), **changes: Any) -> CatalogueVersion:
    """The shipped file as version 2 from ``geldig_vanaf``, with one requirement's wording changed."""
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    data["versie"] = 2
    data["geldig_vanaf"] = geldig_vanaf.isoformat()
    eis = next(e for e in data["eisen"] if e["id"] == CHANGED)
    eis["verplichting"] = NEW_WORDING
    eis.update(changes)
    loaded = catalogue.load_catalogue(json.dumps(data).encode(), actor=Actor.process("test"), source_name="v2.json")
    assert loaded.created
    return loaded.version


@pytest.fixture
def inspector(login_as):
    return login_as(Role.INSPECTEUR)


class TestCataloguePage:
    def test_the_version_in_force(self, inspector, db_session):
        response = inspector.get("/toezicht/catalogus")
        html = response.get_data(as_text=True)
        text = plain(html)
        assert response.status_code == 200
        assert "Eisencatalogus, versie 1" in text and "(deze versie geldt vandaag)" in text
        version = catalogue.version_in_force(today_local())
        assert version is not None and f"De {len(version.requirements)} eisen van versie 1" in text
        for requirement in version.requirements:
            assert f'href="/toezicht/catalogus/{requirement.code}"' in html
            assert plain(requirement.titel) in text
        # An unverified article says so, with the catalogue's note.
        unsure = next(r for r in version.requirements if r.artikel_onzeker)
        assert "Niet geverifieerd." in text and plain(unsure.artikel_toelichting or "") in text
        assert "Personeelslijst (VOG, opleiding, bijscholing)" in text
        assert "vanaf 01-04-2024" in text
        # The version selector: every version with its date, who loaded it and the start of its hash.
        assert "1 versie, nieuwste eerst" in text and version.sha256[:12] in html
        assert version.loaded_by in text

    def test_a_requirement_with_an_end_date(self, inspector, db_session):
        version_two(geldt_tot="2027-01-01")
        text = plain(inspector.get("/toezicht/catalogus").get_data(as_text=True))
        assert "vanaf 01-04-2024 tot 01-01-2027" in text

    def test_version_selector(self, inspector, db_session):
        version_two()
        html = inspector.get("/toezicht/catalogus").get_data(as_text=True)
        text = plain(html)
        assert "Eisencatalogus, versie 2" in text and "(deze versie geldt vandaag)" in text
        assert "2 versies, nieuwste eerst" in text
        assert 'href="/toezicht/catalogus?versie=1"' in html
        old = plain(inspector.get("/toezicht/catalogus?versie=1").get_data(as_text=True))
        assert "Eisencatalogus, versie 1" in old and "(vervangen door een nieuwere versie)" in old
        assert NEW_WORDING not in old

    def test_a_version_not_yet_in_force(self, inspector, db_session):
        later = today_local().replace(year=today_local().year + 1, month=1, day=1)
        version_two(geldig_vanaf=later)
        assert "Eisencatalogus, versie 1" in plain(inspector.get("/toezicht/catalogus").get_data(as_text=True))
        text = plain(inspector.get("/toezicht/catalogus?versie=2").get_data(as_text=True))
        assert "Eisencatalogus, versie 2" in text and "(geldt nog niet)" in text

    @pytest.mark.parametrize("asked", ["3", "0", "twee", "-1", "1.0"])
    def test_an_unknown_version_is_not_found(self, inspector, db_session, asked):
        assert inspector.get(f"/toezicht/catalogus?versie={asked}").status_code == 404

    def test_no_version_loaded(self, inspector, db_session):
        """The first day before any catalogue (migration 0014 loads version 1; here it is taken away)."""
        db.session.execute(sa.delete(Requirement))
        db.session.execute(sa.delete(CatalogueVersion))
        text = plain(inspector.get("/toezicht/catalogus").get_data(as_text=True))
        assert "nog geen versie van de eisencatalogus" in text and "Er is nog geen versie geladen." in text

    def test_readers_only(self, login_as, db_session):
        assert login_as(Role.BEHEERDER).get("/toezicht/catalogus").status_code == 200
        assert login_as(Role.VOORLICHTING).get("/toezicht/catalogus").status_code == 403


class TestRequirementPage:
    def test_one_version(self, inspector, db_session):
        response = inspector.get(f"/toezicht/catalogus/{CHANGED}")
        text = plain(response.get_data(as_text=True))
        assert response.status_code == 200
        assert "Versie 1, geldig vanaf 1 april 2024" in text
        assert "De eerste versie met deze eis." in text
        assert "gewijzigd" not in text.replace("Gewijzigd", "")  # nothing to compare with
        requirement = catalogue.requirement_history(CHANGED)[0]
        assert plain(requirement.verplichting) in text
        assert all(plain(stuk) in text for stuk in requirement.bewijs)
        assert "Voldoet niet: " + plain(requirement.standard_finding("voldoet_niet")) in text
        assert "Niet geverifieerd Het artikel is niet geverifieerd." in text

    def test_history_with_what_changed(self, inspector, db_session):
        version_two()
        html = inspector.get(f"/toezicht/catalogus/{CHANGED}").get_data(as_text=True)
        text = plain(html)
        newest, oldest = text.index("Versie 2, geldig vanaf 1 juli 2026"), text.index("Versie 1, geldig vanaf")
        assert newest < oldest
        assert "Gewijzigd ten opzichte van versie 1: wat het bureau moet doen." in text
        assert NEW_WORDING in text[newest:oldest] and NEW_WORDING not in text[oldest:]
        # The marker sits at the changed field of version 2 only.
        section_two = html.split('id="versie-2"', 1)[1].split("</section>", 1)[0]
        assert section_two.count(">gewijzigd</span>") == 1
        assert re.search(r"Wat het bureau moet doen <span[^>]*>gewijzigd</span>", section_two)
        assert 'href="/toezicht/catalogus?versie=2"' in html

    def test_unchanged_in_a_new_version(self, inspector, db_session):
        version_two()
        text = plain(inspector.get(f"/toezicht/catalogus/{UNCHANGED}").get_data(as_text=True))
        assert "Ongewijzigd ten opzichte van versie 1." in text

    def test_several_fields_changed(self, inspector, db_session):
        version_two(artikelen=["Wki art. 3"], artikel_onzeker=False, artikel_toelichting=None)
        text = plain(inspector.get(f"/toezicht/catalogus/{CHANGED}").get_data(as_text=True))
        assert ("Gewijzigd ten opzichte van versie 1: artikelen, artikel niet geverifieerd, toelichting bij de "
                "artikelen, wat het bureau moet doen.") in text
        assert "Het artikel is geverifieerd." in text

    @pytest.mark.parametrize("code", ["ONBEKENDE_EIS", "registratie_actueel", "AB", "A" * 61, "1ABC",
                                      "REGISTRATIE-ACTUEEL", "REGISTRATIE_ACTUEEL%0A"])
    def test_an_unknown_or_malformed_code_is_not_found(self, inspector, db_session, code):
        assert inspector.get(f"/toezicht/catalogus/{code}").status_code == 404

    def test_readers_only(self, login_as, db_session):
        assert login_as(Role.HANDHAVER).get(f"/toezicht/catalogus/{CHANGED}").status_code == 200
        assert login_as(Role.VOORLICHTING).get(f"/toezicht/catalogus/{CHANGED}").status_code == 403


class TestChangedFields:
    def test_first_version_has_nothing_to_compare(self, db_session):
        (requirement,) = catalogue.requirement_history(CHANGED)
        assert catalogue_views.changed_fields(requirement, None) == []
        assert catalogue_views.changed_fields(requirement, requirement) == []

    def test_history_entries(self, db_session):
        version_two(geldt_vanaf="2024-05-01")
        entries = catalogue_views.history(CHANGED)
        assert [e.version.versie for e in entries] == [2, 1]
        assert entries[0].changed == ["verplichting", "geldt_vanaf"] and not entries[0].first
        assert entries[1].changed == [] and entries[1].first
        assert catalogue_views.history("ONBEKEND") == []
