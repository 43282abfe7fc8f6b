"""Archival PDFs (wki/documents/rendering.py): PDF/A-3b with its metadata, fonts embedded, the letter's text
and page furniture, the URL fetcher that loads nothing but the app's static files, and the PDF chores."""

from __future__ import annotations

import builtins
import http.server
import logging
import re
import struct
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from markupsafe import Markup
from pypdf import PdfReader

from wki.documents import rendering

KENMERK = "2026-000123"
AUTHOR = "Inspectie Justitie en Veiligheid"
PARAGRAPH = (
    "<p>Op grond van de Wet kwaliteit incassodienstverlening (Wki) mag u sinds 1 april 2025 alleen "
    "incassowerkzaamheden verrichten als u staat ingeschreven in het register dat Justis bijhoudt. Wij hebben "
    "geconstateerd dat uw onderneming op de peildatum niet in dit register stond.</p>"
)
ONE_PAGE_BODY = (
    "<p>Geachte heer, mevrouw,</p>"
    + PARAGRAPH
    + "<h2>Wat wij van u vragen</h2><ul><li>Stop met incasseren.</li><li>Reageer binnen vier weken.</li></ul>"
)
THREE_PAGE_BODY = ONE_PAGE_BODY + PARAGRAPH * 20


def make_letter(**changes: Any) -> dict[str, Any]:
    letter: dict[str, Any] = {
        "title": "Informatiebrief registratieplicht Wki",
        "kenmerk": KENMERK,
        "concept": False,
        "datum": date(2026, 12, 5),
        "onderwerp": "Registratieplicht incassodienstverleners",
        "contactpersoon": {"naam": "J. de Vries", "telefoon": "070 123 45 67", "email": "wki@inspectie-jenv.nl"},
        "ontvanger": {
            "naam": "Incassobureau De Betrouwbare B.V.",
            "t_a_v": "de directie",
            "adresregels": ["Voorbeeldstraat 12", "1234 AB  AMSTERDAM"],
        },
        "uw_kenmerk": "ABC/2026/17",
        "uw_brief_van": None,
        "body_html": Markup(ONE_PAGE_BODY),
        "afzender": {
            "organisatie": "Inspectie Justitie en Veiligheid",
            "ministerie": "Ministerie van Justitie en Veiligheid",
            "postadres": ["Postbus 20301", "2500 EH  Den Haag"],
            "website": "www.inspectie-jenv.nl",
        },
        "ondertekening": {"naam": "mr. A. Jansen", "functie": "Inspecteur Wki"},
    }
    letter.update(changes)
    return letter


