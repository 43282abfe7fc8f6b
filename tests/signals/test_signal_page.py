"""The signal page (issue 9 §4): a doubtful signal beside its candidates, with links and a one-click
choice that pre-fills the decision; decisions that close what they decide; status changes with a reason;
stale forms refused; the name likeness instead of a bare score; names as written; one date format."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token
from tests.helpers import make_iban
from tests.signals.conftest import D0, base_exempt, base_register
from tests.signals.helpers import load, load_exempt, register_row, signal_row
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.auth import Role
from wki.core.extensions import db
from wki.signals import tiles
from wki.signals.decisions import decide_verdict, set_status, signal_version
from wki.signals.models import Channel, Signal, SignalStatus, Verdict
from wki.signals.recording import create_signal

R1, R4, R5 = "R2024-00001", "R2024-00004", "R2024-00005"


def vliegenthart_rows() -> list[dict[str, str]]:
    """Two registrations with nearly the same name: one valid, one struck off on 1 February 2026."""
    return [
        register_row(4, naam="Vliegenthart Incasso B.V.", handelsnamen="Vliegenthart Debiteurenbeheer",
                     website="vliegenthart-incasso.nl", email="post@vliegenthart-incasso.nl", telefoon="030-2345678",
                     iban=make_iban(4), postcode="3511 AB", plaats="Utrecht"),
        register_row(5, naam="Vliegenthart Invorderingen B.V.", handelsnamen="", website="vliegenthart.nl", email="",
                     telefoon="", iban=make_iban(5), status="doorgehaald", datum_einde="2026-02-01",
                     postcode="2511 CV", plaats="Den Haag"),
    ]


@pytest.fixture
def mirror(db_session) -> Any:
    """The signals tests' register (tests/signals/conftest.py) plus the two Vliegenthart registrations."""
    load([*base_register(), *vliegenthart_rows()], D0)
    load_exempt(base_exempt(), D0)
    return db_session


@pytest.fixture
def inspector(login_as):
    return login_as(Role.INSPECTEUR)


_n = [0]


def make_signal(**values: Any) -> Signal:
    _n[0] += 1
    return create_signal(signal_row(5000 + _n[0], **values), channel=Channel.FORM, actor=Actor.process("inspecteur@test"))


def doubtful(**values: Any) -> Signal:
    """A signal whose name fits both Vliegenthart registrations equally (the surname alone, no trade word,
    no address to tell them apart): ``onzeker``, two candidates with another verdict each."""
    signal = make_signal(naam_incassant="Vliegenthart", **values)
    assert signal.auto_verdict == Verdict.UNCERTAIN, signal.explanation
    assert [c["key"] for c in signal.candidates][:2] == [R4, R5]
    return signal


# ---------------------------------------------------------------- reading the page


