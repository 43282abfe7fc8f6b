"""Supervision: four-eyes approvals (core), the requirement catalogue (versions, never changed; version 1
seeded from the data file frozen with this migration), inspections with their checklist items, evidence and
review decisions, and the time of a collector's contact on a signal (Bki art. 4.2 is about the hour).

At most one active approval per object (a partial unique index); an inspection's number, a catalogue's
version number and its content hash are unique; a requirement appears once per catalogue version and once
per inspection.

Revision ID: 0014_supervision
Revises: 0013_documents
Create Date: 2026-12-05 09:30:00.000000

"""
import hashlib
import json
from datetime import date, datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0014_supervision'
down_revision = '0013_documents'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
TS = sa.DateTime(timezone=True)

KIND = ("regulier", "steekproef", "verdiepend")
STATUS = ("concept", "in_uitvoering", "ter_review", "afgerond", "ingetrokken")
JUDGEMENT = ("niet_beoordeeld", "voldoet", "deels", "voldoet_niet", "niet_van_toepassing")
DECISION = ("teruggestuurd", "goedgekeurd")
EVIDENCE_KIND = ("bestand", "signaal", "register")
OBTAINED_HOW = ("informatieverzoek", "bezoek", "openbare_bron", "signaal", "register", "anders")
# table → [(column, allowed values)], held against the enums by tests/test_migrations.py
CHECKS = {
    'inspection': [('kind', KIND), ('status', STATUS)],
    'inspection_item': [('judgement', JUDGEMENT)],
    'inspection_review': [('decision', DECISION)],
    'evidence': [('kind', EVIDENCE_KIND), ('obtained_how', OBTAINED_HOW)],
}
CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "data" / "0014_kwaliteitseisen.json"