def render_letter(**changes: Any) -> bytes:
    letter = make_letter(**changes)
    return rendering.render_pdf(
        rendering.letter_html(letter),
        title=letter["title"],
        kenmerk=letter["kenmerk"],
        author=AUTHOR,
        subject=letter["onderwerp"],
        keywords="Wki, informatiebrief",
    )


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text with runs of whitespace made one space (extraction does not keep them)."""
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(BytesIO(pdf)).pages]


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    """An application context and nothing else, as a CLI command or worker job has (no request)."""
    with app.app_context():
        yield app


@pytest.fixture(scope="module")
def one_page_pdf(app: Flask) -> bytes:
    with app.app_context():
        return render_letter()


# ---------------------------------------------------------------- PDF/A, metadata, fonts


def test_pdf_is_identified_as_pdf_a_3b_in_its_xmp_metadata(one_page_pdf: bytes) -> None:
    root = PdfReader(BytesIO(one_page_pdf)).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    pdfaid = "{http://www.aiim.org/pdfa/ns/id/}"
    descriptions = ET.fromstring(xmp).iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description")
    ids = [(d.get(f"{pdfaid}part"), d.get(f"{pdfaid}conformance")) for d in descriptions if d.get(f"{pdfaid}part")]
    assert ids == [("3", "B")]
    assert "/OutputIntents" in root  # sRGB, which PDF/A requires for device colours


def test_metadata_and_language_are_set(one_page_pdf: bytes) -> None:
    reader = PdfReader(BytesIO(one_page_pdf))
    info = reader.metadata
    assert info is not None
    assert info.title == "Informatiebrief registratieplicht Wki"
    assert info.author == AUTHOR
    assert info.subject == "Registratieplicht incassodienstverleners"
    assert info["/Keywords"] == f"{KENMERK}, Wki, informatiebrief"  # the kenmerk first
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert str(reader.trailer["/ID"][0]) == KENMERK  # the permanent part of the file identifier
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "Informatiebrief registratieplicht Wki" in xmp  # dc:title, as PDF/A wants it beside /Title


def test_every_font_is_embedded_and_open_sans_is_used(one_page_pdf: bytes) -> None:
    """A missing fonts-open-sans would fall back to DejaVu silently; this catches it."""
    names = []
    for page in PdfReader(BytesIO(one_page_pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.append(str(font["/BaseFont"]))
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{names[-1]} is not embedded"
    assert names
    assert any("Open-Sans" in name for name in names), names
    assert all("Open-Sans" in name for name in names), f"a fallback font was used: {names}"


def test_same_letter_renders_to_the_same_bytes(app_ctx: Flask, one_page_pdf: bytes) -> None:
    """No clock or random id in the file: the content-addressed store keeps one copy of a re-render."""
    assert render_letter() == one_page_pdf


# ---------------------------------------------------------------- the letter


def test_letter_text_has_address_references_and_page_number(one_page_pdf: bytes) -> None:
    assert rendering.page_count(one_page_pdf) == 1
    (text,) = page_texts(one_page_pdf)
    for expected in (
        "Incassobureau De Betrouwbare B.V.",
        "t.a.v. de directie",
        "Voorbeeldstraat 12",
        "1234 AB AMSTERDAM",
        "> Retouradres Postbus 20301 2500 EH Den Haag",
        "Ons kenmerk",
        KENMERK,
        "Datum 5 december 2026",
        "Onderwerp Registratieplicht",
        "Uw kenmerk ABC/2026/17",
        "Contactpersoon J. de Vries T 070 123 45 67 wki@inspectie-jenv.nl",
        "Wat wij van u vragen",
        "Met vriendelijke groet, mr. A. Jansen Inspecteur Wki",
        "Pagina 1 van 1",
    ):
        assert expected in text
    assert "Uw brief van" not in text  # empty references are left out
    assert "CONCEPT" not in text.upper().replace(" ", "")


def test_long_letter_has_a_header_and_page_numbers_on_following_pages(app_ctx: Flask) -> None:
    pdf = render_letter(body_html=Markup(THREE_PAGE_BODY))
    assert rendering.page_count(pdf) == 3
    first, second, third = page_texts(pdf)
    assert "Pagina 1 van 3" in first
    assert "Pagina 3 van 3" in third
    for page in (second, third):
        assert "Incassobureau De Betrouwbare B.V." not in page  # no address block after page 1
        assert f"Ons kenmerk {KENMERK}" in page  # the kenmerk in the header and footer
        assert "5 december 2026" in page


def test_concept_is_marked_on_every_page(app_ctx: Flask) -> None:
    pdf = render_letter(kenmerk=None, concept=True, body_html=Markup(THREE_PAGE_BODY))
    texts = page_texts(pdf)
    assert len(texts) == 3
    for text in texts:
        assert "CONCEPT" in text.upper().replace(" ", "")
    assert "Wordt toegekend bij verzending" in texts[0]


def test_staff_text_is_escaped_unless_it_is_markup(app_ctx: Flask) -> None:
    html = rendering.letter_html(make_letter(body_html="<script>x</script>"))
    assert "&lt;script&gt;" in html
    assert "<script>" not in html


def test_letter_renders_without_a_request(app_ctx: Flask) -> None:
    """Workers and CLI commands have an app context but no request (and nobody signed in)."""
    html = rendering.letter_html(make_letter())
    assert html.startswith("<!doctype html>")
    assert '<html lang="nl">' in html
    assert 'href="wki-static:/pdf/letter.css"' in html


# ---------------------------------------------------------------- the URL fetcher


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def local_http_server() -> Iterator[tuple[str, list[str]]]:
    """A server on 127.0.0.1 that records every request it gets."""
    handler = type("Handler", (_RecordingHandler,), {"requests": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.requests
    finally:
        server.shutdown()
        server.server_close()


def test_fetcher_refuses_everything_but_the_static_files(
    app_ctx: Flask, local_http_server: tuple[str, list[str]], caplog: pytest.LogCaptureFixture, monkeypatch
) -> None:
    base, requests = local_http_server
    opened: list[str] = []
    real_open = builtins.open

    def spying_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spying_open)
    refused = [
        "file:///etc/passwd",
        f"{base}/stijl.css",
        "https://example.org/logo.png",
        "ftp://example.org/logo.png",
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
        "wki-static:/../../config.py",
        "wki-static:/pdf/../../config.py",
        "wki-static:/%2e%2e/%2e%2e/config.py",
        "wki-static://evil.example/pdf/letter.css",
        "/etc/passwd",
        "../../config.py",
    ]
    html = (
        '<!doctype html><html lang="nl"><head><title>t</title>'
        '<link rel="stylesheet" href="wki-static:/pdf/letter.css">'
        f'<link rel="stylesheet" href="{base}/stijl.css"></head><body><p>Tekst</p>'
        + "".join(f'<img src="{url}" alt="">' for url in refused)
        + "</body></html>"
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = rendering.render_pdf(html, title="t", kenmerk=None, author=AUTHOR)

    assert requests == []  # the local server was never asked
    assert not [path for path in opened if path.endswith(("passwd", "config.py"))]
    messages = "\n".join(record.getMessage() for record in caplog.records)
    assert messages.count("refused") >= len(refused)
    assert "wki-static:/pdf/letter.css" not in messages  # the app's own stylesheet did load
    fonts = [str(f.get_object()["/BaseFont"]) for f in PdfReader(BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()]
    assert any("Open-Sans" in name for name in fonts)  # from letter.css: the fetcher served it


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/",
        "data:text/plain,x",
        "wki-static:/../../config.py",
        "wki-static:/",
        "wki-static:/pdf",
        "wki-static:/pdf/letter.css?x=1",
        "wki-static:/pdf/geen.css",
        "pdf/letter.css",
    ],
)
def test_fetcher_refuses_before_reading(app_ctx: Flask, url: str) -> None:
    fetcher = rendering.StaticFilesFetcher(app_ctx.static_folder or "")
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(url)


def test_fetcher_refuses_a_symlink_out_of_the_static_folder(tmp_path: Path) -> None:
    static = tmp_path / "static"
    (static / "pdf").mkdir(parents=True)
    secret = tmp_path / "geheim.txt"
    secret.write_text("geheim")
    (static / "pdf" / "link.css").symlink_to(secret)
    (static / "pdf" / "echt.css").write_text("p { margin: 0 }")
    fetcher = rendering.StaticFilesFetcher(static)
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch("wki-static:/pdf/link.css")
    response = fetcher.fetch("wki-static:/pdf/echt.css")
    assert response.read() == b"p { margin: 0 }"
    assert response.content_type == "text/css"


def test_relative_urls_resolve_against_the_static_base(app_ctx: Flask) -> None:
    html = '<html><head><link rel="stylesheet" href="pdf/letter.css"></head><body><p>Tekst</p></body></html>'
    pdf = rendering.render_pdf(html, title="t", kenmerk=None, author=AUTHOR)
    fonts = [str(f.get_object()["/BaseFont"]) for f in PdfReader(BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()]
    assert any("Open-Sans" in name for name in fonts)


# ---------------------------------------------------------------- one FontConfiguration per process


def test_font_configuration_is_made_once_per_process(app_ctx: Flask, monkeypatch) -> None:
    made: list[object] = []
    real = rendering.FontConfiguration

    def counting() -> object:
        made.append(real())
        return made[-1]

    monkeypatch.setattr(rendering, "_font_state", None)
    monkeypatch.setattr(rendering, "FontConfiguration", counting)
    html = "<html><body><p>Tekst</p></body></html>"
    rendering.render_pdf(html, title="t", kenmerk=None, author=AUTHOR)
    rendering.render_pdf(html, title="t", kenmerk=None, author=AUTHOR)
    assert len(made) == 1
    assert rendering.font_configuration()[0] is made[0]

    # A forked worker (another process id) makes its own.
    monkeypatch.setattr(rendering.os, "getpid", lambda: -1)
    assert rendering.font_configuration()[0] is not made[0]
    assert len(made) == 2


# ---------------------------------------------------------------- PNG preview, page count, merge


def test_first_page_png_has_a4_proportions(one_page_pdf: bytes) -> None:
    png = rendering.first_page_png(one_page_pdf, dpi=50)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert abs(height / width - 297 / 210) < 0.01
    assert abs(width - 210 / 25.4 * 50) <= 2


def test_first_page_png_fails_with_a_message_for_the_user(app_ctx: Flask) -> None:
    with pytest.raises(RuntimeError, match="De voorbeeldafbeelding kon niet worden gemaakt."):
        rendering.first_page_png(b"geen pdf")


def test_merge_pdfs_appends_every_page(app_ctx: Flask, one_page_pdf: bytes) -> None:
    three = render_letter(body_html=Markup(THREE_PAGE_BODY))
    merged = rendering.merge_pdfs(iter([one_page_pdf, three, one_page_pdf]))
    assert rendering.page_count(merged) == 5
    texts = page_texts(merged)
    assert "Pagina 1 van 1" in texts[0]
    assert "Pagina 3 van 3" in texts[3]
    assert "Pagina 1 van 1" in texts[4]
