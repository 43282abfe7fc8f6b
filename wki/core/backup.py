"""Back-ups of a whole installation: the database and every content store, in one file, and their restore
into an empty installation (``flask backup create|verify|restore``, wki/core/backup_cli.py).

A back-up is one uncompressed tar file holding

- ``database.sqlite3`` (SQLite: a copy made with SQLite's online backup API, a consistent snapshot also
  while the application keeps writing) or ``database.pgdump`` (PostgreSQL: ``pg_dump --format=custom``,
  already compressed, taken in a snapshot whose row counts the manifest records);
- ``stores/<CONFIG_KEY>/ab/abcdef…``: every file of every content store (``STORE_KEYS``), under its SHA-256;
- ``manifest.json``, written last: format version, when, the database kind and alembic revision, the row
  count of every table in the dump, and the SHA-256 and size of the dump and of every store file.

Consistency: the database is dumped first and the stores are copied after it. The stores are
content-addressed and append-only (a file is written, and flushed, before the transaction that names it
commits, and never changed), so every file the dump names is already there when the stores are copied; files
added after the dump are copied too and are harmless (housekeeping removes the unreferenced ones after a
restore). The one gap: a file that housekeeping or retention removes between the dump and its copy (its
record already gone from the database, not yet from the dump) is missing from the back-up; the command
names how many vanished that way (normally none: housekeeping runs at night).

The file is written as ``PATH.partial``, flushed to disk and renamed to ``PATH`` when complete, so a ``PATH``
that exists is a finished back-up; a crash leaves at most the ``.partial`` file.

Restoring refuses anything but an EMPTY installation: a database without any table (a new, empty database:
do not run ``flask db upgrade`` first) and content stores without files other than the back-up's own (so
a restore broken off after the files can be run again). The whole back-up is read and every SHA-256 checked
before anything is written; the store files are written first (each checked again), then the database
(PostgreSQL: ``pg_restore --single-transaction``, all or nothing; SQLite: the backup API into the configured
file, one transaction), and finally the row counts are compared with the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from flask import current_app

from wki.core import audit
from wki.core.actors import Actor
from wki.core.audit_actions import BackupAction
from wki.core.extensions import db
from wki.core.service import service
from wki.core.storage import DirectoryStore, sha256_of

FORMAT = "wki-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
STORES_DIR = "stores"
DB_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Every content store (config.py; ``store_for`` is only ever called with these: tests/core/test_backup.py
# checks that a new store is added here).
STORE_KEYS = ("SIGNAL_ATTACHMENT_DIR", "DOCUMENT_STORE_DIR", "EVIDENCE_STORE_DIR", "CASE_STORE_DIR")
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A back-up could not be made, checked or restored; ``message`` is Dutch, for the operator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class BackupSummary:
    path: Path
    manifest: dict[str, Any]
    size: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.manifest["tables"].values())

    @property
    def files(self) -> int:
        return sum(len(store["files"]) for store in self.manifest["stores"].values())


# ---------------------------------------------------------------------------------------------- helpers


def database_kind() -> str:
    name = db.engine.dialect.name
    if name not in DB_MEMBERS:
        raise BackupError(f"Back-ups van een {name}-database worden niet ondersteund (alleen SQLite en PostgreSQL).")
    return name


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise BackupError("De database staat alleen in het geheugen; daar is geen back-up van te maken of in terug "
                          "te zetten.")
    return Path(database)


def _libpq_env_and_uri() -> tuple[dict[str, str], str]:
    """The configured PostgreSQL database as a libpq URI, with its password in ``PGPASSWORD`` (never on the
    command line, where ``ps`` shows it)."""
    url = db.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return env, uri


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(f"{args[0]} is niet gevonden: installeer de PostgreSQL-clientprogramma's "
                          "(Debian: postgresql-client, dezelfde hoofdversie als de server).") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{what} mislukte ({args[0]}): " + " ".join(detail[-3:]))


def _table_counts(conn: sa.Connection) -> dict[str, int]:
    names = sorted(sa.inspect(conn).get_table_names())
    return {name: int(conn.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar_one())
            for name in names}


def _alembic_head(counts_conn: sa.Connection) -> str | None:
    if "alembic_version" not in sa.inspect(counts_conn).get_table_names():
        return None
    return counts_conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _stores() -> dict[str, DirectoryStore]:
    return {key: DirectoryStore(current_app.config[key]) for key in STORE_KEYS}


def _store_member(key: str, sha256: str) -> str:
    return f"{STORES_DIR}/{key}/{sha256[:2]}/{sha256}"


class _Hashing(io.RawIOBase):
    """A file read through: the bytes read are hashed (tarfile reads a member's bytes from it)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


# ---------------------------------------------------------------------------------------------- create


@contextmanager
def _database_dump(workdir: Path) -> Iterator[tuple[Path, dict[str, int], str | None]]:
    """Dump the configured database into ``workdir``: (the dump, row count per table, alembic revision),
    both taken from the same snapshot the dump holds."""
    kind = database_kind()
    if kind == "sqlite":
        target = workdir / DB_MEMBERS["sqlite"]
        source = sqlite3.connect(str(_sqlite_path()), timeout=30)
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)  # all pages in one step: one read transaction, one consistent snapshot
        finally:
            source.close()
        try:
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            engine = sa.create_engine(f"sqlite:///{target}")
            with engine.connect() as conn:
                counts, head = _table_counts(conn), _alembic_head(conn)
            engine.dispose()
        finally:
            copy.close()
        yield target, counts, head
        return
    target = workdir / DB_MEMBERS["postgresql"]
    env, uri = _libpq_env_and_uri()
    # A REPEATABLE READ transaction exports its snapshot; pg_dump dumps exactly that snapshot, so the counts
    # taken in the transaction are the dump's own.
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
        snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
        counts, head = _table_counts(conn), _alembic_head(conn)
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}", f"--dbname={uri}"],
             env, "De databasedump")
    yield target, counts, head


