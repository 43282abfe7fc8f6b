"""Grouping runs on the database: every ``niet_geregistreerd`` signal regrouped into suspects
(``regroup_suspects``, by ``grouping.group`` and people's merges and splits), one new signal attached
without regrouping everything (``attach_signal``), and each suspect's summary and priority.
Inside the caller's transaction, like the judging.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from wki.core.clock import today_local, utcnow
from wki.core.db import contains_text
from wki.core.extensions import db
from wki.signals.bulk import update_by_id
from wki.signals.grouping import Item, LinkChoice, group, linked
from wki.signals.matching import distinctive
from wki.signals.mirror import build_matcher
from wki.signals.models import LinkKind, Signal, Suspect, SuspectLink, SuspectStatus, Verdict
from wki.signals.names import Vocabulary
from wki.signals.normalise import email_address, name_alternatives, name_initials, name_readings, name_tokens
from wki.signals.verdicts import effective_verdict, unregistered_clause

S = Signal


GROUP_COLUMNS = (S.id, S.suspect_id, S.name_key, S.naam_incassant, S.kvk, S.vestiging, S.iban, S.iban_valid,
                 S.email_raw, S.domain,
                 S.email_domain, S.phone, S.reference_date, S.bron, S.hoofdsom, S.incassokosten, S.bik_excess,
                 S.vulnerable, S.clone_of)


def _item(row: Any, vocabulary: Vocabulary) -> Item:
    identifiers = []
    if row.vestiging:
        identifiers.append("vestiging:" + row.vestiging)
    if row.iban and row.iban_valid:
        identifiers.append("iban:" + row.iban)
    if row.domain:
        identifiers.append("domein:" + row.domain)
    if row.email_domain:
        identifiers.append("domein:" + row.email_domain)
    if address := email_address(row.email_raw):  # at a free-mail provider too: one collector's address
        identifiers.append("e-mail:" + address)
    if row.phone:
        identifiers.append("telefoon:" + row.phone)
    first, *others = name_alternatives(row.naam_incassant, judging=False) or (None,)
    words = vocabulary.words(tuple(name_tokens(first)), name_initials(first))
    also = tuple(vocabulary.words(tuple(name_tokens(other)), name_initials(other)) for other in others)
    domain_names = tuple(vocabulary.words(tokens, frozenset()) for domain in {row.domain, row.email_domain} - {None}
                         if (tokens := _domain_words(domain)))
    readings = tuple(read for r in name_readings(row.naam_incassant)
                     if (read := vocabulary.words(tuple(name_tokens(r)), name_initials(r))))
    return Item(id=row.id, words=words, kvk=row.kvk, identifiers=tuple(identifiers), also=also,
                domain_names=domain_names, readings=readings, letters="".join(name_tokens(first)))


_DOMAIN_WORD = re.compile(r"[a-z]{2,}")


def _domain_words(domain: str) -> tuple[str, ...]:
    """The words of a domain's name ("modernequia-incasso.online" -> ("modernequia", "incasso"))."""
    # (A page on a platform, "facebook.com/mohameddebruin", is named by the page.)
    label = domain.rsplit("/", 1)[1] if "/" in domain else domain.split(".", 1)[0].removeprefix("www")
    return tuple(_DOMAIN_WORD.findall(label))


def link_choices() -> list[LinkChoice]:
    """People's merges and splits as links between signals, the newest first."""
    links = db.session.execute(sa.select(SuspectLink.kind, SuspectLink.signal_a_id, SuspectLink.signal_b_id)
                               .order_by(SuspectLink.created_at.desc(), SuspectLink.id.desc())).all()
    return [LinkChoice("must" if link.kind == LinkKind.TOGETHER else "cannot", link.signal_a_id, link.signal_b_id)
            for link in links]


