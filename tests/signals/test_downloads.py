"""Downloads for people follow one convention (formats/README.md, last paragraph): the page's filters,
``;``, a UTF-8 BOM, formula cells made text. The signal list's download, a bulk file's skipped rows,
and the audit and register exports; the helper itself (``wki.core.downloads``); and the CLI export,
which is for machines and stays exact and comma-separated."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from tests.register.helpers import load, register_row
from tests.signals.helpers import signal_row, signals_csv
from wki.core import downloads
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.auth import Role
from wki.core.clock import today_local
from wki.core.extensions import db
from wki.signals.decisions import decide_verdict
from wki.signals.export import EXPORT_COLUMNS
from wki.signals.imports import import_signals
from wki.signals.models import Channel, Signal
from wki.signals.page_queries import DOWNLOAD_COLUMNS
from wki.signals.recording import create_signal

BOM = b"\xef\xbb\xbf"
_n = [0]


def make_signal(**values: Any) -> Signal:
    _n[0] += 1
    return create_signal(signal_row(7000 + _n[0], **values), channel=Channel.FORM, actor=Actor.process("inspecteur@test"))


def read(data: bytes) -> list[list[str]]:
    """A download as Dutch Excel reads it: BOM first, then rows separated by ';'."""
    assert data.startswith(BOM), data[:20]
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline=""), delimiter=";"))


def records(data: bytes) -> list[dict[str, str]]:
    rows = read(data)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def inspector(login_as):
    return login_as(Role.INSPECTEUR)


# ---------------------------------------------------------------- the helper


class TestHelper:
    @pytest.mark.parametrize("text", ["=1+1", "+31 20 123 4567", "-5", "@SUM(A1)", "\tx", "\rx"])
    def test_text_that_a_spreadsheet_would_run_becomes_text(self, text):
        assert downloads.cell(text) == "'" + text

    @pytest.mark.parametrize(("value", "written"), [
        ("Noordkaap", "Noordkaap"), ("", ""), (None, ""), (-5, "-5"), (12, "12"), (Decimal("-1234.50"), "-1234,50"),
        (Decimal("187.50"), "187,50"), (2.5, "2,5"), (True, "ja"), (date(2026, 3, 2), "02-03-2026"),
    ])
    def test_numbers_and_dates_as_dutch_excel_reads_them(self, value, written):
        assert downloads.cell(value) == written  # a number is never taken for a formula

    def test_semicolons_bom_crlf_and_quoting(self):
        data = downloads.csv_bytes(["naam", "bedrag"], [["Jansen; Zn", Decimal("1.50")], ['Zei "ja"', None]])
        assert data == BOM + b'naam;bedrag\r\n"Jansen; Zn";1,50\r\n"Zei ""ja""";\r\n'

    def test_streams_in_pieces(self, monkeypatch):
        monkeypatch.setattr(downloads, "CHUNK_CHARS", 10)
        pieces = list(downloads.iter_csv(["a"], ([f"rij {i}"] for i in range(5))))
        assert pieces[0] == downloads.BOM and len(pieces) > 3
        assert "".join(pieces) == "\ufeffa\r\n" + "".join(f"rij {i}\r\n" for i in range(5))


# ---------------------------------------------------------------- the signal list's download