def _default_name() -> str:
    return f"wki-backup-{datetime.now(UTC):%Y%m%d-%H%M%S}.tar"


def create_backup(path: str | Path) -> BackupSummary:
    """Write a back-up of the configured database and every content store to ``path`` (a directory: a new,
    dated file in it). An existing file is never overwritten."""
    target = Path(path)
    if target.is_dir():
        target = target / _default_name()
    if target.exists():
        raise BackupError(f"{target} bestaat al; kies een nieuwe naam (een back-up wordt nooit overschreven).")
    if not target.parent.is_dir():
        raise BackupError(f"De map {target.parent} bestaat niet.")
    kind = database_kind()
    partial = target.with_name(target.name + ".partial")
    summary = BackupSummary(path=target, manifest={})
    vanished: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix=".wki-backup-", dir=target.parent) as tmp, \
                _database_dump(Path(tmp)) as (dump, counts, head), partial.open("wb") as out:
            manifest: dict[str, Any] = {
                "format": FORMAT, "format_version": FORMAT_VERSION,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "database": {"kind": kind, "alembic_revision": head, "member": DB_MEMBERS[kind],
                             "sha256": _file_sha256(dump), "size": dump.stat().st_size},
                "tables": counts, "stores": {},
            }
            with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
                tar.add(dump, arcname=DB_MEMBERS[kind], recursive=False)
                for key, store in _stores().items():
                    files = []
                    for stored in sorted(store.keys(), key=lambda k: k.sha256):
                        file_path = store.path_of(stored.sha256)
                        try:
                            info = tar.gettarinfo(str(file_path), arcname=_store_member(key, stored.sha256))
                            handle = file_path.open("rb")
                        except FileNotFoundError:  # removed since it was listed (housekeeping, retention)
                            vanished.append(f"{key}/{stored.sha256}")
                            continue
                        with handle:  # once open, a removal no longer matters: the bytes stay readable
                            reader = _Hashing(handle)
                            tar.addfile(info, reader)
                        if reader.digest.hexdigest() != stored.sha256:
                            raise BackupError(f"Het bestand {stored.sha256} in {key} ({store.root}) is beschadigd "
                                              "(de controlewaarde klopt niet); herstel het uit een eerdere back-up "
                                              "en probeer het opnieuw.")
                        files.append({"sha256": stored.sha256, "size": info.size})
                    manifest["stores"][key] = {"files": files}
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
                tar.addfile(info, io.BytesIO(data))
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
        _fsync_dir(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    summary.manifest = manifest
    summary.size = target.stat().st_size
    if vanished:
        one = len(vanished) == 1
        summary.warnings.append(f"{len(vanished)} {'bestand is' if one else 'bestanden zijn'} tijdens de back-up uit de "
                                f"opslag verwijderd (opgeruimd) en {'staat' if one else 'staan'} er niet in: "
                                f"{', '.join(vanished[:3])}{' …' if len(vanished) > 3 else ''}.")
    return summary


@service
def record_created(summary: BackupSummary, *, actor: Actor) -> None:
    audit.record(BackupAction.CREATED, object_type="backup", object_id=summary.path.name, actor=actor,
                 after=_audit_facts(summary))


def _audit_facts(summary: BackupSummary) -> dict[str, Any]:
    return {"pad": str(summary.path), "gemaakt_op": summary.manifest["created_at"],
            "database": summary.manifest["database"]["kind"], "rijen": summary.rows, "bestanden": summary.files}


# ---------------------------------------------------------------------------------------------- verify


def _open_tar(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise BackupError(f"{path} bestaat niet of is geen bestand.")
    try:
        return tarfile.open(path, mode="r:")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path} is geen leesbare back-up ({exc}).") from None


def _damaged(path: Path, detail: str) -> BackupError:
    return BackupError(f"De back-up {path} is beschadigd of onvolledig: {detail}. Er is niets teruggezet.")


def read_manifest(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    with _open_tar(path) as tar:
        try:
            member = tar.getmember(MANIFEST)
            handle = tar.extractfile(member)
            manifest = json.loads(handle.read()) if handle else None
        except KeyError:
            raise _damaged(path, "de inhoudsopgave (manifest.json) ontbreekt") from None
        except (tarfile.TarError, OSError, ValueError) as exc:
            raise _damaged(path, f"de inhoudsopgave is niet te lezen ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is geen back-up van deze applicatie.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path} heeft opmaakversie {manifest.get('format_version')}; deze versie van de applicatie "
                          f"leest alleen versie {FORMAT_VERSION}.")
    try:
        database, stores, tables = manifest["database"], manifest["stores"], manifest["tables"]
        well_formed = (database["kind"] in DB_MEMBERS and database["member"] == DB_MEMBERS[database["kind"]]
                       and isinstance(database["sha256"], str) and isinstance(database["size"], int)
                       and all(isinstance(n, int) for n in tables.values())
                       and all(isinstance(f["sha256"], str) and isinstance(f["size"], int)
                               for store in stores.values() for f in store["files"]))
    except (KeyError, TypeError, AttributeError):
        well_formed = False
    if not well_formed:
        raise _damaged(path, "de inhoudsopgave (manifest.json) is onvolledig")
    return manifest


def verify_backup(path: str | Path, *, extract_database_to: Path | None = None) -> BackupSummary:
    """Read the whole back-up and check every member against the manifest (SHA-256 and size), and that
    nothing is missing or extra. ``extract_database_to``: also write the dump there (restore uses the copy
    it checked)."""
    path = Path(path)
    manifest = read_manifest(path)
    expected: dict[str, tuple[str, int]] = {
        manifest["database"]["member"]: (manifest["database"]["sha256"], manifest["database"]["size"])}
    for key, store in manifest["stores"].items():
        if key not in STORE_KEYS:
            raise _damaged(path, f"onbekende opslag {key}")
        for entry in store["files"]:
            expected[_store_member(key, entry["sha256"])] = (entry["sha256"], entry["size"])
    seen: set[str] = set()
    with _open_tar(path) as tar:
        try:
            for member in tar:
                if member.name == MANIFEST:
                    continue
                if member.name not in expected or not member.isfile():
                    raise _damaged(path, f"onverwacht onderdeel {member.name!r}")
                if member.name in seen:
                    raise _damaged(path, f"{member.name} staat er twee keer in")
                sha256, size = expected[member.name]
                handle = tar.extractfile(member)
                assert handle is not None  # a regular file
                digest = hashlib.sha256()
                sink = extract_database_to.open("wb") if (
                    extract_database_to is not None and member.name == manifest["database"]["member"]) else None
                try:
                    read = 0
                    while chunk := handle.read(_CHUNK):
                        digest.update(chunk)
                        read += len(chunk)
                        if sink:
                            sink.write(chunk)
                finally:
                    if sink:
                        sink.close()
                if read != size or digest.hexdigest() != sha256:
                    raise _damaged(path, f"{member.name} klopt niet met de controlewaarde")
                seen.add(member.name)
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise _damaged(path, f"het bestand is niet tot het einde te lezen ({exc})") from None
    missing = sorted(set(expected) - seen)
    if missing:
        raise _damaged(path, f"{len(missing)} onderdelen ontbreken, zoals {missing[0]}")
    return BackupSummary(path=path, manifest=manifest, size=path.stat().st_size)


# ---------------------------------------------------------------------------------------------- restore


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    migrate = current_app.extensions["migrate"]
    config = migrate.migrate.get_config(migrate.directory)
    return {rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()}


def _head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    migrate = current_app.extensions["migrate"]
    return ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory)).get_current_head()


