"""The time of a collector's contact on a signal (beyond the exchange format, optional everywhere): parsed as
people write it, refused with a Dutch message when it is no time or has no date, taken from a file, the form
and the API, and read by supervision's check on forbidden contact times (Bki art. 4.2)."""

from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa

from tests.register.helpers import load, register_row
from tests.signals.helpers import signal_row, signals_csv
from wki.core.actors import Actor
from wki.core.extensions import db
from wki.signals.imports import import_signals
from wki.signals.intake import EXTRA_COLUMNS, SIGNAL_COLUMNS, clean_signal
from wki.signals.models import Channel, Signal
from wki.signals.recording import create_signal


@pytest.mark.parametrize(("written", "parsed"), [("21:15", time(21, 15)), ("7.05", time(7, 5)),
                                                  ("07:00:30", time(7, 0, 30)), (" 23:59 ", time(23, 59)),
                                                  ("", None)])
def test_a_time_as_people_write_it(written, parsed):
    values, errors = clean_signal(signal_row(tijdstip_contact=written), today=date(2026, 12, 1))
    assert errors == [] and values["tijdstip_contact"] == parsed


@pytest.mark.parametrize("written", ["24:00", "21:60", "21", "kwart over negen", "21:15:61", "9:5"])
def test_no_time_is_refused(written):
    _, errors = clean_signal(signal_row(tijdstip_contact=written), today=date(2026, 12, 1))
    assert [(e.column, e.reason) for e in errors] == [
        ("tijdstip_contact", "is geen tijdstip (verwacht uu:mm, bijvoorbeeld 21:15)")]


def test_a_time_without_the_date_of_the_contact_is_refused():
    _, errors = clean_signal(signal_row(tijdstip_contact="21:15", datum_brief=""), today=date(2026, 12, 1))
    assert [e.column for e in errors] == ["tijdstip_contact"]
    assert "samen met de datum van de brief" in errors[0].reason


def test_the_exchange_format_stays_as_it_is():
    assert "tijdstip_contact" not in SIGNAL_COLUMNS and EXTRA_COLUMNS == ("tijdstip_contact",)


def test_a_file_with_and_without_the_column(db_session):
    rows = [signal_row(1, tijdstip_contact="22:40"), signal_row(2)]
    with_time = import_signals(signals_csv(rows, columns=(*SIGNAL_COLUMNS, "tijdstip_contact")),
                               file_name="met-tijd.csv", actor=Actor.process("test"), match=False)
    first, second = (db.session.get(Signal, i) for i in with_time.signal_ids)
    assert (first.tijdstip_contact, second.tijdstip_contact) == (time(22, 40), None)
    without = import_signals(signals_csv([signal_row(3)]), file_name="zonder.csv", actor=Actor.process("test"),
                             match=False)
    assert without.unknown_columns == [] and db.session.get(Signal, without.signal_ids[0]).tijdstip_contact is None


def test_the_forbidden_time_reaches_the_inspection_check(db_session):
    from wki.supervision.checks import automatic_proposals

    load([register_row(5, naam="Nachtbel Incasso B.V.")], date(2025, 1, 5))
    create_signal(signal_row(50, naam_incassant="Nachtbel Incasso B.V.", datum_brief="2026-03-03",
                             tijdstip_contact="21:30", ontvangen_op="2026-03-10"),
                  channel=Channel.FORM, actor=Actor.process("test"))
    proposal = automatic_proposals("R2024-00005", date(2026, 6, 1))["TIJDSTIP_BENADERING"]
    assert proposal.judgement == "voldoet_niet"
    assert any("21:30" in reason for reason in proposal.reasons), proposal.reasons


def test_the_form_takes_the_time_and_the_signal_page_shows_it(app, db_session, login_as):
    from tests.conftest import csrf_token
    from wki.core.auth import Role

    client = login_as(Role.INSPECTEUR)
    token = csrf_token(client, "/signalen/nieuw")
    response = client.post("/signalen/nieuw", data={
        "csrf_token": token, "bron": "consument", "ontvangen_op": "2026-03-10", "naam_incassant": "Laat Bellen B.V.",
        "datum_brief": "2026-03-08", "tijdstip_contact": "22:05"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    signal = db.session.scalars(sa.select(Signal).where(Signal.naam_incassant == "Laat Bellen B.V.")).one()
    assert signal.tijdstip_contact == time(22, 5)
    assert "22:05" in client.get(f"/signalen/{signal.id}").get_data(as_text=True)
    refused = client.post("/signalen/nieuw", data={
        "csrf_token": token, "bron": "consument", "ontvangen_op": "2026-03-10", "naam_incassant": "Laat Bellen B.V.",
        "datum_brief": "2026-03-08", "tijdstip_contact": "25:00"})
    assert "is geen tijdstip" in refused.get_data(as_text=True)