def regroup_suspects(vocabulary: Vocabulary | None = None) -> int:
    """Recompute the grouping of every ``niet_geregistreerd`` signal; returns the number of suspects."""
    if vocabulary is None:
        vocabulary = build_matcher()[0].vocabulary
    rows = {row.id: row for row in db.session.execute(sa.select(*GROUP_COLUMNS).where(unregistered_clause()))}
    groups = group([_item(row, vocabulary) for row in rows.values()], link_choices())

    existing = {s.id: s for s in db.session.scalars(sa.select(Suspect))}
    taken: set[int] = set()
    assignment: list[tuple[Suspect, list[Any]]] = []
    for ids in groups:
        members = [rows[i] for i in ids]
        previous = Counter(r.suspect_id for r in members if r.suspect_id is not None and r.suspect_id not in taken)
        suspect = None
        for suspect_id, _n in previous.most_common():
            if suspect_id in existing:
                suspect = existing[suspect_id]
                break
        if suspect is None:
            suspect = Suspect(identifiers={}, status=SuspectStatus.ACTIVE)
            db.session.add(suspect)
        else:
            taken.add(suspect.id)
        assignment.append((suspect, members))
    db.session.flush()  # ids for the new suspects

    today = today_local()
    updates: list[dict[str, Any]] = []
    for suspect, members in assignment:
        _summarise(suspect, members, today)
        updates.extend({"id": r.id, "suspect_id": suspect.id} for r in members if r.suspect_id != suspect.id)
    went_to: dict[int, Counter[int]] = {}
    for suspect, members in assignment:
        for r in members:
            if r.suspect_id is not None and r.suspect_id != suspect.id:
                went_to.setdefault(r.suspect_id, Counter())[suspect.id] += 1
    for suspect_id, suspect in existing.items():
        if suspect_id not in taken and suspect.status != SuspectStatus.EMPTY:
            suspect.status = SuspectStatus.EMPTY
            suspect.signal_count = 0
            suspect.priority = 0
            suspect.successor_id = went_to[suspect_id].most_common(1)[0][0] if suspect_id in went_to else None
            suspect.updated_at = utcnow()
    # Signals no longer judged niet_geregistreerd leave their suspect.
    verdict = effective_verdict()
    leavers = db.session.scalars(sa.select(S.id).where(
        S.suspect_id.is_not(None), sa.or_(verdict.is_(None), verdict != Verdict.UNREGISTERED)))
    updates.extend({"id": signal_id, "suspect_id": None} for signal_id in leavers)
    update_by_id(updates)
    return len(groups)


MAX_ATTACH_NAMES = 2000  # distinct candidate names for one signal; beyond this a full regrouping is cheaper


def attach_signal(signal_id: int, vocabulary: Vocabulary | None = None) -> bool:
    """Group one new ``niet_geregistreerd`` signal without regrouping everything: it joins the one suspect
    whose signals share an identifier or a nearly identical name with it (by the rules of ``group``), or
    becomes a suspect of its own. Returns False, changing nothing, when that is not simple (it would join
    two suspects together, or its words are too common to look up): the caller regroups everything then.
    The nightly regrouping reconciles whatever this shortcut could see differently."""
    if vocabulary is None:
        vocabulary = build_matcher()[0].vocabulary
    row = db.session.execute(sa.select(*GROUP_COLUMNS).where(S.id == signal_id, unregistered_clause())).one_or_none()
    if row is None or row.suspect_id is not None:
        return True
    others = sa.and_(unregistered_clause(), S.id != signal_id)
    by_identifier = []
    if row.kvk:
        by_identifier.append(S.kvk == row.kvk)
    if row.vestiging:
        by_identifier.append(S.vestiging == row.vestiging)
    if row.iban and row.iban_valid:
        by_identifier.append(sa.and_(S.iban == row.iban, S.iban_valid.is_(True)))
    domains = sorted({row.domain, row.email_domain} - {None})
    if domains:
        by_identifier += [S.domain.in_(domains), S.email_domain.in_(domains)]
    if row.phone:
        by_identifier.append(S.phone == row.phone)
    neighbours: set[int | None] = set()
    if by_identifier:
        neighbours.update(db.session.scalars(sa.select(S.suspect_id).where(others, sa.or_(*by_identifier)).distinct()))
    if address := email_address(row.email_raw):  # written in other forms too ("Naam <adres>"): compared here
        for email_raw, suspect_id in db.session.execute(
                sa.select(S.email_raw, S.suspect_id).where(others, contains_text(S.email_raw, address)).distinct()):
            if email_address(email_raw) == address:
                neighbours.add(suspect_id)
    item = _item(row, vocabulary)
    if item.readings:
        return False  # a name with readings links by rules this shortcut does not follow: regroup everything
    words = item.words
    if words:
        # Any name one letter off shares the first or the second half of each distinctive word.
        pieces: set[str] = set()
        for word in distinctive(words):
            token = word.text
            half = len(token) // 2
            pieces.update(p for p in (token[:max(half, 3)], token[half:]) if len(p) >= 3)
        conditions = [S.name_key == row.name_key] + [S.name_key.contains(p, autoescape=True) for p in pieces]
        names = db.session.execute(sa.select(S.naam_incassant, S.suspect_id).where(others, sa.or_(*conditions))
                                   .distinct().limit(MAX_ATTACH_NAMES + 1)).all()
        if len(names) > MAX_ATTACH_NAMES:
            return False
        kvk_of = _suspect_kvks({n.suspect_id for n in names} - {None})
        for naam, suspect_id in names:
            if row.kvk and kvk_of.get(suspect_id) and row.kvk not in kvk_of[suspect_id]:
                continue  # another legal entity: a name never links different KvK numbers
            tokens = tuple(name_tokens(naam))
            other = vocabulary.words(tokens, name_initials(naam))
            if (other and linked(words, other)) or (len(item.letters) >= 8 and "".join(tokens) == item.letters):
                neighbours.add(suspect_id)
    if None in neighbours or len(neighbours) > 1:
        return False  # ungrouped neighbours, or two suspects that this signal ties together
    if neighbours:
        suspect = db.session.get(Suspect, neighbours.pop())
        if suspect is None:
            return False
    else:
        suspect = Suspect(identifiers={}, status=SuspectStatus.ACTIVE)
        db.session.add(suspect)
        db.session.flush()
    update_by_id([{"id": signal_id, "suspect_id": suspect.id}])
    members = db.session.execute(sa.select(*GROUP_COLUMNS).where(S.suspect_id == suspect.id)).all()
    _summarise(suspect, list(members), today_local())
    return True


