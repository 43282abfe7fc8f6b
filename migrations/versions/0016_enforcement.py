"""Enforcement: cases (one open case per party, a partial unique index per kind of party), their timeline
with attachments, linked evidence (references, one active link per thing), statutory deadlines (one running
per kind per case), the documents a case sends (one draft per kind; a kenmerk once reserved is unique) and a
penalty order's terms, check and forfeiture.

Revision ID: 0016_enforcement
Revises: 0015_equated_days
Create Date: 2026-12-05 12:24:51.182336

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0016_enforcement'
down_revision = '0015_equated_days'
branch_labels = None
depends_on = None


JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
TS = sa.DateTime(timezone=True)
ENFORCEMENT_CASE_INSTRUMENT = ('normoverdragend_gesprek', 'waarschuwing', 'last_onder_dwangsom', 'bestuurlijke_boete', 'verzoek_doorhaling', 'aangifte', 'verwijzing_bft', 'verwijzing_deken')
ENFORCEMENT_CASE_STATUS = ('onderzoek', 'voornemen', 'besluitvorming', 'besluit', 'bezwaar', 'afgerond', 'gesloten')
ENFORCEMENT_CASE_SUBJECT_KIND = ('registratie', 'overtreder', 'vrijgesteld')
CASE_DOCUMENT_KIND = ('voornemen', 'besluit_lod', 'besluit_boete', 'invordering', 'waarschuwing', 'verzoek_doorhaling', 'aangifte', 'verwijzing')
CASE_DOCUMENT_STATUS = ('concept', 'ter_goedkeuring', 'uitgegeven', 'vervallen')
CASE_EVIDENCE_KIND = ('bevinding', 'signaal', 'register', 'document')
CASE_STEP_KIND = ('geopend', 'notitie', 'instrument', 'cautie', 'rapport', 'zienswijze', 'geen_zienswijze', 'document', 'gesprek', 'controle', 'verbeurd', 'bezwaar', 'termijn', 'status', 'bewijs')
PENALTY_ORDER_CHECK_RESULT = ('nageleefd', 'niet_nageleefd')
PENALTY_ORDER_FORM = ('per_dag', 'per_overtreding', 'ineens')
CASE_DEADLINE_KIND = ('zienswijze', 'boetebesluit', 'begunstiging', 'bezwaar')
CASE_DEADLINE_STATUS = ('lopend', 'afgehandeld', 'vervallen')
# table → [(column, allowed values)], held against the enums by tests/test_migrations.py
CHECKS = {
    'enforcement_case': [('instrument', ENFORCEMENT_CASE_INSTRUMENT), ('status', ENFORCEMENT_CASE_STATUS), ('subject_kind', ENFORCEMENT_CASE_SUBJECT_KIND)],
    'case_document': [('kind', CASE_DOCUMENT_KIND), ('status', CASE_DOCUMENT_STATUS)],
    'case_evidence': [('kind', CASE_EVIDENCE_KIND)],
    'case_step': [('kind', CASE_STEP_KIND)],
    'penalty_order': [('check_result', PENALTY_ORDER_CHECK_RESULT), ('form', PENALTY_ORDER_FORM)],
    'case_deadline': [('kind', CASE_DEADLINE_KIND), ('status', CASE_DEADLINE_STATUS)],
}


def _in(column, values):
    return column + " IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    op.create_table('enforcement_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nummer', sa.String(length=20), nullable=False),
    sa.Column('subject_kind', sa.String(length=20), nullable=False),
    sa.Column('registratienummer', sa.String(length=40), nullable=True),
    sa.Column('suspect_id', sa.Integer(), nullable=True),
    sa.Column('exempt_party_key', sa.String(length=400), nullable=True),
    sa.Column('beroep', sa.String(length=30), nullable=True),
    sa.Column('naam', sa.String(length=300), nullable=False),
    sa.Column('kvk_nummer', sa.String(length=8), nullable=True),
    sa.Column('rechtspersoon', sa.Boolean(), nullable=False),
    sa.Column('provisions', JSON, nullable=False),
    sa.Column('requirement_codes', JSON, nullable=False),
    sa.Column('instrument', sa.String(length=30), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('aanleiding', sa.Text(), nullable=False),
    sa.Column('feiten', sa.Text(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=True),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('fine_inputs', JSON, nullable=True),
    sa.Column('closed_reason', sa.Text(), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_at', TS, nullable=True),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('created_by', sa.String(length=320), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint(_in('"instrument"', ENFORCEMENT_CASE_INSTRUMENT), name=op.f('ck_enforcement_case_instrument')),
    sa.CheckConstraint(_in('"status"', ENFORCEMENT_CASE_STATUS), name=op.f('ck_enforcement_case_status')),
    sa.CheckConstraint(_in('"subject_kind"', ENFORCEMENT_CASE_SUBJECT_KIND), name=op.f('ck_enforcement_case_subject_kind')),
    sa.ForeignKeyConstraint(['officer_id'], ['user_account.id'], name=op.f('fk_enforcement_case_officer_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enforcement_case')),
    sa.UniqueConstraint('nummer', name=op.f('uq_enforcement_case_nummer'))
    )
    with op.batch_alter_table('enforcement_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enforcement_case_exempt_party_key'), ['exempt_party_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_enforcement_case_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enforcement_case_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enforcement_case_registratienummer'), ['registratienummer'], unique=False)
        batch_op.create_index(batch_op.f('ix_enforcement_case_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_enforcement_case_suspect_id'), ['suspect_id'], unique=False)
        batch_op.create_index('uq_enforcement_case_open_exempt_party_key', ['exempt_party_key'], unique=True, sqlite_where=sa.text("status IN ('onderzoek', 'voornemen', 'besluitvorming', 'besluit', 'bezwaar')"), postgresql_where=sa.text("status IN ('onderzoek', 'voornemen', 'besluitvorming', 'besluit', 'bezwaar')"))
        batch_op.create_index('uq_enforcement_case_open_registratienummer', ['registratienummer'], unique=True, sqlite_where=sa.text("status IN ('onderzoek', 'voornemen', 'besluitvorming', 'besluit', 'bezwaar')"), postgresql_where=sa.text("status IN ('onderzoek', 'voornemen', 'besluitvorming', 'besluit', 'bezwaar')"))
        batch_op.create_index('uq_enforcement_case_open_suspect_id', ['suspect_id'], unique=True, sqlite_where=sa.text("status IN ('onderzoek', 'voornemen', 'besluitvorming', 'besluit', 'bezwaar')"), postgresql_where=sa.text("status IN ('onderzoek', 'voornemen', 'besluitvorming', 'besluit', 'bezwaar')"))

    op.create_table('case_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('letter_type_slug', sa.String(length=80), nullable=False),
    sa.Column('sections', JSON, nullable=False),
    sa.Column('operative', JSON, nullable=False),
    sa.Column('document_date', sa.Date(), nullable=True),
    sa.Column('kenmerk', sa.String(length=40), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('pages', sa.Integer(), nullable=True),
    sa.Column('prepared_data', JSON, nullable=True),
    sa.Column('prepared_at', TS, nullable=True),
    sa.Column('prepared_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', TS, nullable=True),
    sa.Column('issued_by', sa.String(length=320), nullable=True),
    sa.Column('dispatched_on', sa.Date(), nullable=True),
    sa.Column('objection_received_on', sa.Date(), nullable=True),
    sa.Column('objection_on_time', sa.Boolean(), nullable=True),
    sa.Column('lapsed_reason', sa.Text(), nullable=True),
    sa.Column('authors', JSON, nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('created_by', sa.String(length=320), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint(_in('"kind"', CASE_DOCUMENT_KIND), name=op.f('ck_case_document_kind')),
    sa.CheckConstraint(_in('"status"', CASE_DOCUMENT_STATUS), name=op.f('ck_case_document_status')),
    sa.ForeignKeyConstraint(['case_id'], ['enforcement_case.id'], name=op.f('fk_case_document_case_id_enforcement_case')),
    sa.ForeignKeyConstraint(['prepared_by_id'], ['user_account.id'], name=op.f('fk_case_document_prepared_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_document')),
    sa.UniqueConstraint('kenmerk', name=op.f('uq_case_document_kenmerk'))
    )
    with op.batch_alter_table('case_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_document_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_document_status'), ['status'], unique=False)
        batch_op.create_index('uq_case_document_open', ['case_id', 'kind'], unique=True, sqlite_where=sa.text("status IN ('concept', 'ter_goedkeuring')"), postgresql_where=sa.text("status IN ('concept', 'ter_goedkeuring')"))

    op.create_table('case_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('ref', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('created_by', sa.String(length=320), nullable=False),
    sa.Column('removed_at', TS, nullable=True),
    sa.Column('removed_by', sa.String(length=320), nullable=True),
    sa.CheckConstraint(_in('"kind"', CASE_EVIDENCE_KIND), name=op.f('ck_case_evidence_kind')),
    sa.ForeignKeyConstraint(['case_id'], ['enforcement_case.id'], name=op.f('fk_case_evidence_case_id_enforcement_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_evidence'))
    )
    with op.batch_alter_table('case_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_evidence_case_id'), ['case_id'], unique=False)
        batch_op.create_index('uq_case_evidence_active', ['case_id', 'kind', 'ref'], unique=True, sqlite_where=sa.text('removed_at IS NULL'), postgresql_where=sa.text('removed_at IS NULL'))

    op.create_table('case_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('data', JSON, nullable=False),
    sa.Column('kenmerk', sa.String(length=40), nullable=True),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('created_by', sa.String(length=320), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint(_in('"kind"', CASE_STEP_KIND), name=op.f('ck_case_step_kind')),
    sa.ForeignKeyConstraint(['case_id'], ['enforcement_case.id'], name=op.f('fk_case_step_case_id_enforcement_case')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_case_step_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_step'))
    )
    with op.batch_alter_table('case_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_step_case_id'), ['case_id'], unique=False)

    op.create_table('penalty_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('grace_period', sa.String(length=10), nullable=False),
    sa.Column('form', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('ceiling', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('grace_end', sa.Date(), nullable=True),
    sa.Column('checked_on', sa.Date(), nullable=True),
    sa.Column('check_result', sa.String(length=20), nullable=True),
    sa.Column('check_note', sa.Text(), nullable=True),
    sa.Column('complied_on', sa.Date(), nullable=True),
    sa.Column('breaches', sa.Integer(), nullable=True),
    sa.Column('forfeited', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('forfeiture', JSON, nullable=True),
    sa.Column('updated_at', TS, nullable=True),
    sa.CheckConstraint(_in('"check_result"', PENALTY_ORDER_CHECK_RESULT), name=op.f('ck_penalty_order_check_result')),
    sa.CheckConstraint(_in('"form"', PENALTY_ORDER_FORM), name=op.f('ck_penalty_order_form')),
    sa.ForeignKeyConstraint(['case_id'], ['enforcement_case.id'], name=op.f('fk_penalty_order_case_id_enforcement_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_penalty_order')),
    sa.UniqueConstraint('case_id', name=op.f('uq_penalty_order_case_id'))
    )
    op.create_table('case_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('created_by', sa.String(length=320), nullable=False),
    sa.ForeignKeyConstraint(['step_id'], ['case_step.id'], name=op.f('fk_case_attachment_step_id_case_step')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_attachment'))
    )
    with op.batch_alter_table('case_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_attachment_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_attachment_step_id'), ['step_id'], unique=False)

    op.create_table('case_deadline',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('shifts', JSON, nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('reminded_at', TS, nullable=True),
    sa.Column('closed_at', TS, nullable=True),
    sa.Column('created_at', TS, nullable=False),
    sa.CheckConstraint(_in('"kind"', CASE_DEADLINE_KIND), name=op.f('ck_case_deadline_kind')),
    sa.CheckConstraint(_in('"status"', CASE_DEADLINE_STATUS), name=op.f('ck_case_deadline_status')),
    sa.ForeignKeyConstraint(['case_id'], ['enforcement_case.id'], name=op.f('fk_case_deadline_case_id_enforcement_case')),
    sa.ForeignKeyConstraint(['document_id'], ['case_document.id'], name=op.f('fk_case_deadline_document_id_case_document')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_deadline'))
    )
    with op.batch_alter_table('case_deadline', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_deadline_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_deadline_end_date'), ['end_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_deadline_status'), ['status'], unique=False)
        batch_op.create_index('uq_case_deadline_running', ['case_id', 'kind'], unique=True, sqlite_where=sa.text("status = 'lopend'"), postgresql_where=sa.text("status = 'lopend'"))



def downgrade():
    with op.batch_alter_table('case_deadline', schema=None) as batch_op:
        batch_op.drop_index('uq_case_deadline_running', sqlite_where=sa.text("status = 'lopend'"), postgresql_where=sa.text("status = 'lopend'"))
        batch_op.drop_index(batch_op.f('ix_case_deadline_status'))
        batch_op.drop_index(batch_op.f('ix_case_deadline_end_date'))
        batch_op.drop_index(batch_op.f('ix_case_deadline_case_id'))

    op.drop_table('case_deadline')
    with op.batch_alter_table('case_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_attachment_step_id'))
        batch_op.drop_index(batch_op.f('ix_case_attachment_sha256'))

    op.drop_table('case_attachment')
    op.drop_table('penalty_order')
    with op.batch_alter_table('case_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_step_case_id'))

    op.drop_table('case_step')
    with op.batch_alter_table('case_evidence', schema=None) as batch_op:
        batch_op.drop_index('uq_case_evidence_active', sqlite_where=sa.text('removed_at IS NULL'), postgresql_where=sa.text('removed_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_case_evidence_case_id'))

    op.drop_table('case_evidence')
    with op.batch_alter_table('case_document', schema=None) as batch_op:
        batch_op.drop_index('uq_case_document_open', sqlite_where=sa.text("status IN ('concept', 'ter_goedkeuring')"), postgresql_where=sa.text("status IN ('concept', 'ter_goedkeuring')"))
        batch_op.drop_index(batch_op.f('ix_case_document_status'))
        batch_op.drop_index(batch_op.f('ix_case_document_case_id'))

    op.drop_table('case_document')
    with op.batch_alter_table('enforcement_case', schema=None) as batch_op:
        batch_op.drop_index('uq_enforcement_case_open_suspect_id', sqlite_where=sa.text("status IN ('onderzoek', 'voornemen', 'besluitvorming', 'besluit', 'bezwaar')"), postgresql_where=sa.text("status IN ('onderzoek', 'voornemen', 'besluitvorming', 'besluit', 'bezwaar')"))
        batch_op.drop_index('uq_enforcement_case_open_registratienummer', sqlite_where=sa.text("status IN ('onderzoek', 'voornemen', 'besluitvorming', 'besluit', 'bezwaar')"), postgresql_where=sa.text("status IN ('onderzoek', 'voornemen', 'besluitvorming', 'besluit', 'bezwaar')"))
        batch_op.drop_index('uq_enforcement_case_open_exempt_party_key', sqlite_where=sa.text("status IN ('onderzoek', 'voornemen', 'besluitvorming', 'besluit', 'bezwaar')"), postgresql_where=sa.text("status IN ('onderzoek', 'voornemen', 'besluitvorming', 'besluit', 'bezwaar')"))
        batch_op.drop_index(batch_op.f('ix_enforcement_case_suspect_id'))
        batch_op.drop_index(batch_op.f('ix_enforcement_case_status'))
        batch_op.drop_index(batch_op.f('ix_enforcement_case_registratienummer'))
        batch_op.drop_index(batch_op.f('ix_enforcement_case_officer_id'))
        batch_op.drop_index(batch_op.f('ix_enforcement_case_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_enforcement_case_exempt_party_key'))

    op.drop_table('enforcement_case')
