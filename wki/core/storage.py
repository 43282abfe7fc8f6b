"""Content-addressed storage of files: a signal's attachments, issued documents (and later inspections'
evidence). A file is stored under its SHA-256 and read back only after its hash is checked again, so a
name can never point at other bytes and nothing stored is ever overwritten.

``ContentStore`` is the interface; ``DirectoryStore`` keeps the files in a directory (``ab/abcdef…``), which
is what one machine, or several sharing a network file system, need. An S3-compatible object store would be
another implementation of the same five methods (put under the hash as key with ``If-None-Match: *``, get,
exists, delete, keys); the rest of the application only sees ``store_for(config_key)``.

Writing is atomic: the bytes go to a temporary file in the target directory, are flushed to disk and then
renamed into place; a crash leaves at most a ``.upload-`` file that ``keys()`` ignores. A full or
read-only disk raises ``StorageError`` with a Dutch message; the caller's transaction then records
nothing (an issued document without its PDF would be worse than none).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from flask import current_app

from wki.core.errors import ServiceError, UnavailableError

_HASH = re.compile(r"[0-9a-f]{64}")
TEMP_PREFIX = ".upload-"


class StorageError(UnavailableError):
    """The store could not write or read a file (disk full, unwritable, missing, damaged)."""


class StorageUnwritable(StorageError):
    """The store could not write (disk full, no rights, read-only): an operators' problem that passes, so
    queued work that meets it is tried again later rather than failed (wki/core/worker.py)."""


@dataclass(frozen=True)
class StoredKey:
    sha256: str
    modified: float  # seconds since the epoch


def check_upload_size(data: bytes, *, limit: int, what: str, field: str) -> None:
    """Refuse an empty upload or one over ``limit`` bytes, in Dutch; ``what``: "De bijlage", "Het bestand"."""
    if not data:
        raise ServiceError(f"{what} is leeg.", field=field)
    if len(data) > limit:
        size = f"{limit / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",")
        raise ServiceError(f"{what} is groter dan {size} MB.", field=field)


def stored_file_name(file_name: str | None, *, default: str, extension: str) -> str:
    """The name an upload is kept under: the stem of what the browser sent (without any folder, also a
    Windows one, and without NUL), up to 200 characters, with the extension of the type its bytes showed."""
    name = Path((file_name or default).replace("\\", "/")).name.replace("\x00", "")[:200] or default
    return (Path(name).stem or default) + extension


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checked(sha256: str) -> str:
    if not _HASH.fullmatch(sha256 or ""):
        raise ValueError(f"not a SHA-256 in hex: {sha256!r}")
    return sha256


class ContentStore(Protocol):
    """Files by their SHA-256 (lowercase hex)."""

    def put(self, data: bytes) -> str:
        """Store ``data`` (once: the same bytes again change nothing) and return its SHA-256."""
        ...

    def get(self, sha256: str) -> bytes:
        """The bytes stored under ``sha256``, verified; StorageError when missing or damaged."""
        ...

    def read_unverified(self, sha256: str) -> bytes:
        """The bytes as stored, unchecked (to verify them against a recorded hash); OSError if missing."""
        ...

    def exists(self, sha256: str) -> bool: ...

    def delete(self, sha256: str) -> None:
        """Remove a file (orphans, retention); deleting what is not there is no error."""
        ...

    def keys(self) -> Iterator[StoredKey]:
        """Every stored file (for housekeeping and verification)."""
        ...


class DirectoryStore:
    """A ``ContentStore`` in a directory: ``root/ab/abcdef…`` (the first two hex digits fan it out)."""

    def __init__(self, root: str | Path, *, label: str = "de opslag") -> None:
        self.root = Path(root)
        self.label = label  # Dutch, for messages: "de documentopslag"

    def __repr__(self) -> str:
        return f"<DirectoryStore {self.root}>"

    def path_of(self, sha256: str) -> Path:
        sha256 = _checked(sha256)
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        sha256 = sha256_of(data)
        path = self.path_of(sha256)
        if path.exists():  # content-addressed: the same bytes are stored once, never overwritten
            return sha256
        tmp: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
            tmp = None
        except OSError as exc:
            current_app.logger.error("store write failed", extra={"store": str(self.root), "error": str(exc)})
            raise StorageUnwritable(f"Het bestand kon niet worden opgeslagen in {self.label} ({_reason(exc)}). "
                               "Er is niets vastgelegd; probeer het later opnieuw of meld het de beheerder.") from exc
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
        return sha256

    def get(self, sha256: str) -> bytes:
        try:
            data = self.path_of(sha256).read_bytes()
        except OSError:
            current_app.logger.error("stored file missing", extra={"store": str(self.root), "sha256": sha256})
            raise StorageError(f"Het bestand is niet te lezen: het ontbreekt in {self.label}.") from None
        if sha256_of(data) != sha256:
            current_app.logger.error("stored file damaged", extra={"store": str(self.root), "sha256": sha256})
            raise StorageError(f"Het opgeslagen bestand in {self.label} is beschadigd (de controlewaarde klopt niet).")
        return data

    def read_unverified(self, sha256: str) -> bytes:
        return self.path_of(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def delete(self, sha256: str) -> None:
        self.path_of(sha256).unlink(missing_ok=True)

    def keys(self) -> Iterator[StoredKey]:
        if not self.root.is_dir():
            return
        for path in self.root.glob("??/*"):
            if path.name.startswith(TEMP_PREFIX) or not _HASH.fullmatch(path.name) or not path.is_file():
                continue
            yield StoredKey(path.name, path.stat().st_mtime)


def _reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ENOSPC:
        return "de schijf is vol"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "geen schrijfrechten"
    return exc.strerror or type(exc).__name__


def store_for(config_key: str, *, label: str = "de opslag") -> ContentStore:
    """The store whose location the app's configuration names under ``config_key`` (e.g.
    ``DOCUMENT_STORE_DIR``); one object per location per application."""
    root = str(current_app.config[config_key])
    stores: dict[str, ContentStore] = current_app.extensions.setdefault("wki.stores", {})
    if root not in stores:
        stores[root] = DirectoryStore(root, label=label)
    return stores[root]


def delete_unnamed(store: ContentStore, shas: set[str], named: set[str]) -> int:
    """Delete the files ``shas`` that no record names (``named``: those of them still named), after the commit
    that removed their rows; a crash before this leaves only unnamed files, which housekeeping removes.
    Returns how many were deleted."""
    deleted = 0
    for sha in sorted(shas - named):
        if store.exists(sha):
            store.delete(sha)
            deleted += 1
    return deleted


def purge_unreferenced(store: ContentStore, referenced: set[str], *, older_than_hours: float = 24) -> int:
    """Delete stored files no record names, once older than ``older_than_hours`` (younger ones may belong
    to a transaction still running). Returns how many were removed."""
    import time

    cutoff = time.time() - older_than_hours * 3600
    removed = 0
    for key in list(store.keys()):
        if key.sha256 in referenced or key.modified >= cutoff:
            continue
        store.delete(key.sha256)
        removed += 1
    return removed
