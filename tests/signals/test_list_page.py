"""The signal list as inspectors use it (issue 9, section 4): its filters (peildatum, registration, bulk
file, waiting for re-assessment), sortable column headers, a page that gets to its rows quickly without
repeating links, the result page of a bulk file that leads to its signals, and the button that judges
the signals waiting for re-assessment now."""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token
from tests.helpers import run_worker_once
from tests.signals.helpers import signal_row, signals_csv
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.auth import Role
from wki.core.extensions import db
from wki.register.queries import mirror_state
from wki.signals.decisions import decide_verdict
from wki.signals.imports import import_signals
from wki.signals.models import Channel, Signal, SignalImport, Verdict
from wki.signals.recording import create_signal
from wki.signals.rematch import stale_count

_n = [0]


def make_signal(**values: Any) -> Signal:
    """A signal recorded through the service (judged at once), with a unique reference."""
    _n[0] += 1
    return create_signal(signal_row(5000 + _n[0], **values), channel=Channel.FORM, actor=Actor.process("inspecteur@test"))


def text_of(response) -> str:
    return response.get_data(as_text=True)


def plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def refs(client, query: str) -> list[str]:
    """The references in the list's table, in the order shown."""
    response = client.get("/signalen/?" + query)
    assert response.status_code == 200, text_of(response)[:500]
    return re.findall(r'href="/signalen/\d+">([^<]+)</a>', text_of(response))


def error_summary(html: str) -> list[str]:
    summary = re.search(r'id="foutmeldingen".*?</ul>', html, re.S)
    return [plain(item) for item in re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)] if summary else []


@pytest.fixture
def inspector(login_as):
    return login_as(Role.INSPECTEUR)


@pytest.fixture
def dated(mirror) -> dict[str, Signal]:
    """Four signals with reference dates in February, March (twice) and May 2026."""
    return {
        "feb": make_signal(naam_incassant="Alfa Vorderingen", ontvangen_op="2026-02-20", datum_brief="2026-02-10"),
        "mar1": make_signal(naam_incassant="Bravo Inning", ontvangen_op="2026-03-20", datum_brief="2026-03-01"),
        "mar31": make_signal(naam_incassant="Charlie Incasso", ontvangen_op="2026-04-02", datum_brief="2026-03-31"),
        "may": make_signal(naam_incassant="Delta Beheer", ontvangen_op="2026-05-05", datum_brief=""),
    }


# ---------------------------------------------------------------- filters


class TestDateRange:
    def test_from_and_to_include_their_days(self, inspector, dated):
        shown = refs(inspector, "peildatum_van=2026-03-01&peildatum_tot=2026-03-31&sorteer=peildatum&volgorde=op")
        assert shown == [dated["mar1"].referentie, dated["mar31"].referentie]

    def test_either_end_alone_and_the_dutch_way_of_writing_a_date(self, inspector, dated):
        assert set(refs(inspector, "peildatum_van=01-04-2026")) == {dated["may"].referentie}
        assert set(refs(inspector, "peildatum_tot=2026-02-28")) == {dated["feb"].referentie}

    def test_the_reference_date_counts_not_the_day_received(self, inspector, dated):
        # Received on 2 April, but the letter is of 31 March: a March signal.
        assert dated["mar31"].referentie not in refs(inspector, "peildatum_van=2026-04-01")

    def test_to_before_from_is_refused_in_dutch_and_lists_nothing(self, inspector, dated):
        response = inspector.get("/signalen/?peildatum_van=2026-03-31&peildatum_tot=2026-03-01")
        assert response.status_code == 200
        html = text_of(response)
        assert error_summary(html) == ["De peildatum ‘tot en met’ ligt vóór de peildatum ‘van’. Kies een latere datum."]
        assert 'id="peildatum_tot-fout"' in html and 'aria-invalid="true"' in html
        assert "<table" not in html  # no list for a filter that cannot be right

    def test_a_date_that_does_not_exist_is_refused(self, inspector, dated):
        html = text_of(inspector.get("/signalen/?peildatum_van=31-02-2026"))
        assert error_summary(html) == ["Vul een geldige datum in, zoals 2026-03-29."]


