"""The "mogelijke overtreders" pages (suspects; issue 9 §4): "Mogelijk dezelfde" with a one-click merge,
several merged at once from the list, the former "verdachten" addresses redirecting, and the word
"verdachte" gone from everything a user reads."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token
from tests.helpers import count_queries, make_iban
from tests.signals.helpers import signal_row
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.auth import Role
from wki.core.extensions import db
from wki.signals.decisions import merge_suspects, split_suspect
from wki.signals.matching import NAME_LINK
from wki.signals.models import Channel, Signal, Suspect, SuspectStatus
from wki.signals.recording import create_signal
from wki.signals.similar_suspects import CLOSE_NAME, MAX_SUGGESTIONS, similar_suspects

ROOT = Path(__file__).resolve().parents[2]
_n = [0]


@pytest.fixture
def inspector(login_as):
    return login_as(Role.INSPECTEUR)


def make_signal(**values: Any) -> Signal:
    _n[0] += 1
    signal = create_signal(signal_row(7000 + _n[0], **values), channel=Channel.FORM, actor=Actor.process("inspecteur@test"))
    db.session.refresh(signal)
    return signal


def suspect_of(signal: Signal) -> Suspect:
    db.session.refresh(signal)
    return db.session.get(Suspect, signal.suspect_id)


def suggested(signal: Signal) -> dict[int, list[str]]:
    return {s.suspect_id: s.reasons for s in similar_suspects(suspect_of(signal))}


def plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def post_form(client, url: str, data: dict[str, Any], page: str, **kwargs):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data}, **kwargs)


# ---------------------------------------------------------------- 3. "Mogelijk dezelfde"


def likeness(mine: str, theirs: str) -> int:
    """How alike the matcher finds two names (as the suggestion states it; tuned with the matcher)."""
    from wki.signals.mirror import build_matcher
    from wki.signals.names import compare
    from wki.signals.normalise import name_initials, name_tokens

    vocabulary = build_matcher()[0].vocabulary

    def words(name: str):
        return vocabulary.words(tuple(name_tokens(name)), name_initials(name))

    return round(compare(words(mine), words(theirs)).score)


def test_a_close_name_is_suggested_with_how_close(mirror):
    a = make_signal(naam_incassant="Klaverblad Inning", iban=make_iban(970))
    b = make_signal(naam_incassant="Klaverbladen Inning", telefoon="06-33334444")
    assert suspect_of(a).id != suspect_of(b).id  # the grouping leaves names this far apart to a person
    (reasons,) = suggested(a).values()
    assert suggested(a) == {b.suspect_id: reasons}
    pct = likeness("Klaverblad Inning", "Klaverbladen Inning")
    assert CLOSE_NAME <= pct < NAME_LINK  # close, but not so close that the grouping links them by itself
    assert reasons == [f"naam ‘Klaverblad Inning’ lijkt {pct}% op ‘Klaverbladen Inning’"]
    # Names are compared in one order whichever suspect's page asks, so the likeness is the same both ways.
    back = likeness("Klaverblad Inning", "Klaverbladen Inning")
    assert suggested(b) == {a.suspect_id: [f"naam ‘Klaverbladen Inning’ lijkt {back}% op ‘Klaverblad Inning’"]}


def test_a_shared_distinctive_word_is_suggested_as_written(mirror):
    a = make_signal(naam_incassant="Gravenhorst Incasso", website="gravenhorst-incasso.nl")
    b = make_signal(naam_incassant="Gravenhorst en Terpstra Incasso", iban=make_iban(971))
    assert suggested(a) == {b.suspect_id: ["deelt het woord ‘Gravenhorst’ in de naam"]}


def test_a_shared_iban_is_suggested_also_after_a_split_and_ranks_after_the_unjudged(mirror):
    a = make_signal(naam_incassant="Klaverblad Inning", iban=make_iban(972))
    b = make_signal(naam_incassant="Rozenhof Vorderingen", iban=make_iban(972))
    c = make_signal(naam_incassant="Klaverbladen Inning", telefoon="06-55556666")
    assert suspect_of(a).id == suspect_of(b).id != suspect_of(c).id  # one account: one collector, says the grouping
    split_suspect(a.suspect_id, [b.id], reason="Andere briefhoofden, zelfde bank", actor=Actor.process("i@t"))
    db.session.expire_all()
    found = similar_suspects(suspect_of(a))
    iban = " ".join(re.findall(".{1,4}", make_iban(972)))
    by_id = {s.suspect_id: s for s in found}
    assert by_id[suspect_of(b).id].reasons == [f"deelt IBAN {iban}"] and by_id[suspect_of(b).id].kept_apart
    assert not by_id[suspect_of(c).id].kept_apart
    # A split a person made ranks after the suggestions nobody has judged yet.
    assert [s.suspect_id for s in found] == [suspect_of(c).id, suspect_of(b).id]


def test_shared_identifiers_of_every_kind_are_found(mirror):
    a = make_signal(naam_incassant="Alfa Inning", kvk_nummer="55667788", website="https://alfa-inning.nl/betalen",
                    telefoon="020-7654321", iban=make_iban(973))
    for n, values in enumerate([{"kvk_nummer": "55667788"}, {"email": "info@alfa-inning.nl"},
                                {"telefoon": "+31 20 765 4321"}, {"iban": make_iban(973)}]):
        other = make_signal(naam_incassant=f"{['Bravo', 'Charlie', 'Delta', 'Echo'][n]} Vorderingen", **values)
        assert other.suspect_id == a.suspect_id  # joined by the grouping ...
        split_suspect(a.suspect_id, [other.id], reason="Een andere incassant", actor=Actor.process("i@t"))  # ... and split
    db.session.expire_all()
    reasons = sorted(r for s in similar_suspects(suspect_of(a)) for r in s.reasons)
    assert reasons == sorted(["deelt KvK-nummer 55667788", "deelt website of e-maildomein alfa-inning.nl",
                              "deelt telefoonnummer 0207654321",
                              "deelt IBAN " + " ".join(re.findall(".{1,4}", make_iban(973)))])


def test_unrelated_suspects_and_emptied_ones_are_not_suggested(mirror):
    a = make_signal(naam_incassant="Klaverblad Inning", iban=make_iban(974))
    make_signal(naam_incassant="Kwikgeld Vorderingen", iban=make_iban(975))
    make_signal(naam_incassant="Bakker Juridisch Incasso", telefoon="06-77778888")
    make_signal(naam_incassant="Hazelaar Collect", website="hazelaar.nl")
    assert suggested(a) == {}
    b = make_signal(naam_incassant="Klaverbladen Inning", telefoon="06-12121212")
    d = make_signal(naam_incassant="Zonnedauw Vorderingen", iban=make_iban(978))
    make_signal(naam_incassant="Zonnedauw Vorderingen", iban=make_iban(978))
    first = suspect_of(b).id
    pct = likeness("Klaverblad Inning", "Klaverbladen Inning")
    assert suggested(a) == {first: [f"naam ‘Klaverblad Inning’ lijkt {pct}% op ‘Klaverbladen Inning’"]}
    kept = merge_suspects(first, suspect_of(d).id, reason="Zelfde brief", actor=Actor.process("i@t"))
    db.session.expire_all()
    emptied = db.session.get(Suspect, first)
    assert emptied.status == SuspectStatus.EMPTY and kept.id == suspect_of(d).id
    assert set(suggested(a)) == {kept.id}  # the collector is offered under the number it has now
    assert similar_suspects(emptied) == []  # an emptied one suggests nothing either


def test_a_name_never_links_two_kvk_numbers(mirror):
    a = make_signal(naam_incassant="Klaverblad Inning", kvk_nummer="11112222")
    b = make_signal(naam_incassant="Klaverbladen Inning", kvk_nummer="33334444")
    assert suggested(a) == {} and suggested(b) == {}


def test_suggestions_are_bounded_and_cost_the_same_queries_for_more(mirror, inspector):
    base = make_signal(naam_incassant="Zeemansrust Inning", iban=make_iban(980))
    url = f"/signalen/mogelijke-overtreders/{base.suspect_id}"

    def measure() -> int:
        with count_queries() as statements:
            assert inspector.get(url).status_code == 200
        return len(statements)

    make_signal(naam_incassant="Zeemansrust Holding Kredietbeheer Oost", iban=make_iban(981))
    few = measure()
    words = ["Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett", "Kilo",
             "Lima"]
    for n, word in enumerate(words, start=2):
        make_signal(naam_incassant=f"Zeemansrust {word} Beheer", iban=make_iban(981 + n))
    found = similar_suspects(suspect_of(base))
    assert len(found) == MAX_SUGGESTIONS
    assert measure() == few


def test_one_click_merge_of_a_suggestion_uses_the_reason_it_offers(mirror, inspector):
    a = make_signal(naam_incassant="Klaverblad Inning", iban=make_iban(976))
    make_signal(naam_incassant="Klaverblad Inning", telefoon="06-10101010")  # two signals: a keeps its number
    b = make_signal(naam_incassant="Klaverbladen Inning", telefoon="06-20202020")
    kept, other = suspect_of(a).id, suspect_of(b).id
    url = f"/signalen/mogelijke-overtreders/{kept}"
    html = inspector.get(url).get_data(as_text=True)
    assert "Mogelijk dezelfde" in html
    pct = likeness("Klaverblad Inning", "Klaverbladen Inning")
    reason = f"Mogelijk dezelfde incassant: naam ‘Klaverblad Inning’ lijkt {pct}% op ‘Klaverbladen Inning’."
    assert re.search(rf'<textarea [^>]*id="voorstel-{other}-reden"', html)
    assert f">\r\n{reason}</textarea>" in html or f">\n{reason}</textarea>" in html or f">{reason}</textarea>" in html
    assert f'<input type="hidden" name="voorstel" value="{other}">' in html

    response = post_form(inspector, f"{url}/samenvoegen", {
        "voorstel": str(other), f"voorstel-{other}-andere": str(other), f"voorstel-{other}-reden": reason},
        page=url, follow_redirects=True)
    assert response.request.path == url
    assert f"Mogelijke overtreder {other} is samengevoegd met mogelijke overtreder {kept}" in plain(
        response.get_data(as_text=True))
    assert suspect_of(b).id == kept
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "verdachte.samengevoegd")).one()
    assert event.object_id == str(kept) and event.after["reden"] == reason
    assert event.before == {"mogelijke_overtreders": [kept, other]}
    assert "Samengevoegd" in plain(response.get_data(as_text=True))  # in the history, by its label


def test_a_suggestion_merged_with_its_reason_emptied_says_so_at_that_suggestion(mirror, inspector):
    a = make_signal(naam_incassant="Klaverblad Inning", iban=make_iban(977))
    b = make_signal(naam_incassant="Klaverbladen Inning", telefoon="06-30303030")
    url = f"/signalen/mogelijke-overtreders/{a.suspect_id}"
    other = suspect_of(b).id
    response = post_form(inspector, f"{url}/samenvoegen", {
        "voorstel": str(other), f"voorstel-{other}-andere": str(other), f"voorstel-{other}-reden": ""}, page=url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="voorstel-{other}-reden-fout">Geef een reden om samen te voegen.' in html
    assert f'href="#voorstel-{other}-reden"' in html  # the error summary leads there
    assert suspect_of(a).id != suspect_of(b).id


# ---------------------------------------------------------------- 3. several at once, from the list


def _three() -> tuple[Signal, Signal, Signal]:
    small = make_signal(naam_incassant="Alfa Inning", iban=make_iban(990))
    big = make_signal(naam_incassant="Bravo Vorderingen", iban=make_iban(991))
    make_signal(naam_incassant="Bravo Vorderingen", iban=make_iban(991))
    other = make_signal(naam_incassant="Charlie Beheer", iban=make_iban(992))
    return small, big, other


def test_several_chosen_in_the_list_merge_into_the_one_with_the_most_signals(mirror, inspector):
    small, big, other = _three()
    ids = [suspect_of(s).id for s in (small, big, other)]
    page = inspector.get("/signalen/mogelijke-overtreders").get_data(as_text=True)
    for suspect_id in ids:
        assert f'type="checkbox" name="overtreders" value="{suspect_id}" id="kies-{suspect_id}"' in page
        assert f'<label class="wki-visually-hidden" for="kies-{suspect_id}">Kies mogelijke overtreder {suspect_id}' \
               in page
    response = post_form(inspector, "/signalen/mogelijke-overtreders/samenvoegen?zoek=&status=actief", {
        "overtreders": [str(i) for i in ids], "reden": "Zelfde postadres op alle brieven."},
        page="/signalen/mogelijke-overtreders", follow_redirects=True)
    kept = suspect_of(big)
    assert response.request.path == f"/signalen/mogelijke-overtreders/{kept.id}"
    assert suspect_of(small).id == suspect_of(other).id == kept.id == ids[1] and kept.signal_count == 4
    text = plain(response.get_data(as_text=True))
    assert (f"Mogelijke overtreders {ids[0]}, {ids[2]} zijn samengevoegd met mogelijke overtreder {ids[1]}, "
            "die de meeste signalen had.") in text
    (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "verdachte.samengevoegd"))
    assert event.before == {"mogelijke_overtreders": ids} and event.after["reden"] == "Zelfde postadres op alle brieven."


@pytest.mark.parametrize(("chosen", "message"), [
    (1, "Kies minstens twee verschillende mogelijke overtreders om samen te voegen."),
    (0, "Kies minstens twee verschillende mogelijke overtreders om samen te voegen."),
])
def test_choosing_fewer_than_two_is_refused_with_a_dutch_message(mirror, inspector, chosen, message):
    small, big, other = _three()
    ids = [suspect_of(s).id for s in (small, big, other)][:chosen]
    response = post_form(inspector, "/signalen/mogelijke-overtreders/samenvoegen", {
        "overtreders": [str(i) for i in ids], "reden": "Zelfde postadres."}, page="/signalen/mogelijke-overtreders")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="overtreders" tabindex="-1">{message}' in html and 'href="#overtreders"' in html
    for suspect_id in ids:  # what was chosen stays chosen
        assert f'value="{suspect_id}" id="kies-{suspect_id}" checked' in html
    assert len({suspect_of(s).id for s in (small, big, other)}) == 3


def test_an_inactive_one_among_the_chosen_is_refused_and_nothing_changes(mirror, inspector):
    small, big, other = _three()
    merge_suspects(suspect_of(small).id, suspect_of(other).id, reason="Eerder samengevoegd", actor=Actor.process("i@t"))
    db.session.expire_all()
    inactive = db.session.scalars(sa.select(Suspect.id).where(Suspect.status == SuspectStatus.EMPTY)).one()
    response = post_form(inspector, "/signalen/mogelijke-overtreders/samenvoegen", {
        "overtreders": [str(inactive), str(suspect_of(big).id)], "reden": "Zelfde postadres."},
        page="/signalen/mogelijke-overtreders")
    assert response.status_code == 200
    assert f"Mogelijke overtreder {inactive} is opgeheven" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "verdachte.samengevoegd")) == 1  # only the earlier merge
    assert suspect_of(big).signal_count == 2
    unknown = post_form(inspector, "/signalen/mogelijke-overtreders/samenvoegen", {
        "overtreders": ["999999", str(suspect_of(big).id)], "reden": "Zelfde postadres."},
        page="/signalen/mogelijke-overtreders")
    assert "Mogelijke overtreder 999999 bestaat niet." in unknown.get_data(as_text=True)


def test_the_list_offers_no_checkbox_for_an_emptied_one(mirror, inspector):
    small, _big, other = _three()
    merge_suspects(suspect_of(small).id, suspect_of(other).id, reason="Zelfde brief", actor=Actor.process("i@t"))
    db.session.expire_all()
    inactive = db.session.scalars(sa.select(Suspect).where(Suspect.status == SuspectStatus.EMPTY)).first()
    page = inspector.get("/signalen/mogelijke-overtreders?status=alle").get_data(as_text=True)
    assert f'href="/signalen/mogelijke-overtreders/{inactive.id}"' in page
    assert f'id="kies-{inactive.id}"' not in page


# ---------------------------------------------------------------- 4. the term, the addresses


def test_the_former_addresses_redirect_permanently(mirror, inspector):
    signal = make_signal(naam_incassant="Snelgeld Inning")
    response = inspector.get("/signalen/verdachten?zoek=snelgeld&status=alle")
    assert response.status_code == 301
    assert response.headers["Location"] == "/signalen/mogelijke-overtreders?zoek=snelgeld&status=alle"
    response = inspector.get(f"/signalen/verdachten/{signal.suspect_id}")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/signalen/mogelijke-overtreders/{signal.suspect_id}"
    assert inspector.get(response.headers["Location"]).status_code == 200


def test_a_former_address_ignores_url_for_parameters_in_its_query(mirror, inspector):
    # "_anchor", "_scheme", ... are url_for's own arguments: from a query string they made the redirect fail (500).
    response = inspector.get("/signalen/verdachten?zoek=snelgeld&_anchor=x&_scheme=javascript&_external=1")
    assert response.status_code == 301
    assert response.headers["Location"] == "/signalen/mogelijke-overtreders?zoek=snelgeld"


def test_the_pages_say_mogelijke_overtreder(mirror, inspector, login_as):
    clone = make_signal(naam_incassant="Noordkaap Incasso B.V.", kvk_nummer="99887766")
    assert clone.clone_of == "R2024-00001"
    pages = [f"/signalen/{clone.id}", "/signalen/mogelijke-overtreders",
             f"/signalen/mogelijke-overtreders/{clone.suspect_id}", "/register/R2024-00001"]
    texts = [plain(inspector.get(url).get_data(as_text=True)) for url in pages]
    assert f"Mogelijke overtreder Mogelijke overtreder {clone.suspect_id}: Noordkaap Incasso B.V." in texts[0]
    assert texts[1].startswith("Mogelijke overtreders – Wki-toezicht")
    assert f"Mogelijke overtreder {clone.suspect_id} · vermoedelijk niet-geregistreerde incassant" in texts[2]
    assert "Mogelijke klonen 1 mogelijke overtreder" in texts[3]  # the registration's panel
    for text in texts:
        assert "erdacht" not in text.lower()


# The word may appear only where a format or an address fixes it.
ALLOWED = {
    "verdachte_id",  # the export column (signalen.md) and the partner API's field
    "/verdachten", "/verdachten/<int:suspect_id>",  # the former addresses, redirecting
    "verdachte.samengevoegd", "verdachte.gesplitst",  # audit action codes stored in the trail (shown by label)
    "verdachten",  # the engine's count key (audit events, job runs); cli.py shows it by a label
}
# What the other signals pages' branch (issue 9 §4, UI-1: the list and the dashboard tile) changes: those
# exact lines, as they stand on this branch's base. Once both branches are merged they match nothing and
# can go; any other line in those files is checked like every other.
PENDING_ELSEWHERE = {
    ("templates/signals/index.html",
     """<a class="utrecht-link" href="{{ url_for('signals.suspects') }}">Verdachten</a>"""),
    ("templates/signals/index.html",
     """{%- if s.suspect_id %}<span class="wki-trade-names"><a class="utrecht-link" href="{{ url_for('signals.suspect', """
     """suspect_id=s.suspect_id) }}">Verdachte {{ s.suspect_id }}</a></span>{% endif %}</td>"""),
    ("wki/signals/tiles.py", "Actieve verdachten"),
}


