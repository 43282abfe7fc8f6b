"""Hostile and careless input on the Documenten pages: odd kenmerken and slugs in addresses, texts that try
to break out of the sandbox or the layout, control characters, oversize texts, bad dates and files for a
mailing, and form posts without their token. Each gets a clear answer (404, or the form again with a Dutch
message) and changes nothing; never a 500."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token
from tests.documents.test_mailings import load_register
from wki.core.auth import Role
from wki.core.extensions import db
from wki.documents import texts
from wki.documents.models import LetterText, Mailing

EDIT = "/documenten/briefsoorten/informatiebrief-sector/bewerken"
NEW = "/documenten/mailings/nieuw?soort=informatiebrief-sector"


def versions() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(LetterText)) or 0


@pytest.mark.parametrize("path", [
    "/documenten/WKI-2026-0000001x", "/documenten/wki-2026-999999", "/documenten/WKI-99999-1",
    "/documenten/WKI-2026-99999999999999999999999", "/documenten/%00", "/documenten/..%2F..%2Fconfig.py",
    "/documenten/WKI-2026-000001/pdf", "/documenten/briefsoorten/%3Cscript%3E",
    "/documenten/briefsoorten/informatiebrief-sector/versies/999999",
    "/documenten/briefsoorten/informatiebrief-sector/versies/99999999999999999999",
    "/documenten/mailings/99999999999999999999",
])
def test_odd_addresses_are_not_found(login_as, path):
    response = login_as(Role.VOORLICHTING).get(path)
    assert response.status_code == 404, (path, response.status_code)


@pytest.mark.parametrize("body, expected", [
    ("Geachte ((naam)),\n\n{{ ''.__class__.__mro__ }} {% for x in range(9) %}x{% endfor %}", "__class__"),
    ("Geachte ((naam)),\n\n<style>body { display: none }</style><script>alert(1)</script>", "&lt;style&gt;"),
    ("Geachte ((__class__)),", None),
    ("Geachte ((naam)),\n\n((blok:../../etc/passwd))", None),
])
def test_text_that_tries_to_escape_is_literal_or_refused(login_as, body, expected):
    client = login_as(Role.VOORLICHTING)
    before = versions()
    response = client.post(EDIT, data={"csrf_token": csrf_token(client, EDIT), "subject": "Onderwerp",
                                       "body": body, "note": "", "actie": "voorbeeld"})
    assert response.status_code in (200, 422)
    page = response.get_data(as_text=True)
    if expected is None:
        assert "Regel 1" in page or "Regel 3" in page  # refused with its line
    else:
        assert expected in page and "<script>alert(1)</script>" not in page
    assert versions() == before  # a preview never saves


def test_control_characters_and_an_oversize_text_are_refused_and_nothing_is_saved(login_as):
    client = login_as(Role.VOORLICHTING)
    before = versions()
    huge = client.post(EDIT, data={"csrf_token": csrf_token(client, EDIT), "subject": "Onderwerp",
                                   "body": "a" * (texts.BODY_MAX + 10), "note": "", "actie": "opslaan"})
    assert huge.status_code in (200, 422) and "langer dan" in huge.get_data(as_text=True)
    nul = client.post(EDIT, data={"csrf_token": csrf_token(client, EDIT), "subject": "Onder\x00werp",
                                  "body": "Tekst\x00", "note": "", "actie": "opslaan"})
    assert nul.status_code in (200, 302, 422)
    saved = db.session.scalars(sa.select(LetterText).order_by(LetterText.id.desc())).first()
    assert "\x00" not in saved.subject and "\x00" not in saved.body
    assert versions() in (before, before + 1)


def test_a_post_without_its_token_changes_nothing(login_as):
    client = login_as(Role.VOORLICHTING)
    before = versions()
    response = client.post(EDIT, data={"subject": "Onderwerp", "body": "Tekst", "actie": "opslaan"})
    assert response.status_code in (200, 400, 422)
    assert versions() == before


@pytest.mark.parametrize("fields, message", [
    ({"as_of": "1899-01-01"}, None),
    ({"as_of": "31-02-2026"}, None),
    ({"datum": "9999-12-31"}, None),
    ({"bron": "csv"}, "Kies een adressenlijst"),
    ({"bron": "onbekend"}, "Kies waar de ontvangers vandaan komen"),
    ({"min_signals": "-5", "bron": "overtreders"}, None),
])
def test_bad_mailing_choices_are_refused_and_make_nothing(login_as, fields, message):
    load_register(2)
    client = login_as(Role.VOORLICHTING)
    data = {"csrf_token": csrf_token(client, NEW), "soort": "informatiebrief-sector", "bron": "register",
            "as_of": "2026-06-01", "status": "ingeschreven", "titel": "Proef", "actie": "aanmaken", **fields}
    response = client.post(NEW, data=data)
    assert response.status_code in (200, 422), response.status_code
    if message:
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Mailing)) == 0


@pytest.mark.parametrize("content", [
    b"\x00\x01\x02\xff\xfe" * 100,
    "naam;postcode\n=HYPERLINK(\"http://x\");1234 AB\n".encode("utf-16"),
    b"",
    b"postcode;plaats\n1234 AB;Ede\n",
])
def test_a_bad_address_list_is_refused_with_a_message(login_as, content):
    from io import BytesIO

    client = login_as(Role.VOORLICHTING)
    data = {"csrf_token": csrf_token(client, NEW), "soort": "informatiebrief-sector", "bron": "csv",
            "titel": "Proef", "actie": "aanmaken", "bestand": (BytesIO(content), "lijst.csv")}
    response = client.post(NEW, data=data, content_type="multipart/form-data")
    assert response.status_code in (200, 422), response.status_code
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Mailing)) == 0


@pytest.mark.parametrize("column, value", [
    ("naam", "N" * 301), ("registratienummer", "R" * 41), ("postcode", "9" * 11), ("email", "a" * 320 + "@x.nl"),
    ("plaats", "P" * 201),
])
def test_an_address_list_cell_past_its_column_is_refused_with_its_line(column, value):
    """A cell longer than the column that stores it is a line error (PostgreSQL would refuse the insert)."""
    from wki.documents.mailings import CsvRejected, parse_recipients_csv

    row = {"naam": "Bureau A", "straat": "Laan", "huisnummer": "1", "postcode": "1234 AB", "plaats": "Ede",
           "email": "", "registratienummer": "", "kvk_nummer": "", column: value}
    data = ("naam;straat;huisnummer;postcode;plaats;email;registratienummer;kvk_nummer\n"
            + ";".join(row[c] for c in ("naam", "straat", "huisnummer", "postcode", "plaats", "email",
                                        "registratienummer", "kvk_nummer")) + "\n").encode()
    with pytest.raises(CsvRejected) as caught:
        parse_recipients_csv(data)
    assert any(error.line == 2 and error.column == column for error in caught.value.errors), caught.value.errors
