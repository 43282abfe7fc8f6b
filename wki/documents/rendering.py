"""Archival PDFs in the house style: HTML in, PDF/A-3b bytes out (WeasyPrint), plus the few PDF chores the
documents feature needs (a preview image of page 1, a page count, the post room's merged print file).

Everything here runs inside an application context (web request, CLI command or worker job): the letter
template is the application's, and the only files a document may load are the application's own static
files, through :class:`StaticFilesFetcher` (scheme ``wki-static:``). No other URL is ever opened.

Metadata: ``title`` → /Title and dc:title, ``author`` → /Author, ``subject`` → /Subject, and the kenmerk is
the first keyword (/Keywords "2026-000123, …") so that an archive search on it finds the file; it is also
the first half of the file identifier (/ID), the permanent part that stays the same across re-renderings of
the same document. The language (/Lang) is the HTML's ``lang``, ``nl`` when the HTML names none.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import subprocess
import tempfile
import threading
import urllib.parse
import warnings
from collections.abc import Iterable, Mapping
from io import BytesIO
from pathlib import Path
from typing import Any

import weasyprint  # type: ignore[import-untyped]  # WeasyPrint ships no types
from flask import current_app
from pypdf import PdfReader, PdfWriter
from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]
from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

from wki.core.formatting import fmt_date

#: The scheme under which a document names the application's static files: ``wki-static:/pdf/letter.css``
#: is ``static/pdf/letter.css``.
STATIC_SCHEME = "wki-static"
STATIC_BASE_URL = f"{STATIC_SCHEME}:/"
PDF_VARIANT = "pdf/a-3b"
LANGUAGE = "nl"
LETTER_TEMPLATE = "pdf/letter.html"
PREVIEW_TIMEOUT_SECONDS = 30
PREVIEW_ERROR = "De voorbeeldafbeelding kon niet worden gemaakt."

# Relative URLs against the base "wki-static:/" resolve like http ones (urljoin leaves schemes it does
# not know alone: "pdf/letter.css" would stay relative and be refused). Dot segments are removed by
# urljoin itself, so "../../config.py" against the base is "wki-static:/config.py": inside static/.
for _registry in (urllib.parse.uses_relative, urllib.parse.uses_netloc):
    if STATIC_SCHEME not in _registry:
        _registry.append(STATIC_SCHEME)


# WeasyPrint tells every step of every letter at INFO ("Step 2 - Fetching and parsing CSS"): a mailing of a
# thousand letters would bury the application's own log lines.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


# ---------------------------------------------------------------- the URL fetcher


class StaticFilesFetcher(URLFetcher):
    """Serves ``wki-static:/<path>`` from ``static_folder`` and refuses every other URL.

    ``file:``, ``http(s):``, ``ftp:``, ``data:`` and anything else raise ``ValueError`` before any I/O;
    WeasyPrint catches it, logs a warning and leaves the resource out. A path with a ``..`` segment, a
    path that resolves (symlinks followed) outside the static folder, and a path that is not a regular
    file are refused the same way.
    """

    def __init__(self, static_folder: str | os.PathLike[str]) -> None:
        super().__init__(allowed_protocols=(STATIC_SCHEME,))
        self.root = Path(static_folder).resolve()

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        path = self.resolve(url)
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        response_headers = {"Content-Type": f"{mime_type}; charset=utf-8" if mime_type == "text/css" else mime_type}
        return URLFetcherResponse(url, path.read_bytes(), response_headers)

    def resolve(self, url: str) -> Path:
        """The file ``url`` names inside the static folder, or ``ValueError``."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme.lower() != STATIC_SCHEME or parts.netloc or parts.query:
            raise ValueError(f"refused: only {STATIC_SCHEME}: URLs are loaded, not {url[:200]!r}")
        relative = urllib.parse.unquote(parts.path).lstrip("/")
        segments = relative.replace("\\", "/").split("/")
        if not relative or ".." in segments or "\x00" in relative:
            raise ValueError(f"refused: {url[:200]!r} is not a path inside the static folder")
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.root) or not target.is_file():
            raise ValueError(f"refused: {url[:200]!r} is not a file inside the static folder")
        return target


# ---------------------------------------------------------------- one font configuration per process

_font_state: tuple[int, FontConfiguration, threading.Lock] | None = None
_font_state_lock = threading.Lock()


def font_configuration() -> tuple[FontConfiguration, threading.Lock]:
    """This process's FontConfiguration, made on first use, and the lock that guards rendering with it.

    One per process, reused for every document: WeasyPrint's memory then stays flat and rendering is
    faster (DESIGN.md). Keyed by the process id, so a forked worker makes its own instead of sharing its
    parent's Fontconfig and Pango state. Pango's font map is not thread-safe, hence the lock: a threaded
    server renders one document at a time per process (gunicorn's sync workers and the worker do anyway).
    """
    global _font_state
    pid = os.getpid()
    state = _font_state
    if state is None or state[0] != pid:
        with _font_state_lock:
            state = _font_state
            if state is None or state[0] != pid:
                state = (pid, FontConfiguration(), threading.Lock())
                _font_state = state
    return state[1], state[2]


