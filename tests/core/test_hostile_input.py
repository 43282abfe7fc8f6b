"""Hostile input at the shared edges (issue 10): CSV files, search terms, page numbers, images.

Bad input gives a clear Dutch message, never a 500 or a traceback, and the same result on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import struct
import time
import zlib

import pytest

from wki.core.auth import Role
from wki.core.csvio import MAX_COLUMNS, CsvFormatError, open_csv
from wki.core.errors import ServiceError
from wki.core.images import image_format
from wki.core.paging import MAX_PAGE, clamp_page
from wki.core.text import clean_search, is_storable, strip_controls

COLUMNS = ("a", "b", "c")


def read_all(data: bytes) -> list:
    table = open_csv(data, columns=COLUMNS, required={"a"})
    return list(table.rows())


class TestCsv:
    def test_an_unterminated_quote_is_a_file_error_with_its_line(self):
        with pytest.raises(CsvFormatError, match="begint op regel 3"):
            open_csv(b'a,b,c\n1,2,3\n4,"5,6\n7,8,9\n', columns=COLUMNS, required={"a"})

    def test_text_after_a_closing_quote_is_a_file_error(self):
        with pytest.raises(CsvFormatError, match="aanhalingstekens"):
            open_csv(b'a,b,c\n1,"2"x,3\n', columns=COLUMNS, required={"a"})

    @pytest.mark.parametrize("quoted", [False, True])
    def test_a_cell_over_128_kib_is_a_file_error_with_its_line(self, quoted):
        cell = "x" * (129 * 1024)
        cell = f'"{cell}"' if quoted else cell
        with pytest.raises(CsvFormatError, match="Regel 3 bevat een cel van meer dan 128 kB"):
            open_csv(f"a,b,c\n1,2,3\n4,{cell},6\n".encode(), columns=COLUMNS, required={"a"})

    def test_a_million_columns_are_refused_early(self):
        data = b"a," + b"x," * 1_000_000 + b"\n1,2\n"
        started = time.perf_counter()
        with pytest.raises(CsvFormatError, match="te veel kolommen"):
            open_csv(data, columns=COLUMNS, required={"a"})
        assert time.perf_counter() - started < 1

    def test_columns_up_to_the_bound_are_read(self):
        header = ",".join(["a", *(f"x{n}" for n in range(MAX_COLUMNS - 1))])
        table = open_csv(f"{header}\n1\n".encode(), columns=COLUMNS, required={"a"})
        assert len(table.unknown_columns) == MAX_COLUMNS - 1
        with pytest.raises(CsvFormatError, match=f"te veel kolommen \\({MAX_COLUMNS + 1}"):
            open_csv(f"{header},y\n1\n".encode(), columns=COLUMNS, required={"a"})

    def test_control_characters_are_removed_on_reading(self):
        assert read_all(b"a,b,c\nx\x00y,\x1f,\x7fz\n") == [(2, ("xy", "", "z"))]


class TestText:
    def test_strip_controls(self):
        assert strip_controls("a\x00b\tc\nd") == "ab c d"
        assert strip_controls("a\x00b\tc\r\nd", multiline=True) == "ab\tc\r\nd"

    def test_lone_surrogates_are_not_storable(self):
        assert not is_storable("a\ud800")
        assert is_storable("Zoë 🙂")

    def test_clean_search_bounds_and_cleans(self):
        assert clean_search("\x00 jansen\x01  b.v. ") == "jansen b.v."
        assert clean_search("x" * 1000) == "x" * 200
        assert clean_search("\ud800a") == "a"
        assert clean_search(None) == ""


class TestPaging:
    @pytest.mark.parametrize(("value", "page"), [(None, 1), ("", 1), ("abc", 1), ("0", 1), ("-3", 1), ("7", 7),
                                                 ("99999999999999999999", MAX_PAGE), ("9" * 5000, 1)])
    def test_clamp_page(self, value, page):
        assert clamp_page(value) == page

    @pytest.mark.parametrize("url", ["/register/", "/signalen/", "/signalen/mogelijke-overtreders", "/beheer/audit",
                                     "/beheer/taken", "/register/beheer/synchronisaties", "/register/beheer/snapshots"])
    def test_a_huge_page_number_shows_an_empty_page(self, login_as, url):
        client = login_as(Role.BEHEERDER, Role.INSPECTEUR, Role.HANDHAVER)
        response = client.get(f"{url}?pagina=99999999999999999999", follow_redirects=True)
        assert response.status_code == 200, url
        assert f"pagina={MAX_PAGE}" in response.request.full_path


class TestSearch:
    @pytest.mark.parametrize("url", ["/register/", "/signalen/", "/signalen/mogelijke-overtreders", "/beheer/gebruikers"])
    @pytest.mark.parametrize("term", ["%00", "a%00b", "%01%02%1f"])
    def test_control_characters_in_a_search_term_are_no_error(self, login_as, url, term):
        client = login_as(Role.BEHEERDER, Role.INSPECTEUR, Role.HANDHAVER)
        response = client.get(f"{url}?zoek={term}")
        assert response.status_code == 200, url


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
            + chunk(b"IEND", b""))


class TestImages:
    @pytest.mark.parametrize("size", [(100_000, 100_000), (10_000, 10_000)])
    def test_an_image_claiming_too_many_pixels_is_refused(self, size):
        with pytest.raises(ServiceError, match="te groot"):
            image_format(png(*size), field="bijlage")

    def test_an_ordinary_image_passes(self):
        assert image_format(png(4, 4)) == "PNG"

    def test_a_decompression_bomb_anywhere_is_a_400(self, app):
        from PIL import Image

        handler = app.error_handler_spec[None][None][Image.DecompressionBombError]
        with app.test_request_context("/signalen/nieuw"):
            response, status = handler(Image.DecompressionBombError("x"))
        assert status == 400
        assert "te groot" in response


class TestIdsInUrls:
    """An id beyond what a column holds is a page that does not exist, not a database error (PostgreSQL's
    integer is 32 bits: 2147483648 failed there; 99999999999999999999 failed on SQLite too)."""

    @pytest.mark.parametrize("url", ["/signalen/{}", "/signalen/importeren/{}", "/signalen/mogelijke-overtreders/{}",
                                     "/signalen/werk/{}", "/beheer/gebruikers/{}", "/beheer/werk/{}"])
    @pytest.mark.parametrize("number", ["2147483647", "2147483648", "99999999999999999999"])
    def test_a_huge_id_is_a_404(self, login_as, url, number):
        client = login_as(Role.BEHEERDER, Role.INSPECTEUR, Role.HANDHAVER)
        assert client.get(url.format(number)).status_code == 404