def _in(column, values):
    return column + " IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    op.create_table('approval',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('object_type', sa.String(length=60), nullable=False),
    sa.Column('object_id', sa.String(length=80), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('approver_id', sa.Integer(), nullable=False),
    sa.Column('approver_label', sa.String(length=320), nullable=False),
    sa.Column('approved_at', TS, nullable=False),
    sa.Column('voided_at', TS, nullable=True),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval'))
    )
    with op.batch_alter_table('approval', schema=None) as batch_op:
        batch_op.create_index('ix_approval_object', ['object_type', 'object_id'], unique=False)
        batch_op.create_index('uq_approval_active', ['object_type', 'object_id'], unique=True, postgresql_where=sa.text('voided_at IS NULL'), sqlite_where=sa.text('voided_at IS NULL'))

    op.create_table('catalogue_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('versie', sa.Integer(), nullable=False),
    sa.Column('geldig_vanaf', sa.Date(), nullable=False),
    sa.Column('omschrijving', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('loaded_at', TS, nullable=False),
    sa.Column('loaded_by', sa.String(length=320), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_version')),
    sa.UniqueConstraint('sha256', name=op.f('uq_catalogue_version_sha256')),
    sa.UniqueConstraint('versie', name=op.f('uq_catalogue_version_versie'))
    )
    op.create_table('inspection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nummer', sa.String(length=20), nullable=False),
    sa.Column('registratienummer', sa.String(length=40), nullable=False),
    sa.Column('naam', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('catalogue_version_id', sa.Integer(), nullable=False),
    sa.Column('inspectiedatum', sa.Date(), nullable=False),
    sa.Column('inspector_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('aanleiding', sa.Text(), nullable=True),
    sa.Column('deadline_stukken', sa.Date(), nullable=True),
    sa.Column('request_kenmerk', sa.String(length=40), nullable=True),
    sa.Column('report_kenmerk', sa.String(length=40), nullable=True),
    sa.Column('staff_check', JSON, nullable=True),
    sa.Column('submitted_at', TS, nullable=True),
    sa.Column('completed_at', TS, nullable=True),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('created_by', sa.String(length=320), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint(_in('"kind"', KIND), name=op.f('ck_inspection_kind')),
    sa.CheckConstraint(_in('"status"', STATUS), name=op.f('ck_inspection_status')),
    sa.ForeignKeyConstraint(['catalogue_version_id'], ['catalogue_version.id'], name=op.f('fk_inspection_catalogue_version_id_catalogue_version')),
    sa.ForeignKeyConstraint(['inspector_id'], ['user_account.id'], name=op.f('fk_inspection_inspector_id_user_account')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user_account.id'], name=op.f('fk_inspection_reviewer_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection')),
    sa.UniqueConstraint('nummer', name=op.f('uq_inspection_nummer'))
    )
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_inspector_id'), ['inspector_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_registratienummer'), ['registratienummer'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_reviewer_id'), ['reviewer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_status'), ['status'], unique=False)
        batch_op.create_index('uq_inspection_open', ['registratienummer'], unique=True,
                              postgresql_where=sa.text("status IN ('concept', 'in_uitvoering', 'ter_review')"),
                              sqlite_where=sa.text("status IN ('concept', 'in_uitvoering', 'ter_review')"))

    op.create_table('requirement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('catalogue_version_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('titel', sa.String(length=200), nullable=False),
    sa.Column('artikelen', JSON, nullable=False),
    sa.Column('artikel_onzeker', sa.Boolean(), nullable=False),
    sa.Column('artikel_toelichting', sa.Text(), nullable=True),
    sa.Column('verplichting', sa.Text(), nullable=False),
    sa.Column('bewijs', JSON, nullable=False),
    sa.Column('standaardbevinding', JSON, nullable=False),
    sa.Column('geldt_vanaf', sa.Date(), nullable=False),
    sa.Column('geldt_tot', sa.Date(), nullable=True),
    sa.Column('automatische_controle', sa.String(length=20), nullable=True),
    sa.Column('wettelijke_norm', sa.Boolean(), nullable=False),
    sa.Column('bron', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['catalogue_version_id'], ['catalogue_version.id'], name=op.f('fk_requirement_catalogue_version_id_catalogue_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requirement')),
    sa.UniqueConstraint('catalogue_version_id', 'code', name=op.f('uq_requirement_catalogue_version_id'))
    )
    with op.batch_alter_table('requirement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requirement_catalogue_version_id'), ['catalogue_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_requirement_code'), ['code'], unique=False)

    op.create_table('inspection_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('judgement', sa.String(length=20), nullable=False),
    sa.Column('finding', sa.Text(), nullable=True),
    sa.Column('proposal', JSON, nullable=True),
    sa.Column('updated_at', TS, nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by', sa.String(length=320), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint(_in('"judgement"', JUDGEMENT), name=op.f('ck_inspection_item_judgement')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_inspection_item_inspection_id_inspection')),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirement.id'], name=op.f('fk_inspection_item_requirement_id_requirement')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_inspection_item_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_item')),
    sa.UniqueConstraint('inspection_id', 'requirement_id', name=op.f('uq_inspection_item_inspection_id'))
    )
    with op.batch_alter_table('inspection_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_item_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_item_requirement_id'), ['requirement_id'], unique=False)

    op.create_table('inspection_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('reviewer', sa.String(length=320), nullable=False),
    sa.Column('decided_at', TS, nullable=False),
    sa.CheckConstraint(_in('"decision"', DECISION), name=op.f('ck_inspection_review_decision')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_inspection_review_inspection_id_inspection')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user_account.id'], name=op.f('fk_inspection_review_reviewer_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_review'))
    )
    with op.batch_alter_table('inspection_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_review_inspection_id'), ['inspection_id'], unique=False)

    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('obtained_how', sa.String(length=20), nullable=False),
    sa.Column('obtained_on', sa.Date(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('content_type', sa.String(length=100), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('signal_id', sa.Integer(), nullable=True),
    sa.Column('register_as_of', sa.Date(), nullable=True),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=320), nullable=False),
    sa.Column('removed_at', TS, nullable=True),
    sa.Column('removed_by', sa.String(length=320), nullable=True),
    sa.CheckConstraint(_in('"kind"', EVIDENCE_KIND), name=op.f('ck_evidence_kind')),
    sa.CheckConstraint(_in('"obtained_how"', OBTAINED_HOW), name=op.f('ck_evidence_obtained_how')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_evidence_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['item_id'], ['inspection_item.id'], name=op.f('fk_evidence_item_id_inspection_item')),
    sa.ForeignKeyConstraint(['signal_id'], ['signal.id'], name=op.f('fk_evidence_signal_id_signal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_sha256'), ['sha256'], unique=False)

    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tijdstip_contact', sa.Time(), nullable=True))

    _seed_catalogue()


def _canonical_sha256(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False,
                                     separators=(",", ":")).encode("utf-8")).hexdigest()


