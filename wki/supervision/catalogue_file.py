"""The requirement catalogue as a file: parsing and validating ``kwaliteitseisen.json`` (domain brief §3.2).

The catalogue is data in the repository, versioned, so that an inspection can always be judged against
the version in force on its date. This module only reads bytes and says what is wrong with them: no
database, no Flask. Loading a version into the database is the services' job; they get a ``CatalogueData``
whose ``sha256`` identifies the content.

Every problem is collected, not only the first, and each names the requirement (id and position) and the
field, in Dutch, because the person fixing the file is whoever edits the catalogue, not a developer
reading a traceback. Only problems that stop reading altogether (size, encoding, broken JSON) come alone.

The hash is taken over a canonical form of the parsed JSON (sorted keys, no whitespace, UTF-8), so
re-indenting the file or reordering keys keeps the same hash, and any change of content gives a new one.
A UTF-8 byte-order mark is accepted (editors on Windows write one); it is not part of the content.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from wki.core.text import CONTROL, is_storable

__all__ = [
    "CODE_PATTERN",
    "DEFAULT_CATALOGUE_PATH",
    "MAX_FILE_BYTES",
    "MAX_TITLE_CHARS",
    "AutomaticCheck",
    "CatalogueData",
    "CatalogueFileError",
    "RequirementData",
    "StandardFindings",
    "canonical_sha256",
    "load_catalogue",
    "load_default",
    "parse_catalogue",
]

DEFAULT_CATALOGUE_PATH = Path(__file__).with_name("kwaliteitseisen.json")

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_TITLE_CHARS = 120
CODE_PATTERN = re.compile(r"[A-Z][A-Z0-9_]{2,59}")  # used with fullmatch
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A file with thousands of broken requirements needs fixing at its source, not a report of thousands of lines.
MAX_PROBLEMS = 100

_CATALOGUE_FIELDS = ("versie", "geldig_vanaf", "omschrijving", "bronnen", "eisen")
_REQUIREMENT_FIELDS = (
    "id", "titel", "artikelen", "artikel_onzeker", "artikel_toelichting", "verplichting", "bewijs",
    "standaardbevinding", "geldt_vanaf", "geldt_tot", "automatische_controle", "wettelijke_norm", "bron",
)
_FINDING_KEYS = ("voldoet", "voldoet_niet", "deels")

_T = TypeVar("_T")


class AutomaticCheck(StrEnum):
    """Which automatic check proposes a judgement for a requirement (issue 13, 'Automatic checks')."""

    REGISTER = "register"  # the register mirror: registration valid, trade names seen in signals
    SIGNALS = "signalen"  # signals: BIK excesses, contact at forbidden times
    STAFF = "personeel"  # the staff list of formats/personeel.md: VOG, training level, refresher courses


@dataclass(frozen=True)
class StandardFindings:
    """Standard finding wording an inspector starts from, per judgement (the JSON keys of 'standaardbevinding')."""

    voldoet: str
    voldoet_niet: str
    deels: str


@dataclass(frozen=True)
class RequirementData:
    """One requirement as the file states it. Attributes carry the JSON keys' names, except ``id`` → ``code``."""

    code: str
    titel: str
    artikelen: tuple[str, ...]
    artikel_onzeker: bool
    artikel_toelichting: str | None
    verplichting: str
    bewijs: tuple[str, ...]
    standaardbevinding: StandardFindings
    geldt_vanaf: date
    geldt_tot: date | None  # exclusive: the first day it no longer applies
    automatische_controle: AutomaticCheck | None
    wettelijke_norm: bool
    bron: str

    def applies_on(self, day: date) -> bool:
        """Whether the requirement applies on ``day``: from ``geldt_vanaf`` up to, not including, ``geldt_tot``."""
        return self.geldt_vanaf <= day and (self.geldt_tot is None or day < self.geldt_tot)


@dataclass(frozen=True)
class CatalogueData:
    """One version of the catalogue. ``sha256`` identifies its content (see ``canonical_sha256``)."""

    versie: int
    geldig_vanaf: date
    omschrijving: str
    eisen: tuple[RequirementData, ...]
    sha256: str
    bronnen: str


class CatalogueFileError(Exception):
    """The file is no valid catalogue. ``problems`` lists every problem found, in Dutch, each naming where."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def canonical_sha256(parsed: object) -> str:
    """SHA-256 (hex) of the canonical JSON form of ``parsed``: sorted keys, no whitespace, UTF-8, non-ASCII kept."""
    canonical = json.dumps(parsed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_catalogue(path: str | Path) -> CatalogueData:
    """Read and parse the catalogue at ``path``; never reads more than one byte past the size limit."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    return parse_catalogue(data)


