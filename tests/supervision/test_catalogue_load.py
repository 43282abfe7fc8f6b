"""Loading the requirement catalogue: version 1 by migration, later versions by ``flask catalogue load``;
a loaded version is never changed, the same content twice changes nothing, and the version in force on a
date is the one an inspection gets."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.supervision import catalogue
from wki.supervision.catalogue_file import DEFAULT_CATALOGUE_PATH, parse_catalogue
from wki.supervision.models import CatalogueVersion, Requirement

ACTOR = Actor("beheerder@example.org", user_id=None)


def shipped() -> dict:
    return json.loads(DEFAULT_CATALOGUE_PATH.read_text(encoding="utf-8"))


def version_2(**changes) -> bytes:
    data = shipped()
    data.update({"versie": 2, "geldig_vanaf": "2027-01-01", **changes})
    data["eisen"][3]["verplichting"] = "Elke medewerker heeft een VOG (gewijzigde tekst in versie 2)."
    return json.dumps(data, ensure_ascii=False).encode()


def test_the_migration_loads_version_1_from_the_shipped_file(db_session):
    version = db.session.scalars(sa.select(CatalogueVersion)).one()
    parsed = parse_catalogue(DEFAULT_CATALOGUE_PATH.read_bytes())
    assert (version.versie, version.geldig_vanaf, version.sha256) == (1, date(2024, 4, 1), parsed.sha256)
    assert [r.code for r in version.requirements] == [e.code for e in parsed.eisen]
    vog = next(r for r in version.requirements if r.code == "VOG_MEDEWERKER")
    assert vog.artikel_onzeker and vog.automatische_controle == "personeel"
    assert set(vog.standaardbevinding) == {"voldoet", "voldoet_niet", "deels"}


def test_the_frozen_migration_copy_is_the_shipped_file():
    """Migration 0014 seeds from its own copy; a change to the catalogue is a new version, not an edit of 1."""
    from pathlib import Path

    frozen = Path(__file__).resolve().parents[2] / "migrations" / "data" / "0014_kwaliteitseisen.json"
    assert parse_catalogue(frozen.read_bytes()).sha256 == parse_catalogue(DEFAULT_CATALOGUE_PATH.read_bytes()).sha256


def test_a_new_version_is_loaded_once_and_old_versions_stay(db_session):
    loaded = catalogue.load_catalogue(version_2(), actor=ACTOR, source_name="v2.json")
    assert loaded.created and loaded.version.versie == 2 and len(loaded.version.requirements) == 27
    again = catalogue.load_catalogue(version_2(), actor=ACTOR)
    assert not again.created and again.version.id == loaded.version.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CatalogueVersion)) == 2
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "catalogus.geladen")).all()
    assert len(events) == 1 and events[0].after["versie"] == 2 and events[0].after["bestand"] == "v2.json"
    history = catalogue.requirement_history("VOG_MEDEWERKER")
    assert [r.catalogue.versie for r in history] == [2, 1]
    assert history[0].verplichting != history[1].verplichting
    assert catalogue.requirement_history("BESTAAT_NIET") == []


@pytest.mark.parametrize(("day", "versie"), [(date(2024, 4, 1), 1), (date(2026, 12, 31), 1), (date(2027, 1, 1), 2)])
def test_the_version_in_force_on_a_date(db_session, day, versie):
    catalogue.load_catalogue(version_2(), actor=ACTOR)
    assert catalogue.version_in_force(day).versie == versie
    assert catalogue.version_in_force(date(2024, 3, 31)) is None
    with pytest.raises(ServiceError, match="geen eisencatalogus die geldt op 31 maart 2024"):
        catalogue.require_version_in_force(date(2024, 3, 31))


def test_applicable_requirements_follow_their_own_dates(db_session):
    version = catalogue.version_in_force(date(2025, 1, 1))
    before = {r.code for r in catalogue.applicable_requirements(version, date(2025, 3, 31))}
    after = {r.code for r in catalogue.applicable_requirements(version, date(2025, 4, 1))}
    assert "OPLEIDING_MEDEWERKER" not in before and "OPLEIDING_MEDEWERKER" in after
    assert "VOG_MEDEWERKER" in before


@pytest.mark.parametrize(("changes", "message"), [
    ({"versie": 1}, "versie 1 is al geladen met andere inhoud"),
    ({"geldig_vanaf": "2024-01-01"}, "kan niet eerder ingaan dan de vorige"),
])
def test_a_conflicting_version_is_refused_and_changes_nothing(db_session, changes, message):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Requirement))
    with pytest.raises(ServiceError, match=message):
        catalogue.load_catalogue(version_2(**changes), actor=ACTOR)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Requirement)) == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CatalogueVersion)) == 1


def test_an_invalid_file_is_refused_with_its_problems(db_session):
    with pytest.raises(ServiceError, match="Het catalogusbestand is niet geldig: .*titel"):
        data = shipped()
        data["versie"] = 2
        data["eisen"][0]["titel"] = ""
        catalogue.load_catalogue(json.dumps(data).encode(), actor=ACTOR)
    with pytest.raises(ServiceError, match="niet geldig"):
        catalogue.load_catalogue(b"\xff\xfe niet json", actor=ACTOR)


# ---------------------------------------------------------------- the command line

def test_flask_catalogue_load_and_list(app, db_session, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "kwaliteitseisen-v2.json"
    path.write_bytes(version_2())
    result = runner.invoke(args=["catalogue", "load", str(path)])
    assert result.exit_code == 0, result.output
    assert "Versie 2 geladen: 27 eisen, geldig vanaf 1 januari 2027." in result.output
    result = runner.invoke(args=["catalogue", "load", str(path)])
    assert result.exit_code == 0 and "Niets gewijzigd: deze inhoud is al geladen als versie 2." in result.output
    listed = runner.invoke(args=["catalogue", "list"]).output.splitlines()
    assert [line.split("\t")[0] for line in listed] == ["versie 2", "versie 1"]


def test_flask_catalogue_load_refuses_with_a_dutch_message_and_exit_code(app, db_session, tmp_path):
    runner = app.test_cli_runner()
    missing = runner.invoke(args=["catalogue", "load", str(tmp_path / "weg.json")])
    assert missing.exit_code == 1 and "is niet te lezen" in missing.output
    path = tmp_path / "v1-anders.json"
    path.write_bytes(version_2(versie=1))
    refused = runner.invoke(args=["catalogue", "load", str(path)])
    assert refused.exit_code == 1 and "al geladen met andere inhoud" in refused.output
