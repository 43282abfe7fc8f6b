"""The planning page (priorities with their reasons, peildatum, search, paging, starting an inspection), its
CSV download for people, and the charts page."""

from __future__ import annotations

import csv
import html as html_lib
import io
import re
from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from tests.register.helpers import load, register_row
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.clock import today_local
from wki.core.extensions import db
from wki.supervision import inspections, planning_views, priorities
from wki.supervision.models import Inspection, InspectionStatus, Judgement
from wki.supervision.priorities import Priority

SNAPSHOT = date(2026, 1, 5)
INSPECTION_DAY = date(2026, 3, 2)


def plain(html: str) -> str:
    return html_lib.unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def rows_of(html: str) -> list[str]:
    """The body rows of the priorities table, as plain text."""
    table = html.split('id="prioriteiten"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody", 1)[1]
    return [plain(row) for row in re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", body, flags=re.S)]


def register(n: int, **overrides: Any) -> list[dict[str, str]]:
    return [register_row(i, **overrides) for i in range(1, n + 1)]


def make_inspection(registratienummer: str, inspector: Any, *, status: InspectionStatus = InspectionStatus.DRAFT,
                    judgements: Sequence[Judgement] = (), report: str | None = None,
                    day: date = INSPECTION_DAY) -> Inspection:
    """An inspection started through the service, its judgements and status then set directly: the pages only
    read them (the service's steps are tested with the service)."""
    inspection = inspections.start_inspection(registratienummer=registratienummer, kind="regulier",
                                              inspectiedatum=day, inspector_id=inspector.id,
                                              actor=Actor.of(inspector))
    for item, judgement in zip(inspection.items, judgements, strict=False):
        item.judgement = judgement
    inspection.status = status
    inspection.report_kenmerk = report
    db.session.flush()
    return inspection


@pytest.fixture
def inspector(login_as):
    return login_as(Role.INSPECTEUR)


@pytest.fixture
def crafted(monkeypatch: pytest.MonkeyPatch):
    """Replace the ranking with crafted priorities (the ranking itself is tested with priorities.py)."""

    def use(ranked: list[Priority]) -> None:
        monkeypatch.setattr(priorities, "priorities", lambda as_of: list(ranked))

    return use


def priority(n: int, *, score: int = 10, reasons: Sequence[str] = ("nog nooit geïnspecteerd (+25)",),
             naam: str | None = None, open_inspection: bool = False, last: date | None = None) -> Priority:
    return Priority(registratienummer=f"R2024-{n:05d}", naam=naam or f"Incassobureau {n} B.V.", plaats="Groningen",
                    score=score, reasons=tuple(reasons), last_inspection=last, open_inspection=open_inspection)


# ---------------------------------------------------------------- the page


class TestPlanningPage:
    def test_first_day_no_registrations(self, inspector, db_session):
        response = inspector.get("/toezicht/")
        text = plain(response.get_data(as_text=True))
        assert response.status_code == 200
        assert "Planning van het toezicht" in text
        assert "0 bureaus op" in text
        assert "Er staan op deze peildatum geen geldig ingeschreven incassobureaus in het register." in text
        # The explanation of how a priority is built: every configured weight with its points.
        assert "Hoe de prioriteit wordt berekend" in text
        assert "Nog nooit geïnspecteerd 25" in text
        assert "Per signaal in de afgelopen 12 maanden 3" in text

    def test_the_weights_come_from_the_configuration(self, app, inspector, monkeypatch):
        monkeypatch.setitem(app.config, "SUPERVISION_PRIORITY_WEIGHTS", {"nooit_geinspecteerd": 40})
        text = plain(inspector.get("/toezicht/").get_data(as_text=True))
        assert "Nog nooit geïnspecteerd 40" in text
        assert "Ingeschreven hoogstens 365 dagen geleden 10" in text  # the default of an unconfigured weight

    def test_registrations_ranked_with_reasons_and_links(self, inspector, factories, db_session):
        load(register(3), SNAPSHOT)
        colleague = factories.UserFactory(roles=[Role.INSPECTEUR])
        done = make_inspection("R2024-00002", colleague, status=InspectionStatus.DONE,
                               judgements=[Judgement.FAILS, Judgement.FAILS, Judgement.PARTLY])
        running = make_inspection("R2024-00003", colleague, day=date(2026, 11, 2))
        html = inspector.get("/toezicht/").get_data(as_text=True)
        rows = rows_of(html)
        ranked = priorities.priorities(today_local())
        assert [r.split()[0] for r in rows] == ["1", "2", "3"]
        assert [p.registratienummer for p in ranked] == [
            re.search(r"R2024-\d{5}", row).group(0) for row in rows]  # type: ignore[union-attr]
        two = next(row for row in rows if "R2024-00002" in row)
        assert "2 eisen met ‘voldoet niet’ in eerdere inspecties (+16)" in two
        assert "02-03-2026" in two  # the last completed inspection
        assert "Nooit" in next(row for row in rows if "R2024-00001" in row)
        assert 'href="/register/R2024-00001"' in html
        # An open inspection: a link to it instead of a start.
        assert f'href="/toezicht/inspecties/{running.id}"' in html
        assert running.nummer in html
        starts = re.findall(r'href="(/toezicht/inspecties/nieuw\?[^"]+)"', html)
        assert len(starts) == 2 and done.id  # the two without an open inspection
        query = parse_qs(urlsplit(html_lib.unescape(starts[0])).query)
        first = ranked[0] if not ranked[0].open_inspection else ranked[1]
        assert query["registratienummer"] == [first.registratienummer]
        assert query["aanleiding"] == [priorities.explanation(first)]

    def test_only_inspectors_get_the_start_link(self, login_as, factories, db_session):
        load(register(2), SNAPSHOT)
        running = make_inspection("R2024-00001", factories.UserFactory(roles=[Role.INSPECTEUR]))
        for role in (Role.HANDHAVER, Role.BEHEERDER):
            html = login_as(role).get("/toezicht/").get_data(as_text=True)
            assert "Inspectie starten" not in html
            assert f'href="/toezicht/inspecties/{running.id}"' in html  # reading an inspection is for every reader
        assert login_as(Role.VOORLICHTING).get("/toezicht/").status_code == 403

    def test_top_three_reasons_visible_the_rest_behind_details(self, inspector, crafted):
        reasons = [f"reden {i} (+{10 - i})" for i in range(1, 6)]
        crafted([priority(1, score=40, reasons=reasons), priority(2, score=5, reasons=())])
        html = inspector.get("/toezicht/").get_data(as_text=True)
        first_row = html.split('<tbody class="utrecht-table__body">', 1)[1].split("</tr>", 1)[0]
        visible, hidden = first_row.split("<details", 1)
        assert all(f"reden {i} " in visible for i in (1, 2, 3))
        assert "Nog 2 redenen" in hidden and "reden 4 " in hidden and "reden 5 " in hidden
        assert "reden 4" not in visible
        assert "Geen risicofactoren gevonden." in rows_of(html)[1]

    def test_search_by_name_or_number_keeps_the_rank(self, inspector, crafted):
        crafted([priority(1, score=30, naam="Alfa Incasso"), priority(2, score=20, naam="Beta Incasso"),
                 priority(3, score=10, naam="Gamma Collect")])
        rows = rows_of(inspector.get("/toezicht/?zoek=gamma").get_data(as_text=True))
        assert len(rows) == 1 and rows[0].startswith("3 Gamma Collect")
        rows = rows_of(inspector.get("/toezicht/?zoek=R2024-00002").get_data(as_text=True))
        assert len(rows) == 1 and rows[0].startswith("2 Beta Incasso")
        rows = rows_of(inspector.get("/toezicht/?zoek=%20%20incasso%20").get_data(as_text=True))
        assert [r.split()[0] for r in rows] == ["1", "2"]
        text = plain(inspector.get("/toezicht/?zoek=Delta").get_data(as_text=True))
        assert "Geen bureau gevonden met deze zoekopdracht." in text

    def test_peildatum(self, inspector, monkeypatch, crafted):
        asked: list[date] = []
        monkeypatch.setattr(priorities, "priorities", lambda as_of: asked.append(as_of) or [priority(1)])
        text = plain(inspector.get("/toezicht/?peildatum=2026-06-30").get_data(as_text=True))
        assert asked == [date(2026, 6, 30)] and "1 bureau op 30 juni 2026" in text
        inspector.get("/toezicht/?peildatum=30-06-2026")
        inspector.get("/toezicht/")
        assert asked[1:] == [date(2026, 6, 30), today_local()]

    def test_peildatum_decides_who_is_listed(self, inspector, db_session):
        load(register(2) + [register_row(3, status="doorgehaald", datum_einde="2026-06-01")], SNAPSHOT)
        assert len(rows_of(inspector.get("/toezicht/?peildatum=2026-05-31").get_data(as_text=True))) == 3
        assert len(rows_of(inspector.get("/toezicht/?peildatum=2026-06-01").get_data(as_text=True))) == 2

    def test_a_wrong_peildatum_shows_its_error(self, inspector, monkeypatch):
        monkeypatch.setattr(priorities, "priorities", lambda as_of: pytest.fail("not ranked for a wrong date"))
        response = inspector.get("/toezicht/?peildatum=31-02-2026")
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Er is een probleem" in html and 'href="#peildatum"' in html
        assert 'id="prioriteiten"' not in html
        assert "Vul een datum in tussen 1900 en 2999." in plain(
            inspector.get("/toezicht/?peildatum=1800-01-01").get_data(as_text=True))

    def test_paging_by_fifty(self, inspector, crafted):
        crafted([priority(n, score=100 - n) for n in range(1, 61)])
        first = inspector.get("/toezicht/?zoek=incasso").get_data(as_text=True)
        assert len(rows_of(first)) == 50
        assert "Pagina 1 van 2 (60 resultaten)" in plain(first)
        assert 'href="/toezicht/?pagina=2&amp;zoek=incasso"' in first  # the search is kept
        second = rows_of(inspector.get("/toezicht/?zoek=incasso&pagina=2").get_data(as_text=True))
        assert [r.split()[0] for r in second] == [str(n) for n in range(51, 61)]
        assert rows_of(inspector.get("/toezicht/?pagina=9").get_data(as_text=True)) == [
            "Er staan op deze peildatum geen geldig ingeschreven incassobureaus in het register."]

    def test_queries_do_not_grow_with_the_rows(self, inspector, factories, db_session):
        def statements_for(n: int) -> int:
            statements: list[str] = []

            def before(conn, cursor, statement, parameters, context, executemany):
                statements.append(statement)

            sa.event.listen(sa.engine.Engine, "before_cursor_execute", before)
            try:
                html = inspector.get("/toezicht/").get_data(as_text=True)
            finally:
                sa.event.remove(sa.engine.Engine, "before_cursor_execute", before)
            assert len(rows_of(html)) == n and html.count("Inspectie loopt") == 2
            return len(statements)

        colleague = factories.UserFactory(roles=[Role.INSPECTEUR])
        load(register(5), SNAPSHOT)
        make_inspection("R2024-00001", colleague)
        make_inspection("R2024-00002", colleague)
        few = statements_for(5)
        load(register(40), date(2026, 2, 5))
        assert statements_for(40) == few


class TestOpenInspections:
    def test_one_query_for_all_shown(self, factories, db_session):
        load(register(3), SNAPSHOT)
        colleague = factories.UserFactory(roles=[Role.INSPECTEUR])
        a = make_inspection("R2024-00001", colleague)
        make_inspection("R2024-00002", colleague, status=InspectionStatus.DONE)
        c = make_inspection("R2024-00003", colleague, status=InspectionStatus.IN_REVIEW)
        assert planning_views.open_inspections([]) == {}
        found = planning_views.open_inspections(["R2024-00001", "R2024-00002", "R2024-00003", "R2024-00009"])
        assert found == {"R2024-00001": a, "R2024-00003": c}


# ---------------------------------------------------------------- the download


class TestPrioritiesCsv:
    def read(self, response) -> tuple[bytes, list[list[str]]]:
        data = response.get_data()
        return data, list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))

    def test_csv_for_people(self, inspector, crafted):
        crafted([priority(1, score=42, naam="=HYPERLINK(\"https://x\")", reasons=("a (+30)", "b (+12)"),
                          last=date(2025, 3, 4), open_inspection=True),
                 priority(2, score=0, reasons=())])
        response = inspector.get("/toezicht/prioriteiten.csv?peildatum=2026-06-30")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="prioriteiten-2026-06-30.csv"' in response.headers["Content-Disposition"]
        data, rows = self.read(response)
        assert data.startswith("\ufeff".encode())
        assert data.split(b"\r\n")[0] == "\ufeffRang;Registratienummer;Naam;Plaats;Prioriteit;Toelichting;" \
                                         "Laatste inspectie;Inspectie loopt".encode()
        assert rows[1] == ["1", "R2024-00001", "'=HYPERLINK(\"https://x\")", "Groningen", "42", "a (+30); b (+12)",
                           "04-03-2025", "ja"]
        assert rows[2] == ["2", "R2024-00002", "Incassobureau 2 B.V.", "Groningen", "0",
                           "Geen risicofactoren gevonden.", "", "nee"]

    def test_the_page_filters_apply(self, inspector, crafted):
        crafted([priority(1, naam="Alfa"), priority(2, naam="Beta")])
        html = inspector.get("/toezicht/?zoek=beta").get_data(as_text=True)
        assert 'href="/toezicht/prioriteiten.csv?zoek=beta"' in html
        _, rows = self.read(inspector.get("/toezicht/prioriteiten.csv?zoek=beta"))
        assert [r[:3] for r in rows[1:]] == [["2", "R2024-00002", "Beta"]]

    def test_empty_and_real(self, inspector, db_session):
        _, rows = self.read(inspector.get("/toezicht/prioriteiten.csv"))
        assert len(rows) == 1
        load(register(2), SNAPSHOT)
        _, rows = self.read(inspector.get("/toezicht/prioriteiten.csv"))
        assert sorted(r[1] for r in rows[1:]) == ["R2024-00001", "R2024-00002"]
        assert all("nog nooit geïnspecteerd (+25)" in r[5] for r in rows[1:])

    def test_a_wrong_peildatum_is_refused(self, inspector):
        response = inspector.get("/toezicht/prioriteiten.csv?peildatum=gisteren")
        assert response.status_code == 400
        assert "Vul een geldige datum in" in response.get_data(as_text=True)


