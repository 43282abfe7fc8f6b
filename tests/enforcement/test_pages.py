"""The Handhaving section's reading pages: the case list (search, filters, paging, the nearest deadline per row
in one query), the team's overview (open cases by status and instrument, coming deadlines, decisions per month
as a chart with its table), the cases panels on a registration's and a suspect's page, the dashboard tiles, the
risk factors supervision reads, and who may see what."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.enforcement.page_factories import make_case, make_deadline, make_document
from tests.helpers import count_queries
from tests.register.helpers import load, register_row
from tests.signals.helpers import signal_row
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.clock import today_local
from wki.core.features import Panel
from wki.enforcement import figures, panels, queries, tiles
from wki.enforcement.list_views import CaseFilter, nearest_deadlines, search
from wki.enforcement.models import (
    CaseStatus,
    DeadlineKind,
    DeadlineStatus,
    DocumentKind,
    DocumentStatus,
    Instrument,
    Provision,
    SubjectKind,
)
from wki.register.queries import get_registration
from wki.signals.models import Channel
from wki.signals.recording import create_signal

LIST = "/handhaving/"
OVERVIEW = "/handhaving/overzicht"
NUMMER = "R2024-00001"


def plain(html: str) -> str:
    """The page's text without tags and with whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def rows_of(html: str, caption_id: str) -> list[str]:
    """The text of each body row of the table captioned ``caption_id``."""
    match = re.search(rf'id="{caption_id}".*?<tbody[^>]*>(.*?)</tbody>', html, re.S)
    assert match, f"no table {caption_id}"
    return [plain(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", match.group(1), re.S)]


def case_numbers(html: str) -> list[str]:
    return re.findall(r'class="utrecht-link wki-nowrap" href="/handhaving/zaken/\d+">(HZ-[^<]+)</a>', html)


@pytest.fixture
def officer(login_as):
    return login_as(Role.HANDHAVER, name="Hanna Handhaver")


@pytest.fixture
def colleague(factories):
    return factories.UserFactory(roles=[Role.HANDHAVER], name="Cor Collega")


# ---------------------------------------------------------------- the list


class TestCaseList:
    def test_heading_columns_and_a_row(self, officer):
        case = make_case(officer.user, naam="Snelgeld Incasso B.V.", registratienummer=NUMMER,
                         provisions=[Provision.WKI_11.value, Provision.AWB_5_20.value], instrument=Instrument.FINE,
                         status=CaseStatus.INTENTION)
        html = officer.get(LIST).get_data(as_text=True)
        assert "<h1 class=\"nl-heading nl-heading--level-1\">Handhavingszaken</h1>" in html
        for column in ("Zaaknummer", "Partij", "Bepalingen", "Instrument", "Status", "Eerstvolgende termijn",
                       "Behandelaar"):
            assert f">{column}</th>" in html
        [row] = rows_of(html, "zaken-titel")
        assert row.startswith(f"{case.nummer} Snelgeld Incasso B.V. Geregistreerde incassodienstverlener ({NUMMER})")
        assert "Wki artikel 11; Medewerkingsplicht aan toezicht (artikel 5:20 lid 1 Awb)" in row
        assert "Bestuurlijke boete" in row and "Voornemen verzonden" in row and row.endswith("Hanna Handhaver")
        assert f'href="/handhaving/zaken/{case.id}"' in html

    def test_empty(self, officer):
        html = officer.get(LIST).get_data(as_text=True)
        assert rows_of(html, "zaken-titel") == ["Er zijn nog geen handhavingszaken."]
        html = officer.get(LIST + "?zoek=niets").get_data(as_text=True)
        assert rows_of(html, "zaken-titel") == ["Geen zaken met deze zoekopdracht of filters."]

    def test_search_by_number_name_or_registratienummer(self, officer):
        a = make_case(officer.user, naam="Snelgeld Incasso B.V.", registratienummer="R2024-00077")
        b = make_case(officer.user, naam="Rapido Vorderingen", subject_kind=SubjectKind.SUSPECT, suspect_id=5)
        c = make_case(officer.user, naam="50% Incasso", nummer="HZ-2025-00001")

        def found(query: str) -> set[str]:
            return set(case_numbers(officer.get(LIST, query_string={"zoek": query}).get_data(as_text=True)))

        assert found("snelgeld") == {a.nummer}
        assert found("  RAPIDO   ") == {b.nummer}
        assert found("00077") == {a.nummer}
        assert found(b.nummer) == {b.nummer}
        assert found("HZ-2025") == {c.nummer}
        assert found("50%") == {c.nummer}  # the wildcard is a character like any other
        assert found("%") == {c.nummer}
        assert found("") == {a.nummer, b.nummer, c.nummer}

    def test_filters(self, officer, colleague):
        today = today_local()
        mine_open = make_case(officer.user, status=CaseStatus.DECIDING, instrument=Instrument.PENALTY_ORDER)
        mine_closed = make_case(officer.user, status=CaseStatus.CLOSED, instrument=Instrument.WARNING)
        theirs = make_case(colleague, status=CaseStatus.INVESTIGATION)
        soon = make_case(colleague, status=CaseStatus.INTENTION, instrument=Instrument.FINE)
        make_deadline(soon, today + timedelta(days=7))
        later = make_case(colleague, status=CaseStatus.INTENTION, instrument=Instrument.FINE)
        make_deadline(later, today + timedelta(days=20))
        make_deadline(mine_open, today + timedelta(days=1), status=DeadlineStatus.MET)  # dealt with: not soon

        def found(**args: str) -> set[str]:
            return set(case_numbers(officer.get(LIST, query_string=args).get_data(as_text=True)))

        assert found(status="open") == {mine_open.nummer, theirs.nummer, soon.nummer, later.nummer}
        assert found(status="afgerond") == {mine_closed.nummer}
        assert found(status="onbekend") == found()  # an unknown value filters nothing
        assert found(instrument="bestuurlijke_boete") == {soon.nummer, later.nummer}
        assert found(instrument="geen") == {theirs.nummer}
        assert found(mijn="ja") == {mine_open.nummer, mine_closed.nummer}
        assert found(termijn="7") == {soon.nummer}
        assert found(termijn="28") == {soon.nummer, later.nummer}
        assert found(mijn="ja", status="open") == {mine_open.nummer}
        html = officer.get(LIST, query_string={"status": "open", "mijn": "ja"}).get_data(as_text=True)
        assert '<option selected value="open">' in html or 'value="open" selected' in html
        assert "Alles tonen" in html

    def test_a_search_too_long_is_refused_in_dutch_and_ignored(self, officer):
        case = make_case(officer.user)
        html = officer.get(LIST, query_string={"zoek": "x" * 201}).get_data(as_text=True)
        assert "Gebruik hoogstens 200 tekens." in html
        assert case_numbers(html) == [case.nummer]

    def test_fifty_per_page_newest_first(self, officer):
        made = [make_case(officer.user, opened_on=date(2026, 1, 1) + timedelta(days=i)) for i in range(51)]
        first = officer.get(LIST, query_string={"mijn": "ja"}).get_data(as_text=True)
        assert case_numbers(first) == [c.nummer for c in reversed(made)][:50]
        assert "Pagina 1 van 2" in first and 'href="/handhaving/?pagina=2&amp;mijn=ja"' in first
        second = officer.get(LIST, query_string={"mijn": "ja", "pagina": "2"}).get_data(as_text=True)
        assert case_numbers(second) == [made[0].nummer]
        assert case_numbers(officer.get(LIST, query_string={"pagina": "99999999999999999999"})
                            .get_data(as_text=True)) == []

    def test_the_nearest_running_deadline_per_row(self, officer):
        today = today_local()
        two = make_case(officer.user, opened_on=date(2026, 1, 2))
        make_deadline(two, today + timedelta(days=30), kind=DeadlineKind.FINE_DECISION, period="13w")
        make_deadline(two, today + timedelta(days=10), kind=DeadlineKind.VIEW)
        make_deadline(two, today + timedelta(days=2), kind=DeadlineKind.GRACE, status=DeadlineStatus.MET)
        late = make_case(officer.user, opened_on=date(2026, 1, 3))
        make_deadline(late, today - timedelta(days=3), kind=DeadlineKind.OBJECTION, period="6w")
        none = make_case(officer.user, opened_on=date(2026, 1, 4))
        rows = dict(zip([none.nummer, late.nummer, two.nummer],
                        rows_of(officer.get(LIST).get_data(as_text=True), "zaken-titel"), strict=True))
        view_end = (today + timedelta(days=10)).strftime("%d-%m-%Y")
        assert f"{view_end} Termijn voor de zienswijze" in rows[two.nummer]
        assert "Boetebesluit" not in rows[two.nummer] and "Begunstiging" not in rows[two.nummer]
        assert "Bezwaartermijn (art. 6:7 Awb) (verstreken)" in rows[late.nummer]
        assert "Termijn" not in rows[none.nummer] and " – " in rows[none.nummer]
        found = nearest_deadlines([two.id, late.id, none.id])
        assert found[two.id].kind == DeadlineKind.VIEW and found[two.id].end_date == today + timedelta(days=10)
        assert none.id not in found and nearest_deadlines([]) == {}

    def test_queries_do_not_grow_with_the_rows(self, officer, colleague):
        def page_queries() -> int:
            officer.get(LIST)  # warm: the session's user, the templates
            with count_queries() as statements:
                response = officer.get(LIST)
            assert response.status_code == 200
            return len(statements)

        def add(n: int) -> None:
            for i in range(n):
                case = make_case(officer.user if i % 2 else colleague, instrument=Instrument.WARNING)
                make_deadline(case, today_local() + timedelta(days=i))
                make_deadline(case, today_local() + timedelta(days=i + 3), kind=DeadlineKind.FINE_DECISION)

        add(5)
        five = page_queries()
        add(45)
        assert page_queries() == five

    def test_search_function(self, officer):
        a = make_case(officer.user, status=CaseStatus.OBJECTION)
        page = search(CaseFilter(status="open"), page=1, per_page=50)
        assert [c.id for c in page.items] == [a.id] and page.total == 1


# ---------------------------------------------------------------- the overview


class TestOverview:
    def test_open_cases_by_status_and_instrument(self, officer, colleague):
        for status, instrument, n in ((CaseStatus.INVESTIGATION, None, 2), (CaseStatus.INTENTION, Instrument.FINE, 3),
                                      (CaseStatus.INTENTION, Instrument.PENALTY_ORDER, 1),
                                      (CaseStatus.OBJECTION, Instrument.FINE, 1), (CaseStatus.CLOSED, Instrument.FINE, 4)):
            for _ in range(n):
                make_case(colleague, status=status, instrument=instrument)
        found = figures.open_cases()
        assert found.total == 7
        assert found.columns == [("last_onder_dwangsom", "Last onder dwangsom"), ("bestuurlijke_boete", "Bestuurlijke boete"),
                                 ("", "Nog geen instrument")]
        assert found.count("voornemen", "bestuurlijke_boete") == 3 and found.row_total("voornemen") == 4
        assert found.column_total("bestuurlijke_boete") == 4  # the closed ones are not open
        html = officer.get(OVERVIEW).get_data(as_text=True)
        assert "<h1 class=\"nl-heading nl-heading--level-1\">Overzicht handhaving</h1>" in html
        rows = rows_of(html, "open-zaken-tabel")
        assert rows[0] == "In onderzoek 0 0 2 2"
        assert rows[1] == "Voornemen verzonden 1 3 0 4"
        assert rows[4] == "In bezwaar 0 1 0 1"
        assert "Totaal 1 4 2 7" in plain(html)
        assert "7 open zaken, per status en instrument" in html

    def test_no_open_cases(self, officer):
        html = officer.get(OVERVIEW).get_data(as_text=True)
        assert "Er zijn geen open zaken." in html and "Er lopen geen termijnen af tot en met" in html

    def test_deadlines_of_the_coming_four_weeks_soonest_first(self, officer):
        today = today_local()
        a = make_case(officer.user, naam="Alfa Incasso")
        b = make_case(officer.user, naam="Beta Incasso")
        make_deadline(a, today + timedelta(days=12), kind=DeadlineKind.FINE_DECISION, period="13w")
        make_deadline(b, today, kind=DeadlineKind.VIEW)
        make_deadline(b, today - timedelta(days=2), kind=DeadlineKind.OBJECTION, period="6w")
        make_deadline(a, today + timedelta(days=1), kind=DeadlineKind.VIEW)
        make_deadline(b, today + timedelta(days=29), kind=DeadlineKind.GRACE)  # after the four weeks
        make_deadline(a, today + timedelta(days=3), kind=DeadlineKind.GRACE, status=DeadlineStatus.MET)
        listed = figures.upcoming_deadlines(today, 28)
        assert [(d.nummer, d.kind, d.days_left) for d in listed] == [
            (b.nummer, DeadlineKind.OBJECTION, -2), (b.nummer, DeadlineKind.VIEW, 0), (a.nummer, DeadlineKind.VIEW, 1),
            (a.nummer, DeadlineKind.FINE_DECISION, 12)]
        rows = rows_of(officer.get(OVERVIEW).get_data(as_text=True), "termijnen-tabel")
        assert rows[0] == (f"{b.nummer} Beta Incasso Bezwaartermijn (art. 6:7 Awb) "
                           f"{(today - timedelta(days=2)).strftime('%d-%m-%Y')} 2 dagen verstreken")
        assert rows[1].endswith("vandaag") and rows[2].endswith("morgen") and rows[3].endswith("nog 12 dagen")
        assert len(rows) == 4

    def test_decisions_per_month_as_a_chart_with_its_table(self, officer):
        today = today_local()
        this_month = today.replace(day=1)
        last_month = figures.add_months(this_month, -1)
        case = make_case(officer.user)
        make_document(case, DocumentKind.FINE, document_date=this_month)
        make_document(case, DocumentKind.FINE, document_date=last_month)
        make_document(case, DocumentKind.PENALTY_ORDER, document_date=last_month + timedelta(days=3))
        make_document(case, DocumentKind.COLLECTION, document_date=None, issued_at=datetime.now(UTC))
        make_document(case, DocumentKind.FINE, document_date=figures.add_months(this_month, -12))  # too long ago
        make_document(case, DocumentKind.FINE, status=DocumentStatus.PREPARED, document_date=this_month)  # not issued
        make_document(case, DocumentKind.WARNING, document_date=this_month)  # a letter, no decision
        make_document(case, DocumentKind.INTENTION, document_date=this_month)
        chart = figures.decisions_per_month(today, 12)
        assert len(chart.categories) == 12 and chart.grand_total == 4
        assert [s.key for s in chart.series] == ["besluit_boete", "besluit_lod", "invordering"]
        assert chart.totals[-1] == 2 and chart.totals[-2] == 2 and sum(chart.totals[:-2]) == 0
        html = officer.get(OVERVIEW).get_data(as_text=True)
        assert '<svg' in html and 'role="img"' in html and "Uitgegeven besluiten per maand" in html
        assert "De cijfers van deze grafiek als tabel" in html
        table = rows_of(html, "grafiek-besluiten-tabel")
        assert len(table) == 12
        assert table[-1] == f"{figures.MONTHS[this_month.month - 1]} {this_month.year} 1 0 1 2"
        assert table[-2] == f"{figures.MONTHS[last_month.month - 1]} {last_month.year} 1 1 0 2"

    def test_no_decisions(self, officer):
        html = officer.get(OVERVIEW).get_data(as_text=True)
        assert "Geen besluiten uitgegeven in deze periode." in html


# ---------------------------------------------------------------- panels


def panel_section(html: str, title: str) -> str:
    match = re.search(rf'<section aria-labelledby="(paneel-\d+)">\s*<h2[^>]*>{title}</h2>(.*?)</section>', html, re.S)
    return match.group(2) if match else ""


@pytest.fixture
def registration(db_session):
    load([register_row(1), register_row(2)], date(2026, 1, 5))
    return get_registration(NUMMER)


@pytest.fixture
def suspect_id(registration) -> int:
    signal = create_signal(signal_row(5101, naam_incassant="Snelgeld Inning"), channel=Channel.FORM,
                           actor=Actor.process("inspecteur@test"))
    assert signal.suspect_id is not None
    return signal.suspect_id


class TestPanels:
    def test_registration_page_lists_its_cases(self, registration, officer, colleague, login_as):
        old = make_case(colleague, registratienummer=NUMMER, status=CaseStatus.CLOSED, instrument=Instrument.WARNING,
                        opened_on=date(2025, 5, 1))
        new = make_case(officer.user, registratienummer=NUMMER, status=CaseStatus.INTENTION, opened_on=date(2026, 2, 1))
        other = make_case(officer.user, registratienummer="R2024-00002")
        section = panel_section(officer.get(f"/register/{NUMMER}").get_data(as_text=True), "Handhavingszaken")
        assert case_numbers(section) == [new.nummer, old.nummer]
        assert other.nummer not in section
        assert "Waarschuwingsbrief" in section and "Nog niet gekozen" in section and "Cor Collega" in section
        assert f"Zaak <a class=\"utrecht-link\" href=\"/handhaving/zaken/{new.id}\">{new.nummer}</a> loopt nog" in section
        for role in (Role.INSPECTEUR, Role.BEHEERDER):
            assert case_numbers(panel_section(login_as(role).get(f"/register/{NUMMER}").get_data(as_text=True),
                                              "Handhavingszaken")) == [new.nummer, old.nummer]
        assert ">Handhavingszaken</h2>" not in login_as(Role.VOORLICHTING).get(f"/register/{NUMMER}").get_data(as_text=True)

    def test_registration_without_cases(self, registration, officer):
        section = panel_section(officer.get(f"/register/{NUMMER}").get_data(as_text=True), "Handhavingszaken")
        assert "Er zijn nog geen handhavingszaken geopend over deze registratie." in section
        assert "Zaak openen" in section and f"/handhaving/zaken/nieuw?registratienummer={NUMMER}" in section

    def test_suspect_page_zaken_replaces_the_placeholder(self, suspect_id, officer, login_as):
        page = f"/signalen/mogelijke-overtreders/{suspect_id}"
        html = officer.get(page).get_data(as_text=True)
        assert html.count(">Zaken</h2>") == 1 and 'id="zaken-titel"' not in html
        assert "Er zijn nog geen zaken geopend over deze mogelijke overtreder." in panel_section(html, "Zaken")
        case = make_case(officer.user, subject_kind=SubjectKind.SUSPECT, suspect_id=suspect_id, naam="Snelgeld Inning",
                         status=CaseStatus.DECIDED, instrument=Instrument.CRIMINAL_REPORT)
        make_case(officer.user, subject_kind=SubjectKind.SUSPECT, suspect_id=suspect_id + 1000)
        for client in (officer, login_as(Role.INSPECTEUR)):
            html = client.get(page).get_data(as_text=True)
            section = panel_section(html, "Zaken")
            assert html.count(">Zaken</h2>") == 1 and 'id="zaken-titel"' not in html
            assert case_numbers(section) == [case.nummer]
            assert "Aangifte bij het Openbaar Ministerie" in section and "Besluit verzonden" in section

    def test_open_button_for_officers_once_the_action_exists(self, app, suspect_id, registration, officer, factories,
                                                             monkeypatch):
        suspect = type("S", (), {"id": suspect_id})()
        reader = factories.UserFactory(roles=[Role.INSPECTEUR])
        # the opening actions exist (the case page, wki/enforcement/views.py)
        assert {panels.OPEN_FROM_SUSPECT, panels.OPEN_CASE} <= set(app.view_functions)
        with app.test_request_context():
            panel = panels.suspect_panel(suspect, officer.user)
            assert isinstance(panel, Panel) and panel.title == "Zaken" and panel.context["mag_openen"] is True
            assert panel.context["suspect_id"] == suspect_id and panel.context["zaken"] == []
            assert panels.suspect_panel(suspect, reader).context["mag_openen"] is False
            assert panels.registration_panel(NUMMER, registration, officer.user).context["mag_openen"] is True
            make_case(officer.user, registratienummer=NUMMER, status=CaseStatus.INVESTIGATION)
            panel = panels.registration_panel(NUMMER, registration, officer.user)
            assert panel.context["mag_openen"] is False and panel.context["loopt"].status == CaseStatus.INVESTIGATION
            assert panels.registration_panel(NUMMER, registration, factories.UserFactory(roles=[Role.VOORLICHTING])) is None

    def test_one_query_however_many_cases(self, app, registration, officer):
        for _ in range(3):
            make_case(officer.user, registratienummer=NUMMER, status=CaseStatus.CLOSED)
        with app.test_request_context(), count_queries() as statements:
            panels.registration_panel(NUMMER, registration, officer.user)
        few = len(statements)
        for _ in range(20):
            make_case(officer.user, registratienummer=NUMMER, status=CaseStatus.CLOSED)
        with app.test_request_context(), count_queries() as statements:
            panel = panels.registration_panel(NUMMER, registration, officer.user)
        assert len(statements) == few == 1 and len(panel.context["zaken"]) == 23


class TestQueries:
    def test_cases_about_each_kind_of_party(self, officer):
        reg = make_case(officer.user, registratienummer=NUMMER, instrument=Instrument.FINE)
        sus = make_case(officer.user, subject_kind=SubjectKind.SUSPECT, suspect_id=42)
        ex = make_case(officer.user, subject_kind=SubjectKind.EXEMPT, exempt_party_key="advocaat:mr-jansen",
                       instrument=Instrument.REFERRAL_DEAN)
        [row] = queries.cases_about_registration(NUMMER)
        assert (row.id, row.nummer, row.status_label, row.status_style, row.instrument_label, row.officer,
                row.url_args) == (reg.id, reg.nummer, "In onderzoek", "info", "Bestuurlijke boete", "Hanna Handhaver",
                                  {"case_id": reg.id})
        assert row.opened_on == reg.opened_on and row.is_open
        assert [r.id for r in queries.cases_about_suspect(42)] == [sus.id]
        assert [r.id for r in queries.cases_about_exempt("advocaat:mr-jansen")] == [ex.id]
        assert queries.cases_about_exempt("advocaat:mr-jansen")[0].instrument_label == (
            "Verwijzing naar de deken van de orde van advocaten")
        assert queries.cases_about_suspect(43) == [] and queries.cases_about_registration("R2024-00002") == []


# ---------------------------------------------------------------- dashboard tiles


class TestTiles:
    def test_the_officers_deadlines_this_week_and_open_cases(self, app, officer, colleague):
        today = today_local()
        mine = make_case(officer.user, status=CaseStatus.INTENTION)
        make_deadline(mine, today + timedelta(days=7))
        make_deadline(mine, today - timedelta(days=1), kind=DeadlineKind.FINE_DECISION)  # ended, still running
        make_deadline(mine, today + timedelta(days=2), kind=DeadlineKind.GRACE, status=DeadlineStatus.MET)
        make_deadline(make_case(officer.user), today + timedelta(days=8))  # next week
        make_deadline(make_case(colleague), today)  # a colleague's case
        make_case(officer.user, status=CaseStatus.CLOSED)
        make_case(officer.user, status=CaseStatus.DROPPED)
        assert tiles.deadlines_due(officer.user.id, today) == 2
        assert tiles.open_cases(officer.user.id) == 2
        with app.test_request_context():
            week, open_ = tiles.enforcement_tiles(officer.user)
        assert (week.section, week.label, week.count, week.attention) == ("Handhaving", "Termijnen deze week", 2, True)
        assert (open_.label, open_.count, open_.attention) == ("Open zaken", 2, False)
        assert week.url == "/handhaving/?mijn=ja&termijn=7" and open_.url == "/handhaving/?mijn=ja&status=open"
        html = plain(officer.get("/").get_data(as_text=True))
        assert "2 Termijnen deze week" in html and "2 Open zaken" in html
        # The tile's link shows the cases behind it.
        listed = officer.get(week.url).get_data(as_text=True)
        assert case_numbers(listed) == [mine.nummer]

    def test_no_tiles_for_other_roles(self, app, factories):
        for role in (Role.INSPECTEUR, Role.BEHEERDER, Role.VOORLICHTING):
            with app.test_request_context():
                assert tiles.enforcement_tiles(factories.UserFactory(roles=[role])) == []


# ---------------------------------------------------------------- risk factors


class TestRiskFactors:
    def test_decisions_of_the_last_three_years_and_open_cases(self, officer):
        a = make_case(officer.user, registratienummer=NUMMER, status=CaseStatus.DECIDED, nummer="HZ-2026-0004",
                      opened_on=date(2026, 1, 5))
        make_document(a, DocumentKind.FINE, document_date=date(2026, 3, 3))
        make_document(a, DocumentKind.INTENTION, document_date=date(2026, 2, 3))  # not a decision
        b = make_case(officer.user, registratienummer=NUMMER, status=CaseStatus.CLOSED, nummer="HZ-2023-0010",
                      opened_on=date(2023, 1, 2), closed_at=datetime(2023, 9, 1, 10, tzinfo=UTC))
        make_document(b, DocumentKind.PENALTY_ORDER, document_date=date(2023, 6, 1))
        make_document(b, DocumentKind.WARNING, document_date=date(2023, 3, 1))
        make_document(b, DocumentKind.FINE, status=DocumentStatus.LAPSED, document_date=date(2023, 7, 1))
        susp = make_case(officer.user, subject_kind=SubjectKind.SUSPECT, suspect_id=9)
        make_document(susp, DocumentKind.WARNING, document_date=date(2026, 3, 1))

        found = queries.risk_factors(date(2026, 5, 1))
        assert found == {NUMMER: [
            (15, "Last onder dwangsom opgelegd op 1 juni 2023 (HZ-2023-0010)"),
            (20, "Bestuurlijke boete opgelegd op 3 maart 2026 (HZ-2026-0004)"),
            (10, "Handhavingszaak HZ-2026-0004 loopt"),
        ]}  # the warning of 1 March 2023 is more than three years before
        # As the history stood on earlier days: only what was issued by then, and the case open then.
        assert queries.risk_factors(date(2023, 6, 15)) == {NUMMER: [
            (5, "Waarschuwingsbrief gestuurd op 1 maart 2023 (HZ-2023-0010)"),
            (15, "Last onder dwangsom opgelegd op 1 juni 2023 (HZ-2023-0010)"),
            (10, "Handhavingszaak HZ-2023-0010 loopt"),
        ]}
        assert queries.risk_factors(date(2022, 12, 31)) == {}

    def test_an_issued_document_without_a_date_counts_from_its_issue(self, officer):
        case = make_case(officer.user, registratienummer=NUMMER, status=CaseStatus.CLOSED,
                         closed_at=datetime(2026, 4, 1, tzinfo=UTC), nummer="HZ-2026-0100")
        make_document(case, DocumentKind.WARNING, issued_at=datetime(2026, 3, 3, 23, 30, tzinfo=UTC))
        # 23:30 UTC on 3 March is 4 March in the Netherlands.
        assert queries.risk_factors(date(2026, 5, 1)) == {
            NUMMER: [(5, "Waarschuwingsbrief gestuurd op 4 maart 2026 (HZ-2026-0100)")]}

    def test_a_constant_number_of_queries(self, officer):
        with count_queries() as statements:
            queries.risk_factors(date(2026, 5, 1))
        for n in range(10):
            case = make_case(officer.user, status=CaseStatus.DECIDED)
            make_document(case, DocumentKind.FINE, document_date=date(2026, 1, 1 + n))
        with count_queries() as more:
            assert len(queries.risk_factors(date(2026, 5, 1))) == 10
        assert len(more) == len(statements) == 2

    def test_supervision_reads_them_into_the_priority(self, app, officer):
        from wki.supervision import priorities

        load([register_row(1)], date(2026, 1, 5))
        case = make_case(officer.user, registratienummer=NUMMER, status=CaseStatus.DECIDED, nummer="HZ-2026-0004")
        make_document(case, DocumentKind.FINE, document_date=date(2026, 3, 3))
        [priority] = [p for p in priorities.priorities(date(2026, 5, 1)) if p.registratienummer == NUMMER]
        assert "Bestuurlijke boete opgelegd op 3 maart 2026 (HZ-2026-0004) (+20)" in priority.reasons
        assert "Handhavingszaak HZ-2026-0004 loopt (+10)" in priority.reasons


# ---------------------------------------------------------------- who may see what


@pytest.mark.parametrize("path", [LIST, OVERVIEW])
def test_access_per_role(path, login_as, client, factories):
    case = make_case(factories.UserFactory(roles=[Role.HANDHAVER]))
    for role in (Role.HANDHAVER, Role.INSPECTEUR, Role.BEHEERDER):
        assert login_as(role).get(path).status_code == 200
        assert login_as(role).get(f"/handhaving/zaken/{case.id}").status_code == 200
    assert login_as(Role.VOORLICHTING).get(path).status_code == 403
    assert login_as().get(path).status_code == 403
    assert client.get(path).status_code == 302


def test_the_subnav_marks_the_current_page(officer):
    html = officer.get(OVERVIEW).get_data(as_text=True)
    assert '<nav aria-label="Handhaving" class="wki-subnav">' in html
    assert 'href="/handhaving/overzicht" aria-current="page"' in html
    assert officer.get("/handhaving/zaken/999999").status_code == 404