class _Page(HTMLParser):
    """The tables of a page (by caption) as rows of cell texts, leaving out what is hidden from
    assistive technology (``aria-hidden``); and the page's visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._stack: list[str] = []
        self._hidden = 0
        self._caption: list[str] | None = None
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._skip = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("input", "br", "meta", "link", "img"):
            return
        values = dict(attrs)
        hidden = values.get("aria-hidden") == "true" or tag in ("script", "style", "title")
        self._stack.append("hidden" if hidden else tag)
        self._hidden += hidden
        if tag == "table":
            self._rows = []
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("input", "br", "meta", "link", "img"):
            return
        if self._stack:
            top = self._stack.pop()
            self._hidden -= top == "hidden"
        if tag == "caption" and self._caption is not None:
            self._table_name = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[getattr(self, "_table_name", str(len(self.tables)))] = self._rows
            self._rows = None

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        self.text.append(data)
        if self._caption is not None:
            self._caption.append(data)
        if self._cell is not None:
            self._cell.append(data + " ")


def read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def visible_text(html: str) -> str:
    return " ".join(" ".join(read(html).text).split())


def table(html: str, caption_start: str) -> dict[str, list[str]]:
    """The rows of the table whose caption starts with ``caption_start``, by their first cell."""
    tables = read(html).tables
    name = next(n for n in tables if n.startswith(caption_start))
    return {row[0]: row[1:] for row in tables[name] if row}


def post_form(client, url: str, data: dict[str, Any], page: str, **kwargs):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data}, **kwargs)


def version_on(html: str, prefix: str) -> str:
    match = re.search(rf'name="{prefix}-versie" type="hidden" value="([0-9a-f]+)"', html)
    assert match, f"no version field for {prefix}"
    return match.group(1)


def audit_events(action: str, signal: Signal) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_id == str(signal.id)).order_by(AuditEvent.id)))


# ---------------------------------------------------------------- 1. candidates side by side


def test_a_doubtful_signal_shows_both_candidates_beside_it(mirror, inspector):
    signal = doubtful()
    html = inspector.get(f"/signalen/{signal.id}").get_data(as_text=True)
    text = visible_text(html)
    assert "Een inspecteur moet beslissen" in text
    assert "Kandidaten naast het signaal" in text
    assert "Kandidaat 1: Vliegenthart Incasso B.V. (R2024-00004)" in text
    assert "Kandidaat 2: Vliegenthart Invorderingen B.V. (R2024-00005)" in text

    first = table(html, "Het signaal en kandidaat 1 naast elkaar")
    second = table(html, "Het signaal en kandidaat 2 naast elkaar")
    # The column headers name the sides, so a screen reader says "signaal" and "kandidaat".
    assert first["Gegeven"] == ["Signaal", "Kandidaat 1", "Vergelijking"]
    assert second["Gegeven"] == ["Signaal", "Kandidaat 2", "Vergelijking"]
    # Names as written, with the trade names; how alike the names are.
    assert first["Naam"][:2] == ["Vliegenthart", "Vliegenthart Incasso B.V. Vliegenthart Debiteurenbeheer"]
    assert re.match(r"\d+% naamovereenkomst", first["Naam"][2])
    # Identifiers, the address, and whether they agree, in words.
    assert first["KvK-nummer"] == ["–", "10000004", "–"]
    assert first["IBAN"][1] == " ".join(re.findall(".{1,4}", make_iban(4)))
    assert first["Website en e-mail"][1] == "vliegenthart-incasso.nl post@vliegenthart-incasso.nl"
    assert first["Telefoonnummer"][1] == "030-2345678"
    assert first["Adres"] == ["–", "Stationsweg 4, 3511 AB Utrecht", "–"]  # no address given: nothing decides
    assert second["Adres"] == ["–", "Stationsweg 5, 2511 CV Den Haag", "–"]
    # Status and dates as they stood on the reference date (2 March 2026).
    assert first["Geldig op de peildatum"][:2] == ["2 maart 2026", "ja"]
    assert first["Status in het register"][1] == "Ingeschreven"
    assert first["Datum inschrijving"][1] == "13 mei 2024" and first["Geldig tot"][1] == "13 mei 2027"
    assert second["Geldig op de peildatum"][:2] == ["2 maart 2026", "nee"]
    assert second["Status in het register"][1] == "Doorgehaald"
    assert second["Datum einde"][1] == "1 februari 2026"
    # Links to the registrations, the words that agreed and how, and what each would decide.
    assert 'href="/register/R2024-00004">Registratie R2024-00004 in het register</a>' in html
    assert 'href="/register/R2024-00005">Registratie R2024-00005 in het register</a>' in html
    assert "‘vliegenthart’: gelijk" in text
    assert "alleen bij de kandidaat: invorderingen" in text
    assert "Oordeel als dit de partij is Geregistreerd" in text
    assert "Oordeel als dit de partij is Registratie niet geldig" in text


def test_the_candidates_say_how_each_word_agreed(mirror, inspector):
    """A sound-alike surname and another word of the same trade, at the agency's own address."""
    signal = make_signal(naam_incassant="Vliegenthard Invorderingen", plaats="Den Haag")
    html = inspector.get(f"/signalen/{signal.id}").get_data(as_text=True)
    text = visible_text(html)
    assert "‘vliegenthard’ en ‘vliegenthart’: klinkt gelijk" in text
    assert "‘invorderingen’: gelijk" in text or "‘invorderingen’ en ‘incasso’: zelfde soort" in text
    assert "Wat ervoor pleit plaats van de incassant komt overeen" in text
    assert table(html, "Het signaal en kandidaat 1 naast elkaar")["Adres"][0] == "Den Haag"