class TestSignalListDownload:
    def test_is_excel_style_and_neutralised(self, inspector, mirror):
        registered = make_signal(naam_incassant="Noordkaap Incasso BV", hoofdsom="1250,00", incassokosten="450,00")
        formula = make_signal(naam_incassant="=HYPERLINK(\"http://x\")", referentie="+31-REF", telefoon="+31 6 1234 5678")
        response = inspector.get("/signalen/export.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.is_streamed
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="signalen-oordelen-{today_local().isoformat()}.csv"')
        rows = read(response.data)
        assert tuple(rows[0]) == DOWNLOAD_COLUMNS and tuple(rows[0][:len(EXPORT_COLUMNS)]) == EXPORT_COLUMNS
        by_ref = {row["referentie"]: row for row in records(response.data)}
        first = by_ref[registered.referentie]
        assert first["oordeel"] == "geregistreerd" and first["registratienummer"] == "R2024-00001"
        assert first["bik_maximum"] == "187,50" and first["bik_overschrijding"] == "223,12"  # decimal comma
        assert first["score"] == str(registered.score) and first["peildatum"] == "02-03-2026"
        assert first["ontvangen_op"] == "10-03-2026" and first["status"] == "open" and first["bron"] == "consument"
        second = by_ref["'+31-REF"]
        assert second["naam_incassant"] == "'=HYPERLINK(\"http://x\")"
        assert second["verdachte_id"] == str(formula.suspect_id)  # a number, not neutralised
        assert all(not value.startswith(downloads.FORMULA_START) for row in rows for value in row)

    def test_byte_for_byte(self, inspector, mirror):
        """The file as it was before the downloads shared one writer. The explanation's wording belongs to
        the matcher (its own tests): taken from the file, but its quoting (it holds a ``;``) is checked."""
        make_signal(naam_incassant="Noordkaap Incasso BV", hoofdsom="1250,00", incassokosten="450,00", referentie="=R1")
        data = inspector.get("/signalen/export.csv?zoek=Noordkaap").data
        (row,) = records(data)
        assert ";" in row["toelichting"]
        assert data == (
            b"\xef\xbb\xbfreferentie;oordeel;registratienummer;verdachte_id;score;toelichting;bik_maximum;"
            b"bik_overschrijding;bron;ontvangen_op;peildatum;naam_incassant;status\r\n"
            b"'=R1;geregistreerd;R2024-00001;;100;\"" + row["toelichting"].encode() + b"\";187,50;223,12;consument;"
            b"10-03-2026;02-03-2026;Noordkaap Incasso BV;open\r\n")

    def test_has_the_filters_and_the_order_of_the_page(self, inspector, mirror):
        a = make_signal(naam_incassant="Alfa Vorderingen", datum_brief="2026-02-01", bron="gemeente")
        b = make_signal(naam_incassant="Bravo Vorderingen", datum_brief="2026-03-05", bron="gemeente")
        c = make_signal(naam_incassant="Charlie Vorderingen", datum_brief="2026-03-06", bron="gemeente")
        make_signal(naam_incassant="Delta Vorderingen", datum_brief="2026-03-07", bron="consument")
        query = "bron=gemeente&peildatum_van=2026-03-01&sorteer=peildatum&volgorde=af"
        shown = re.findall(r'href="/signalen/\d+">([^<]+)</a>', inspector.get("/signalen/?" + query).get_data(as_text=True))
        assert shown == [c.referentie, b.referentie]
        assert f'href="/signalen/export.csv?{query.replace("&", "&amp;")}"' in inspector.get(
            "/signalen/?" + query).get_data(as_text=True)  # the page offers exactly its own selection
        exported = [row["referentie"] for row in records(inspector.get("/signalen/export.csv?" + query).data)]
        assert exported == shown
        assert a.referentie not in exported

    def test_not_limited_to_one_page(self, inspector, mirror, monkeypatch):
        from wki.signals import views

        monkeypatch.setattr(views, "PER_PAGE", 1)
        for n in range(3):
            make_signal(naam_incassant=f"Bureau {n}")
        assert len(records(inspector.get("/signalen/export.csv").data)) == 3

    def test_a_decision_wins_as_in_the_cli_export(self, inspector, mirror):
        signal = make_signal(naam_incassant="Snelgeld Inning")
        decide_verdict(signal.id, verdict="onzeker", registratienummer=None, reason="Eerst navragen.",
                       actor=Actor.process("test"))
        (row,) = records(inspector.get("/signalen/export.csv?oordeel=handmatig").data)
        assert row["oordeel"] == "onzeker" and row["toelichting"].startswith("handmatig vastgesteld: Eerst navragen.")

    def test_who_took_which_selection_is_recorded(self, inspector, mirror):
        make_signal(naam_incassant="Snelgeld Inning")
        assert inspector.get("/signalen/export.csv?bron=gemeente&peildatum_tot=2026-03-31").status_code == 200
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "signalen.geexporteerd"))
        assert event.actor_email == inspector.user.email
        assert event.after["source"] == "gemeente" and event.after["date_to"] == "2026-03-31"

    def test_a_wrong_filter_gets_the_page_with_its_message_and_no_file(self, inspector, mirror):
        response = inspector.get("/signalen/export.csv?peildatum_van=2026-04-01&peildatum_tot=2026-03-01")
        assert response.status_code == 400 and response.mimetype == "text/html"
        assert "De peildatum ‘tot en met’ ligt vóór de peildatum ‘van’." in response.get_data(as_text=True)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "signalen.geexporteerd")) == 0

    def test_only_for_the_signals_roles(self, login_as, mirror):
        assert login_as(Role.VOORLICHTING).get("/signalen/export.csv").status_code == 403
        assert login_as(Role.HANDHAVER).get("/signalen/export.csv").status_code == 200