class TestRegistrationFilter:
    def test_matches_the_decided_registration_else_the_automatic_one(self, inspector, mirror):
        automatic = make_signal(naam_incassant="Noordkaap Incasso BV")
        assert automatic.auto_registratienummer == "R2024-00001"
        corrected = make_signal(naam_incassant="Noordkaap Incasso B.V.", website="noordkaap-incasso.nl")
        assert corrected.auto_registratienummer == "R2024-00001"
        decide_verdict(corrected.id, verdict=Verdict.NOT_VALID, registratienummer="R2024-00002",
                       reason="Andere firma volgens de brief.", actor=Actor.process("test"))
        overruled = make_signal(naam_incassant="Noordkaap Incasso", kvk_nummer="10000001")
        decide_verdict(overruled.id, verdict=Verdict.UNCERTAIN, registratienummer=None, reason="Twijfel aan de brief.",
                       actor=Actor.process("test"))
        make_signal(naam_incassant="Snelgeld Inning")

        assert refs(inspector, "registratienummer=R2024-00001") == [automatic.referentie]
        assert refs(inspector, "registratienummer=R2024-00002") == [corrected.referentie]
        assert refs(inspector, "registratienummer=+R2024-00002+") == [corrected.referentie]  # spaces ignored
        assert refs(inspector, "registratienummer=R2024-00003") == []


class TestImportFilter:
    def test_lists_the_signals_of_one_file_and_names_it(self, inspector, mirror):
        make_signal(naam_incassant="Los Signaal")
        record = import_signals(signals_csv([signal_row(1), signal_row(2)]), file_name="partner.csv",
                                actor=Actor.process("test")).record
        response = inspector.get(f"/signalen/?import={record.id}")
        assert sorted(re.findall(r'href="/signalen/\d+">([^<]+)</a>', text_of(response))) == ["MLD-00001", "MLD-00002"]
        assert f"Signalen uit ingelezen bestand {record.id} (partner.csv)." in plain(text_of(response))
        assert f'href="/signalen/importeren/{record.id}"' in text_of(response)

    @pytest.mark.parametrize(("value", "message"), [
        ("999999", "Ingelezen bestand 999999 bestaat niet."),
        ("0", "Vul het nummer van een ingelezen bestand in."),
    ])
    def test_an_unknown_file_is_refused_in_dutch(self, inspector, mirror, value, message):
        html = text_of(inspector.get(f"/signalen/?import={value}"))
        assert error_summary(html) == [message]
        assert 'href="#import"' in html  # the summary leads to the field


class TestStaleFilter:
    def test_lists_the_open_signals_judged_against_an_older_mirror(self, inspector, dated):
        stale = [dated["feb"], dated["may"]]
        closed = dated["mar1"]
        closed.status = "afgehandeld"
        db.session.execute(sa.update(Signal).where(Signal.id.in_([s.id for s in [*stale, closed]]))
                           .values(register_state="ouder"))
        assert sorted(refs(inspector, "herbeoordeling=y")) == sorted(s.referentie for s in stale)


def test_filters_combine(inspector, dated):
    dated["may"].bron = "gemeente"
    dated["feb"].bron = "gemeente"
    db.session.flush()
    assert refs(inspector, "bron=gemeente&peildatum_van=2026-03-01") == [dated["may"].referentie]


# ---------------------------------------------------------------- sorting by the column headers


def headers(html: str) -> dict[str, tuple[str | None, str | None]]:
    """Per column header: (its aria-sort, the href of its link)."""
    found = {}
    for attrs, inner in re.findall(r'<th scope="col" class="utrecht-table__header-cell"([^>]*)>(.*?)</th>', html, re.S):
        sort = re.search(r'aria-sort="(\w+)"', attrs)
        link = re.search(r'href="([^"]+)"', inner)
        label = plain(re.sub(r'<span class="wki-visually-hidden">.*?</span>', "", inner)).replace("▲", "").replace(
            "▼", "").strip()
        found[label] = (sort.group(1) if sort else None, link.group(1).replace("&amp;", "&") if link else None)
    return found