# ---------------------------------------------------------------- the charts


class TestFiguresPage:
    def test_first_day(self, inspector, db_session):
        response = inspector.get("/toezicht/grafieken")
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert html.count('role="img"') == 3
        text = plain(html)
        assert "Nog geen afgeronde inspecties met oordelen." in text
        assert "Geen ingeschreven incassobureaus." in text
        assert "Signalen per maand" in text and "Geen signalen in deze periode." in text

    def test_with_data(self, inspector, factories, db_session):
        load(register(3), SNAPSHOT)
        colleague = factories.UserFactory(roles=[Role.INSPECTEUR])
        make_inspection("R2024-00001", colleague, status=InspectionStatus.DONE,
                        judgements=[Judgement.FAILS, Judgement.COMPLIES])
        html = inspector.get("/toezicht/grafieken").get_data(as_text=True)
        text = plain(html)
        assert "Oordelen per eis in afgeronde inspecties" in text
        assert "Voldoet niet" in text and "REGISTRATIE_ACTUEEL" in text
        # The spread: three agencies, each with a score, in the table under the chart.
        spread = html.split('id="grafiek-prioriteiten-tabel"', 1)[1].split("</table>", 1)[0]
        assert plain(spread.split("<tfoot>", 1)[1]).endswith("Totaal 3")

    def test_readers_only(self, login_as, db_session):
        assert login_as(Role.HANDHAVER).get("/toezicht/grafieken").status_code == 200
        assert login_as(Role.VOORLICHTING).get("/toezicht/grafieken").status_code == 403


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 12, 5), 23, date(2025, 1, 1)),
    (date(2026, 1, 31), 1, date(2025, 12, 1)),
    (date(2024, 2, 29), 0, date(2024, 2, 1)),
    (date(2026, 3, 1), 14, date(2025, 1, 1)),
])
def test_months_back(day, months, expected):
    assert planning_views.months_back(day, months) == expected
