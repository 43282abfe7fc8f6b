"""The "Inspecties" panel on a registration's page: for the supervision roles only, every inspection with its
status and outcome, and for inspectors a way to start one."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from tests.register.helpers import load, register_row
from tests.supervision.test_planning_views import SNAPSHOT, make_inspection, plain
from wki.core.auth import Role
from wki.register.queries import get_registration
from wki.supervision import panels
from wki.supervision.models import InspectionStatus, Judgement

NUMMER = "R2024-00001"
PAGE = f"/register/{NUMMER}"

F, P, C, NA = Judgement.FAILS, Judgement.PARTLY, Judgement.COMPLIES, Judgement.NOT_APPLICABLE


def panel_section(html: str) -> str:
    """The panel's section of the registration page ('' when it is not there)."""
    match = re.search(r'<section aria-labelledby="(paneel-\d+)">\s*<h2[^>]*>Inspecties</h2>(.*?)</section>', html, re.S)
    return match.group(2) if match else ""


@pytest.fixture
def registration(db_session):
    load([register_row(1), register_row(2)], SNAPSHOT)
    return get_registration(NUMMER)


@pytest.fixture
def colleague(factories):
    return factories.UserFactory(roles=[Role.INSPECTEUR])


class TestOutcomeText:
    def test_worst_first(self):
        assert panels.outcome_text({"voldoet": 20, "deels": 1, "voldoet_niet": 3}) == "3 voldoet niet, 1 deels, 20 voldoet"
        assert panels.outcome_text({"niet_beoordeeld": 4, "niet_van_toepassing": 1}) == (
            "1 niet van toepassing, 4 niet beoordeeld")
        assert panels.outcome_text({"voldoet": 0}) == "Geen eisen"
        assert panels.outcome_text({}) == "Geen eisen"


class TestPanel:
    def test_not_for_voorlichting_nor_without_a_role(self, registration, factories):
        for roles in ([Role.VOORLICHTING], []):
            assert panels.registration_panel(NUMMER, registration, factories.UserFactory(roles=roles)) is None

    @pytest.mark.parametrize("role", [Role.INSPECTEUR, Role.HANDHAVER, Role.BEHEERDER])
    def test_for_the_readers(self, registration, factories, role):
        panel = panels.registration_panel(NUMMER, registration, factories.UserFactory(roles=[role]))
        assert panel is not None and panel.title == "Inspecties"
        assert panel.template == "supervision/_registration_panel.html"
        assert panel.context["inspecties"] == []
        assert panel.context["mag_starten"] is (role == Role.INSPECTEUR)

    def test_inspections_newest_first_with_outcome(self, registration, colleague):
        old = make_inspection(NUMMER, colleague, status=InspectionStatus.DONE, judgements=[F, F, F, P, C, C, NA],
                              report="IJ-2026-000123", day=date(2026, 2, 2))
        new = make_inspection(NUMMER, colleague, status=InspectionStatus.IN_PROGRESS, judgements=[C])
        make_inspection("R2024-00002", colleague)  # another registration's
        panel = panels.registration_panel(NUMMER, registration, colleague)
        assert panel is not None
        rows = panel.context["inspecties"]
        assert [r["nummer"] for r in rows] == [new.nummer, old.nummer]
        assert rows[1]["uitkomst"].startswith("3 voldoet niet, 1 deels, 2 voldoet, 1 niet van toepassing, ")
        assert rows[1]["uitkomst"].endswith(" niet beoordeeld")
        assert rows[1]["rapport"] == "IJ-2026-000123" and rows[1]["soort"] == "Regulier toezicht (digitaal informatieverzoek)"
        assert rows[0]["status"] == InspectionStatus.IN_PROGRESS and rows[0]["rapport"] is None
        # An inspection is running: no second one can start.
        assert panel.context["loopt"] == new.id and panel.context["mag_starten"] is False

    def test_two_queries_however_many_inspections(self, registration, colleague):
        for _ in range(3):
            make_inspection(NUMMER, colleague, status=InspectionStatus.WITHDRAWN)
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        sa.event.listen(sa.engine.Engine, "before_cursor_execute", before)
        try:
            panel = panels.registration_panel(NUMMER, registration, colleague)
        finally:
            sa.event.remove(sa.engine.Engine, "before_cursor_execute", before)
        assert panel is not None and len(panel.context["inspecties"]) == 3
        assert len(statements) == 2


class TestOnTheRegistrationPage:
    def test_first_day(self, login_as, registration):
        section = panel_section(login_as(Role.INSPECTEUR).get(PAGE).get_data(as_text=True))
        assert "Deze registratie is nog niet geïnspecteerd." in plain(section)
        assert f'href="/toezicht/inspecties/nieuw?registratienummer={NUMMER}"' in section

    def test_each_role(self, login_as, registration, colleague):
        done = make_inspection(NUMMER, colleague, status=InspectionStatus.DONE, judgements=[F, C],
                               report="IJ-2026-000007")
        for role in (Role.INSPECTEUR, Role.HANDHAVER, Role.BEHEERDER):
            html = login_as(role).get(PAGE).get_data(as_text=True)
            section = panel_section(html)
            text = plain(section)
            assert f'href="/toezicht/inspecties/{done.id}"' in section
            assert done.nummer in text and "02-03-2026" in text and "Afgerond" in text
            assert "1 voldoet niet, 1 voldoet" in text
            assert 'href="/documenten/IJ-2026-000007"' in section
            assert ("Inspectie starten" in text) is (role == Role.INSPECTEUR)
        page = login_as(Role.VOORLICHTING).get(PAGE)
        assert page.status_code == 200 and panel_section(page.get_data(as_text=True)) == ""

    def test_running_inspection_instead_of_a_start(self, login_as, registration, colleague):
        make_inspection(NUMMER, colleague, status=InspectionStatus.IN_REVIEW)
        text = plain(panel_section(login_as(Role.INSPECTEUR).get(PAGE).get_data(as_text=True)))
        assert "Inspectie starten" not in text and "Ter review" in text
        assert "Er loopt een inspectie" in text