def test_registration_numbers_in_the_explanation_are_links_and_stored_text_stays_text(mirror, inspector):
    signal = doubtful()
    html = inspector.get(f"/signalen/{signal.id}").get_data(as_text=True)
    assert "als bij Vliegenthart Invorderingen B.V. (R2024-00005)" in signal.explanation
    assert re.search(r'Vliegenthart Incasso B\.V\. \(<a class="utrecht-link" href="/register/R2024-00004">'
                     r'R2024-00004</a>\) als bij', html)

    # Whatever the stored explanation says, it is shown as text; only known numbers become links.
    signal.explanation = 'zie <a href="https://example.org">hier</a> en R2024-00004 en R2024-00009x'
    db.session.flush()
    html = inspector.get(f"/signalen/{signal.id}").get_data(as_text=True)
    assert '&lt;a href=&#34;https://example.org&#34;&gt;hier&lt;/a&gt;' in html
    assert 'href="https://example.org"' not in html
    assert '<a class="utrecht-link" href="/register/R2024-00004">R2024-00004</a> en R2024-00009x' in html


def test_choosing_a_candidate_prefills_the_decision_and_leaves_the_reason_to_the_person(mirror, inspector):
    signal = doubtful()
    url = f"/signalen/{signal.id}"
    html = inspector.get(url).get_data(as_text=True)
    assert f'href="{url}?kandidaat=R2024-00004"' in html
    assert f'href="{url}?kandidaat=R2024-00005"' in html
    assert "Dit is de partij<span class=\"wki-visually-hidden\"> (kandidaat 1: Vliegenthart Incasso B.V." in html
    # Without a choice, a doubtful verdict does not preset the decision.
    select = re.search(r'<select[^>]*name="oordeel-oordeel".*?</select>', html, re.S).group(0)
    assert "selected" not in select and '<option value="">Kies een oordeel</option>' in select

    first = inspector.get(f"{url}?kandidaat={R4}").get_data(as_text=True)
    assert '<option selected value="geregistreerd">' in first
    assert 'name="oordeel-registratienummer" type="text" value="R2024-00004"' in first
    # The reason is empty and takes focus; what was chosen is its description, read out with it.
    reden = re.search(r'<textarea[^>]*name="oordeel-reden"[^>]*>\s*</textarea>', first).group(0)
    assert "autofocus" in reden and 'aria-describedby="oordeel-reden-beschrijving"' in reden
    assert ('id="oordeel-reden-beschrijving">U koos kandidaat 1: Vliegenthart Incasso B.V. (R2024-00004). Geef de '
            'reden') in first

    second = inspector.get(f"{url}?kandidaat={R5}").get_data(as_text=True)
    assert '<option selected value="registratie_niet_geldig">' in second
    assert 'value="R2024-00005"' in second

    unknown = inspector.get(f"{url}?kandidaat=R9999-99999").get_data(as_text=True)
    assert "Die kandidaat hoort niet (meer) bij dit signaal" in unknown
    db.session.refresh(signal)
    assert not signal.decided  # reading the page decides nothing