class TestSortableHeaders:
    def test_every_sortable_column_links_and_the_sorted_one_says_so(self, inspector, dated):
        found = headers(text_of(inspector.get("/signalen/")))
        assert list(found) == ["Referentie", "Ontvangen", "Peildatum", "Incassant", "Oordeel", "Overeenkomst", "Status"]
        assert found["Ontvangen"][0] == "descending"  # the default order: newest received first
        assert [label for label, (sort, _link) in found.items() if sort] == ["Ontvangen"]
        assert found["Oordeel"][1] is None and found["Status"][1] is None  # no index can serve these orders
        assert found["Ontvangen"][1] == "/signalen/?sorteer=ontvangen_op&volgorde=op"  # again: the other way
        assert found["Peildatum"][1] == "/signalen/?sorteer=peildatum&volgorde=af"  # dates: newest first
        assert found["Incassant"][1] == "/signalen/?sorteer=naam&volgorde=op"  # text: A to Z
        assert found["Overeenkomst"][1] == "/signalen/?sorteer=score&volgorde=af"

    def test_following_a_header_sorts_and_following_it_again_reverses(self, inspector, dated):
        by_date = [dated[k].referentie for k in ("feb", "mar1", "mar31", "may")]
        link = headers(text_of(inspector.get("/signalen/")))["Peildatum"][1]
        page = text_of(inspector.get(link))
        assert re.findall(r'href="/signalen/\d+">([^<]+)</a>', page) == by_date[::-1]
        assert headers(page)["Peildatum"][0] == "descending"
        assert "gesorteerd op peildatum (aflopend)" in page
        page = text_of(inspector.get(headers(page)["Peildatum"][1]))
        assert re.findall(r'href="/signalen/\d+">([^<]+)</a>', page) == by_date
        assert headers(page)["Peildatum"][0] == "ascending"

        link = headers(page)["Incassant"][1]
        names = re.findall(r'wki-col-name">([^<]+)<', text_of(inspector.get(link)))
        assert [n.strip() for n in names] == ["Alfa Vorderingen", "Bravo Inning", "Charlie Incasso", "Delta Beheer"]

    def test_the_links_keep_the_other_filters_but_not_the_page(self, inspector, dated):
        found = headers(text_of(inspector.get("/signalen/?peildatum_van=2026-03-01&bron=consument&pagina=2")))
        assert found["Referentie"][1] == ("/signalen/?peildatum_van=2026-03-01&bron=consument&sorteer=referentie"
                                          "&volgorde=op")
        assert refs(inspector, found["Referentie"][1].split("?", 1)[1]) == [
            dated[k].referentie for k in ("mar1", "mar31", "may")]

    def test_the_filter_form_keeps_the_chosen_order(self, inspector, dated):
        html = text_of(inspector.get("/signalen/?sorteer=naam&volgorde=op"))
        form = re.search(r'<form method="get" action="/signalen/".*?</form>', html, re.S).group(0)
        assert '<input type="hidden" name="sorteer" value="naam">' in form
        assert '<input type="hidden" name="volgorde" value="op">' in form


# ---------------------------------------------------------------- the page itself


