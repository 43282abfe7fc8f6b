"""The signals' dashboard tiles, for the roles of the signals section (inspecteur, handhaver).

Each count links to the list that shows exactly the counted rows: the signal list's filters
(``status``, ``oordeel``, ``bik``, ``herbeoordeling``) and the suspects' list (active ones by default). Three queries
whatever the number of signals: the mirror's state, one aggregate over the signals, one count of suspects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import url_for

from wki.core.auth import user_has_any_role
from wki.core.extensions import db
from wki.core.features import Tile
from wki.core.formatting import fmt_datetime
from wki.register.queries import mirror_state
from wki.signals import counts_cache
from wki.signals.models import Signal, SignalStatus, Suspect, SuspectStatus, Verdict
from wki.signals.verdicts import verdict_is

SECTION = "Signalen"
S = Signal


@dataclass(frozen=True)
class SignalCounts:
    open: int
    uncertain: int  # open, judged ``onzeker``: a person must decide
    bik_exceeded: int  # costs above the BIK maximum plus 21% VAT, open or not
    stale: int  # open, judged against an older state of the mirror: the re-matching job's work
    active_suspects: int


def _count_if(condition: Any) -> Any:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def signal_counts() -> SignalCounts:
    return _signal_counts()[0]


def _signal_counts() -> tuple[SignalCounts, datetime | None]:
    """The counts and, when kept by this process (counts_cache), when they were counted."""
    (open_, uncertain, bik, stale), counted_at = counts_cache.cached("tiles", _aggregate)
    suspects = db.session.scalar(sa.select(sa.func.count()).select_from(Suspect)
                                 .where(Suspect.status == SuspectStatus.ACTIVE)) or 0
    return SignalCounts(open=open_, uncertain=uncertain, bik_exceeded=bik, stale=stale,
                        active_suspects=int(suspects)), counted_at


def _aggregate() -> tuple[int, int, int, int]:
    state = mirror_state()
    is_open = S.status == SignalStatus.OPEN
    row = db.session.execute(sa.select(
        _count_if(is_open),
        _count_if(sa.and_(is_open, verdict_is(Verdict.UNCERTAIN))),
        _count_if(S.bik_excess > 0),
        _count_if(sa.and_(is_open, sa.or_(S.register_state.is_(None), S.register_state != state))),
    )).one()
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


def signal_tiles(user: Any) -> list[Tile]:
    from wki.signals import READERS

    if not user_has_any_role(user, READERS):
        return []
    counts, counted_at = _signal_counts()
    age = f"Stand van {fmt_datetime(counted_at, seconds=True)}." if counted_at is not None else None
    tiles = [
        Tile(SECTION, "Open signalen", counts.open, url_for("signals.index", status=SignalStatus.OPEN), hint=age),
        Tile(SECTION, "Onzeker: wachten op een oordeel", counts.uncertain,
             url_for("signals.index", oordeel=Verdict.UNCERTAIN, status=SignalStatus.OPEN), attention=True,
             hint="Open signalen waarover de vergelijking met het register niet kon beslissen; een inspecteur "
                  "stelt het oordeel vast."),
        Tile(SECTION, "Mogelijke overtreders", counts.active_suspects, url_for("signals.suspects"),
             hint="Vermoedelijk niet-geregistreerde incassanten, gegroepeerd uit hun signalen."),
        Tile(SECTION, "BIK-overschrijdingen", counts.bik_exceeded, url_for("signals.index", bik=1), attention=True,
             hint="Signalen met incassokosten boven het BIK-maximum plus 21% btw."),
    ]
    if counts.stale:
        tiles.append(Tile(SECTION, "Wachten op herbeoordeling", counts.stale,
                          url_for("signals.index", herbeoordeling="y"),
                          hint="Open signalen die tegen een oudere stand van het register zijn beoordeeld; de "
                               "geplande herbeoordeling neemt ze mee, of start die nu vanuit de lijst."))
    return tiles