def _database_objects() -> tuple[list[str], list[str]]:
    """The configured database's tables and (PostgreSQL) sequences."""
    with db.engine.connect() as conn:
        inspector = sa.inspect(conn)
        sequences = inspector.get_sequence_names() if conn.dialect.name == "postgresql" else []
        return list(inspector.get_table_names()), list(sequences)


def check_empty_installation(manifest: dict[str, Any]) -> None:
    """Refuse (BackupError) unless the database has no tables and the stores hold no file that is not in
    the back-up."""
    kind = database_kind()
    if kind == "sqlite":
        _sqlite_path()
    tables, sequences = _database_objects()
    if tables or sequences:
        what = f"{len(tables)} tabellen, zoals {sorted(tables)[0]}" if tables else f"{len(sequences)} reeksen"
        raise BackupError(f"De database is niet leeg ({what}). Terugzetten "
                          "kan alleen in een lege installatie: maak een nieuwe, lege database (zonder "
                          "'flask db upgrade') en lege opslagmappen. Er is niets veranderd.")
    for key, store in _stores().items():
        allowed = {entry["sha256"] for entry in manifest["stores"].get(key, {}).get("files", [])}
        foreign = [k.sha256 for k in list(store.keys()) if k.sha256 not in allowed]
        if foreign:
            raise BackupError(f"De opslag {key} ({store.root}) bevat al {len(foreign)} bestanden die niet in de back-up "
                              "staan. Terugzetten kan alleen in een lege installatie. Er is niets veranderd.")


