"""Suspected unregistered collectors: grouping by shared identifiers and near-identical names,
transitively; KvK numbers keep legal entities apart; merges and splits survive re-matching."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.helpers import make_iban
from tests.signals.helpers import signal_row
from wki.core.actors import Actor
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.signals.decisions import merge_suspects, split_suspect
from wki.signals.grouping import Item, LinkChoice, group
from wki.signals.judging import match_signals
from wki.signals.models import Channel, Signal, Suspect, SuspectStatus
from wki.signals.names import Vocabulary
from wki.signals.normalise import TokenWeights, name_initials, name_tokens
from wki.signals.recording import create_signal

REGISTER = [name_tokens(n) for n in (
    "Noordkaap Incasso B.V.", "De Vries Invorderingen B.V.", "Incasso Nederland", "Incassobureau Holland")]
VOCABULARY = Vocabulary(TokenWeights.from_token_lists(REGISTER), (t for tokens in REGISTER for t in tokens))


def item(i: int, name: str = "", kvk: str | None = None, *ids: str) -> Item:
    return Item(id=i, words=VOCABULARY.words(tuple(name_tokens(name)), name_initials(name)), kvk=kvk,
                identifiers=ids)


def test_shared_identifiers_link_transitively():
    items = [item(1, "Alfa Inning", None, "iban:NL01"), item(2, "Beta Vorderingen", None, "iban:NL01", "telefoon:06"),
             item(3, "Gamma Geld", None, "telefoon:06"), item(4, "Delta Debt", None, "iban:NL99")]
    assert group(items) == [[1, 2, 3], [4]]


def test_nearly_identical_names_link_but_common_words_do_not():
    items = [item(1, "Snelgeld Inning B.V."), item(2, "snelgeld inning"), item(3, "Snelgelt Inning"),
             item(4, "Incasso Nederland Snel"), item(5, "Incasso Nederland Traag")]
    assert group(items) == [[1, 2, 3], [4], [5]]


def test_different_kvk_numbers_are_different_collectors_even_with_the_same_name():
    items = [item(1, "Snelgeld Inning", "11111111"), item(2, "Snelgeld Inning", "22222222"),
             item(3, "Snelgeld Inning")]
    groups = group(items)
    assert len(groups) == 2 and [1, 2] not in groups


def test_decisions_newest_first_win():
    items = [item(1, "Alfa Inning"), item(2, "Beta Vorderingen"), item(3, "Alfa Inning", None, "iban:X")]
    assert group(items, [LinkChoice("must", 1, 2)]) == [[1, 2, 3]]
    # A split keeps 3 apart from 1 although the names are the same; then a newer merge joins 2 and 3.
    assert sorted(map(tuple, group(items, [LinkChoice("cannot", 1, 3)]))) == [(1,), (2,), (3,)]
    assert sorted(map(tuple, group(items, [LinkChoice("must", 2, 3), LinkChoice("cannot", 1, 3)]))) == \
        [(1,), (2, 3)]


def test_grouping_is_linear_not_quadratic_in_identical_names():
    items = [item(i, "Snelgeld Inning") for i in range(5000)]
    assert group(items) == [list(range(5000))]


# --- on the database ---------------------------------------------------------------------------------

def record(n: int, **values: str) -> Signal:
    return create_signal(signal_row(n, **values), channel=Channel.FORM, actor=Actor.process("test"))


def suspects() -> list[Suspect]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Suspect).where(Suspect.status == SuspectStatus.ACTIVE)
                                   .order_by(Suspect.id)))


def test_suspect_summary(mirror):
    record(1, naam_incassant="Snelgeld Inning", iban=make_iban(500), hoofdsom="1.000,00", incassokosten="400,00",
           datum_brief="2026-03-01", omschrijving="Schuldenaar heeft een uitkering")
    record(2, naam_incassant="SG Inning", iban=make_iban(500), bron="gemeente", hoofdsom="2.000,00",
           datum_brief="2026-03-05")
    record(3, naam_incassant="Snelgeld Inning B.V.", telefoon="06-12345678", datum_brief="2026-02-01")
    (suspect,) = suspects()
    assert suspect.signal_count == 3 and suspect.source_count == 2
    assert suspect.display_name == "Snelgeld Inning"
    assert set(suspect.names) == {"Snelgeld Inning", "SG Inning", "Snelgeld Inning B.V."}
    assert suspect.identifiers["iban"] == [make_iban(500)] and suspect.identifiers["telefoon"] == ["0612345678"]
    assert suspect.first_seen.isoformat() == "2026-02-01" and suspect.last_seen.isoformat() == "2026-03-05"
    assert suspect.total_principal == Decimal("3000.00") and suspect.total_costs == Decimal("400.00")
    assert suspect.bik_exceeded_count == 1 and suspect.vulnerable_count == 1
    labels = [label for label, _points in suspect.identifiers["prioriteit"]]
    assert labels[0] == "3 signalen" and any("kwetsbare" in label for label in labels)
    assert 0 < suspect.priority <= 100


def test_priority_grows_with_signals_sources_and_vulnerability(mirror):
    record(1, naam_incassant="Alfa Inning")
    for n in range(2, 7):
        record(n, naam_incassant="Beta Vorderingen", bron=["consument", "gemeente", "schuldhulpverlener"][n % 3])
    alfa, beta = sorted(suspects(), key=lambda s: s.display_name)
    assert beta.priority > alfa.priority


def test_merge_and_split_survive_rematching(mirror):
    a = record(1, naam_incassant="Alfa Inning", iban=make_iban(501))
    b = record(2, naam_incassant="Beta Vorderingen", iban=make_iban(502))
    c = record(3, naam_incassant="Beta Vorderingen")
    assert len(suspects()) == 2
    ids = {a.suspect_id, b.suspect_id}
    merged = merge_suspects(a.suspect_id, b.suspect_id, reason="Zelfde briefpapier en adres", actor=Actor.process("i@t"))
    assert len(suspects()) == 1 and merged.signal_count == 3
    (emptied,) = [db.session.get(Suspect, i) for i in ids - {merged.id}]
    assert emptied.status == SuspectStatus.EMPTY and emptied.successor_id == merged.id
    match_signals()
    assert len(suspects()) == 1

    db.session.expire_all()
    part = split_suspect(merged.id, [c.id], reason="Andere handtekening, andere partij", actor=Actor.process("i@t"))
    db.session.expire_all()
    assert part.id != merged.id and part.signal_count == 1
    assert {s.signal_count for s in suspects()} == {2, 1}
    match_signals()
    db.session.expire_all()
    assert {s.signal_count for s in suspects()} == {2, 1}
    assert a.suspect_id == b.suspect_id != c.suspect_id


def test_suspect_keeps_its_id_when_signals_join(mirror):
    first = record(1, naam_incassant="Alfa Inning")
    suspect_id = first.suspect_id
    second = record(2, naam_incassant="Alfa Inning", iban=make_iban(503))
    assert second.suspect_id == suspect_id
    match_signals()
    db.session.expire_all()
    assert first.suspect_id == suspect_id


@pytest.mark.parametrize("reason", ["", "kort"])
def test_merge_needs_a_reason(mirror, reason):
    a = record(1, naam_incassant="Alfa Inning")
    b = record(2, naam_incassant="Beta Vorderingen")
    with pytest.raises(ServiceError, match="reden"):
        merge_suspects(a.suspect_id, b.suspect_id, reason=reason, actor=Actor.process("i@t"))
    assert len(suspects()) == 2


def test_split_needs_part_of_the_signals(mirror):
    a = record(1, naam_incassant="Alfa Inning")
    with pytest.raises(ServiceError, match="niet alle"):
        split_suspect(a.suspect_id, [a.id], reason="een goede reden", actor=Actor.process("i@t"))


def partition() -> dict[int, frozenset[int]]:
    db.session.expire_all()
    groups: dict[int, set[int]] = {}
    for signal in db.session.scalars(sa.select(Signal).where(Signal.suspect_id.is_not(None))):
        groups.setdefault(signal.suspect_id, set()).add(signal.id)
    return {k: frozenset(v) for k, v in groups.items()}


def test_one_signal_at_a_time_groups_as_the_full_regrouping_does(mirror, monkeypatch):
    from wki.signals import recording, regrouping

    full = []
    monkeypatch.setattr(recording, "regroup_suspects", lambda: full.append(1) or regrouping.regroup_suspects())
    record(1, naam_incassant="Snelgeld Inning", iban=make_iban(600))
    record(2, naam_incassant="Snelgelt Inning")  # a typo of the name
    record(3, naam_incassant="SG Inning", iban=make_iban(600))  # the same account
    record(4, naam_incassant="Dukaat Vorderingen", telefoon="085-1234567")
    record(5, naam_incassant="Iets Anders", telefoon="0851234567")  # the same phone
    record(6, naam_incassant="Snelgeld Inning", kvk_nummer="12345678")
    record(7, naam_incassant="Snelgeld Inning", kvk_nummer="87654321")  # another legal entity
    assert full == []  # every signal was attached by the shortcut
    incremental = partition()
    counts = {s.id: s.signal_count for s in suspects()}
    match_signals()
    assert partition() == incremental
    assert {s.id: s.signal_count for s in suspects()} == counts


def test_a_signal_that_ties_two_suspects_together_regroups_everything(mirror):
    a = record(1, naam_incassant="Alfa Inning", iban=make_iban(601))
    b = record(2, naam_incassant="Beta Vorderingen", telefoon="085-7654321")
    assert a.suspect_id != b.suspect_id
    bridge = record(3, naam_incassant="Gamma", iban=make_iban(601), telefoon="0857654321")
    db.session.expire_all()
    assert a.suspect_id == b.suspect_id == bridge.suspect_id
    assert len(suspects()) == 1
