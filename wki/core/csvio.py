"""Reading the CSV files that come in at the edges (formats/README.md).

UTF-8 with or without BOM, or Windows-1252 (detected, and named in the report); delimiter ``,`` or
``;`` sniffed from the header line; headers matched case-insensitively with surrounding spaces ignored,
through a configurable column mapping; unknown columns reported and ignored; a missing required column
rejects the file. Rows come out as tuples of stripped cells in the dataset's canonical column order, so
that validators index them cheaply. Dates ``YYYY-MM-DD`` or ``DD-MM-YYYY``; amounts with either decimal
separator; multi-valued cells split on ``|``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from operator import itemgetter

from wki.core.text import CONTROL

# Bounds on what a file may hold, checked before the rows are read: a header of a million columns or a
# cell of megabytes is no register or signal file, and reading it would cost memory out of all proportion.
MAX_COLUMNS = 200
MAX_HEADER_CHARS = 16 * 1024
MAX_FIELD_CHARS = 128 * 1024  # the csv module's own limit (csv.field_size_limit)


@dataclass
class RowError:
    line: int
    column: str | None
    value: str | None
    reason: str  # Dutch, for the report
    label: str | None = None  # the column as people read it ("Ontvangen op"); the report names it so

    def describe(self) -> str:
        column = self.label or self.column
        where = f"regel {self.line}" + (f", kolom {column}" if column else "")
        shown = f" (waarde {self.value!r})" if self.value not in (None, "") else ""
        return f"{where}: {self.reason}{shown}"

    def as_dict(self) -> dict[str, object]:
        return {"regel": self.line, "kolom": self.column, "waarde": self.value, "reden": self.reason,
                **({"kolomnaam": self.label} if self.label else {})}


class CsvFormatError(Exception):
    """The file as a whole cannot be read (encoding, header, required column)."""


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name for the report). UTF-8 first; Windows-1252 only if UTF-8 fails."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 (met BOM)"
        except UnicodeDecodeError as exc:
            raise CsvFormatError("Het bestand begint als UTF-8 maar bevat ongeldige tekens.") from exc
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise CsvFormatError("Het bestand is geen UTF-8 en geen Windows-1252; sla het op als UTF-8.") from exc


def normalise_header(name: str) -> str:
    return "_".join(name.strip().lower().split())


@dataclass
class CsvTable:
    encoding: str
    delimiter: str
    columns: tuple[str, ...]  # the dataset's canonical columns, the order of every row tuple
    present: frozenset[str]  # canonical columns the file has
    unknown_columns: list[str] = field(default_factory=list)
    _text: str = ""
    _positions: tuple[int, ...] = ()
    _width: int = 0

    @property
    def text(self) -> str:
        return self._text

    @property
    def positions(self) -> tuple[int, ...]:
        """Per canonical column, its position in the file's rows (the header's width when missing)."""
        return self._positions

    def rows(self) -> Iterator[tuple[int, tuple[str, ...] | None]]:
        """(line number, cells in canonical order) per data row; line 1 is the header.

        A row with more cells than the header yields ``None`` for its cells: the caller reports it.
        Blank lines are skipped. Columns the file lacks come out as empty strings.
        """
        reader = csv.reader(io.StringIO(self._text, newline=""), delimiter=self.delimiter, strict=True)
        next(reader, None)
        width = self._width
        pad = [""] * (width + 1)
        positions = self._positions
        identity = positions == tuple(range(width))  # every column, in canonical order: no reordering
        getter = itemgetter(*positions) if len(positions) > 1 else None
        strip = str.strip
        cells: Sequence[str]
        try:
            for row in reader:
                n = len(row)
                if n != width:
                    if n == 0 or not any(cell.strip() for cell in row):
                        continue
                    if n > width:
                        yield reader.line_num, None
                        continue
                    row = row + pad[: width - n]
                elif not row[0].strip() and not "".join(row).strip():
                    continue  # only delimiters: an emptied row as spreadsheets save it
                if identity:
                    cells = row
                else:
                    row.append("")  # the cell of every column the file lacks
                    cells = getter(row) if getter else (row[positions[0]],)
                yield reader.line_num, tuple(map(strip, cells))
        except csv.Error as exc:
            raise CsvFormatError(f"Het bestand is geen geldige CSV (rond regel {reader.line_num}: {exc}).") from None


def open_csv(data: bytes, *, columns: Sequence[str], mapping: Mapping[str, str] | None = None,
             required: frozenset[str] | set[str], labels: Mapping[str, str] | None = None) -> CsvTable:
    """Decode, sniff the delimiter and map the header.

    ``mapping`` maps a header as it appears in the file to a canonical column; canonical names always
    map to themselves, so the mapping only needs the columns an export names differently. ``labels``:
    the columns as people read them, for the messages (the header to write follows in brackets).
    """

    def named(column: str) -> str:
        label = (labels or {}).get(column)
        return f"{label} (kop ‘{column}’)" if label else column

    end = data.find(b"\n")
    if (end if end >= 0 else len(data)) > 4 * MAX_HEADER_CHARS:  # before decoding: at most 4 bytes a character
        raise CsvFormatError(f"De kopregel is te lang: te veel kolommen (hoogstens {MAX_COLUMNS}).")
    text, encoding = decode(data)
    if CONTROL.search(text):
        text = CONTROL.sub("", text)  # NUL and other control characters: stored by no column
    if not text.strip():
        raise CsvFormatError("Het bestand is leeg: er is geen kopregel.")
    end = text.find("\n")
    header_line = text[:end] if end >= 0 else text
    if len(header_line) > MAX_HEADER_CHARS:
        raise CsvFormatError(f"De kopregel is te lang: te veel kolommen (hoogstens {MAX_COLUMNS}).")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    if header_line.count(delimiter) >= MAX_COLUMNS:
        raise CsvFormatError(f"De kopregel heeft te veel kolommen ({header_line.count(delimiter) + 1}; "
                             f"hoogstens {MAX_COLUMNS}).")
    try:
        header = next(csv.reader([header_line.rstrip("\r")], delimiter=delimiter, strict=True))
    except (csv.Error, StopIteration):
        raise CsvFormatError("De kopregel van het bestand is niet te lezen.") from None
    lookup = {normalise_header(c): c for c in columns}
    canonical: str | None
    for file_name, canonical in (mapping or {}).items():
        if canonical not in columns:
            raise CsvFormatError(f"De kolomtoewijzing verwijst naar onbekende kolom {canonical!r}.")
        lookup[normalise_header(file_name)] = canonical
    index: dict[str, int] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for position, raw in enumerate(header):
        canonical = lookup.get(normalise_header(raw))
        if canonical is None:
            if raw.strip():
                unknown.append(raw.strip())
        elif canonical in index:
            duplicates.append(canonical)
        else:
            index[canonical] = position
    if duplicates:
        raise CsvFormatError("Kolom komt meer dan eens voor: " + ", ".join(map(named, sorted(set(duplicates)))) + ".")
    missing = sorted(set(required) - set(index))
    if missing:
        raise CsvFormatError("Verplichte kolom ontbreekt: " + ", ".join(map(named, missing)) + ".")
    check_rows(text, delimiter)
    width = len(header)
    positions = tuple(index.get(c, width) for c in columns)
    return CsvTable(encoding=encoding, delimiter=delimiter, columns=tuple(columns), present=frozenset(index),
                    unknown_columns=unknown, _text=text, _positions=positions, _width=width)


def check_rows(text: str, delimiter: str) -> None:
    """Raise CsvFormatError, with the line number, when a row cannot be read: bad quoting (an
    unterminated quote, text after a closing quote) or a cell over ``MAX_FIELD_CHARS``.

    Done before any row is used, so that a caller never meets the error halfway through its rows.
    Without quotes only a long cell can fail, and only on a line that long: the full csv pass is
    needed only for a file with quotes or with such a line.
    """
    if '"' not in text:
        if len(text) <= MAX_FIELD_CHARS or max(map(len, text.split("\n"))) <= MAX_FIELD_CHARS:
            return
        lengths = (len(line) for line in text.split("\n"))
        line = next(n for n, length in enumerate(lengths, start=1) if length > MAX_FIELD_CHARS)
        raise CsvFormatError(f"Regel {line} bevat een cel van meer dan {MAX_FIELD_CHARS // 1024} kB; "
                             "het bestand is niet ingelezen.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    done = 0  # the last line of the last row read whole: the bad row starts on the next
    try:
        for _row in reader:
            done = reader.line_num
    except csv.Error as exc:
        line = done + 1
        if "field larger than field limit" in str(exc):
            raise CsvFormatError(f"Regel {line} bevat een cel van meer dan {MAX_FIELD_CHARS // 1024} kB; "
                                 "het bestand is niet ingelezen.") from None
        raise CsvFormatError(f"Het bestand is geen geldige CSV: in de rij die begint op regel {line} klopt "
                             "het gebruik van aanhalingstekens niet (bijvoorbeeld een aanhalingsteken dat niet wordt gesloten); "
                             "het bestand is niet ingelezen.") from None


def parse_date(value: str) -> date:
    """``YYYY-MM-DD`` or ``DD-MM-YYYY``; raises ValueError with a Dutch message."""
    if len(value) == 10:
        try:
            if value[4] == "-" and value[7] == "-":
                return date.fromisoformat(value)
            if value[2] == "-" and value[5] == "-":
                return date(int(value[6:]), int(value[3:5]), int(value[:2]))
        except ValueError:
            if value.replace("-", "").isdigit():
                raise ValueError("bestaat niet als datum") from None
    raise ValueError("is geen datum (gebruik JJJJ-MM-DD of DD-MM-JJJJ)")


def parse_amount(value: str) -> Decimal:
    """``1.234,56``, ``1234,56``, ``1234.56`` and ``1,234.56`` all mean the same."""
    v = value.replace("€", "").replace(" ", "").replace("\u00a0", "")
    if "," in v and "." in v:
        v = v.replace(".", "").replace(",", ".") if v.rfind(",") > v.rfind(".") else v.replace(",", "")
    elif "," in v:
        v = v.replace(",", ".")
    try:
        return Decimal(v)
    except InvalidOperation:
        raise ValueError("is geen bedrag") from None


def split_multi(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]
