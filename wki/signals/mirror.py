"""The register mirror as the matcher sees it: every version of every registration and exempt party as
a ``Party`` (read in bulk through ``wki.register.queries``), and the ``Matcher`` built from them.

The matcher is cached per process, keyed by the mirror's state (``queries.mirror_state``: the applied
snapshots). Any import, approval or re-import changes that state, so a cached matcher is never stale.
"""

from __future__ import annotations

import threading

from wki.register.queries import EXEMPT, REGISTER, exempt_history, mirror_start, mirror_state, registration_history
from wki.signals.matching import (
    STATUTORY_NAME,
    TRADE_NAME,
    Matcher,
    Party,
    PartyName,
    PartyVersion,
    normalise_place,
    normalise_postcode,
)
from wki.signals.normalise import (
    TokenWeights,
    email_address,
    email_domain,
    name_initials,
    name_tokens,
    normalise_iban,
    normalise_phone,
    registrable_domain,
)


def _names(party: Party, seen: set[tuple[str, ...]], label: str, written: str) -> None:
    tokens = tuple(name_tokens(written))
    if tokens and tokens not in seen:
        seen.add(tokens)
        party.names.append(PartyName(label, written, tokens, name_initials(written)))


def _address(party: Party, postcode: str | None, plaats: str | None) -> None:
    if code := normalise_postcode(postcode):
        party.postcodes.add(code)
    if place := normalise_place(plaats):
        party.places.add(place)
        party.places.add(place.replace(" ", ""))  # "den haag" as the reading of a name joins it


def _registration_parties() -> list[Party]:
    parties: list[Party] = []
    party: Party | None = None
    seen: set[tuple[str, ...]] = set()
    for row in registration_history():
        if party is None or party.key != row.registratienummer:
            party = Party(kind="register", key=row.registratienummer)
            parties.append(party)
            seen = set()
        party.versions.append(PartyVersion(row.valid_from, row.valid_to, row.naam, row.status,
                                           row.datum_inschrijving, row.datum_einde))
        _names(party, seen, STATUTORY_NAME, row.naam)
        for trade_name in row.handelsnamen:
            _names(party, seen, TRADE_NAME, trade_name)
        if row.kvk_nummer:
            party.kvk.add(row.kvk_nummer)
        if row.vestigingsnummer:
            party.vestigingen.add(row.vestigingsnummer)
        for website in row.websites:
            if domain := registrable_domain(website):
                party.domains.add(domain)
        for address in row.emails:
            if domain := email_domain(address):
                party.domains.add(domain)
            if whole := email_address(address):
                party.emails.add(whole)
        for phone in row.telefoons:
            if number := normalise_phone(phone):
                party.phones.add(number)
        for written in row.ibans:
            if (iban := normalise_iban(written)) and iban.valid:
                party.ibans.add(iban.compact)
        _address(party, row.postcode, row.plaats)
    return parties


def _exempt_parties() -> list[Party]:
    parties: list[Party] = []
    party: Party | None = None
    seen: set[tuple[str, ...]] = set()
    for row in exempt_history():
        if party is None or party.ref != row.party_key:
            party = Party(kind="vrijgesteld", key=row.party_key, ref=row.party_key, beroep=row.beroep)
            parties.append(party)
            seen = set()
        party.versions.append(PartyVersion(row.valid_from, row.valid_to, row.naam))
        _names(party, seen, STATUTORY_NAME, row.naam)
        if row.kvk_nummer:
            party.kvk.add(row.kvk_nummer)
        for website in row.websites:
            if domain := registrable_domain(website):
                party.domains.add(domain)
        _address(party, None, row.plaats)
    for p in parties:  # shown by name, not by its internal key
        p.key = p.versions[-1].naam if p.versions else p.key
    return parties


_cache_lock = threading.Lock()
_cache: dict[str, Matcher] = {}


def build_matcher() -> tuple[Matcher, str]:
    """The matcher for the mirror as it is now, and the state it was built from (cached per state)."""
    state = mirror_state()
    with _cache_lock:
        cached = _cache.get(state)
    if cached is not None:
        return cached, state
    parties = _registration_parties() + _exempt_parties()
    weights = TokenWeights.from_token_lists([name.tokens for p in parties for name in p.names])
    matcher = Matcher(parties, weights, mirror_start=mirror_start(REGISTER),
                      exempt_start=mirror_start(EXEMPT))
    with _cache_lock:
        _cache.clear()
        _cache[state] = matcher
    return matcher, state
