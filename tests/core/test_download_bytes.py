"""The downloads for people byte for byte: the register, audit trail and signals exports as they were
before they shared one writer (``wki.core.downloads``). A change to any byte (BOM, ``;``, quoting, line
ends, the formula apostrophe, Dutch numbers and dates) is a change users see in Excel."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from tests.register.helpers import load, register_row
from wki.core import audit
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.auth import Role
from wki.core.extensions import db


def test_the_register_export_byte_for_byte(login_as, db_session):
    load([register_row(1, naam='=Incasso; "Zoë" B.V.', telefoon="+31 50 312 3456|06-12345678",
                       handelsnamen="-min|Twee"),
          register_row(2, website="", email="", iban="")], date(2026, 1, 5))
    response = login_as(Role.INSPECTEUR).get("/register/export.csv")
    assert response.status_code == 200 and response.is_streamed
    # One charset, not "text/csv; charset=utf-8; charset=utf-8" as the register's own Response once sent.
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="register-')
    assert response.data == EXPECTED_REGISTER


def test_the_audit_export_byte_for_byte(admin_client, db_session):
    audit.record("test.actie", object_type="x", object_id="=HYPERLINK(1)", actor=Actor.process("+31@example.nl"),
                 before={"naam": "Zoë; \"oud\""}, after={"bedrag": 1.5})
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "test.actie")).one()
    response = admin_client.get("/beheer/audit/export.csv", query_string={"actie": "test.actie"})
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    stamp = event.occurred_at.astimezone(audit.AMSTERDAM).isoformat(timespec="seconds").encode()
    assert response.data == (
        b"\xef\xbb\xbfid;tijdstip;gebruiker;actie;objecttype;object_id;voor;na;ip_adres\r\n"
        + str(event.id).encode() + b";" + stamp
        + b";'+31@example.nl;test.actie;x;'=HYPERLINK(1);\"{\"\"naam\"\": \"\"Zo\xc3\xab; \\\"\"oud\\\"\"\"\"}\";"
          b"\"{\"\"bedrag\"\": 1.5}\";" + (event.ip_address or "").encode() + b"\r\n")

# The import format's columns and text (ISO dates), ``;``, BOM, CRLF; formula cells start with ``'``.
EXPECTED_REGISTER = (
    b"\xef\xbb\xbfregistratienummer;naam;handelsnamen;kvk_nummer;vestigingsnummer;straat;huisnummer;postcode;plaats;"
    b"website;email;telefoon;iban;status;datum_inschrijving;datum_einde;geldig_tot\r\n"
    b"R2024-00001;\"'=Incasso; \"\"Zo\xc3\xab\"\" B.V.\";'-min|Twee;10000001;000000000001;Stationsweg;1;9711 AB;Groningen;"
    b"incasso1.nl;info@incasso1.nl;'+31 50 312 3456|06-12345678;NL58ABNA0000000001;ingeschreven;2024-05-13;;2027-05-13\r\n"
    b"R2024-00002;Incassobureau 2 B.V.;Incasso 2|IB2 Collect;10000002;000000000002;Stationsweg;2;9711 AB;Groningen;"
    b";;050-3123456;;ingeschreven;2024-05-13;;2027-05-13\r\n"
)
