"""The partner API: partners send signals as JSON and read back the verdict.

Machine clients, not people: every request carries ``Authorization: Bearer <token>`` (issued by an
administrator, wki/signals/partner_views.py). No session and no CSRF token play a part: the blueprint is
CSRF-exempt and its views declare ``@token_auth`` (``token_required`` in wki/core/auth.py), which
authenticates the token before the view runs and answers 401 otherwise. Errors are JSON, in Dutch:
``{"fouten": [{"veld": <field or null>, "melding": <message>}]}``.

    POST /api/v1/signalen                          a signal (the import columns of signalen.md) -> 201
    GET  /api/v1/signalen/<bron>/<referentie>      the verdict of a signal this partner sent -> 200

A partner files signals under its token's source (``bron``) only: a signal that names another source is
refused (422), whether or not that source knows the reference, so a partner can neither take another
source's references nor learn which ones exist, nor make one collector look reported by many sources.

One transaction per request (wki/core/web.py): a success commits the signal, its audit events and the
token's last-used time together; an error rolls everything back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import Response, current_app, g, jsonify, request, url_for
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from wki.core.actors import Actor
from wki.core.auth import token_required
from wki.core.errors import ERROR_TEXTS, ServiceError
from wki.core.extensions import csrf, db
from wki.core.text import is_storable, strip_controls
from wki.signals import api_bp
from wki.signals.intake import FIELD_LABELS, INTAKE_COLUMNS, clean_signal
from wki.signals.models import VERDICTS_WITH_REGISTRATION, Channel, PartnerToken, Signal, Verdict
from wki.signals.partner_tokens import authenticate_token
from wki.signals.recording import DuplicateSignal, create_signal

csrf.exempt(api_bp)

# A signal is at most a few thousand characters (omschrijving: 5,000); anything much larger is not one.
MAX_BODY_BYTES = 64 * 1024
AMOUNT_COLUMNS = frozenset({"hoofdsom", "incassokosten"})
REALM = 'Bearer realm="wki-signalen"'

Error = tuple[str | None, str]  # (field or None, Dutch message)


# ---------------------------------------------------------------- authentication


def _bearer_token() -> str | None:
    scheme, _, credentials = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def authenticate_partner() -> Response | None:
    """The access check of ``@token_auth``: the request's bearer token must be known and not revoked.
    Records the token as used (committed with the request's work)."""
    token = _bearer_token()
    if token is None:
        return _unauthorized("Geef uw token mee in de kop ‘Authorization: Bearer <token>’.", challenge=REALM)
    record = authenticate_token(token)
    if record is None:
        current_app.logger.warning("partner api: unknown or revoked token refused")
        return _unauthorized("Het token is onbekend of ingetrokken. Vraag de Inspectie om een nieuw token.",
                             challenge=REALM + ', error="invalid_token"')
    g.partner_token = record
    return None


token_auth = token_required(authenticate_partner)


def current_partner_token() -> PartnerToken:
    token: PartnerToken = g.partner_token  # set by authenticate_partner
    return token


def _unauthorized(message: str, *, challenge: str) -> Response:
    response = _errors(401, [(None, message)])
    response.headers["WWW-Authenticate"] = challenge
    return response


# ---------------------------------------------------------------- responses


def _errors(status: int, errors: Iterable[Error]) -> Response:
    response = jsonify({"fouten": [{"veld": field, "melding": message} for field, message in errors]})
    response.status_code = status
    return response


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def verdict_body(signal: Signal) -> dict[str, Any]:
    """What a partner sees of a signal: the verdict with its evidence (a person's decision wins; its reason
    is an internal note and stays inside), and the BIK check. Amounts as strings, to the cent."""
    verdict = signal.verdict
    if signal.decided:
        explanation = ["Dit oordeel is vastgesteld door een inspecteur van de Inspectie."]
    else:
        explanation = signal.explanation_lines
    return {
        "id": signal.id,
        "referentie": signal.referentie,
        "bron": signal.bron,
        "oordeel": verdict,
        "score": signal.score,
        "toelichting": explanation,
        "registratienummer": signal.registratienummer if verdict in VERDICTS_WITH_REGISTRATION else None,
        "verdachte_id": signal.suspect_id if verdict == Verdict.UNREGISTERED else None,
        "bik_maximum": _money(signal.bik_maximum),
        "bik_overschrijding": _money(signal.bik_excess),
    }


@api_bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    """Errors raised inside the API (outside the views' own answers) as JSON too, never an HTML page."""
    code = exc.code or 500
    return _errors(code, [(None, ERROR_TEXTS.get(code, ERROR_TEXTS[400 if code < 500 else 500])[1])])


@api_bp.errorhandler(Exception)
def _unexpected_error(exc: Exception) -> Response:
    current_app.logger.exception("unhandled error", extra={"path": request.path})
    return _errors(500, [(None, ERROR_TEXTS[500][1])])


# ---------------------------------------------------------------- reading the request


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity: not JSON


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def read_json_object() -> tuple[dict[str, Any] | None, list[Error], int]:
    """The request body as a JSON object: (object, [], 200), or (None, errors, status)."""
    too_large: list[Error] = [(None, f"Het verzoek is groter dan {MAX_BODY_BYTES // 1024} kB; stuur één signaal per verzoek.")]
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return None, too_large, 413
    try:
        data = request.stream.read(MAX_BODY_BYTES + 1)
    except RequestEntityTooLarge:
        return None, too_large, 413
    if len(data) > MAX_BODY_BYTES:
        return None, too_large, 413
    if not data.strip():
        return None, [(None, "Het verzoek is leeg; stuur een JSON-object met de velden van het signaal.")], 400
    try:
        body = json.loads(data.decode("utf-8-sig"), parse_float=Decimal, parse_constant=_no_constants,
                          object_pairs_hook=_object_without_duplicates)
    except _DuplicateKey as exc:
        return None, [(_short(exc.key), f"Het veld ‘{_short(exc.key)}’ komt meer dan eens voor.")], 400
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None, [(None, "De inhoud is geen geldige JSON (UTF-8).")], 400
    if not isinstance(body, dict):
        return None, [(None, "De inhoud moet een JSON-object zijn met de velden van het signaal.")], 400
    return body, [], 200


def signal_values(body: dict[str, Any], token: PartnerToken) -> tuple[dict[str, str], list[Error]]:
    """The import columns as text, as ``create_signal`` takes them; every problem, not only the first."""
    values: dict[str, str] = {}
    errors: list[Error] = []
    known = ", ".join(INTAKE_COLUMNS)
    for key, value in body.items():
        if key not in INTAKE_COLUMNS:
            errors.append((_short(key), f"‘{_short(key)}’ is geen bekend veld. Bekende velden: {known}."))
            continue
        label = FIELD_LABELS.get(key, key)
        if value is None:
            continue  # the same as leaving it out
        if isinstance(value, str):
            values[key] = value
        elif key in AMOUNT_COLUMNS and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            values[key] = str(value)  # Decimal keeps 12.50 as written; "1E+3" stays short, the check follows
        elif key in AMOUNT_COLUMNS:
            errors.append((key, f"{label} moet een getal of tekst zijn, zoals 1234.56."))
        else:
            errors.append((key, f"{label} moet tekst zijn."))
    reported = {field for field, _message in errors}
    if "bron" not in reported:
        values["bron"] = token.bron  # ``foreign_source`` refused any other before this
    _cleaned, field_errors = clean_signal(values)
    errors.extend((e.column, f"{FIELD_LABELS.get(e.column, e.column)} {e.reason}.") for e in field_errors
                  if e.column not in reported)
    return values, errors


def foreign_source(body: dict[str, Any], token: PartnerToken) -> Error | None:
    """The refusal when the signal names a source other than the token's own (leaving it out, or naming
    the token's source, is fine). Checked before anything else about the signal, and the same answer
    whatever the reference: whether another source knows it is none of this partner's business."""
    named = body.get("bron")
    if not isinstance(named, str) or named.strip().lower() in ("", token.bron):
        return None  # left out, the token's own, or not text (``signal_values`` says so)
    return ("bron", f"Met dit token kunt u alleen signalen insturen met bron ‘{token.bron}’. Laat het veld "
                    f"‘bron’ weg of geef ‘{token.bron}’; neem voor een andere bron contact op met de Inspectie.")


def _is_reference_conflict(exc: sa.exc.IntegrityError) -> bool:
    text = str(exc.orig)
    return "uq_signal_bron_referentie" in text or "signal.bron, signal.referentie" in text


# ---------------------------------------------------------------- endpoints


@api_bp.post("/signalen")
@token_auth
def create() -> Response:
    """A new signal from a partner; judged at once, the verdict in the answer."""
    token = current_partner_token()
    body, errors, status = read_json_object()
    if body is None:
        return _errors(status, errors)
    refused = foreign_source(body, token)
    if refused is not None:
        return _errors(422, [refused])
    values, errors = signal_values(body, token)
    if errors:
        return _errors(400, errors)
    try:
        signal = create_signal(values, channel=Channel.API, actor=Actor.process(f"partner:{token.partner}"),
                               partner_token=token)
    except DuplicateSignal as exc:
        return _errors(409, [(exc.field, exc.message)])
    except ServiceError as exc:
        return _errors(400, [(exc.field, exc.message)])
    except sa.exc.IntegrityError as exc:
        # The same reference sent twice at the same moment: the second insert meets the unique constraint (the
        # service's savepoint is rolled back already; the 409 rolls back the request).
        if not _is_reference_conflict(exc):
            raise
        return _errors(409, [("referentie", f"Referentie {values.get('referentie', '').strip()} van deze bron is al "
                                            "bekend; er is niets gewijzigd.")])
    response = jsonify(verdict_body(signal))
    response.status_code = 201
    response.headers["Location"] = url_for("signals_api.signal", bron=signal.bron, referentie=signal.referentie)
    return response


def find_partner_signal(partner: str, bron: str, referentie: str) -> Signal | None:
    """A signal sent through any token of this partner (same name); never another partner's."""
    if any(strip_controls(text) != text or not is_storable(text) for text in (bron, referentie)):
        return None  # no stored signal has these (intake cleans them), and PostgreSQL refuses a NUL in a query
    return db.session.scalar(
        sa.select(Signal).join(PartnerToken, Signal.partner_token_id == PartnerToken.id)
        .where(PartnerToken.partner == partner, Signal.bron == bron, Signal.referentie == referentie))


@api_bp.get("/signalen/<string:bron>/<path:referentie>")
@token_auth
def signal(bron: str, referentie: str) -> Response:
    """The current verdict of a signal this partner sent."""
    found = find_partner_signal(current_partner_token().partner, bron, referentie)
    if found is None:
        return _errors(404, [(None, f"U heeft geen signaal met bron {_short(bron)} en referentie "
                                    f"{_short(referentie)} ingestuurd.")])
    return jsonify(verdict_body(found))
