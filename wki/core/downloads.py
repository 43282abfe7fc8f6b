"""CSV downloads for people: one convention for every file a person opens from a page.

``formats/README.md`` (last paragraph): separated by ``;`` and preceded by a UTF-8 byte-order mark, so
that Excel with Dutch regional settings (the Inspectie's users) splits a double-clicked file into columns
(its list separator is ``;`` where the decimal separator is a comma) and reads it as UTF-8 (without the
BOM "ë" shows as "Ã«"); the page's filters applied (the caller's query); and every text cell that a
spreadsheet would run as a formula prefixed with ``'``. Numbers are written as Dutch Excel reads them:
no thousands separator, a decimal comma.

Files for machines (the CLI exports of the format specifications) do not use this: they stay exact
and comma-separated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import Response, stream_with_context

BOM = "\ufeff"
DELIMITER = ";"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP): a name
# such as "=HYPERLINK(...)" from a partner's file would become a live link. The apostrophe makes it text,
# and keeps a phone number such as "+31 20 …" from turning into a formula error.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK_CHARS = 64 * 1024  # stream in pieces of about this size


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it as text, never as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def cell(value: Any) -> str:
    """One cell: text neutralised, numbers with a decimal comma, dates as on the pages (DD-MM-JJJJ).

    Only text is neutralised: a number such as -5 passed as a number is a number, not a formula.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float):
        return str(value).replace(".", ",")
    if isinstance(value, datetime):
        raise TypeError("format a timestamp in the caller's time zone first")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return neutralise(str(value))


def iter_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The file as text in pieces (BOM first), for a streamed response: memory stays flat."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=DELIMITER, lineterminator="\r\n")
    yield BOM
    writer.writerow([cell(h) for h in header])
    for row in rows:
        writer.writerow([cell(value) for value in row])
        if buf.tell() > CHUNK_CHARS:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """The whole file at once (for a small file that is stored, such as a bulk file's skipped rows)."""
    return "".join(iter_csv(header, rows)).encode("utf-8")


def csv_response(chunks: Iterable[str] | bytes, filename: str) -> Response:
    """A download: streamed within the request's context (the query runs while the file is sent)."""
    body = chunks if isinstance(chunks, bytes) else stream_with_context(iter(chunks))
    return Response(body, content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