def _strings(path: Path) -> Iterator[tuple[int, str]]:
    """Every string constant of a module (docstrings, f-string parts and CLI help texts included)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_no_template_or_user_facing_string_says_verdachte():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        rel = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "erdacht" in line.lower() and (rel, line.strip()) not in PENDING_ELSEWHERE:
                found.append(f"{rel}:{number}: {line.strip()}")
    modules = [*sorted((ROOT / "wki" / "signals").glob("*.py")), ROOT / "wki" / "scheduler.py"]
    for path in modules:
        rel = path.relative_to(ROOT).as_posix()
        for number, value in _strings(path):
            if "erdacht" in value.lower() and value not in ALLOWED and (rel, value) not in PENDING_ELSEWHERE:
                found.append(f"{rel}:{number}: {value!r}")
    assert found == []


def test_the_cli_help_and_the_job_names_say_mogelijke_overtreders(app):
    from wki.core.jobs import get_job

    runner = app.test_cli_runner()
    outputs = [runner.invoke(args=["signals", "--help"]).output]
    for command in ("import", "export", "match"):
        result = runner.invoke(args=["signals", command, "--help"])
        assert result.exit_code == 0
        outputs.append(result.output)
    assert "groepeer de mogelijke overtreders opnieuw" in " ".join(outputs[3].split())
    assert all("erdacht" not in out.lower() for out in outputs)
    assert get_job("signals-regroup", app).title == "Mogelijke overtreders opnieuw groeperen"
