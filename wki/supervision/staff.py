"""The staff-list check (formats/personeel.md; domain brief §3.2 rows 4, 6, 7 and 8): bytes in, findings out.

An agency hands in its staff list during an inspection; as of the inspection date D every person in
service on D is checked for a timely certificate of conduct (VOG), the training level their role needs
and a refresher course in every full calendar year of service since 2025. Each finding proposes a
judgement with its reason; the inspector decides. No database and no Flask: the upload page and
``flask supervision check-staff`` both call ``check_staff_list`` and ``findings_csv``.

Decisions where the format leaves room:
- A file with any invalid row is refused as a whole (``StaffListError`` with every bad row); a file with
  only its header is valid and holds nobody.
- ``functie`` is matched case-insensitively, trimmed, with a space accepted for the underscore
  ("Operationeel leidinggevende"). ``opleidingsniveau`` likewise, and the separator between the kind and
  the number may be a hyphen, a dash, a space, an underscore or nothing: "mbo 3", "MBO3" and "mbo-3" all
  mean MBO-3. Anything else ("MBO-5", "EQF-9", "bachelor") is a bad row, not an unknown level: an
  unreadable level is a mistake to correct, an empty cell is "unknown" (``opleiding_onbekend``).
- VOG and refresher courses apply to every person in the list, the bestuurder included (the format says
  "every person" for the VOG and "the person" for refresher courses); the training level does not apply
  to a bestuurder.
- Before 1 April 2024 (the VOG duty) and 1 April 2025 (training) nothing is found and ``voldoet`` is
  proposed with that reason; a list with nobody in service on D proposes ``niet_beoordeeld``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from wki.core.csvio import CsvFormatError, RowError, open_csv, parse_date, split_multi

__all__ = [
    "COLUMNS",
    "REQUIREMENTS",
    "Proposal",
    "StaffCheck",
    "StaffFinding",
    "StaffListError",
    "add_months",
    "check_staff_list",
    "findings_csv",
]

COLUMNS = ("naam", "functie", "datum_in_dienst", "datum_uit_dienst", "datum_vog", "opleidingsniveau",
           "bijscholingen")
REQUIRED = frozenset({"naam", "functie", "datum_in_dienst"})
NAAM, FUNCTIE, IN_DIENST, UIT_DIENST, VOG, NIVEAU, BIJSCHOLINGEN = range(len(COLUMNS))
MAX_NAME = 300

VOG_MEDEWERKER = "VOG_MEDEWERKER"
OPLEIDING_MEDEWERKER = "OPLEIDING_MEDEWERKER"
OPLEIDING_LEIDINGGEVENDE_ZZP = "OPLEIDING_LEIDINGGEVENDE_ZZP"
PERMANENTE_EDUCATIE = "PERMANENTE_EDUCATIE"
REQUIREMENTS = (VOG_MEDEWERKER, OPLEIDING_MEDEWERKER, OPLEIDING_LEIDINGGEVENDE_ZZP, PERMANENTE_EDUCATIE)

VOG_DUTY_FROM = date(2024, 4, 1)  # Wki art. 13: existing staff too, from this day
VOG_MAX_AGE_MONTHS = 3
TRAINING_FROM = date(2025, 4, 1)  # Bki §2: existing agencies had until this day
REFRESHER_FIRST_YEAR = 2025

INCASSOMEDEWERKER = "incassomedewerker"
LEIDINGGEVENDE = "operationeel_leidinggevende"
BESTUURDER = "bestuurder"
ZZP = "zzp"
ROLES = (INCASSOMEDEWERKER, LEIDINGGEVENDE, BESTUURDER, ZZP)
# The level each role needs, and the requirement it falls under; a bestuurder has none.
REQUIRED_LEVEL = {INCASSOMEDEWERKER: (3, OPLEIDING_MEDEWERKER), LEIDINGGEVENDE: (4, OPLEIDING_LEIDINGGEVENDE_ZZP),
                  ZZP: (4, OPLEIDING_LEIDINGGEVENDE_ZZP)}
ROLE_LABELS = {INCASSOMEDEWERKER: "incassomedewerker", LEIDINGGEVENDE: "operationeel leidinggevende",
               BESTUURDER: "bestuurder", ZZP: "zzp'er"}

# Canonical level -> number: MBO-n = EQF-n = n, HBO 6, WO 7.
LEVELS: dict[str, int] = {**{f"MBO-{n}": n for n in range(1, 5)}, **{f"EQF-{n}": n for n in range(1, 9)},
                          "HBO": 6, "WO": 7}
_LEVEL_KEYS = {key.replace("-", ""): key for key in LEVELS}

VOLDOET = "voldoet"
VOLDOET_NIET = "voldoet_niet"
DEELS = "deels"
NIET_BEOORDEELD = "niet_beoordeeld"
NIET_VAN_TOEPASSING = "niet_van_toepassing"

RESULT_COLUMNS = ("naam", "eis", "bevinding", "toelichting")


class StaffListError(Exception):
    """The staff list cannot be checked; ``message`` is Dutch, ``errors`` lists every bad row."""

    def __init__(self, message: str, errors: list[RowError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []

    def report(self) -> list[str]:
        """The message, then one line per bad row."""
        return [self.message, *(error.describe() for error in self.errors)]


@dataclass(frozen=True)
class StaffFinding:
    naam: str
    eis: str  # requirement id, e.g. VOG_MEDEWERKER
    bevinding: str  # finding code of personeel.md, e.g. vog_te_oud
    toelichting: str  # Dutch
    line: int  # the CSV line of the person


@dataclass(frozen=True)
class Proposal:
    judgement: str  # "voldoet" | "voldoet_niet" | "deels" | "niet_beoordeeld" | "niet_van_toepassing"
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class _Person:
    line: int
    naam: str
    functie: str
    in_dienst: date
    uit_dienst: date | None
    vog: date | None
    niveau: str | None  # canonical: "MBO-3", "HBO", ...
    bijscholingen: tuple[date, ...]

    def in_service(self, day: date) -> bool:
        return self.in_dienst <= day and (self.uit_dienst is None or self.uit_dienst >= day)

    def whole_year(self, year: int) -> bool:
        return self.in_dienst <= date(year, 1, 1) and (self.uit_dienst is None or self.uit_dienst >= date(year, 12, 31))


@dataclass(frozen=True)
class StaffCheck:
    as_of: date
    people: int  # in service on as_of
    findings: list[StaffFinding]
    encoding: str
    unknown_columns: list[str]
    roles: dict[str, int] = field(default_factory=dict)  # people in service on as_of per functie

    def proposals(self) -> dict[str, Proposal]:
        """Per requirement of ``REQUIREMENTS`` a proposed judgement with its reasons in Dutch.

        Findings make ``voldoet_niet``, each finding a reason ("naam: toelichting"); no findings make
        ``voldoet`` with what was checked. A training requirement with nobody in service in its roles is
        ``niet_van_toepassing``; a list with nobody in service at all is ``niet_beoordeeld``.
        """
        roles = self.roles
        day = _dmy(self.as_of)
        out: dict[str, Proposal] = {}
        for eis in REQUIREMENTS:
            found = [f for f in self.findings if f.eis == eis]
            if found:
                out[eis] = Proposal(VOLDOET_NIET, tuple(f"{f.naam}: {f.toelichting}" for f in found))
                continue
            if not self.people:
                out[eis] = Proposal(NIET_BEOORDEELD, (f"Volgens de personeelslijst is op {day} niemand in dienst.",))
                continue
            if eis == VOG_MEDEWERKER:
                if self.as_of < VOG_DUTY_FROM:
                    reason = f"De VOG-plicht geldt pas vanaf {_dmy(VOG_DUTY_FROM)}; op {day} gold die nog niet."
                else:
                    reason = f"{_all(self.people, 'medewerker', 'medewerkers', day)} een tijdige VOG."
                out[eis] = Proposal(VOLDOET, (reason,))
            elif eis == PERMANENTE_EDUCATIE:
                out[eis] = Proposal(VOLDOET, (_refresher_reason(self.people, self.as_of),))
            else:
                scope = (INCASSOMEDEWERKER,) if eis == OPLEIDING_MEDEWERKER else (LEIDINGGEVENDE, ZZP)
                count = sum(roles.get(role, 0) for role in scope)
                level = 3 if eis == OPLEIDING_MEDEWERKER else 4
                who = ("incassomedewerker", "incassomedewerkers") if eis == OPLEIDING_MEDEWERKER else (
                    "operationeel leidinggevende of zzp'er", "operationeel leidinggevenden en zzp'ers")
                if not count:
                    out[eis] = Proposal(NIET_VAN_TOEPASSING, (f"Volgens de personeelslijst is op {day} geen {who[0]} in dienst.",))
                elif self.as_of < TRAINING_FROM:
                    out[eis] = Proposal(VOLDOET, (f"De opleidingseis geldt pas vanaf {_dmy(TRAINING_FROM)}; "
                                                  f"op {day} gold die nog niet.",))
                else:
                    out[eis] = Proposal(VOLDOET, (f"{_all(count, *who, day)} ten minste niveau {level} "
                                                  f"(MBO-{level} of EQF-{level}).",))
        return out


def _dmy(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def _all(count: int, one: str, many: str, day: str) -> str:
    """"Alle 12 medewerkers in dienst op 01-06-2026 hebben" (or "De enige medewerker ... heeft")."""
    if count == 1:
        return f"De enige {one} in dienst op {day} heeft"
    return f"Alle {count} {many} in dienst op {day} hebben"


def _refresher_reason(people: int, as_of: date) -> str:
    if as_of.year <= REFRESHER_FIRST_YEAR:
        return (f"Bijscholing wordt per volledig kalenderjaar vanaf {REFRESHER_FIRST_YEAR} beoordeeld; "
                f"op {_dmy(as_of)} is nog geen zo'n jaar voorbij.")
    return (f"{_all(people, 'medewerker', 'medewerkers', _dmy(as_of))} in elk volledig kalenderjaar in dienst "
            f"sinds {REFRESHER_FIRST_YEAR} ten minste één bijscholing gevolgd.")


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, clamped to the month's end (31 May - 3 months = 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    last = (following - date(year, month, 1)).days
    return date(year, month, min(day.day, last))


def _level(value: str) -> str | None:
    """The canonical level for a cell ("mbo 3" -> "MBO-3"), or None when it is no level of the format."""
    key = value.upper()
    for separator in ("-", "\u2013", "\u2014", " ", "_"):
        key = key.replace(separator, "")
    return _LEVEL_KEYS.get(key)


def _date(line: int, column: str, value: str, errors: list[RowError], *, required: bool = False) -> date | None:
    if not value:
        if required:
            errors.append(RowError(line, column, "", "is verplicht"))
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        errors.append(RowError(line, column, value, str(exc)))
        return None


def _person(line: int, cells: tuple[str, ...], errors: list[RowError]) -> _Person | None:
    """One row, validated; every problem goes to ``errors`` and the row then gives None."""
    before = len(errors)
    naam = cells[NAAM]
    if not naam:
        errors.append(RowError(line, "naam", "", "is verplicht"))
    elif len(naam) > MAX_NAME:
        errors.append(RowError(line, "naam", naam[:40] + "…", f"is langer dan {MAX_NAME} tekens"))
    functie = "_".join(cells[FUNCTIE].lower().split())
    if not functie:
        errors.append(RowError(line, "functie", "", "is verplicht"))
    elif functie not in ROLES:
        errors.append(RowError(line, "functie", cells[FUNCTIE],
                               "moet incassomedewerker, operationeel_leidinggevende, bestuurder of zzp zijn"))
    in_dienst = _date(line, "datum_in_dienst", cells[IN_DIENST], errors, required=True)
    uit_dienst = _date(line, "datum_uit_dienst", cells[UIT_DIENST], errors)
    if in_dienst and uit_dienst and uit_dienst < in_dienst:
        errors.append(RowError(line, "datum_uit_dienst", cells[UIT_DIENST], "ligt vóór datum_in_dienst"))
    vog = _date(line, "datum_vog", cells[VOG], errors)
    niveau = _level(cells[NIVEAU]) if cells[NIVEAU] else None
    if cells[NIVEAU] and niveau is None:
        errors.append(RowError(line, "opleidingsniveau", cells[NIVEAU],
                               "moet MBO-1 t/m MBO-4, HBO, WO of EQF-1 t/m EQF-8 zijn (of leeg als onbekend)"))
    courses: list[date] = []
    for part in split_multi(cells[BIJSCHOLINGEN]):
        course = _date(line, "bijscholingen", part, errors)
        if course:
            courses.append(course)
    if len(errors) > before or in_dienst is None:
        return None
    return _Person(line, naam, functie, in_dienst, uit_dienst, vog, niveau, tuple(sorted(courses)))


def _read(data: bytes) -> tuple[list[_Person], str, list[str]]:
    try:
        table = open_csv(data, columns=COLUMNS, required=REQUIRED)
    except CsvFormatError as exc:
        raise StaffListError(f"De personeelslijst is niet ingelezen: {exc}") from None
    errors: list[RowError] = []
    people: list[_Person] = []
    for line, cells in table.rows():
        if cells is None:
            errors.append(RowError(line, None, None, "de regel heeft meer cellen dan de kopregel kolommen heeft"))
            continue
        person = _person(line, cells, errors)
        if person:
            people.append(person)
    if errors:
        rows = len({e.line for e in errors})
        raise StaffListError(f"De personeelslijst is niet ingelezen: {rows} {'regel bevat' if rows == 1 else 'regels bevatten'} "
                             "fouten. Verbeter ze en lever het bestand opnieuw aan.", errors)
    return people, table.encoding, table.unknown_columns


def _vog_findings(person: _Person) -> list[StaffFinding]:
    if person.in_dienst >= VOG_DUTY_FROM:
        reference, why = person.in_dienst, "de dag van indiensttreding"
    else:
        reference, why = VOG_DUTY_FROM, f"de ingang van de VOG-plicht; in dienst sinds {_dmy(person.in_dienst)}"
    earliest = add_months(reference, -VOG_MAX_AGE_MONTHS)
    when = f"{_dmy(reference)} ({why})"
    if person.vog is None:
        return [_finding(person, VOG_MEDEWERKER, "vog_ontbreekt",
                         f"Geen VOG opgegeven; vereist is een VOG afgegeven tussen {_dmy(earliest)} en {when}.")]
    if person.vog < earliest:
        return [_finding(person, VOG_MEDEWERKER, "vog_te_oud",
                         f"VOG afgegeven op {_dmy(person.vog)}, meer dan drie maanden vóór {when}; "
                         f"de vroegst toegestane datum is {_dmy(earliest)}.")]
    if person.vog > reference:
        return [_finding(person, VOG_MEDEWERKER, "vog_te_laat",
                         f"VOG afgegeven op {_dmy(person.vog)}, na {when}; de VOG moet er uiterlijk op die dag zijn.")]
    return []


def _training_findings(person: _Person) -> list[StaffFinding]:
    if person.functie not in REQUIRED_LEVEL:
        return []
    needed, eis = REQUIRED_LEVEL[person.functie]
    role = ROLE_LABELS[person.functie]
    wanted = f"ten minste niveau {needed} (MBO-{needed} of EQF-{needed})"
    if person.niveau is None:
        return [_finding(person, eis, "opleiding_onbekend",
                         f"Geen opleidingsniveau opgegeven; een {role} moet {wanted} hebben.")]
    if LEVELS[person.niveau] < needed:
        return [_finding(person, eis, "opleiding_te_laag",
                         f"Opleidingsniveau {person.niveau} (niveau {LEVELS[person.niveau]}) is te laag; "
                         f"een {role} moet {wanted} hebben.")]
    return []


def _refresher_findings(person: _Person, as_of: date) -> list[StaffFinding]:
    attended = {course.year for course in person.bijscholingen}
    missing = [year for year in range(REFRESHER_FIRST_YEAR, as_of.year)
               if person.whole_year(year) and year not in attended]
    if not missing:
        return []
    years = str(missing[0]) if len(missing) == 1 else ", ".join(map(str, missing[:-1])) + f" en {missing[-1]}"
    whole = "een volledig kalenderjaar" if len(missing) == 1 else "volledige kalenderjaren"
    return [_finding(person, PERMANENTE_EDUCATIE, "bijscholing_ontbreekt",
                     f"Geen bijscholing in {years}, {whole} in dienst.")]


def _finding(person: _Person, eis: str, code: str, text: str) -> StaffFinding:
    return StaffFinding(naam=person.naam, eis=eis, bevinding=code, toelichting=text, line=person.line)


def check_staff_list(data: bytes, *, as_of: date) -> StaffCheck:
    """Read the staff list and check everyone in service on ``as_of``.

    In service on D: ``datum_in_dienst <= D`` and no ``datum_uit_dienst`` before D (the last day counts).
    Findings come per person in file order, per person VOG, training, refresher courses. Raises
    ``StaffListError`` for a file that cannot be read or has any invalid row (every bad row listed).
    """
    people, encoding, unknown = _read(data)
    in_service = [person for person in people if person.in_service(as_of)]
    findings: list[StaffFinding] = []
    roles: dict[str, int] = {}
    for person in in_service:
        roles[person.functie] = roles.get(person.functie, 0) + 1
        if as_of >= VOG_DUTY_FROM:
            findings.extend(_vog_findings(person))
        if as_of >= TRAINING_FROM:
            findings.extend(_training_findings(person))
        findings.extend(_refresher_findings(person, as_of))
    return StaffCheck(as_of=as_of, people=len(in_service), findings=findings, encoding=encoding,
                      unknown_columns=unknown, roles=roles)


def findings_csv(check: StaffCheck) -> bytes:
    """The result file of personeel.md: a file for machines, so exact: UTF-8 without BOM, ``,``, ``\\n``
    line ends, cells as they are (no formula prefix), header ``naam,eis,bevinding,toelichting``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RESULT_COLUMNS)
    writer.writerows((f.naam, f.eis, f.bevinding, f.toelichting) for f in check.findings)
    return out.getvalue().encode("utf-8")