# ---------------------------------------------------------------- rendering


def render_pdf(
    html: str,
    *,
    title: str,
    kenmerk: str | None,
    author: str,
    subject: str | None = None,
    keywords: str | None = None,
    base_url: str | None = None,
) -> bytes:
    """A PDF/A-3b of ``html`` (a whole, trusted document) with its fonts embedded and its metadata set.

    ``keywords`` is a comma-separated string; the kenmerk, when given, is put in front of it. ``base_url``
    resolves relative URLs (default ``wki-static:/``); whatever it is, only the static files load.
    """
    fetcher = StaticFilesFetcher(current_app.static_folder or "static")
    font_config, lock = font_configuration()
    with lock:
        document = weasyprint.HTML(string=html, base_url=base_url or STATIC_BASE_URL, url_fetcher=fetcher).render(
            font_config=font_config, pdf_variant=PDF_VARIANT, pdf_tags=True
        )
        metadata = document.metadata
        metadata.title = title
        metadata.authors = [author]
        metadata.description = subject
        metadata.keywords = _keywords(kenmerk, keywords)
        metadata.lang = metadata.lang or LANGUAGE
        metadata.generator = "wki"
        with warnings.catch_warnings():
            # WeasyPrint 70 opens its sRGB profile (the PDF/A output intent) and leaves closing it to the
            # garbage collector, which warns; harmless, and under the tests' "warnings are errors" fatal.
            warnings.filterwarnings("ignore", message=r"unclosed file .*sRGB2014\.icc", category=ResourceWarning)
            pdf = document.write_pdf(
                pdf_variant=PDF_VARIANT,
                pdf_tags=True,
                pdf_identifier=kenmerk.encode() if kenmerk else None,
            )
    assert isinstance(pdf, bytes)
    return pdf


def _keywords(kenmerk: str | None, keywords: str | None) -> list[str]:
    words = [kenmerk] if kenmerk else []
    for word in (keywords or "").split(","):
        if word.strip() and word.strip() not in words:
            words.append(word.strip())
    return words


def letter_html(letter: Mapping[str, Any]) -> str:
    """The letter in the house style (``templates/pdf/letter.html``) as one HTML document.

    ``letter`` is plain data (see the template's header for its keys); ``body_html`` is the staff text,
    already rendered and trusted (``Markup``; a plain string is escaped). It fills the body area only: the
    letterhead, address window, reference column and page furniture belong to the template.

    The template is rendered with the application's Jinja environment (its filters, HTML autoescaping) but
    without the context processors ``render_template`` would run: those serve pages (navigation for the
    signed-in user) and need a request, which a CLI command or worker job does not have; and a letter
    must not depend on who happens to be signed in when it is rendered.
    """
    datum = letter.get("datum")
    template = current_app.jinja_env.get_template(LETTER_TEMPLATE)
    return template.render(letter=letter, datum=fmt_date(datum) if datum else "")


# ---------------------------------------------------------------- PDF chores


def first_page_png(pdf: bytes, *, dpi: int = 100) -> bytes:
    """Page 1 of ``pdf`` as a PNG (poppler's pdftoppm), or ``RuntimeError`` with a message for the user."""
    with tempfile.TemporaryDirectory(prefix="wki-preview-") as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(pdf)
        stem = Path(folder) / "pagina"
        command = ["pdftoppm", "-png", "-r", str(int(dpi)), "-f", "1", "-l", "1", "-singlefile", str(source), str(stem)]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=PREVIEW_TIMEOUT_SECONDS)
            return stem.with_suffix(".png").read_bytes()
        except (OSError, subprocess.SubprocessError) as error:
            stderr = getattr(error, "stderr", None) or b""
            current_app.logger.warning(
                "pdftoppm failed: %s %s", error, stderr.decode(errors="replace")[:500] if stderr else ""
            )
            raise RuntimeError(PREVIEW_ERROR) from error


def page_count(pdf: bytes) -> int:
    """The number of pages of ``pdf``."""
    return len(PdfReader(BytesIO(pdf)).pages)


def merge_pdfs(pdfs: Iterable[bytes]) -> bytes:
    """One PDF of ``pdfs`` one after another (the post room's print file).

    Files are read and appended one at a time, so an iterator of documents is never all in memory as
    separate files at once; the merged result is, as it must be written out.
    """
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(BytesIO(pdf)))
    output = BytesIO()
    writer.write(output)
    writer.close()
    return output.getvalue()