def test_an_exempt_candidate_and_a_decided_verdict_show_the_compared_parties_folded(mirror, inspector):
    signal = make_signal(naam_incassant="Gerechtsdeurwaarderskantoor Klaasen", website="klaassen-deurwaarders.nl")
    assert signal.auto_verdict == Verdict.EXEMPT
    html = inspector.get(f"/signalen/{signal.id}").get_data(as_text=True)
    text = visible_text(html)
    assert '<h2 class="nl-heading nl-heading--level-2" id="kandidaten-titel">Vergeleken partijen</h2>' in html
    assert '<details class="wki-candidates-details" id="kandidaten">' in html
    assert "Kandidaat 1: Gerechtsdeurwaarderskantoor Klaassen" in text
    rows = table(html, "Het signaal en kandidaat 1 naast elkaar")
    assert rows["Beroep"][1] == "Gerechtsdeurwaarder"
    assert rows["Website en e-mail"] == ["klaassen-deurwaarders.nl", "klaassen-deurwaarders.nl", "gelijk"]
    assert "Partij van het huidige oordeel" in text
    assert "Een inspecteur moet beslissen" not in text


def test_before_the_mirror_began_the_candidates_are_shown_as_the_first_snapshot_states_them(mirror, inspector):
    # Both were valid then, so the verdict stands (the same for either); the candidates are still shown.
    signal = make_signal(naam_incassant="Vliegenthard Incasso", plaats="Utrecht", datum_brief="2025-11-02",
                         ontvangen_op="2025-11-20")
    assert signal.auto_verdict == Verdict.REGISTERED
    html = inspector.get(f"/signalen/{signal.id}").get_data(as_text=True)
    text = visible_text(html)
    assert text.count("De peildatum ligt vóór de eerste stand van de spiegel (1 januari 2026)") == 2
    second = table(html, "Het signaal en kandidaat 2 naast elkaar")
    # Struck off on 1 February 2026 by the first snapshot's dates: still valid on 2 November 2025.
    assert second["Geldig op de peildatum"][:2] == ["2 november 2025", "ja"]
    assert second["Datum einde"][1] == "1 februari 2026"


def test_a_candidate_that_entered_the_register_later_says_so(mirror, inspector):
    rows = [*base_register(), *vliegenthart_rows(),
            register_row(6, naam="Vliegenthart Collect B.V.", handelsnamen="", website="", email="", telefoon="",
                         iban="", datum_inschrijving="2026-04-20")]
    load(rows, date(2026, 5, 1))
    signal = make_signal(naam_incassant="Vliegenthart Collect", datum_brief="2026-03-02")
    html = inspector.get(f"/signalen/{signal.id}").get_data(as_text=True)
    assert "Stond op de peildatum nog niet in de spiegel; gegevens van 1 mei 2026" in visible_text(html)


# ---------------------------------------------------------------- 2. decisions close; status with a reason; stale forms


def _decide(client, signal: Signal, **overrides: str):
    url = f"/signalen/{signal.id}"
    html = client.get(url).get_data(as_text=True)
    data = {"oordeel-oordeel": "geregistreerd", "oordeel-registratienummer": R4,
            "oordeel-reden": "Briefpapier en adres van Vliegenthart in Utrecht.",
            "oordeel-versie": version_on(html, "oordeel"), **overrides}
    return post_form(client, f"{url}/oordeel", data, page=url)


def test_deciding_closes_the_signal_in_the_same_audit_event(mirror, inspector):
    signal = doubtful()
    before = tiles.signal_counts()
    response = _decide(inspector, signal)
    assert response.status_code == 302
    page = visible_text(inspector.get(response.headers["Location"]).get_data(as_text=True))
    assert "Het oordeel is vastgesteld: geregistreerd. Het signaal is afgehandeld" in page
    db.session.refresh(signal)
    assert signal.status == SignalStatus.CLOSED and signal.verdict == Verdict.REGISTERED
    assert signal.registratienummer == R4
    (event,) = audit_events("signaal.oordeel_vastgesteld", signal)
    assert event.before["status"] == SignalStatus.OPEN and event.after["status"] == SignalStatus.CLOSED
    assert event.after["reden"] == "Briefpapier en adres van Vliegenthart in Utrecht."
    after = tiles.signal_counts()
    assert after.open == before.open - 1 and after.uncertain == before.uncertain - 1
    listed = inspector.get("/signalen/?status=open").get_data(as_text=True)
    assert f'href="/signalen/{signal.id}"' not in listed