class TestListLayout:
    def test_results_are_one_skip_link_away(self, inspector, dated):
        html = text_of(inspector.get("/signalen/"))
        main = html.split('<main id="inhoud"', 1)[1]
        first_link = re.search(r"<a [^>]*>([^<]*)</a>", main)
        assert first_link.group(1) == "Naar de resultaten" and 'href="#resultaten"' in first_link.group(0)
        assert re.search(r'<div class="utrecht-table-container" id="resultaten" role="region"[^>]*tabindex="0"', html)

    def test_no_link_appears_twice(self, inspector, dated):
        html = text_of(inspector.get("/signalen/"))
        main = html.split('<main id="inhoud"', 1)[1].split("<table", 1)[0]
        links = Counter((href, plain(text)) for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', main))
        assert [link for link, n in links.items() if n > 1] == []
        hrefs = Counter(href for href, _text in links)
        for page in ("/signalen/nieuw", "/signalen/importeren", "/signalen/mogelijke-overtreders", "/signalen/cijfers"):
            assert hrefs[page] == 1, page

    def test_the_filters_are_folded_away_until_one_is_used(self, inspector, dated):
        closed = text_of(inspector.get("/signalen/"))
        assert '<details class="wki-details">' in closed
        assert "Zoeken en filteren</summary>" in closed
        opened = text_of(inspector.get("/signalen/?bron=gemeente&peildatum_van=2026-01-01"))
        assert '<details class="wki-details" open>' in opened
        assert "actief: Bron, Peildatum van" in plain(opened)
        refused = text_of(inspector.get("/signalen/?peildatum_van=gisteren"))
        assert '<details class="wki-details" open>' in refused

    def test_the_page_speaks_of_possible_offenders_not_suspects(self, inspector, mirror):
        signal = make_signal(naam_incassant="Snelgeld Inning")
        assert signal.suspect_id is not None
        text = plain(text_of(inspector.get("/signalen/")))
        assert f"Mogelijke overtreder {signal.suspect_id}" in text and "Mogelijke overtreders" in text
        assert "erdachte" not in text.lower()

    def test_dates_appear_in_one_format(self, inspector, dated):
        text = plain(text_of(inspector.get("/signalen/")))
        assert "20-02-2026" in text and "10-02-2026" in text
        assert not re.search(r"\b2026-\d\d-\d\d\b", text)
        assert not re.search(r"\d+ (januari|februari|maart|april|mei) 2026", text)


# ---------------------------------------------------------------- a bulk file's result page


class TestImportResultPage:
    def test_links_to_its_signals_and_to_the_uncertain_ones_with_counts_per_verdict(self, inspector, mirror):
        record = import_signals(signals_csv([
            signal_row(1, naam_incassant="Noordkaap Incasso BV"),
            signal_row(2, naam_incassant="Snelgeld Inning"),
            signal_row(3, naam_incassant="Snelgeld Inning", iban="NL00FOUT1234"),
        ]), file_name="partner.csv", actor=Actor.process("test")).record
        signals = db.session.scalars(sa.select(Signal).where(Signal.import_id == record.id)).all()
        # One of them needs a person: an inspector sets it to "onzeker".
        decide_verdict(signals[2].id, verdict=Verdict.UNCERTAIN, registratienummer=None,
                       reason="Twijfel aan de naam.", actor=Actor.process("test"))
        make_signal(naam_incassant="Ander Bureau", datum_brief="")  # not from the file
        db.session.expire_all()

        html = text_of(inspector.get(f"/signalen/importeren/{record.id}"))
        text = plain(html)
        assert f'href="/signalen/?import={record.id}">Alle 3 signalen uit dit bestand</a>' in html
        assert f'href="/signalen/?oordeel=onzeker&amp;import={record.id}">Het onzekere signaal</a>' in html
        rows = dict(re.findall(r'<th scope="row" class="utrecht-table__header-cell">([^<]+)</th>\s*'
                               r'<td class="utrecht-table__cell">(.*?)</td>', html, re.S))
        assert plain(rows["Geregistreerd"]).startswith("1") and plain(rows["Onzeker"]).startswith("1")
        assert plain(rows["Niet geregistreerd"]).startswith("1") and rows["Vrijgesteld"] == "0"
        assert plain(rows["Handmatig vastgesteld"]).startswith("1")
        assert f'href="/signalen/?oordeel=geregistreerd&amp;import={record.id}"' in rows["Geregistreerd"]
        assert "Oordelen over de signalen uit dit bestand" in text

        # The links show exactly those signals.
        assert len(refs(inspector, f"import={record.id}")) == 3
        assert refs(inspector, f"oordeel=onzeker&import={record.id}") == [signals[2].referentie]

    def test_skipped_rows_name_their_column_as_people_read_it(self, inspector, mirror):
        data = signals_csv([signal_row(1), signal_row(2, ontvangen_op="2026-13-01"), signal_row(3, hoofdsom="veel")])
        record = import_signals(data, file_name="deels.csv", actor=Actor.process("test"), skip_invalid=True).record
        text = plain(text_of(inspector.get(f"/signalen/importeren/{record.id}")))
        assert "3 Ontvangen op 2026-13-01 bestaat niet als datum" in text
        assert "4 Hoofdsom veel is geen bedrag" in text
        assert "ontvangen_op" not in text and " hoofdsom " not in text

    def test_a_refused_file_names_its_columns_as_people_read_them(self, inspector, mirror):
        data = signals_csv([signal_row(1, datum_brief="morgen", kvk_nummer="12")])
        response = inspector.post("/signalen/importeren", content_type="multipart/form-data", data={
            "csrf_token": csrf_token(inspector, "/signalen/importeren"), "bestand": (io.BytesIO(data), "x.csv")})
        text = plain(text_of(response))
        assert "2 Datum brief morgen is geen datum" in text and "2 KvK-nummer 12 is geen KvK-nummer" in text
        assert "datum_brief" not in text and "kvk_nummer" not in text

    def test_a_missing_column_is_named_with_the_header_to_write(self, inspector, mirror):
        data = signals_csv([signal_row(1)], columns=["referentie", "bron", "naam_incassant"])
        response = inspector.post("/signalen/importeren", content_type="multipart/form-data", data={
            "csrf_token": csrf_token(inspector, "/signalen/importeren"), "bestand": (io.BytesIO(data), "x.csv")})
        assert "Verplichte kolom ontbreekt: Ontvangen op (kop ‘ontvangen_op’)." in plain(text_of(response))
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SignalImport)) == 0


# ---------------------------------------------------------------- re-assessment now


def _make_stale(*signals: Signal) -> None:
    db.session.execute(sa.update(Signal).where(Signal.id.in_([s.id for s in signals])).values(register_state="ouder"))


