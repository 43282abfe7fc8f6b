"""Attachments: type by content, size limit, content-addressed storage, and stray files cleaned up."""

from __future__ import annotations

import io
import os
import struct
import time
import zlib

import pytest
from PIL import Image

from wki.core.actors import Actor
from wki.core.errors import ServiceError
from wki.core.housekeeping import run_housekeeping
from wki.signals.attachments import attachment_path, purge_orphan_attachments, read_attachment, store_attachment

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


def test_types_are_taken_from_the_content_not_the_name(db_session):
    assert store_attachment(PDF, "brief.png", actor=Actor.process("t")).content_type == "application/pdf"
    image = store_attachment(png(), "scan.pdf", actor=Actor.process("t"))
    assert image.content_type == "image/png" and image.file_name == "scan.png"
    with pytest.raises(ServiceError, match="PDF, PNG of JPEG"):
        store_attachment(b"<html><script>alert(1)</script>", "brief.pdf", actor=Actor.process("t"))
    with pytest.raises(ServiceError, match="beschadigde afbeelding"):
        store_attachment(b"\x89PNG\r\n\x1a\n" + b"rommel" * 10, "x.png", actor=Actor.process("t"))


def test_an_image_claiming_too_many_pixels_is_refused_at_the_field(db_session):
    # A few hundred bytes that claim 100,000 x 100,000 pixels: decoding would take gigabytes (issue 10, item 9).
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
            + chunk(b"IEND", b""))
    with pytest.raises(ServiceError, match="te groot") as refused:
        store_attachment(data, "scan.png", actor=Actor.process("t"))
    assert refused.value.field == "bijlage"


def test_size_limit_message_in_megabytes(app, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNAL_ATTACHMENT_MAX_BYTES", 1536 * 1024)
    with pytest.raises(ServiceError, match=r"groter dan 1,5 MB"):
        store_attachment(PDF + b" " * (2 * 1024 * 1024), "groot.pdf", actor=Actor.process("t"))


def test_same_bytes_stored_once_and_read_back(db_session):
    first = store_attachment(PDF, "a.pdf", actor=Actor.process("t"))
    second = store_attachment(PDF, "b.pdf", actor=Actor.process("t"))
    assert first.sha256 == second.sha256 and read_attachment(second) == PDF
    attachment_path(first.sha256).unlink()
    with pytest.raises(ServiceError, match="ontbreekt"):
        read_attachment(first)


def test_housekeeping_removes_files_no_signal_names(app, db_session):
    kept = store_attachment(PDF, "a.pdf", actor=Actor.process("t"))
    stray = attachment_path("ab" + "0" * 62)
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"left behind by a refused form")
    fresh = attachment_path("cd" + "0" * 62)
    fresh.parent.mkdir(parents=True, exist_ok=True)
    fresh.write_bytes(b"a request still running")
    old = time.time() - 2 * 86400
    os.utime(stray, (old, old))
    os.utime(attachment_path(kept.sha256), (old, old))
    db_session.flush()
    assert run_housekeeping()["losse_bijlagen_verwijderd"] == 1
    assert not stray.exists() and fresh.exists() and attachment_path(kept.sha256).exists()
    assert purge_orphan_attachments() == 0