class TestCliExportStaysExact:
    def test_comma_separated_without_bom_and_unescaped(self, app, mirror, tmp_path):
        make_signal(naam_incassant="Noordkaap Incasso BV", hoofdsom="1250,00", incassokosten="450,00",
                    referentie="=FORMULE")
        db.session.commit()
        path = tmp_path / "oordelen.csv"
        result = app.test_cli_runner().invoke(args=["signals", "export", str(path)])
        assert result.exit_code == 0, result.output
        data = path.read_bytes()
        assert not data.startswith(BOM)
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
        assert tuple(rows[0]) == EXPORT_COLUMNS
        assert rows[0]["referentie"] == "=FORMULE" and rows[0]["bik_maximum"] == "187.50"


# ---------------------------------------------------------------- a bulk file's skipped rows


class TestRejectsDownload:
    def test_excel_style_neutralised_and_in_dutch(self, inspector, mirror):
        data = signals_csv([signal_row(1), signal_row(2, naam_incassant="=cmd|' /C calc'!A0", ontvangen_op="gisteren"),
                            signal_row(3, hoofdsom="veel", telefoon="+31 20 123 4567")])
        record = import_signals(data, file_name="deels.csv", actor=Actor.process("test"), skip_invalid=True).record
        response = inspector.get(f"/signalen/importeren/{record.id}/afgekeurd.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="signalen-import-{record.id}-afgekeurd.csv"')
        rows = records(response.data)
        assert [row["regel"] for row in rows] == ["3", "4"]
        assert rows[0]["naam_incassant"] == "'=cmd|' /C calc'!A0" and rows[1]["telefoon"] == "'+31 20 123 4567"
        assert rows[0]["fouten"] == "regel 3, kolom Ontvangen op: is geen datum (gebruik JJJJ-MM-DD of DD-MM-JJJJ) " \
                                    "(waarde 'gisteren')"
        assert rows[1]["fouten"] == "regel 4, kolom Hoofdsom: is geen bedrag (waarde 'veel')"

    def test_the_corrected_rows_read_back_in(self, inspector, mirror):
        data = signals_csv([signal_row(1, telefoon="+31 20 123 4567", ontvangen_op="gisteren")])
        record = import_signals(data, file_name="fout.csv", actor=Actor.process("test"), skip_invalid=True).record
        rejects = inspector.get(f"/signalen/importeren/{record.id}/afgekeurd.csv").data
        fixed = rejects.replace(b"gisteren", b"2026-03-10")
        result = import_signals(fixed, file_name="verbeterd.csv", actor=Actor.process("test"))
        assert result.counts == {"nieuw": 1, "dubbel": 0, "ongeldig": 0}
        assert set(result.unknown_columns) == {"regel", "fouten"}
        signal = db.session.get(Signal, result.signal_ids[0])
        assert signal.phone == "0201234567"


# ---------------------------------------------------------------- the other downloads follow the same convention


def test_the_audit_export_follows_the_convention(admin_client, db_session):
    from wki.core import audit

    audit.record("test.actie", object_type="x", object_id="=HYPERLINK(1)", actor=Actor.process("+31@example.nl"))
    response = admin_client.get("/beheer/audit/export.csv", query_string={"object_id": "=HYPERLINK(1)"})
    assert response.status_code == 200 and response.is_streamed
    (row,) = records(response.data)
    assert row["object_id"] == "'=HYPERLINK(1)" and row["gebruiker"] == "'+31@example.nl"


def test_the_register_export_follows_the_convention(login_as, db_session):
    load([register_row(1, telefoon="+31 50 312 3456", naam="=Incasso B.V.")], date(2026, 1, 5))
    response = login_as(Role.INSPECTEUR).get("/register/export.csv")
    assert response.status_code == 200
    (row,) = records(response.data)
    assert row["naam"] == "'=Incasso B.V." and row["telefoon"] == "'+31 50 312 3456"