def _rematch(client, **kwargs):
    """Press the button; the work is queued (tests/signals/test_background_import.py), so the worker runs
    what waits before the page it led to is followed."""
    response = client.post("/signalen/herbeoordelen", data={"csrf_token": csrf_token(client, "/signalen/")})
    if response.status_code == 302 and response.headers["Location"].startswith("/signalen/werk/"):
        run_worker_once(client.application)
    if kwargs.get("follow_redirects"):
        return client.get(response.headers["Location"])
    return response


def _judged_events() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "signalen.beoordeeld")) or 0


class TestRematchNow:
    def test_the_list_shows_how_many_wait_and_offers_the_button(self, inspector, dated):
        html = text_of(inspector.get("/signalen/"))
        assert "Wachten op herbeoordeling" not in html and "Nu opnieuw beoordelen" not in html
        _make_stale(dated["feb"], dated["may"])
        html = text_of(inspector.get("/signalen/"))
        assert "Wachten op herbeoordeling: 2 signalen" in plain(html)
        assert 'href="/signalen/?herbeoordeling=y">Toon deze signalen</a>' in html
        assert re.search(r'<form method="post" action="/signalen/herbeoordelen"[^>]*>\s*<input[^>]*name="csrf_token"',
                         html)

    def test_it_judges_the_waiting_signals_once_and_a_second_time_changes_nothing(self, inspector, dated):
        _make_stale(dated["feb"], dated["may"])
        before = _judged_events()
        response = _rematch(inspector, follow_redirects=True)
        assert response.request.path.startswith("/signalen/werk/")
        assert ("2 signalen zijn opnieuw beoordeeld tegen de huidige stand van het register; bij 0 is de uitkomst "
                "veranderd.") in plain(text_of(response))
        assert stale_count() == 0
        state = mirror_state()
        assert {s.register_state for s in db.session.scalars(sa.select(Signal))} == {state}
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "signalen.beoordeeld")
                                  .order_by(AuditEvent.id.desc()))
        assert _judged_events() == before + 1
        assert event.actor_email == inspector.user.email and event.after["beoordeeld"] == 2
        assert "Wachten op herbeoordeling" not in text_of(response)

        # Refreshing the page that the button led to, or pressing it again: nothing waits, nothing changes.
        again = _rematch(inspector, follow_redirects=True)
        assert "Er wachten geen signalen op herbeoordeling" in plain(text_of(again))
        assert "Er is niets gewijzigd." in plain(text_of(again))
        assert _judged_events() == before + 1

    def test_a_changed_verdict_is_counted_and_a_decision_stands(self, inspector, mirror):
        decided = make_signal(naam_incassant="Snelgeld Inning")
        decide_verdict(decided.id, verdict=Verdict.REGISTERED, registratienummer="R2024-00001",
                       reason="Handelsnaam volgens de KvK.", actor=Actor.process("test"))
        # A decision closes the signal; reopened (say, for more evidence), it is judged again, and stands.
        db.session.execute(sa.update(Signal).where(Signal.id == decided.id).values(status="open"))
        changed = make_signal(naam_incassant="Snelgeld Inning B.V.")
        # As if judged differently against an older mirror.
        db.session.execute(sa.update(Signal).where(Signal.id == changed.id).values(
            register_state="ouder", auto_verdict=Verdict.UNCERTAIN, score=50))
        _make_stale(decided)
        response = _rematch(inspector, follow_redirects=True)
        assert "2 signalen zijn opnieuw beoordeeld" in plain(text_of(response))
        assert "bij 1 is de uitkomst veranderd" in plain(text_of(response))
        db.session.expire_all()
        assert db.session.get(Signal, changed.id).auto_verdict == Verdict.UNREGISTERED
        assert db.session.get(Signal, decided.id).verdict == Verdict.REGISTERED

    @pytest.mark.parametrize(("role", "status"), [
        (Role.INSPECTEUR, 302), (Role.HANDHAVER, 302), (Role.VOORLICHTING, 403), (Role.BEHEERDER, 403)])
    def test_only_the_signals_roles_may_start_it(self, login_as, dated, role, status):
        _make_stale(dated["feb"])
        client = login_as(role)
        response = client.post("/signalen/herbeoordelen",
                               data={"csrf_token": csrf_token(client, "/account/wachtwoord")})
        assert response.status_code == status
        run_worker_once(client.application)
        assert stale_count() == (0 if status == 302 else 1)

    def test_without_a_csrf_token_or_by_get_nothing_happens(self, inspector, dated):
        _make_stale(dated["feb"])
        assert inspector.post("/signalen/herbeoordelen").status_code == 400
        assert inspector.get("/signalen/herbeoordelen").status_code == 405
        assert stale_count() == 1
