"""References the Inspectie gives signals entered by staff without one (issue 10, item 3): IJV-<year>-<number>
from the sequence (``wki.core.sequences``), never from the highest reference there is, so a partner's
reference cannot break the staff form and parallel forms never get the same number."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token
from tests.core.test_sequences import database_kinds, isolated_app, run_at_once
from tests.signals.helpers import signal_row
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.clock import today_local
from wki.core.extensions import db
from wki.signals.models import Channel, Signal
from wki.signals.partner_tokens import issue_token
from wki.signals.recording import create_signal, next_reference


@pytest.fixture
def inspector(login_as):
    return login_as(Role.INSPECTEUR)


def form_values(**overrides: str) -> dict[str, str]:
    values = {"referentie": "", "ontvangen_op": "2026-03-10", "bron": "consument", "naam_incassant": "Snelgeld Inning",
              "kvk_nummer": "", "iban": "", "website": "", "email": "", "telefoon": "", "postcode": "", "plaats": "",
              "datum_brief": "2026-03-02", "hoofdsom": "", "incassokosten": "", "omschrijving": ""}
    values.update(overrides)
    return values


def post_staff_form(client, **overrides: str):
    data = {"csrf_token": csrf_token(client, "/signalen/nieuw"), **form_values(**overrides)}
    return client.post("/signalen/nieuw", data=data)


def staff_references() -> list[str]:
    return list(db.session.scalars(sa.select(Signal.referentie).where(Signal.channel == Channel.FORM)
                                   .order_by(Signal.id)))


def reference(number: int) -> str:
    return f"IJV-{today_local().year}-{number:06d}"


def partner_sends(client, referentie: str) -> None:
    _, token = issue_token("Gemeente Testdorp", "gemeente", actor=Actor.process("beheerder@test"))
    response = client.post("/api/v1/signalen", headers={"Authorization": f"Bearer {token}"},
                           json={"referentie": referentie, "ontvangen_op": "2026-03-10",
                                 "naam_incassant": "Snelgeld Inning"})
    assert response.status_code == 201, response.get_data(as_text=True)


def test_a_partners_reference_like_ours_does_not_break_later_staff_forms(mirror, client, inspector):
    partner_sends(client, f"IJV-{today_local().year}-9")
    for _ in range(3):
        assert post_staff_form(inspector).status_code == 302
    assert staff_references() == [reference(1), reference(2), reference(3)]


def test_a_number_another_source_already_used_is_passed_over(mirror, client, inspector):
    partner_sends(client, reference(1))
    assert post_staff_form(inspector).status_code == 302
    assert post_staff_form(inspector, bron="gemeente").status_code == 302
    assert staff_references() == [reference(2), reference(3)]


def test_a_refused_form_uses_no_number(mirror, inspector):
    """A form with a wrong value is shown again (a success that commits): it must not take a number."""
    response = post_staff_form(inspector, hoofdsom="veel")
    assert response.status_code == 200 and "Hoofdsom is geen bedrag." in response.get_data(as_text=True)
    assert post_staff_form(inspector).status_code == 302
    assert staff_references() == [reference(1)]


def test_a_reference_staff_type_themselves_is_kept_and_takes_no_number(mirror, inspector):
    assert post_staff_form(inspector, referentie="BRF-1").status_code == 302
    assert post_staff_form(inspector).status_code == 302
    assert staff_references() == ["BRF-1", reference(1)]


@pytest.mark.parametrize("kind", database_kinds())
def test_ten_staff_signals_at_once_get_ten_consecutive_references(kind, tmp_path):
    """Ten staff forms at the same moment, each in its own app context, session and transaction, as ten
    web workers would run them: all ten stored, with the numbers 1..10."""

    def staff_form(i: int) -> str:
        referentie = next_reference()
        create_signal(signal_row(i, referentie=referentie, naam_incassant=f"Snelgeld Inning {i}"),
                      channel=Channel.FORM, actor=Actor.process("inspecteur@test"))
        return referentie

    with isolated_app(kind, tmp_path) as app:
        results, errors = run_at_once(app, 10, staff_form)
        assert errors == []
        assert sorted(results) == [reference(n) for n in range(1, 11)]
        with app.app_context():
            stored = db.session.scalars(sa.select(Signal.referentie).order_by(Signal.referentie)).all()
            assert stored == [reference(n) for n in range(1, 11)]
            assert all(re.fullmatch(r"IJV-\d{4}-\d{6}", r) for r in stored)


def test_a_refusal_by_the_service_undoes_the_attachment_and_the_number(mirror):
    """The form's attachment, its reference number and the signal are one service call (record_from_form): a
    refusal after the attachment was stored and the number drawn leaves neither behind."""
    import io

    from PIL import Image

    from wki.core.errors import ServiceError
    from wki.signals.models import SignalAttachment
    from wki.signals.recording import record_from_form

    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, format="PNG")
    actor = Actor.process("inspecteur@test")
    with pytest.raises(ServiceError):  # no collector's name: the intake refuses, after the attachment and number
        record_from_form(form_values(naam_incassant=""), attachment=(png.getvalue(), "brief.png"), actor=actor)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SignalAttachment)) == 0
    signal = record_from_form(form_values(), attachment=(png.getvalue(), "brief.png"), actor=actor)
    assert signal.referentie == reference(1) and signal.attachment_id is not None