def restore_backup(path: str | Path) -> BackupSummary:
    """Restore the back-up at ``path`` into this EMPTY installation (see the module docstring)."""
    path = Path(path)
    manifest = read_manifest(path)
    kind = database_kind()
    if manifest["database"]["kind"] != kind:
        raise BackupError(f"Dit is een back-up van een {manifest['database']['kind']}-database; deze installatie gebruikt "
                          f"{kind}. Er is niets veranderd.")
    revision = manifest["database"]["alembic_revision"]
    if revision not in _known_revisions():
        raise BackupError(f"De back-up is van databaseversie {revision}, die deze versie van de applicatie niet kent "
                          "(een nieuwere?). Installeer dezelfde of een nieuwere versie. Er is niets veranderd.")
    check_empty_installation(manifest)
    workdir = Path(tempfile.mkdtemp(prefix="wki-restore-"))
    try:
        dump = workdir / manifest["database"]["member"]
        summary = verify_backup(path, extract_database_to=dump)  # every hash checked before anything is written
        _restore_stores(path, manifest)
        db.session.remove()
        db.engine.dispose()
        if kind == "sqlite":
            target = _sqlite_path()
            target.parent.mkdir(parents=True, exist_ok=True)
            source = sqlite3.connect(str(dump))
            dest = sqlite3.connect(str(target), timeout=30)
            try:
                source.backup(dest)
            finally:
                source.close()
                dest.close()
        else:
            env, uri = _libpq_env_and_uri()
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                  f"--dbname={uri}", str(dump)], env, "Het terugzetten van de database")
        db.engine.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    with db.engine.connect() as conn:
        counts = _table_counts(conn)
    differ = sorted(name for name in set(counts) | set(manifest["tables"])
                    if counts.get(name) != manifest["tables"].get(name))
    if differ:
        raise BackupError(f"De teruggezette database telt andere aantallen rijen dan de back-up in {', '.join(differ[:5])}; "
                          "controleer de installatie.")
    if revision != _head_revision():
        summary.warnings.append(f"De database is van versie {revision}; voer 'flask db upgrade' uit om hem bij te werken "
                                f"naar {_head_revision()}.")
    return summary


def _restore_stores(path: Path, manifest: dict[str, Any]) -> None:
    stores = _stores()
    with _open_tar(path) as tar:
        for member in tar:
            parts = member.name.split("/")
            if len(parts) != 4 or parts[0] != STORES_DIR:
                continue
            key, sha256 = parts[1], parts[3]
            store = stores[key]
            handle = tar.extractfile(member)
            data = handle.read() if handle else b""
            if sha256_of(data) != sha256:
                raise BackupError(f"{member.name} in {path} veranderde tijdens het terugzetten (de controlewaarde klopt "
                                  "niet meer). De database is niet teruggezet; de opslagmappen kunnen al bestanden "
                                  "uit de back-up bevatten. Zet de back-up opnieuw terug vanaf een betrouwbare kopie.")
            store.put(data)


@service
def record_restored(summary: BackupSummary, *, actor: Actor) -> None:
    audit.record(BackupAction.RESTORED, object_type="backup", object_id=summary.path.name, actor=actor,
                 after=_audit_facts(summary))
