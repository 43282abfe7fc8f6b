"""A signal's attachment (the letter, a screenshot): checked by its bytes, stored once by its content
(SHA-256) in the core content store (core/storage.py) under SIGNAL_ATTACHMENT_DIR, read back verified, and
stored files no row names purged.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from wki.core.actors import Actor
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.images import image_format
from wki.core.service import service
from wki.core.storage import (
    ContentStore,
    DirectoryStore,
    check_upload_size,
    purge_unreferenced,
    store_for,
    stored_file_name,
)
from wki.signals.models import SignalAttachment

ATTACHMENT_TYPES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def sniff_attachment(data: bytes) -> str:
    """The content type by the bytes themselves (never the name or the browser's claim); ServiceError
    when the file is not a PDF, PNG or JPEG that opens."""
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise ServiceError("De bijlage is geen volledig PDF-bestand.", field="bijlage")
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff"):
        kind = image_format(data, field="bijlage")
        return "image/png" if kind == "PNG" else "image/jpeg"
    raise ServiceError("De bijlage moet een PDF, PNG of JPEG zijn.", field="bijlage")


def attachment_store() -> ContentStore:
    return store_for("SIGNAL_ATTACHMENT_DIR", label="de opslag van bijlagen")


def attachment_path(sha256: str) -> Path:
    """Where the directory store keeps a file (tests damage or remove it there)."""
    store = attachment_store()
    assert isinstance(store, DirectoryStore)
    return store.path_of(sha256)


@service
def store_attachment(data: bytes, file_name: str, *, actor: Actor) -> SignalAttachment:
    check_upload_size(data, limit=int(current_app.config["SIGNAL_ATTACHMENT_MAX_BYTES"]), what="De bijlage",
                      field="bijlage")
    content_type = sniff_attachment(data)
    sha256 = attachment_store().put(data)
    attachment = SignalAttachment(sha256=sha256,
                                  file_name=stored_file_name(file_name, default="bijlage",
                                                             extension=ATTACHMENT_TYPES[content_type]),
                                  content_type=content_type, size=len(data), created_by=actor.label)
    db.session.add(attachment)
    return attachment


def read_attachment(attachment: SignalAttachment) -> bytes:
    return attachment_store().get(attachment.sha256)


def purge_orphan_attachments(*, older_than_hours: int = 24) -> int:
    """Remove stored files that no attachment row names: written for a signal whose transaction was
    rolled back (a refused form). Files younger than a day are left, they may belong to a request
    that is still running."""
    known = set(db.session.scalars(sa.select(SignalAttachment.sha256)))
    return purge_unreferenced(attachment_store(), known, older_than_hours=older_than_hours)
