"""Property-based tests of the staff pages (issue 10): whatever an inspector types in the form "Signaal
registreren" or in the list's search and filters, the answer is a page, never a 5xx or a traceback, and a
refused form stores nothing (no signal, no attachment, no audit event).

Values are sent as raw bytes, so that NUL, other control characters, lone surrogates (as the invalid
UTF-8 a browser could never send but a script can) and over-long values all reach the application. The
database fixtures are function-scoped: one transaction for all examples of a test, so every example
compares counts before and after its own request.
"""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from tests.conftest import csrf_token
from wki.core.audit import AuditEvent
from wki.core.auth import Role
from wki.core.extensions import db
from wki.signals.intake import MAX_LENGTHS, SIGNAL_COLUMNS
from wki.signals.models import Signal, SignalAttachment

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                           HealthCheck.too_slow])
NEW = "/signalen/nieuw"

VALID = {"referentie": "", "ontvangen_op": "2026-03-10", "bron": "consument", "naam_incassant": "Snelgeld Inning",
         "kvk_nummer": "", "iban": "", "website": "", "email": "", "telefoon": "", "postcode": "", "plaats": "",
         "datum_brief": "02-03-2026", "hoofdsom": "1.250,00", "incassokosten": "187,50", "omschrijving": ""}

# ---------------------------------------------------------------- strategies

CHARS = st.characters(codec="utf-8") | st.sampled_from("\x00\x01\x1b\x7f\u200b\u202e\ufeff\ud800\udfff\n\t\r&=%+;,\"'<>")
TEXT = st.text(alphabet=CHARS, max_size=60)
HUGE = st.builds(lambda unit, n: (unit * n)[:n], st.sampled_from(["x", "é", "🙂", " ", "\x00", "a\ud800"]),
                 st.sampled_from(sorted({*MAX_LENGTHS.values(), *(v + 1 for v in MAX_LENGTHS.values()),
                                         30, 31, 40, 41, 200, 201, 20_000})))
SPECIAL = st.sampled_from(["2026-02-30", "0001-01-01", "9999-12-31", "31-12-1899", "2026-3-1", "gisteren",
                           "1e400", "NaN", "-0", "99999999999999999999999", "١٢٣", "€ 12", "12.345.678,90",
                           "consument", "gemeente", "onbekend", "KvK 1000 0001", "NL91ABNA0417164300",
                           "https://xn--", "a@b", "@", "+31", "1234 AB", "IJV-2026-000001"])
VALUE = st.one_of(TEXT, HUGE, SPECIAL, st.binary(max_size=30))


def raw(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def urlencoded(pairs: list[tuple[str, str | bytes]]) -> bytes:
    return "&".join(f"{quote(raw(k), safe='')}={quote(raw(v), safe='')}" for k, v in pairs).encode()


@st.composite
def form_fields(draw) -> list[tuple[str, str | bytes]]:
    """The form's fields: each the valid value, any value, left out, or given twice; sometimes more."""
    pairs: list[tuple[str, str | bytes]] = []
    for column in SIGNAL_COLUMNS:
        choice = draw(st.integers(0, 5))
        if choice <= 2:
            pairs.append((column, VALID[column]))
        elif choice == 3:
            pairs.append((column, draw(VALUE)))
        elif choice == 4:
            pairs += [(column, draw(VALUE)), (column, VALID[column])]
    pairs += draw(st.lists(st.tuples(st.sampled_from(["onbekend", "bijlage", "csrf_token", "id"]) | TEXT, VALUE),
                           max_size=2))
    return pairs


# ---------------------------------------------------------------- helpers


def counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(table))  # type: ignore[return-value]
                 for table in (Signal, SignalAttachment, AuditEvent))


def page_text(response) -> str:
    return response.get_data(as_text=True)


def check_form_answer(response, before: tuple[int, int, int]) -> None:
    event(f"POST {response.status_code}")
    assert response.status_code in {200, 302}, (response.status_code, page_text(response)[:1000])
    after = counts()
    if response.status_code == 302:
        assert re.fullmatch(r"/signalen/\d+", response.headers["Location"]), response.headers["Location"]
        assert after[0] == before[0] + 1 and after[1] - before[1] in (0, 1)
    else:
        assert "Traceback" not in page_text(response)
        assert 'id="foutmeldingen"' in page_text(response)  # a refused form says why
        assert after == before


@pytest.fixture
def inspector(login_as, mirror):
    client = login_as(Role.INSPECTEUR)
    client.csrf = csrf_token(client, NEW)  # type: ignore[attr-defined]
    return client


# ---------------------------------------------------------------- the staff form