def test_a_decision_needs_a_reason(mirror, inspector):
    signal = doubtful()
    response = _decide(inspector, signal, **{"oordeel-reden": ""})
    assert response.status_code == 200
    assert 'id="oordeel-reden-fout">Geef een reden voor dit oordeel.' in response.get_data(as_text=True)
    db.session.refresh(signal)
    assert not signal.decided and signal.status == SignalStatus.OPEN


def test_deciding_onzeker_decides_nothing_and_leaves_the_signal_open(mirror, inspector):
    signal = make_signal(naam_incassant="Snelgeld Inning")
    response = _decide(inspector, signal, **{"oordeel-oordeel": "onzeker", "oordeel-registratienummer": "",
                                             "oordeel-reden": "Eerst de melder bellen."})
    assert response.status_code == 302
    db.session.refresh(signal)
    assert signal.verdict == Verdict.UNCERTAIN and signal.status == SignalStatus.OPEN
    page = visible_text(inspector.get(f"/signalen/{signal.id}").get_data(as_text=True))
    assert "Het signaal blijft open" in page


def test_withdrawing_a_decision_reopens_the_signal(mirror, inspector):
    signal = doubtful()
    assert _decide(inspector, signal).status_code == 302
    url = f"/signalen/{signal.id}"
    html = inspector.get(url).get_data(as_text=True)
    response = post_form(inspector, f"{url}/oordeel/intrekken", {
        "intrekken-reden": "Verkeerde partij gekozen.", "intrekken-versie": version_on(html, "intrekken")}, page=url)
    assert response.status_code == 302
    db.session.refresh(signal)
    assert not signal.decided and signal.status == SignalStatus.OPEN and signal.verdict == Verdict.UNCERTAIN
    (event,) = audit_events("signaal.oordeel_ingetrokken", signal)
    assert event.before["status"] == SignalStatus.CLOSED and event.after["status"] == SignalStatus.OPEN


def test_a_status_change_by_hand_is_chosen_needs_a_reason_and_is_audited(mirror, inspector):
    signal = make_signal(naam_incassant="Snelgeld Inning")
    url = f"/signalen/{signal.id}"
    html = inspector.get(url).get_data(as_text=True)
    # No select preset to the other status: one button, named for the change it makes.
    assert 'name="status-status" type="hidden" value="afgehandeld"' in html
    assert '<select id="status-status"' not in html
    assert ">Signaal afsluiten</button>" in html and ">Status wijzigen</button>" not in html
    versie = version_on(html, "status")

    response = post_form(inspector, f"{url}/status", {"status-status": "afgehandeld", "status-reden": "",
                                                      "status-versie": versie}, page=url)
    assert response.status_code == 200
    assert 'id="status-reden-fout">Geef een reden om de status te wijzigen.' in response.get_data(as_text=True)
    db.session.refresh(signal)
    assert signal.status == SignalStatus.OPEN and audit_events("signaal.status", signal) == []

    response = post_form(inspector, f"{url}/status", {"status-status": "afgehandeld", "status-reden": "Dubbel gemeld.",
                                                      "status-versie": versie}, page=url)
    assert response.status_code == 302
    db.session.refresh(signal)
    assert signal.status == SignalStatus.CLOSED
    (event,) = audit_events("signaal.status", signal)
    assert event.before == {"status": "open"} and event.after == {"status": "afgehandeld", "reden": "Dubbel gemeld."}

    html = inspector.get(url).get_data(as_text=True)
    assert 'name="status-status" type="hidden" value="open"' in html and ">Signaal heropenen</button>" in html
    response = post_form(inspector, f"{url}/status", {"status-status": "open", "status-reden": "Toch nog nagaan.",
                                                      "status-versie": version_on(html, "status")}, page=url)
    assert response.status_code == 302
    db.session.refresh(signal)
    assert signal.status == SignalStatus.OPEN and len(audit_events("signaal.status", signal)) == 2