def load_default() -> CatalogueData:
    """The catalogue shipped with the application (``kwaliteitseisen.json`` beside this module)."""
    return load_catalogue(DEFAULT_CATALOGUE_PATH)


def parse_catalogue(data: bytes) -> CatalogueData:
    """Parse and validate a catalogue file. Raises CatalogueFileError with every problem found."""
    parsed = _decode(data)
    problems = _Problems()
    catalogue = _catalogue(parsed, problems)
    if problems.items or catalogue is None:
        raise CatalogueFileError(problems.report())
    return catalogue


# --- reading -------------------------------------------------------------------------------------------------

# The json module's messages, in the words of the rest of the report; an unknown one is shown as it is.
_JSON_MESSAGES = {
    "Expecting value": "waarde verwacht",
    "Expecting ',' delimiter": "komma verwacht",
    "Expecting ':' delimiter": "dubbele punt verwacht",
    "Expecting property name enclosed in double quotes": "naam tussen dubbele aanhalingstekens verwacht",
    "Extra data": "nog tekst na het einde van het JSON-object",
    "Unterminated string starting at": "tekst tussen aanhalingstekens wordt niet afgesloten",
    "Invalid control character at": "stuurteken in een tekst",
    "Invalid \\escape": "ongeldige escape met \\",
    "Invalid \\uXXXX escape": "ongeldige escape \\uXXXX",
}


class _NotJson(Exception):
    """Something the json module accepts but JSON does not (NaN, Infinity), or a duplicated key."""


def _reject_constant(name: str) -> object:
    raise _NotJson(f"{name} is geen geldige JSON-waarde")


def _pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    # The json module keeps the last of two equal keys without a word; in a catalogue that hides an edit.
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise _NotJson(f"de naam {key!r} komt twee keer voor in hetzelfde object")
        result[key] = value
    return result


def _decode(data: bytes) -> object:
    if len(data) > MAX_FILE_BYTES:
        raise CatalogueFileError([f"Het bestand is groter dan {MAX_FILE_BYTES // (1024 * 1024)} MB."])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueFileError(
            [f"Het bestand is geen geldige UTF-8: ongeldige byte op positie {exc.start}. Sla het op als UTF-8."]
        ) from exc
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        reason = _JSON_MESSAGES.get(exc.msg, exc.msg)
        raise CatalogueFileError(
            [f"Het bestand is geen geldige JSON: regel {exc.lineno}, kolom {exc.colno}: {reason}."]
        ) from exc
    except _NotJson as exc:
        raise CatalogueFileError([f"Het bestand is geen geldige JSON: {exc}."]) from exc
    except RecursionError as exc:
        raise CatalogueFileError(["Het bestand is geen bruikbare JSON: het is te diep genest."]) from exc
    except ValueError as exc:  # e.g. a number of thousands of digits (int_max_str_digits)
        raise CatalogueFileError([f"Het bestand is geen bruikbare JSON: {exc}."]) from exc


# --- validation ----------------------------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, field: str | None, reason: str) -> None:
        self.items.append(f"{where}, veld '{field}': {reason}" if field else f"{where}: {reason}")

    def report(self) -> list[str]:
        if len(self.items) <= MAX_PROBLEMS:
            return list(self.items)
        rest = len(self.items) - MAX_PROBLEMS
        return [*self.items[:MAX_PROBLEMS], f"… en nog {rest} problemen."]


def _fields(obj: dict[str, object], expected: tuple[str, ...], where: str, problems: _Problems) -> None:
    for name in expected:
        if name not in obj:
            problems.add(where, name, "ontbreekt")
    for name in obj:
        if name not in expected:
            problems.add(where, name, "is geen bekend veld")


def _text(value: object, where: str, field: str, problems: _Problems, max_chars: int | None = None) -> str | None:
    if not isinstance(value, str):
        problems.add(where, field, f"moet een tekst zijn, niet {_shown(value)}")
        return None
    if not value.strip():
        problems.add(where, field, "is leeg")
        return None
    if not is_storable(value) or CONTROL.search(value):
        problems.add(where, field, "bevat ongeldige tekens (stuurtekens of een losse surrogaat)")
        return None
    if max_chars is not None and len(value) > max_chars:
        problems.add(where, field, f"is {len(value)} tekens lang; het maximum is {max_chars}")
        return None
    return value


