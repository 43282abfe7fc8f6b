"""Property-based tests of the partner API (issue 10): whatever a partner sends, the answer is a known
status with a Dutch JSON error list, never a 5xx or a traceback, and a refused request writes nothing.

    POST /api/v1/signalen                      201 (one signal more) or 400/401/409/413/422 (nothing written)
    GET  /api/v1/signalen/<bron>/<referentie>  200 or 401/404 (or a redirect/405 for paths that are no signal)

The API does not look at the content type (a partner's ``text/plain`` JSON is read as JSON), so 415 is
never answered. The database fixtures are function-scoped: one transaction for all examples of a test,
which is why every example compares counts before and after its own request.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from tests.signals.test_api import URL, bearer
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.extensions import db
from wki.signals.api import MAX_BODY_BYTES
from wki.signals.intake import MAX_LENGTHS, SIGNAL_COLUMNS
from wki.signals.models import Signal
from wki.signals.partner_tokens import issue_token

POST_STATUSES = {201, 400, 401, 409, 413, 422}
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                           HealthCheck.too_slow,
                                                                           HealthCheck.data_too_large])

VALID = {"ontvangen_op": "2026-03-10", "datum_brief": "2026-03-02", "naam_incassant": "Noordkaap Incasso B.V.",
         "kvk_nummer": "KvK 1000 0001", "hoofdsom": "1000", "incassokosten": "150,00"}

# ---------------------------------------------------------------- strategies

# Any character a JSON string can carry: control characters, NUL, lone surrogates (json.dumps writes these
# as the raw escapes "\ud800"), letters from every script.
CHARS = st.characters(codec="utf-8") | st.sampled_from("\x00\x01\x1b\x7f\u200b\u202e\ufeff\ud800\udfff\n\t\r;,\"\\")
TEXT = st.text(alphabet=CHARS, max_size=80)
# Strings near and over every column's limit, and larger than the body may be.
HUGE = st.builds(lambda unit, n: (unit * n)[:n], st.sampled_from(["x", "é", "🙂", " ", "\x00", "a\ud800"]),
                 st.sampled_from(sorted({*MAX_LENGTHS.values(), *(v + 1 for v in MAX_LENGTHS.values()),
                                         30, 31, 40, 41, 1000, 70_000})))
NUMBER_TEXT = st.sampled_from(["1e400", "-0", "NaN", "Infinity", "0x10", "1_000", "١٢٣", "12,50", "1.234,56",
                               "99999999999999999999999", "-1", "1E+3", "  12  ", "€ 12", "12.345.678,90"])
DATE_TEXT = st.sampled_from(["2026-02-30", "0000-01-01", "9999-12-31", "31-12-1899", "2026-3-1", "gisteren",
                             "2026-03-10T12:00:00", "10-03-2026", "2100-01-01", "1999-12-31"])
SCALARS = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-10**400, max_value=10**400)
           | st.floats(allow_nan=False, allow_infinity=False) | st.decimals(allow_nan=False, allow_infinity=False)
           | TEXT | HUGE | NUMBER_TEXT | DATE_TEXT)
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(TEXT, inner, max_size=4), max_leaves=12)
KEYS = st.sampled_from(SIGNAL_COLUMNS) | st.sampled_from(["naam", "Referentie", "referentie ", "id", "oordeel",
                                                           "__proto__", ""]) | TEXT
REFERENCES = st.sampled_from(["R-1", "R-2", " R-1 ", "r-1"]) | TEXT | HUGE


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(value)


def dumps(value: Any) -> str:
    """JSON text with lone surrogates as raw escapes (ensure_ascii) and big numbers as written."""
    return json.dumps(value, ensure_ascii=True, default=_default)


@st.composite
def json_objects(draw) -> str:
    """A signal as JSON text: a valid one with some fields left out, replaced by any JSON value, or joined
    by unknown (nested) fields; sometimes as raw pairs with a key given twice."""
    body: dict[str, Any] = {"referentie": draw(REFERENCES), **VALID}
    for column in draw(st.sets(st.sampled_from(SIGNAL_COLUMNS), max_size=3)):
        body.pop(column, None)
    body.update(draw(st.dictionaries(st.sampled_from(SIGNAL_COLUMNS), st.none() | TEXT | NUMBER_TEXT | DATE_TEXT,
                                     max_size=3)
                     | st.dictionaries(KEYS, JSON_VALUES, max_size=4)))
    if draw(st.booleans()):
        body["bron"] = draw(st.sampled_from(["gemeente", " Gemeente ", "consument", "GEMEENTE", "", None, 1])
                            | TEXT)
    pairs = list(body.items())
    if draw(st.integers(0, 4)) == 0 and pairs:  # a duplicate key, only possible in raw JSON text
        key, _value = draw(st.sampled_from(pairs))
        pairs.insert(draw(st.integers(0, len(pairs))), (key, draw(JSON_VALUES)))
    return "{" + ", ".join(f"{dumps(k)}: {dumps(v)}" for k, v in pairs) + "}"


RAW_BODIES = st.one_of(
    json_objects().map(lambda text: text.encode("utf-8", "surrogatepass")),
    json_objects().map(lambda text: b"\xef\xbb\xbf" + text.encode()),  # with a BOM
    json_objects().map(lambda text: text.encode("utf-16")),
    json_objects().map(lambda text: text.encode()[: len(text) // 2]),  # cut off
    JSON_VALUES.map(lambda value: dumps(value).encode()),  # any JSON, mostly not an object
    st.binary(max_size=300),
    st.text(alphabet=CHARS, max_size=300).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"", b" ", b"null", b"{}", b"[]", b'{"referentie": NaN}', b'{"hoofdsom": Infinity}',
                     b"{" * 50_000, b"[" * 3000 + b"]" * 3000, b'{"a":' * 2000 + b"1" + b"}" * 2000,
                     b'{"referentie": "R-9", "referentie": "R-9"}', b'{"omschrijving": "' + b"x" * MAX_BODY_BYTES
                     + b'"}', b'{"referentie": "\\ud800"}', b'{"referentie": "\\u0000"}',
                     b'{"naam_incassant": "\\udfff\\ud800"}', b"referentie=R-1&bron=gemeente"]),
)
CONTENT_TYPES = st.sampled_from([
    "application/json", "application/json; charset=utf-8", "application/json; charset=latin-1", "text/plain",
    "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=xyz",
    "application/octet-stream", "application/xml", "", "*/*", "application/json; charset=\x7f",
])


# ---------------------------------------------------------------- helpers


def counts() -> tuple[int, int]:
    return (db.session.scalar(sa.select(sa.func.count()).select_from(Signal)),
            db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)))


def assert_error_list(response) -> None:
    assert response.is_json, (response.status_code, response.content_type)
    errors = response.get_json()["fouten"]
    assert isinstance(errors, list) and errors
    for error in errors:
        assert set(error) == {"veld", "melding"}
        assert error["veld"] is None or isinstance(error["veld"], str)
        assert isinstance(error["melding"], str) and error["melding"]
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "sqlalchemy" not in text.lower() and "psycopg" not in text.lower()


def check_post(response, before: tuple[int, int]) -> None:
    event(f"POST {response.status_code}")  # --hypothesis-show-statistics: how often each answer came
    assert response.status_code in POST_STATUSES, (response.status_code, response.get_data(as_text=True)[:500])
    signals, events = counts()
    if response.status_code == 201:
        assert signals == before[0] + 1
        data = response.get_json()
        stored = db.session.get(Signal, data["id"])
        assert stored is not None and stored.bron == "gemeente" and stored.referentie == data["referentie"]
    else:
        assert_error_list(response)
        assert (signals, events) == before


@pytest.fixture
def secret(mirror) -> str:
    return issue_token("Gemeente Testdorp", "gemeente", actor=Actor.process("beheerder@test"))[1]


# ---------------------------------------------------------------- POST /api/v1/signalen


@SETTINGS
@given(text=json_objects())
def test_any_json_object_is_stored_once_or_refused_with_nothing_written(client, secret, text):
    before = counts()
    response = client.post(URL, data=text.encode("utf-8", "surrogatepass"), headers=bearer(secret),
                           content_type="application/json")
    check_post(response, before)


@SETTINGS
@given(data=RAW_BODIES, content_type=CONTENT_TYPES)
def test_any_bytes_with_any_content_type_are_answered_in_json(client, secret, data, content_type):
    before = counts()
    response = client.post(URL, data=data, headers=bearer(secret), content_type=content_type)
    check_post(response, before)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.one_of(st.none(), st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=80),
                        st.builds(lambda s, t: f"{s} {t}", st.sampled_from(["Bearer", "bearer", "BEARER", "Basic"]),
                                  st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF),
                                          max_size=80))),
       data=RAW_BODIES)
def test_a_missing_or_wrong_token_is_a_401_whatever_the_body(client, secret, header, data):
    assume(header is None or secret not in header)
    before = counts()
    headers = {} if header is None else {"Authorization": header}
    response = client.post(URL, data=data, headers=headers, content_type="application/json")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert_error_list(response)
    assert counts() == before


# ---------------------------------------------------------------- GET /api/v1/signalen/<bron>/<referentie>

SEGMENT_TEXT = st.text(alphabet=CHARS | st.sampled_from("/%?#. ~+"), min_size=0, max_size=60)
SEGMENTS = st.one_of(
    SEGMENT_TEXT.map(lambda text: quote(text.encode("utf-8", "surrogatepass"), safe="")),
    SEGMENT_TEXT.map(lambda text: quote(text.encode("utf-8", "surrogatepass"), safe="/")),
    st.binary(max_size=40).map(lambda data: quote(data, safe="")),
    st.sampled_from(["gemeente", "GEMEENTE", "consument", "..", ".", "%00", "%2F", "x" * 5000, "%ff%fe",
                     "%ed%a0%80", "R-1", "R-1/..", "%"]),
)


OWN_PATHS = st.tuples(st.sampled_from(["gemeente", "Gemeente", "consument"]),
                      st.sampled_from(["R-1", "r-1", "R-1%20", "%20R-1", "R-1/", "R-1%00", "R-1/x", "R%2D1"]))


@SETTINGS
@given(path=st.tuples(SEGMENTS, SEGMENTS) | OWN_PATHS, query=st.sampled_from(["", "?x=1", "?%00", "?referentie=%ff"]))
def test_any_path_of_a_signal_is_answered_without_an_error(client, secret, path, query):
    if counts()[0] == 0:  # one signal of this partner to find (the first example stores it)
        assert client.post(URL, json={**VALID, "referentie": "R-1"}, headers=bearer(secret)).status_code == 201
    bron, referentie = path
    before = counts()
    response = client.get(f"{URL}/{bron}/{referentie}{query}", headers=bearer(secret))
    event(f"GET {response.status_code}")
    assert response.status_code in {200, 404, 405, 308}, (response.status_code, response.get_data(as_text=True)[:500])
    if response.status_code == 404 and response.is_json:
        assert_error_list(response)
    elif response.status_code == 200:
        assert response.is_json and response.get_json()["bron"] == "gemeente"
    assert counts()[0] == before[0]


@SETTINGS
@given(referentie=st.text(alphabet=CHARS | st.sampled_from("/%?#. ~+&="), min_size=1, max_size=100))
def test_a_stored_signal_reads_back_at_its_location(client, secret, referentie):
    """Whatever reference a partner chose, the Location of a 201 answers with that signal (a reference that
    starts with "/" too: the route does not merge the "//" after the source)."""
    before = counts()
    response = client.post(URL, data=dumps({**VALID, "referentie": referentie}).encode(), headers=bearer(secret),
                           content_type="application/json")
    check_post(response, before)
    if response.status_code != 201:
        return
    stored = response.get_json()
    found = client.get(response.headers["Location"], headers=bearer(secret), follow_redirects=True)
    expected = {200}
    assert found.status_code in expected, (stored["referentie"], found.status_code, found.get_data(as_text=True)[:500])
    event(f"GET back {found.status_code}")
    if found.status_code == 200:
        assert found.get_json()["id"] == stored["id"]
    else:
        assert_error_list(found)


@pytest.mark.parametrize("path", ["gemeente/%00", "gemeente/R%001", "%00/R-1", "gemeente/%1b", "gemeente/%ed%a0%80"])
def test_a_control_character_in_the_path_is_a_404_not_an_error(client, secret, path):
    """Found by the property above on PostgreSQL: a NUL in the reference reached the query (500)."""
    response = client.get(f"{URL}/{path}", headers=bearer(secret))
    assert response.status_code == 404
    assert_error_list(response)


def test_a_reference_that_starts_with_a_slash_is_refused(client, secret):
    # It could never be read back: the reference is part of the signal's address in the API.
    before = counts()
    response = client.post(URL, data=dumps({**VALID, "referentie": "/a"}).encode(), headers=bearer(secret),
                           content_type="application/json")
    assert response.status_code == 400
    assert "schuine streep" in response.get_data(as_text=True)
    assert counts() == before