def test_set_status_allows_only_a_change_and_requires_a_reason(mirror):
    from wki.core.errors import ServiceError, StateTransitionError

    signal = make_signal(naam_incassant="Snelgeld Inning")
    with pytest.raises(StateTransitionError, match="Het signaal is al open"):
        set_status(signal.id, status=SignalStatus.OPEN, reason="Zomaar opnieuw.", actor=Actor.process("x"))
    with pytest.raises(ServiceError, match="reden"):
        set_status(signal.id, status=SignalStatus.CLOSED, reason=" ", actor=Actor.process("x"))
    with pytest.raises(ServiceError, match="afgesloten of heropend"):
        set_status(signal.id, status="weg", reason="Een goede reden.", actor=Actor.process("x"))
    assert signal.status == SignalStatus.OPEN


def test_a_stale_decision_form_is_refused_and_overwrites_nothing(mirror, inspector):
    signal = doubtful()
    url = f"/signalen/{signal.id}"
    seen = version_on(inspector.get(url).get_data(as_text=True), "oordeel")
    # Meanwhile a colleague decides.
    decide_verdict(signal.id, verdict=Verdict.NOT_VALID, registratienummer=R5, reason="Gebeld: de oude vennootschap.",
                   actor=Actor.process("collega@test"))
    db.session.flush()
    response = post_form(inspector, f"{url}/oordeel", {
        "oordeel-oordeel": "geregistreerd", "oordeel-registratienummer": R4, "oordeel-reden": "Mijn oordeel.",
        "oordeel-versie": seen}, page=url)
    assert response.status_code == 409
    text = visible_text(response.get_data(as_text=True))
    assert ("Dit signaal is gewijzigd nadat u de pagina opende: het oordeel is nu ‘registratie niet geldig’, "
            "vastgesteld door collega@test") in text
    db.session.refresh(signal)
    assert signal.decided_registratienummer == R5 and signal.decided_by == "collega@test"
    assert len(audit_events("signaal.oordeel_vastgesteld", signal)) == 1
    # The page shown with the refusal is the new state: deciding from it goes through.
    assert version_on(response.get_data(as_text=True), "oordeel") == signal_version(signal)


def test_a_stale_status_form_is_refused_even_with_other_errors(mirror, inspector):
    signal = make_signal(naam_incassant="Snelgeld Inning")
    url = f"/signalen/{signal.id}"
    seen = version_on(inspector.get(url).get_data(as_text=True), "status")
    set_status(signal.id, status=SignalStatus.CLOSED, reason="Collega sloot het af.", actor=Actor.process("collega@test"))
    db.session.flush()
    for reason in ("Ik sluit het ook af.", ""):
        response = post_form(inspector, f"{url}/status", {"status-status": "afgehandeld", "status-reden": reason,
                                                          "status-versie": seen}, page=url)
        assert response.status_code == 409
        assert "Dit signaal is gewijzigd nadat u de pagina opende" in response.get_data(as_text=True)
    assert len(audit_events("signaal.status", signal)) == 1


def test_sending_a_decision_again_after_it_was_made_does_nothing_twice(mirror, inspector):
    signal = doubtful()
    url = f"/signalen/{signal.id}"
    html = inspector.get(url).get_data(as_text=True)
    data = {"oordeel-oordeel": "geregistreerd", "oordeel-registratienummer": R4,
            "oordeel-reden": "Briefpapier van Vliegenthart.", "oordeel-versie": version_on(html, "oordeel")}
    first = post_form(inspector, f"{url}/oordeel", data, page=url)
    assert first.status_code == 302 and first.headers["Location"] == url  # post/redirect/get: a refresh is a GET
    assert inspector.get(url).status_code == 200
    again = post_form(inspector, f"{url}/oordeel", data, page=url)  # the browser's "send again"
    assert again.status_code == 409
    assert len(audit_events("signaal.oordeel_vastgesteld", signal)) == 1


