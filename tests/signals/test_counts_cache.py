"""The counts over all signals kept per process (wki/signals/counts_cache.py): the signal list and the dashboard
read them once while nothing they are counted from changed, say how old they are, and show a new signal, a
decision or a status change at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers import count_queries
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.signals import counts_cache
from wki.signals.decisions import set_status
from wki.signals.models import SignalStatus, Verdict

GROUPED = "GROUP BY coalesce(signal.decided_verdict, signal.auto_verdict)"


@pytest.fixture
def cache_on(app) -> Iterator[None]:
    counts_cache.forget()  # a rolled-back test's rows may come back with the same ids
    app.config["SIGNALS_COUNTS_CACHE_SECONDS"] = 300
    try:
        yield
    finally:
        app.config["SIGNALS_COUNTS_CACHE_SECONDS"] = 0
        counts_cache.forget()


def _grouped_counts(client, url: str) -> tuple[int, str]:
    with count_queries() as statements:
        html = client.get(url).get_data(as_text=True)
    return sum(GROUPED in " ".join(s.split()) for s in statements), html


def test_the_list_counts_once_and_says_when(cache_on, login_as, factories):
    client = login_as(Role.INSPECTEUR)
    for _ in range(3):
        factories.SignalFactory(auto_verdict=Verdict.UNREGISTERED)
    counted, html = _grouped_counts(client, "/signalen/")
    assert counted == 1 and "Oordelen (3 signalen)" in html and "Aantallen: stand van" in html
    counted, html = _grouped_counts(client, "/signalen/")
    assert counted == 0 and "Oordelen (3 signalen)" in html  # kept
    factories.SignalFactory(auto_verdict=Verdict.UNREGISTERED)  # a new signal is a new fingerprint
    counted, html = _grouped_counts(client, "/signalen/")
    assert counted == 1 and "Oordelen (4 signalen)" in html


def test_a_status_change_here_is_shown_at_once(cache_on, login_as, factories):
    client = login_as(Role.INSPECTEUR)
    signal = factories.SignalFactory(auto_verdict=Verdict.UNREGISTERED)
    factories.SignalFactory(auto_verdict=Verdict.UNREGISTERED)
    assert "Open signalen" in client.get("/").get_data(as_text=True)
    from wki.signals.tiles import signal_counts

    assert signal_counts().open == 2
    set_status(signal.id, status=SignalStatus.CLOSED, reason="Afgehandeld na contact.", actor=Actor.process("test"))
    assert signal_counts().open == 1


def test_off_means_counted_on_every_view(login_as, factories):
    client = login_as(Role.INSPECTEUR)
    factories.SignalFactory(auto_verdict=Verdict.UNREGISTERED)
    assert _grouped_counts(client, "/signalen/")[0] == 1
    counted, html = _grouped_counts(client, "/signalen/")
    assert counted == 1 and "Aantallen: stand van" not in html