def _seed_catalogue():
    """Version 1 of the catalogue, from the file frozen with this migration (later versions: ``flask
    catalogue load PATH``). Written with plain inserts: a migration never imports the application."""
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    versions = sa.table('catalogue_version', sa.column('id', sa.Integer), sa.column('versie', sa.Integer),
                        sa.column('geldig_vanaf', sa.Date), sa.column('omschrijving', sa.Text),
                        sa.column('sha256', sa.String), sa.column('loaded_at', TS), sa.column('loaded_by', sa.String))
    requirements = sa.table('requirement', *(sa.column(c) for c in (
        'catalogue_version_id', 'code', 'position', 'titel', 'artikel_onzeker', 'artikel_toelichting',
        'verplichting', 'automatische_controle', 'wettelijke_norm', 'bron')),
        sa.column('artikelen', JSON), sa.column('bewijs', JSON), sa.column('standaardbevinding', JSON),
        sa.column('geldt_vanaf', sa.Date), sa.column('geldt_tot', sa.Date))
    bind = op.get_bind()
    version_id = bind.execute(sa.insert(versions).values(
        versie=data["versie"], geldig_vanaf=date.fromisoformat(data["geldig_vanaf"]),
        omschrijving=data.get("omschrijving", ""), sha256=_canonical_sha256(data),
        loaded_at=datetime.now(timezone.utc), loaded_by="migratie 0014").returning(versions.c.id)).scalar_one()
    for position, eis in enumerate(data["eisen"], start=1):
        bind.execute(sa.insert(requirements).values(
            catalogue_version_id=version_id, code=eis["id"], position=position, titel=eis["titel"],
            artikelen=eis["artikelen"], artikel_onzeker=eis["artikel_onzeker"],
            artikel_toelichting=eis.get("artikel_toelichting"), verplichting=eis["verplichting"],
            bewijs=eis["bewijs"], standaardbevinding=eis["standaardbevinding"],
            geldt_vanaf=date.fromisoformat(eis["geldt_vanaf"]),
            geldt_tot=date.fromisoformat(eis["geldt_tot"]) if eis.get("geldt_tot") else None,
            automatische_controle=eis.get("automatische_controle"), wettelijke_norm=eis["wettelijke_norm"],
            bron=eis.get("bron", "")))


def downgrade():
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.drop_column('tijdstip_contact')

    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_sha256'))
        batch_op.drop_index(batch_op.f('ix_evidence_item_id'))

    op.drop_table('evidence')
    with op.batch_alter_table('inspection_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_review_inspection_id'))

    op.drop_table('inspection_review')
    with op.batch_alter_table('inspection_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_item_requirement_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_item_inspection_id'))

    op.drop_table('inspection_item')
    with op.batch_alter_table('requirement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requirement_code'))
        batch_op.drop_index(batch_op.f('ix_requirement_catalogue_version_id'))

    op.drop_table('requirement')
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_index('uq_inspection_open')
        batch_op.drop_index(batch_op.f('ix_inspection_status'))
        batch_op.drop_index(batch_op.f('ix_inspection_reviewer_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_registratienummer'))
        batch_op.drop_index(batch_op.f('ix_inspection_inspector_id'))

    op.drop_table('inspection')
    op.drop_table('catalogue_version')
    with op.batch_alter_table('approval', schema=None) as batch_op:
        batch_op.drop_index('uq_approval_active', postgresql_where=sa.text('voided_at IS NULL'), sqlite_where=sa.text('voided_at IS NULL'))
        batch_op.drop_index('ix_approval_object')

    op.drop_table('approval')
