"""A signal's attachment (the letter, a screenshot): checked by its bytes, stored once by its content
(SHA-256) under SIGNAL_ATTACHMENT_DIR, read back verified, and stored files no row names purged.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from wki.core.actors import Actor
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.images import image_format
from wki.core.service import service
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


def attachment_path(sha256: str) -> Path:
    return Path(current_app.config["SIGNAL_ATTACHMENT_DIR"]) / sha256[:2] / sha256


@service
def store_attachment(data: bytes, file_name: str, *, actor: Actor) -> SignalAttachment:
    limit = int(current_app.config["SIGNAL_ATTACHMENT_MAX_BYTES"])
    if not data:
        raise ServiceError("De bijlage is leeg.", field="bijlage")
    if len(data) > limit:
        size = f"{limit / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",")
        raise ServiceError(f"De bijlage is groter dan {size} MB.", field="bijlage")
    content_type = sniff_attachment(data)
    sha256 = hashlib.sha256(data).hexdigest()
    path = attachment_path(sha256)
    if not path.exists():  # content-addressed: the same bytes are stored once, never overwritten
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    safe_name = Path(file_name or "bijlage").name.replace("\x00", "")[:200] or "bijlage"
    stem = Path(safe_name).stem or "bijlage"
    attachment = SignalAttachment(sha256=sha256, file_name=stem + ATTACHMENT_TYPES[content_type],
                                  content_type=content_type, size=len(data), created_by=actor.label)
    db.session.add(attachment)
    return attachment


def read_attachment(attachment: SignalAttachment) -> bytes:
    try:
        data = attachment_path(attachment.sha256).read_bytes()
    except OSError:
        current_app.logger.error("attachment missing", extra={"sha256": attachment.sha256})
        raise ServiceError("De bijlage is niet te lezen: het bestand ontbreekt in de opslag.") from None
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise ServiceError("De opgeslagen bijlage is beschadigd.")
    return data


def purge_orphan_attachments(*, older_than_hours: int = 24) -> int:
    """Remove stored files that no attachment row names: written for a signal whose transaction was
    rolled back (a refused form). Files younger than a day are left, they may belong to a request
    that is still running."""
    import time

    root = Path(current_app.config["SIGNAL_ATTACHMENT_DIR"])
    if not root.is_dir():
        return 0
    known = set(db.session.scalars(sa.select(SignalAttachment.sha256)))
    cutoff = time.time() - older_than_hours * 3600
    removed = 0
    for path in root.glob("??/*"):
        if path.name.startswith(".upload-") or path.name in known or not path.is_file():
            continue
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