# ---------------------------------------------------------------- 5. likeness, names as written, one date format


def test_a_signal_without_a_similar_party_says_so_instead_of_score_zero(mirror, inspector):
    signal = make_signal(naam_incassant="Snelgeld Inning")
    assert signal.auto_verdict == Verdict.UNREGISTERED and signal.score == 0
    text = visible_text(inspector.get(f"/signalen/{signal.id}").get_data(as_text=True))
    assert "Naamovereenkomst geen partij met een vergelijkbare naam" in text
    assert "Score" not in text


def test_a_signal_without_a_name_says_so_instead_of_a_likeness(mirror, inspector):
    signal = make_signal(naam_incassant="", kvk_nummer="10000001")
    assert signal.auto_verdict == Verdict.REGISTERED
    text = visible_text(inspector.get(f"/signalen/{signal.id}").get_data(as_text=True))
    assert "Naamovereenkomst er is geen naam gemeld" in text


def test_the_name_likeness_names_the_party(mirror, inspector):
    clone = make_signal(naam_incassant="Noordkaap Incasso B.V.", kvk_nummer="99887766")
    assert clone.auto_verdict == Verdict.UNREGISTERED and clone.clone_of == R1
    text = visible_text(inspector.get(f"/signalen/{clone.id}").get_data(as_text=True))
    assert re.search(r"Naamovereenkomst \d+% met Noordkaap Incasso B\.V\. \(R2024-00001\)", text)

    registered = make_signal(naam_incassant="Noordkaap Incasso", kvk_nummer="10000001")
    text = visible_text(inspector.get(f"/signalen/{registered.id}").get_data(as_text=True))
    assert re.search(r"Naamovereenkomst 100% met Noordkaap Incasso B\.V\. \(R2024-00001\)", text)


def test_names_appear_as_written_and_the_compared_words_are_labelled_as_such(mirror, inspector):
    signal = make_signal(naam_incassant="Noordkaap Incaso B.V.", kvk_nummer="10000001")
    html = inspector.get(f"/signalen/{signal.id}").get_data(as_text=True)
    rows = table(html, "Gegevens van de incassant zoals gemeld")
    assert rows["Gegeven"] == ["Zoals gemeld", "Wat de vergelijking gebruikt"]
    assert rows["Naam"] == ["Noordkaap Incaso B.V.", "woorden: noordkaap · incaso"]
    assert "Genormaliseerd" not in html


DAY_MONTH_YEAR = re.compile(r"\b\d{1,2}-\d{1,2}-\d{4}\b|\b\d{4}-\d{2}-\d{2}\b")


def test_the_signal_page_and_its_suspect_page_write_every_date_one_way(mirror, inspector):
    signal = make_signal(naam_incassant="De Vries Invorderingen", datum_brief="2026-03-01", ontvangen_op="2026-03-04")
    assert signal.auto_verdict == Verdict.NOT_VALID
    assert "15-02-2026" in signal.explanation  # the matcher's own notation ...
    html = inspector.get(f"/signalen/{signal.id}").get_data(as_text=True)
    text = visible_text(html)
    assert "15 februari 2026" in text and "1 maart 2026" in text  # ... is shown as every other date
    assert not DAY_MONTH_YEAR.search(text), DAY_MONTH_YEAR.findall(text)

    unregistered = make_signal(naam_incassant="Snelgeld Inning", datum_brief="2026-03-01")
    db.session.refresh(unregistered)
    html = inspector.get(f"/signalen/mogelijke-overtreders/{unregistered.suspect_id}").get_data(as_text=True)
    text = visible_text(html)
    assert "1 maart 2026" in text
    assert not DAY_MONTH_YEAR.search(text), DAY_MONTH_YEAR.findall(text)