def _texts(value: object, where: str, field: str, problems: _Problems) -> tuple[str, ...] | None:
    if not isinstance(value, list):
        problems.add(where, field, f"moet een lijst van teksten zijn, niet {_shown(value)}")
        return None
    items = [_text(item, where, f"{field}[{index}]", problems) for index, item in enumerate(value)]
    checked = [item for item in items if item is not None]
    return tuple(checked) if len(checked) == len(items) else None


def _bool(value: object, where: str, field: str, problems: _Problems) -> bool | None:
    if not isinstance(value, bool):
        problems.add(where, field, f"moet true of false zijn, niet {_shown(value)}")
        return None
    return value


def _date(value: object, where: str, field: str, problems: _Problems) -> date | None:
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.add(where, field, f"moet een bestaande datum zijn als JJJJ-MM-DD, niet {_shown(value)}")
    return None


def _shown(value: object) -> str:
    """A value as the report shows it: a text quoted, true/false/null/a number as in JSON, else its kind."""
    if isinstance(value, str):
        shown = repr(value)
    elif value is None or isinstance(value, bool | int | float):
        shown = json.dumps(value)
    else:
        shown = "een object" if isinstance(value, dict) else "een lijst" if isinstance(value, list) else "?"
    return shown if len(shown) <= 60 else shown[:57] + "…"


def _catalogue(parsed: object, problems: _Problems) -> CatalogueData | None:
    where = "catalogus"
    if not isinstance(parsed, dict):
        problems.add(where, None, f"het bestand moet één JSON-object bevatten, niet {_shown(parsed)}")
        return None
    _fields(parsed, _CATALOGUE_FIELDS, where, problems)

    versie = parsed.get("versie")
    if "versie" in parsed and (isinstance(versie, bool) or not isinstance(versie, int) or versie < 1):
        problems.add(where, "versie", f"moet een positief geheel getal zijn, niet {_shown(versie)}")
    geldig_vanaf = _date(parsed["geldig_vanaf"], where, "geldig_vanaf", problems) if "geldig_vanaf" in parsed else None
    omschrijving = _text(parsed["omschrijving"], where, "omschrijving", problems) if "omschrijving" in parsed else None
    bronnen = _text(parsed["bronnen"], where, "bronnen", problems) if "bronnen" in parsed else None

    eisen: list[RequirementData | None] = []
    raw_eisen = parsed.get("eisen")
    if "eisen" in parsed:
        if not isinstance(raw_eisen, list):
            problems.add(where, "eisen", f"moet een lijst van eisen zijn, niet {_shown(raw_eisen)}")
        elif not raw_eisen:
            problems.add(where, "eisen", "de lijst is leeg; een catalogus heeft ten minste één eis")
        else:
            eisen = [_requirement(raw, number, problems) for number, raw in enumerate(raw_eisen, start=1)]
            _unique_codes(raw_eisen, problems)

    if problems.items or not isinstance(versie, int) or geldig_vanaf is None or omschrijving is None or bronnen is None:
        return None
    complete = tuple(eis for eis in eisen if eis is not None)
    return CatalogueData(versie=versie, geldig_vanaf=geldig_vanaf, omschrijving=omschrijving, eisen=complete,
                         sha256=canonical_sha256(parsed), bronnen=bronnen)


def _unique_codes(raw_eisen: list[object], problems: _Problems) -> None:
    first_seen: dict[str, int] = {}
    for number, raw in enumerate(raw_eisen, start=1):
        code = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(code, str):
            continue
        if code in first_seen:
            problems.add(_where(code, number), "id", f"komt al voor bij eis nr. {first_seen[code]}")
        else:
            first_seen[code] = number


def _where(code: object, number: int) -> str:
    if isinstance(code, str) and CODE_PATTERN.fullmatch(code):
        return f"eis {code} (nr. {number})"
    return f"eis nr. {number}"


