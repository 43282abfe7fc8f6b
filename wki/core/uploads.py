"""What an uploaded file is, by its bytes (never by its name's claim alone): PDF, PNG, JPEG, a Word or Excel
file (Office Open XML), or text (CSV or plain). Inspection evidence and the attachments of enforcement cases
(a written view, minutes) accept these."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

from wki.core.errors import ServiceError
from wki.core.images import image_format

FILE_TYPES = {
    "application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "text/csv": ".csv",
    "text/plain": ".txt",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}
_OOXML = {"xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def sniff_file(data: bytes, file_name: str, *, field: str = "bestand") -> str:
    """The content type by the bytes (never the name's claim alone): PDF, PNG, JPEG, a Word or Excel file,
    or text (CSV or plain); ServiceError (Dutch) for anything else."""
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise ServiceError("Het bestand is geen volledig PDF-bestand.", field=field)
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff"):
        return "image/png" if image_format(data, field=field) == "PNG" else "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError):
            raise ServiceError("Het bestand is een beschadigd Office-bestand.", field=field) from None
        if "[Content_Types].xml" in names:
            for prefix, kind in _OOXML.items():
                if any(n.startswith(prefix) for n in names):
                    return kind
        raise ServiceError("Het zip-bestand is geen Word- of Excel-bestand; pak het uit en voeg de stukken los toe.",
                           field=field)
    if b"\x00" not in data[:8192]:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                data.decode("cp1252")
            except UnicodeDecodeError:
                raise ServiceError("Het tekstbestand is niet te lezen (geen UTF-8 of Windows-1252).",
                                   field=field) from None
        return "text/csv" if Path(file_name).suffix.lower() == ".csv" else "text/plain"
    raise ServiceError("Dit soort bestand wordt niet aangenomen: voeg een PDF, afbeelding (PNG of JPEG), "
                       "Word-, Excel-, CSV- of tekstbestand toe.", field=field)
