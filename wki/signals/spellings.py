"""Attested spellings: words of collectors' names that signals from several sources write alike, so the
matcher reads them as how the collector writes itself rather than as a slip of the pen."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import sqlalchemy as sa

from wki.core.extensions import db
from wki.signals.models import Signal

S = Signal


def tokens_of(ids: Sequence[int]) -> set[str]:
    """The words of these signals' names."""
    keys: Iterable[str] = db.session.scalars(sa.select(S.name_key).where(S.id.in_(list(ids)))) if ids else []
    return {token for key in keys for token in key.split()}


# A word of a collector's name written alike in this many signals from this many sources is how the
# collector writes itself, not a slip of the pen (slips are not repeated by others).
ATTESTED_SIGNALS = 3
ATTESTED_SOURCES = 2


def attested_spellings(tokens: Iterable[str] | None = None) -> frozenset[str]:
    """Words of collectors' names that signals from several sources write alike: of all signals, or only
    whether ``tokens`` are (a few signals judged at once, from the form or the API: a count per word in the
    database rather than every signal's name read)."""
    if tokens is not None:
        found = set()
        padded = sa.literal(" ") + S.name_key + sa.literal(" ")
        for token in sorted(set(tokens)):
            pattern = "% " + token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + " %"
            count, n_sources = db.session.execute(sa.select(sa.func.count(), sa.func.count(sa.distinct(S.bron)))
                                                .where(padded.like(pattern, escape="\\"))).one()
            if count >= ATTESTED_SIGNALS and n_sources >= ATTESTED_SOURCES:
                found.add(token)
        return frozenset(found)
    signals: Counter[str] = Counter()
    sources: dict[str, set[str]] = defaultdict(set)
    for name_key, bron in db.session.execute(sa.select(S.name_key, S.bron)):
        for token in set(name_key.split()):
            signals[token] += 1
            sources[token].add(bron)
    return frozenset(token for token, count in signals.items()
                     if count >= ATTESTED_SIGNALS and len(sources[token]) >= ATTESTED_SOURCES)