def _requirement(raw: object, number: int, problems: _Problems) -> RequirementData | None:
    if not isinstance(raw, dict):
        problems.add(f"eis nr. {number}", None, f"moet een object zijn, niet {_shown(raw)}")
        return None
    before = len(problems.items)
    where = _where(raw.get("id"), number)
    _fields(raw, _REQUIREMENT_FIELDS, where, problems)
    # Each check below runs only for a field that is present: a missing one is reported once, above.
    checks: dict[str, Callable[[object], object]] = {
        "id": lambda value: _code(value, where, problems),
        "titel": lambda value: _text(value, where, "titel", problems, MAX_TITLE_CHARS),
        "artikelen": lambda value: _texts(value, where, "artikelen", problems),
        "artikel_onzeker": lambda value: _bool(value, where, "artikel_onzeker", problems),
        "artikel_toelichting": lambda value: None if value is None else _text(
            value, where, "artikel_toelichting", problems),
        "verplichting": lambda value: _text(value, where, "verplichting", problems),
        "bewijs": lambda value: _texts(value, where, "bewijs", problems),
        "standaardbevinding": lambda value: _findings(value, where, problems),
        "geldt_vanaf": lambda value: _date(value, where, "geldt_vanaf", problems),
        "geldt_tot": lambda value: None if value is None else _date(value, where, "geldt_tot", problems),
        "automatische_controle": lambda value: _automatic_check(value, where, problems),
        "wettelijke_norm": lambda value: _bool(value, where, "wettelijke_norm", problems),
        "bron": lambda value: _text(value, where, "bron", problems),
    }
    values = {name: check(raw[name]) for name, check in checks.items() if name in raw}

    onzeker, toelichting = values.get("artikel_onzeker"), values.get("artikel_toelichting")
    if onzeker is True and "artikel_toelichting" in raw and raw["artikel_toelichting"] is None:
        problems.add(where, "artikel_toelichting", "ontbreekt; een onzeker artikel krijgt een toelichting")
    vanaf, tot = values.get("geldt_vanaf"), values.get("geldt_tot")
    if isinstance(vanaf, date) and isinstance(tot, date) and tot <= vanaf:
        problems.add(where, "geldt_tot", f"{tot.isoformat()} ligt niet na geldt_vanaf {vanaf.isoformat()}")
    if values.get("wettelijke_norm") is True:
        if values.get("bewijs") == ():
            problems.add(where, "bewijs", "is leeg; bij een wettelijke norm hoort bewijs om op te vragen")
        if values.get("artikelen") == ():
            problems.add(where, "artikelen", "is leeg; een wettelijke norm noemt ten minste één artikel")

    if len(problems.items) > before:
        return None
    return RequirementData(
        code=_as(values["id"], str), titel=_as(values["titel"], str), artikelen=_as(values["artikelen"], tuple),
        artikel_onzeker=_as(onzeker, bool), artikel_toelichting=toelichting if isinstance(toelichting, str) else None,
        verplichting=_as(values["verplichting"], str), bewijs=_as(values["bewijs"], tuple),
        standaardbevinding=_as(values["standaardbevinding"], StandardFindings), geldt_vanaf=_as(vanaf, date),
        geldt_tot=tot if isinstance(tot, date) else None,
        automatische_controle=_as_check(values["automatische_controle"]),
        wettelijke_norm=_as(values["wettelijke_norm"], bool), bron=_as(values["bron"], str),
    )


def _as(value: object, kind: type[_T]) -> _T:
    # Only reached when no problem was found, so every value has its checked type; this says so to mypy.
    assert isinstance(value, kind)
    return value


def _as_check(value: object) -> AutomaticCheck | None:
    return value if isinstance(value, AutomaticCheck) else None


def _code(value: object, where: str, problems: _Problems) -> str | None:
    if not isinstance(value, str) or not CODE_PATTERN.fullmatch(value):
        problems.add(where, "id", "moet 3 tot 60 tekens lang zijn: een hoofdletter, dan hoofdletters, cijfers of _ "
                                  f"(zoals VOG_MEDEWERKER), niet {_shown(value)}")
        return None
    return value


def _automatic_check(value: object, where: str, problems: _Problems) -> AutomaticCheck | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return AutomaticCheck(value)
        except ValueError:
            pass
    allowed = ", ".join(check.value for check in AutomaticCheck)
    problems.add(where, "automatische_controle", f"moet null zijn of een van {allowed}, niet {_shown(value)}")
    return None


def _findings(value: object, where: str, problems: _Problems) -> StandardFindings | None:
    field = "standaardbevinding"
    if not isinstance(value, dict):
        problems.add(where, field, f"moet een object zijn met {', '.join(_FINDING_KEYS)}, niet {_shown(value)}")
        return None
    before = len(problems.items)
    for key in _FINDING_KEYS:
        if key not in value:
            problems.add(where, f"{field}.{key}", "ontbreekt")
    for key in value:
        if key not in _FINDING_KEYS:
            problems.add(where, f"{field}.{key}", "is geen bekende beoordeling (voldoet, voldoet_niet, deels)")
    texts = {key: _text(value[key], where, f"{field}.{key}", problems) for key in _FINDING_KEYS if key in value}
    if len(problems.items) > before:
        return None
    return StandardFindings(voldoet=_as(texts["voldoet"], str), voldoet_niet=_as(texts["voldoet_niet"], str),
                            deels=_as(texts["deels"], str))
