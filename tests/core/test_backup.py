"""Back-ups (``flask backup create|verify|restore``, wki/core/backup.py), on SQLite and PostgreSQL: a back-up
of an installation with registrations in several versions, a signal with its attachment, an issued document
and the audit trail is restored into a second, empty installation (its own database and store folders), and
every row of every table and every stored file is there and equal; a non-empty installation and a damaged
back-up are refused with nothing changed; a back-up taken while another thread writes is consistent."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tarfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from config import Config as BaseConfig
from config import TestingConfig
from tests.core.test_sequences import database_kinds
from tests.register.helpers import load, register_row
from tests.signals.helpers import signal_row
from wki import create_app
from wki.core import audit
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.audit_actions import BackupAction
from wki.core.backup import STORE_KEYS
from wki.core.extensions import db
from wki.core.sequences import current_value, next_value
from wki.core.storage import DirectoryStore, StoredKey, store_for
from wki.documents import issuing
from wki.documents.models import Document
from wki.documents.texts import get_letter_type
from wki.register.models import RegistrationVersion
from wki.signals.attachments import store_attachment
from wki.signals.models import Channel, Signal, SignalAttachment
from wki.signals.recording import create_signal

ACTOR = Actor("inspecteur@inspectie.example.nl")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@contextmanager
def installation(kind: str, root: Path, *, migrate: bool = True, revision: str = "head") -> Iterator[Flask]:
    """An installation of its own: a new database (migrated to ``revision``, or without any table) and all
    four content stores in folders under ``root``; the database is dropped afterwards."""
    root.mkdir(parents=True, exist_ok=True)
    drop = None
    if kind == "postgresql":
        base = sa.make_url(os.environ["TEST_DATABASE_URL"])
        name = f"wki_bak_{uuid.uuid4().hex[:10]}"
        server = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = base.set(database=name).render_as_string(hide_password=False)

        def drop() -> None:
            with server.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            server.dispose()
    else:
        url = f"sqlite:///{root / 'wki.sqlite3'}"

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = "backuptest-" + "x" * 32
        SCHEDULER_LOCK_PATH = str(root / "scheduler.lock")
        SIGNAL_ATTACHMENT_DIR = str(root / "bijlagen")
        DOCUMENT_STORE_DIR = str(root / "documenten")
        EVIDENCE_STORE_DIR = str(root / "bewijs")
        CASE_STORE_DIR = str(root / "zaken")

    application = create_app(Config)
    try:
        if migrate:
            with application.app_context():
                upgrade(revision=revision)
        yield application
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
        if drop:
            drop()


def fill(app: Flask) -> None:
    """Realistic data through the services: two register snapshots (registration 1 moved: two versions),
    a signal with its PDF attachment, an issued letter (its PDF in the document store), files in the
    evidence and case stores, and the audit events all of that records."""
    with app.app_context():
        load([register_row(1), register_row(2)], date(2026, 1, 5))
        db.session.commit()
        load([register_row(1, plaats="Zwolle", straat="Kerkstraat"), register_row(2), register_row(3)], date(2026, 2, 5))
        db.session.commit()
        attachment = store_attachment(PDF, "brief.pdf", actor=ACTOR)
        create_signal(signal_row(1, naam_incassant="Incassobureau 1 B.V."), channel=Channel.FORM, actor=ACTOR,
                      attachment=attachment)
        recipient = {
            "key": "registratie:R2024-00001", "naam": "Incassobureau 1 B.V.", "registratienummer": "R2024-00001",
            "suspect_id": None, "adresregels": ["Kerkstraat 1", "9711 AB  ZWOLLE"], "postcode": "9711 AB",
            "email": "info@incasso1.nl",
            "velden": {"registratienummer": "R2024-00001", "kvk_nummer": "10000001", "plaats": "Zwolle",
                       "geldig_tot": "13 mei 2027"},
        }
        issuing.issue_document(letter_type=get_letter_type("informatiebrief-sector"), recipient=recipient, actor=ACTOR,
                               document_date=date(2026, 12, 4))
        store_for("EVIDENCE_STORE_DIR").put(b"bewijsstuk: schermafdruk van de website")
        store_for("CASE_STORE_DIR").put(b"zienswijze van de incassant")
        db.session.commit()


def contents(app: Flask) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    with app.app_context(), db.engine.connect() as conn:
        tables = sorted(sa.inspect(conn).get_table_names())
        return {name: sorted((tuple(row) for row in conn.execute(sa.select(sa.table(name, *[
            sa.column(c["name"]) for c in sa.inspect(conn).get_columns(name)])))), key=repr) for name in tables}


def store_files(app: Flask) -> dict[str, dict[str, bytes]]:
    with app.app_context():
        result = {}
        for key in STORE_KEYS:
            store = store_for(key)
            result[key] = {k.sha256: store.get(k.sha256) for k in list(store.keys())}
        return result


def cli(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["backup", *args], catch_exceptions=False)


class Made:
    """A back-up of a filled installation, with what that installation held when it was taken."""

    def __init__(self, kind: str, path: Path, rows: dict[str, list[tuple]], files: dict[str, dict[str, bytes]],
                 output: str) -> None:
        self.kind, self.path, self.rows, self.files, self.output = kind, path, rows, files, output


@pytest.fixture(scope="module", params=database_kinds())
def made(request, tmp_path_factory) -> Iterator[Made]:
    kind = request.param
    root = tmp_path_factory.mktemp(f"bron-{kind}")
    with installation(kind, root / "installatie") as app:
        fill(app)
        rows, files = contents(app), store_files(app)
        result = cli(app, "create", str(root / "wki.tar"))
        assert result.exit_code == 0, result.output
        with app.app_context():
            created = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == BackupAction.CREATED.value)).all()
        assert [e.object_id for e in created] == ["wki.tar"] and created[0].actor_email.startswith("cli:")
        yield Made(kind, root / "wki.tar", rows, files, result.output)


def test_a_restored_backup_holds_every_row_and_every_file(made, tmp_path):
    assert made.path.is_file() and not made.path.with_name("wki.tar.partial").exists()
    assert "Back-up gemaakt" in made.output and "DOCUMENT_STORE_DIR: 1 bestand (" in made.output
    with installation(made.kind, tmp_path / "herstel", migrate=False) as target:
        result = cli(target, "restore", str(made.path))
        assert result.exit_code == 0, result.output
        assert "Back-up teruggezet" in result.output
        restored = contents(target)
        # Every table equal, row for row; the audit trail has one event more: the restore itself.
        assert set(restored) == set(made.rows)
        for table, rows in made.rows.items():
            if table != "audit_event":
                assert restored[table] == rows, table
        assert len(made.rows["registration_version"]) >= 4 and len(made.rows["signal"]) == 1
        assert len(made.rows["document"]) == 1 and len(made.rows["audit_event"]) >= 5
        extra = [row for row in restored["audit_event"] if row not in made.rows["audit_event"]]
        assert len(restored["audit_event"]) == len(made.rows["audit_event"]) + 1 and len(extra) == 1
        assert BackupAction.RESTORED.value in extra[0]
        # Every file back, byte for byte, in the new installation's own folders.
        assert store_files(target) == made.files and all(made.files[key] for key in STORE_KEYS)
        with target.app_context():
            versions = db.session.scalars(sa.select(RegistrationVersion).where(
                RegistrationVersion.registratienummer == "R2024-00001")).all()
            assert {v.plaats for v in versions} == {"Groningen", "Zwolle"}
            document = db.session.scalars(sa.select(Document)).one()
            pdf = issuing.document_store().get(document.sha256)  # read back only after its hash is checked
            assert hashlib.sha256(pdf).hexdigest() == document.sha256 and len(pdf) == document.size
            assert pdf.startswith(b"%PDF")
            signal = db.session.scalars(sa.select(Signal)).one()
            attachment = db.session.get(SignalAttachment, signal.attachment_id)
            assert store_for("SIGNAL_ATTACHMENT_DIR").get(attachment.sha256) == PDF
            # The restored installation works on: a new audit event after the restored ones.
            audit.record(BackupAction.CREATED, object_type="backup", object_id="test", actor=ACTOR)
            db.session.commit()


def test_verify_checks_every_file_without_restoring(made):
    with installation(made.kind, made.path.parent / f"verify-{uuid.uuid4().hex[:6]}", migrate=False) as app:
        result = cli(app, "verify", str(made.path))
        assert result.exit_code == 0, result.output
        assert "Back-up in orde" in result.output and "4 bestanden gecontroleerd" in result.output
        with app.app_context(), db.engine.connect() as conn:
            assert sa.inspect(conn).get_table_names() == []


def _tampered(source: Path, target: Path, *, member: str | None = None, truncate: bool = False) -> Path:
    """A copy of the back-up with one byte of ``member`` changed (its size stays), or cut short."""
    data = bytearray(source.read_bytes())
    if truncate:
        data = data[: len(data) // 2]
    if member is not None:
        with tarfile.open(source) as tar:
            info = tar.getmember(member)
        data[info.offset_data + 10] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def _store_member(made: Made, key: str) -> str:
    sha256 = next(iter(made.files[key]))
    return f"stores/{key}/{sha256[:2]}/{sha256}"


@pytest.mark.parametrize("damage", ["document", "database", "truncated"])
def test_a_damaged_backup_is_refused_and_nothing_is_written(made, tmp_path, damage):
    db_member = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[made.kind]
    bad = _tampered(made.path, tmp_path / "kapot.tar", truncate=damage == "truncated",
                    member={"document": _store_member(made, "DOCUMENT_STORE_DIR"), "database": db_member}.get(damage))
    with installation(made.kind, tmp_path / "herstel", migrate=False) as target:
        checked = cli(target, "verify", str(bad))
        assert checked.exit_code != 0 and "beschadigd of onvolledig" in checked.output
        result = cli(target, "restore", str(bad))
        assert result.exit_code != 0 and "beschadigd of onvolledig" in result.output
        assert "Er is niets teruggezet" in result.output
        with target.app_context(), db.engine.connect() as conn:
            assert sa.inspect(conn).get_table_names() == []
        assert store_files(target) == {key: {} for key in STORE_KEYS}


def test_restoring_into_an_installation_with_data_is_refused_and_changes_nothing(made, tmp_path):
    with installation(made.kind, tmp_path / "bestaand") as target:  # migrated: has tables (and seeded rows)
        with target.app_context():
            audit.record(BackupAction.CREATED, object_type="backup", object_id="eigen", actor=ACTOR)
            db.session.commit()
        before = contents(target)
        result = cli(target, "restore", str(made.path))
        assert result.exit_code != 0
        assert "De database is niet leeg" in result.output and "Er is niets veranderd" in result.output
        assert contents(target) == before
        assert store_files(target) == {key: {} for key in STORE_KEYS}


def test_restoring_over_foreign_files_in_a_store_is_refused(made, tmp_path):
    with installation(made.kind, tmp_path / "bestanden", migrate=False) as target:
        with target.app_context():
            foreign = store_for("DOCUMENT_STORE_DIR").put(b"een ander document")
        result = cli(target, "restore", str(made.path))
        assert result.exit_code != 0 and "DOCUMENT_STORE_DIR" in result.output and "niets veranderd" in result.output
        with target.app_context(), db.engine.connect() as conn:
            assert sa.inspect(conn).get_table_names() == []
        assert set(store_files(target)["DOCUMENT_STORE_DIR"]) == {foreign}
        assert all(not files for key, files in store_files(target).items() if key != "DOCUMENT_STORE_DIR")


def test_a_restore_broken_off_after_the_files_can_be_run_again(made, tmp_path):
    """The files are written before the database: the back-up's own files in the stores do not make the
    installation "not empty", so the restore is simply run again."""
    with installation(made.kind, tmp_path / "opnieuw", migrate=False) as target:
        with target.app_context():
            for key, files in made.files.items():
                store_for(key).put(next(iter(files.values())))  # the first run wrote some files, then stopped
        result = cli(target, "restore", str(made.path))
        assert result.exit_code == 0, result.output
        assert store_files(target) == made.files
        assert contents(target)["signal"] == made.rows["signal"]


def test_a_backup_of_the_other_database_kind_is_refused(made, tmp_path):
    other = "postgresql" if made.kind == "sqlite" else "sqlite"
    member = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[other]
    _with_manifest(made.path, tmp_path / "ander.tar", lambda m: m["database"].update(kind=other, member=member))
    with installation(made.kind, tmp_path / "herstel", migrate=False) as target:
        result = cli(target, "restore", str(tmp_path / "ander.tar"))
        assert result.exit_code != 0 and f"back-up van een {other}-database" in result.output
        with target.app_context(), db.engine.connect() as conn:
            assert sa.inspect(conn).get_table_names() == []


def _with_manifest(source: Path, target: Path, change) -> Path:
    """A copy of the back-up whose manifest ``change(manifest)`` altered."""
    with tarfile.open(source) as tar, tarfile.open(target, "w") as out:
        for member in tar:
            data = tar.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


def test_a_backup_of_an_unknown_newer_database_version_is_refused(made, tmp_path):
    newer = _with_manifest(made.path, tmp_path / "nieuwer.tar",
                           lambda m: m["database"].update(alembic_revision="0099_toekomst"))
    with installation(made.kind, tmp_path / "herstel", migrate=False) as target:
        result = cli(target, "restore", str(newer))
        assert result.exit_code != 0 and "0099_toekomst" in result.output and "niets veranderd" in result.output
        with target.app_context(), db.engine.connect() as conn:
            assert sa.inspect(conn).get_table_names() == []


def test_an_incomplete_manifest_is_refused(made, tmp_path):
    broken = _with_manifest(made.path, tmp_path / "half.tar", lambda m: m["stores"]["DOCUMENT_STORE_DIR"].pop("files"))
    with installation(made.kind, tmp_path / "herstel", migrate=False) as target:
        for command in ("verify", "restore"):
            result = cli(target, command, str(broken))
            assert result.exit_code != 0 and "inhoudsopgave (manifest.json) is onvolledig" in result.output
        assert store_files(target) == {key: {} for key in STORE_KEYS}


@pytest.mark.parametrize("kind", database_kinds())
def test_a_backup_of_an_older_version_is_restored_and_then_upgraded(kind, tmp_path):
    """A back-up made before the latest migration is restored as it was; the operator is told to upgrade,
    and the upgrade then runs on the restored data."""
    with installation(kind, tmp_path / "oud", revision="0017_fines") as app:
        with app.app_context():
            audit.record(BackupAction.CREATED, object_type="backup", object_id="oud", actor=ACTOR)
            db.session.commit()
        assert cli(app, "create", str(tmp_path / "oud.tar")).exit_code == 0
    with installation(kind, tmp_path / "herstel", migrate=False) as target:
        result = cli(target, "restore", str(tmp_path / "oud.tar"))
        assert result.exit_code == 0, result.output
        assert "versie 0017_fines" in result.output and "flask db upgrade" in result.output
        with target.app_context():
            upgrade()
            assert db.session.scalar(sa.text("SELECT version_num FROM alembic_version")) == (
                Path("migrations/.current-alembic-head").read_text().strip())
            assert db.session.scalar(sa.select(AuditEvent.object_id).where(AuditEvent.object_id == "oud")) == "oud"


def test_an_existing_file_is_never_overwritten_and_a_folder_gets_a_dated_name(made, tmp_path):
    original = made.path.read_bytes()
    with installation(made.kind, tmp_path / "bron") as app:
        refused = cli(app, "create", str(made.path))
        assert refused.exit_code != 0 and "bestaat al" in refused.output
        assert made.path.read_bytes() == original
        folder = tmp_path / "backups"
        folder.mkdir()
        result = cli(app, "create", str(folder))
        assert result.exit_code == 0, result.output
        [written] = list(folder.iterdir())
        assert re.fullmatch(r"wki-backup-\d{8}-\d{6}\.tar", written.name)
        assert cli(app, "verify", str(written)).exit_code == 0


@pytest.mark.parametrize("kind", database_kinds())
def test_a_damaged_file_in_a_store_stops_the_backup_and_leaves_no_file(kind, tmp_path):
    with installation(kind, tmp_path / "bron") as app:
        with app.app_context():
            store = store_for("EVIDENCE_STORE_DIR")
            sha256 = store.put(b"bewijsstuk")
            store.path_of(sha256).write_bytes(b"iets anders")  # the disk changed it
        result = cli(app, "create", str(tmp_path / "wki.tar"))
        assert result.exit_code != 0 and sha256 in result.output and "beschadigd" in result.output
        assert sorted(p.name for p in tmp_path.iterdir()) == ["bron"]  # no back-up, no .partial, no temporary files
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
                AuditEvent.action == BackupAction.CREATED.value)) == 0


def test_a_file_removed_while_the_backup_runs_is_named_and_left_out(tmp_path, monkeypatch):
    """Housekeeping may remove an unreferenced file between the listing of a store and its copy."""
    with installation("sqlite", tmp_path / "bron") as app:
        with app.app_context():
            kept = store_for("DOCUMENT_STORE_DIR").put(b"een document")
        gone = hashlib.sha256(b"opgeruimd").hexdigest()
        listed = DirectoryStore.keys

        def keys_then_removed(self):
            yield from listed(self)
            if self.root == Path(app.config["DOCUMENT_STORE_DIR"]):
                yield StoredKey(gone, 0.0)  # listed, then removed before it was copied

        monkeypatch.setattr(DirectoryStore, "keys", keys_then_removed)
        result = cli(app, "create", str(tmp_path / "wki.tar"))
        assert result.exit_code == 0, result.output
        assert ("Let op: 1 bestand is tijdens de back-up uit de opslag verwijderd (opgeruimd) en staat er niet in: "
                f"DOCUMENT_STORE_DIR/{gone}.") in result.output
        monkeypatch.undo()
        assert cli(app, "verify", str(tmp_path / "wki.tar")).exit_code == 0
    with tarfile.open(tmp_path / "wki.tar") as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert [f["sha256"] for f in manifest["stores"]["DOCUMENT_STORE_DIR"]["files"]] == [kept]


@pytest.mark.parametrize("kind", database_kinds())
def test_an_unreachable_database_is_named_in_dutch(made, kind, tmp_path):
    url = (f"sqlite:///{tmp_path / 'bestaat-niet' / 'wki.sqlite3'}" if kind == "sqlite" else
           sa.make_url(os.environ["TEST_DATABASE_URL"]).set(database="wki_bestaat_niet").render_as_string(False))

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = "backuptest-" + "x" * 32
        SIGNAL_ATTACHMENT_DIR = str(tmp_path / "bijlagen")
        DOCUMENT_STORE_DIR = str(tmp_path / "documenten")
        EVIDENCE_STORE_DIR = str(tmp_path / "bewijs")
        CASE_STORE_DIR = str(tmp_path / "zaken")

    app = create_app(Config)
    if made.kind == kind:
        result = cli(app, "restore", str(made.path))
        assert result.exit_code != 0 and "De database is niet bereikbaar" in result.output, result.output
    result = cli(app, "create", str(tmp_path / "wki.tar"))
    assert result.exit_code != 0 and "De database is niet bereikbaar" in result.output, result.output
    assert not (tmp_path / "wki.tar").exists() and not (tmp_path / "documenten").exists()


@pytest.mark.parametrize("kind", database_kinds())
def test_a_backup_taken_while_another_thread_writes_is_consistent(kind, tmp_path):
    """Each write commits an audit event and the next number of a counter together: in a consistent
    snapshot the counter equals the number of those events (SQLite: the online backup API's one read
    transaction; PostgreSQL: pg_dump in the exported snapshot the counts are taken in)."""
    stop = threading.Event()
    written = [0]
    with installation(kind, tmp_path / "bron") as app:

        def write() -> None:
            with app.app_context():
                while not stop.is_set():
                    number = next_value("backup.test", 2026)
                    audit.record(BackupAction.CREATED, object_type="backup", object_id=str(number), actor=ACTOR)
                    db.session.commit()
                    written[0] += 1
                db.session.remove()

        writer = threading.Thread(target=write)
        writer.start()
        try:
            while written[0] < 20:
                stop.wait(0.01)
            result = cli(app, "create", str(tmp_path / "druk.tar"))
            assert result.exit_code == 0, result.output
            taken_at = written[0]
            while written[0] < taken_at + 20:  # the writer kept going during and after the back-up
                stop.wait(0.01)
        finally:
            stop.set()
            writer.join(timeout=60)
        assert not writer.is_alive()
    with installation(kind, tmp_path / "herstel", migrate=False) as target:
        result = cli(target, "restore", str(tmp_path / "druk.tar"))  # also compares every table's count
        assert result.exit_code == 0, result.output
        with target.app_context():
            counter = current_value("backup.test", 2026)
            events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
                AuditEvent.action == BackupAction.CREATED.value, AuditEvent.object_type == "backup"))
            assert 20 <= counter < written[0] and events == counter


def test_every_content_store_is_in_the_backup():
    """A store added later (``store_for("X_DIR")`` anywhere, or a ``*_STORE_DIR`` setting) must be backed up."""
    used = set()
    for path in Path("wki").rglob("*.py"):
        used |= set(re.findall(r'store_for\(\s*"([A-Z_]+)"', path.read_text()))
    settings = {name for name in dir(BaseConfig) if name.endswith(("_STORE_DIR", "_ATTACHMENT_DIR"))}
    assert used and settings
    assert used | settings <= set(STORE_KEYS)