def _suspect_kvks(suspect_ids: set[int]) -> dict[int, set[str]]:
    if not suspect_ids:
        return {}
    rows = db.session.execute(sa.select(S.suspect_id, S.kvk).where(S.suspect_id.in_(sorted(suspect_ids)),
                                                                    S.kvk.is_not(None)).distinct())
    found: dict[int, set[str]] = {}
    for suspect_id, kvk in rows:
        found.setdefault(suspect_id, set()).add(kvk)
    return found


def _ordered(values: Iterable[str | None]) -> list[str]:
    counts = Counter(v for v in values if v)
    return [value for value, _n in counts.most_common()]


def priority(*, count: int, last_seen: date | None, sources: int, principal: Decimal, bik_exceeded: int,
             vulnerable: int, today: date) -> tuple[int, list[tuple[str, int]]]:
    """0–100 with its parts, in Dutch: number and recency of signals, sources, amounts, vulnerable debtors."""
    parts: list[tuple[str, int]] = []
    n_points = 30 if count >= 10 else 24 if count >= 5 else 16 if count >= 2 else 8
    parts.append((f"{count} signa{'al' if count == 1 else 'len'}", n_points))
    if last_seen is not None:
        age = (today - last_seen).days
        recency = 20 if age <= 30 else 12 if age <= 90 else 5 if age <= 365 else 0
        parts.append((f"laatste signaal {max(age, 0)} dagen geleden", recency))
    parts.append((f"{sources} verschillende bron{'' if sources == 1 else 'nen'}", min(15, 5 * sources)))
    if principal > 0:
        points = 15 if principal >= 10000 else 8 if principal >= 1000 else 3
        parts.append((f"hoofdsommen samen € {principal:,.2f}".replace(",", "X").replace(".", ",").replace("X", "."),
                      points))
    if bik_exceeded:
        parts.append((f"{bik_exceeded}× incassokosten boven het BIK-maximum", 5))
    if vulnerable:
        parts.append((f"{vulnerable}× kwetsbare schuldenaar genoemd", 15 if vulnerable >= 3 else 10))
    return min(100, sum(p for _l, p in parts)), parts


def _summarise(suspect: Suspect, members: list[Any], today: date) -> None:
    names = _ordered(r.naam_incassant for r in members)
    days = [r.reference_date for r in members]
    principal = sum((r.hoofdsom for r in members if r.hoofdsom is not None), Decimal("0"))
    costs = sum((r.incassokosten for r in members if r.incassokosten is not None), Decimal("0"))
    sources = {r.bron for r in members}
    bik_exceeded = sum(1 for r in members if r.bik_excess is not None and r.bik_excess > 0)
    vulnerable = sum(1 for r in members if r.vulnerable)
    points, parts = priority(count=len(members), last_seen=max(days), sources=len(sources), principal=principal,
                             bik_exceeded=bik_exceeded, vulnerable=vulnerable, today=today)
    identifiers = {
        "namen": names[:30],
        "kvk": _ordered(r.kvk for r in members),
        "iban": _ordered(r.iban for r in members if r.iban_valid),
        "domein": _ordered([*(r.domain for r in members), *(r.email_domain for r in members)]),
        "telefoon": _ordered(r.phone for r in members),
        "bronnen": sorted(sources),
        "prioriteit": [[label, p] for label, p in parts],
    }
    values = {
        "status": SuspectStatus.ACTIVE,
        "successor_id": None,
        "display_name": (names[0] if names else (identifiers["kvk"] or identifiers["iban"] or identifiers["domein"]
                                                 or identifiers["telefoon"] or ["onbekend"])[0])[:300],
        "identifiers": identifiers,
        "signal_count": len(members),
        "source_count": len(sources),
        "first_seen": min(days),
        "last_seen": max(days),
        "total_principal": principal if any(r.hoofdsom is not None for r in members) else None,
        "total_costs": costs if any(r.incassokosten is not None for r in members) else None,
        "bik_exceeded_count": bik_exceeded,
        "vulnerable_count": vulnerable,
        "clone_of": next(iter(_ordered(r.clone_of for r in members)), None),
        "priority": points,
    }
    if any(getattr(suspect, k) != v for k, v in values.items()):
        for key, value in values.items():
            setattr(suspect, key, value)
        suspect.updated_at = utcnow()