@SETTINGS
@given(pairs=form_fields())
def test_any_text_in_the_staff_form_stores_one_signal_or_nothing(inspector, pairs):
    before = counts()
    body = urlencoded([("csrf_token", inspector.csrf), *pairs])
    response = inspector.post(NEW, data=body, content_type="application/x-www-form-urlencoded")
    check_form_answer(response, before)


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
       b"\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(fields=st.dictionaries(st.sampled_from(SIGNAL_COLUMNS), TEXT.map(lambda t: t.encode("utf-8", "replace")
                                                                          .decode()), max_size=4),
       content=st.sampled_from([b"", b"%PDF-", PNG, PNG[:30], b"GIF89a", b"\x00" * 10]) | st.binary(max_size=200),
       file_name=st.text(alphabet=st.characters(codec="utf-8", exclude_characters='"\r\n')
                         | st.sampled_from("\x00/\\.."), max_size=60))
def test_any_attachment_with_the_form_stores_one_signal_or_nothing(inspector, fields, content, file_name):
    """The form as multipart, with any bytes under any file name as the letter."""
    before = counts()
    data = {"csrf_token": inspector.csrf, **VALID, **fields, "bijlage": (io.BytesIO(content), file_name)}
    response = inspector.post(NEW, data=data, content_type="multipart/form-data")
    check_form_answer(response, before)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=st.none() | TEXT | st.sampled_from(["", "x" * 5000, "%00"]), pairs=form_fields())
def test_a_missing_or_wrong_csrf_token_stores_nothing(inspector, token, pairs):
    before = counts()
    body = urlencoded(pairs if token is None else [("csrf_token", token), *pairs])
    response = inspector.post(NEW, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in {200, 400}, (response.status_code, page_text(response)[:1000])
    assert counts() == before


# ---------------------------------------------------------------- the list's search and filters

LIST_PARAMETERS = ["zoek", "oordeel", "bron", "status", "kanaal", "klonen", "bik", "herbeoordeling", "peildatum_van",
                   "peildatum_tot", "registratienummer", "import", "sorteer", "volgorde", "pagina"]
PARAMETER_VALUES = VALUE | st.sampled_from([
    "y", "1", "0", "-1", "2147483648", "9223372036854775808", "99999999999999999999", "1" * 400, "1.5", "١",
    "geregistreerd", "handmatig", "open", "api", "formulier", "score", "naam", "op", "af", "2026-01-01",
    "01-01-2026", "1899-12-31", "3000-01-01", "R2024-00001", "%", "_", "\\", "'", "*",
])
# Numbers around the edges of the database's integers (the import filter is an id).
NUMBERS = st.integers().map(str) | st.integers(min_value=2**31 - 2, max_value=2**64 + 1).map(str)
QUERY = st.lists(st.tuples(st.sampled_from(LIST_PARAMETERS) | TEXT, PARAMETER_VALUES | NUMBERS), max_size=6)


def query_string(pairs: list[tuple[str, str | bytes]]) -> str:
    return "&".join(f"{quote(raw(k), safe='')}={quote(raw(v), safe='')}" for k, v in pairs)


@pytest.fixture
def reader(login_as, mirror):
    from tests.signals.helpers import judge

    judge(naam_incassant="Noordkaap Incasso B.V.")
    judge(naam_incassant="Snelgeld Inning", hoofdsom="100", incassokosten="90")
    return login_as(Role.INSPECTEUR)


@SETTINGS
@given(pairs=QUERY, url=st.sampled_from(["/signalen/", "/signalen/export.csv"]))
@example(pairs=[("import", "2147483648")], url="/signalen/")  # was a 500 on PostgreSQL (integer out of range)
def test_any_search_and_filter_of_the_list_is_a_page(reader, pairs, url):
    before = counts()
    response = reader.get(f"{url}?{query_string(pairs)}")
    event(f"GET {url} {response.status_code}")
    # The download refuses filters it cannot apply (400); a page past the last one that may be asked for
    # is sent to that one (``core.paging.MAX_PAGE``).
    expected = {200, 302} if url == "/signalen/" else {200, 302, 400}
    assert response.status_code in expected, (response.status_code, page_text(response)[:1000])
    if response.status_code == 302:
        assert response.headers["Location"].startswith(url + "?"), response.headers["Location"]
    assert "Traceback" not in page_text(response)
    signals, attachments, events = counts()
    assert (signals, attachments) == before[:2]
    # Only a download is recorded (who took a copy of which selection), and only once.
    assert events - before[2] == (1 if url.endswith(".csv") and response.status_code == 200 else 0)


@pytest.mark.parametrize("number", ["2147483648", "9223372036854775808", "99999999999999999999", "-5", "0"])
@pytest.mark.parametrize("url", ["/signalen/", "/signalen/export.csv"])
def test_an_import_number_out_of_range_is_a_field_error(reader, url, number):
    """Found by the property above on PostgreSQL: a number past the id column's range reached the query."""
    response = reader.get(f"{url}?import={number}")
    assert response.status_code == (200 if url == "/signalen/" else 400)
    assert "Vul het nummer van een ingelezen bestand in." in page_text(response)
