"""Documents: letter types and their versioned texts (seeded with the first texts, published by the
migration), issued documents by kenmerk (their PDFs in the content store), mass mailings and their
recipients.

A published text is unique per letter type (a partial unique index), a document's kenmerk and its
(year, number) are unique, a document supersedes at most one other, and a mailing recipient has at most
one document and one kenmerk: the database refuses what two workers or two publishers might do at once.

Revision ID: 0013_documents
Revises: 0012_status_checks
Create Date: 2026-12-05 07:00:00.000000

"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0013_documents'
down_revision = '0012_status_checks'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
TS = sa.DateTime(timezone=True)

AUDIENCE = ("registratie", "overtreder", "adres")
TEXT_STATUS = ("concept", "gepubliceerd", "vervangen")
MAILING_STATUS = ("concept", "goedgekeurd", "bezig", "klaar", "klaar_met_fouten", "geannuleerd")
DELIVERY_STATUS = ("wachtend", "gemaakt", "verzenden", "verzonden", "mislukt", "geen_adres")
SOURCE = ("register", "overtreders", "csv")
# table → [(column, allowed values)], held against the enums by tests/test_migrations.py
CHECKS = {
    'letter_type': [('audience', AUDIENCE)],
    'letter_text': [('status', TEXT_STATUS)],
    'mailing': [('status', MAILING_STATUS), ('source', SOURCE)],
    'mailing_recipient': [('status', DELIVERY_STATUS)],
}


def _in(column, values):
    return column + " IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    op.create_table('letter_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('roles', JSON, nullable=False),
    sa.Column('extra_fields', JSON, nullable=False),
    sa.Column('blocks', JSON, nullable=False),
    sa.Column('mailable', sa.Boolean(), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.CheckConstraint(_in('"audience"', AUDIENCE), name=op.f('ck_letter_type_audience')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_type')),
    sa.UniqueConstraint('slug', name=op.f('uq_letter_type_slug'))
    )
    op.create_table('letter_text',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('letter_type_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('based_on_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by', sa.String(length=320), nullable=False),
    sa.Column('created_by_user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('published_by', sa.String(length=320), nullable=True),
    sa.Column('published_at', TS, nullable=True),
    sa.CheckConstraint(_in('"status"', TEXT_STATUS), name=op.f('ck_letter_text_status')),
    sa.ForeignKeyConstraint(['based_on_id'], ['letter_text.id'], name=op.f('fk_letter_text_based_on_id_letter_text')),
    sa.ForeignKeyConstraint(['letter_type_id'], ['letter_type.id'], name=op.f('fk_letter_text_letter_type_id_letter_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_text')),
    sa.UniqueConstraint('letter_type_id', 'number', name=op.f('uq_letter_text_letter_type_id'))
    )
    with op.batch_alter_table('letter_text', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_text_letter_type_id'), ['letter_type_id'], unique=False)
        batch_op.create_index('uq_letter_text_published', ['letter_type_id'], unique=True,
                              sqlite_where=sa.text("status = 'gepubliceerd'"),
                              postgresql_where=sa.text("status = 'gepubliceerd'"))
    op.create_table('mailing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('letter_type_id', sa.Integer(), nullable=False),
    sa.Column('letter_text_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('criteria', JSON, nullable=False),
    sa.Column('extra_values', JSON, nullable=False),
    sa.Column('document_date', sa.Date(), nullable=False),
    sa.Column('send_email', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('recipient_count', sa.Integer(), nullable=False),
    sa.Column('unreachable_count', sa.Integer(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('request_key', sa.String(length=64), nullable=True),
    sa.Column('created_by', sa.String(length=320), nullable=False),
    sa.Column('created_by_user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('approved_by', sa.String(length=320), nullable=True),
    sa.Column('approved_by_user_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', TS, nullable=True),
    sa.Column('started_by', sa.String(length=320), nullable=True),
    sa.Column('started_by_user_id', sa.Integer(), nullable=True),
    sa.Column('started_at', TS, nullable=True),
    sa.Column('finished_at', TS, nullable=True),
    sa.CheckConstraint(_in('"status"', MAILING_STATUS), name=op.f('ck_mailing_status')),
    sa.CheckConstraint(_in('"source"', SOURCE), name=op.f('ck_mailing_source')),
    sa.ForeignKeyConstraint(['letter_text_id'], ['letter_text.id'], name=op.f('fk_mailing_letter_text_id_letter_text')),
    sa.ForeignKeyConstraint(['letter_type_id'], ['letter_type.id'], name=op.f('fk_mailing_letter_type_id_letter_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailing')),
    sa.UniqueConstraint('request_key', name=op.f('uq_mailing_request_key'))
    )
    with op.batch_alter_table('mailing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailing_letter_type_id'), ['letter_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mailing_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_mailing_created_at'), ['created_at'], unique=False)
    op.create_table('mailing_recipient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mailing_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('recipient_key', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('registratienummer', sa.String(length=40), nullable=True),
    sa.Column('suspect_id', sa.Integer(), nullable=True),
    sa.Column('address_lines', JSON, nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('data', JSON, nullable=False),
    sa.Column('by_post', sa.Boolean(), nullable=False),
    sa.Column('by_email', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('kenmerk', sa.String(length=40), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('claimed_by', sa.String(length=200), nullable=True),
    sa.Column('claimed_at', TS, nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('rendered_at', TS, nullable=True),
    sa.Column('sent_at', TS, nullable=True),
    sa.CheckConstraint(_in('"status"', DELIVERY_STATUS), name=op.f('ck_mailing_recipient_status')),
    sa.ForeignKeyConstraint(['mailing_id'], ['mailing.id'], name=op.f('fk_mailing_recipient_mailing_id_mailing')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailing_recipient')),
    sa.UniqueConstraint('mailing_id', 'recipient_key', name=op.f('uq_mailing_recipient_mailing_id')),
    sa.UniqueConstraint('kenmerk', name=op.f('uq_mailing_recipient_kenmerk'))
    )
    with op.batch_alter_table('mailing_recipient', schema=None) as batch_op:
        batch_op.create_index('ix_mailing_recipient_mailing_status', ['mailing_id', 'status', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_mailing_recipient_registratienummer'), ['registratienummer'], unique=False)
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kenmerk', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('letter_type_slug', sa.String(length=80), nullable=False),
    sa.Column('letter_text_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('recipient_name', sa.String(length=300), nullable=False),
    sa.Column('registratienummer', sa.String(length=40), nullable=True),
    sa.Column('suspect_id', sa.Integer(), nullable=True),
    sa.Column('data', JSON, nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('issued_by', sa.String(length=320), nullable=False),
    sa.Column('issued_by_user_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', TS, nullable=False),
    sa.Column('document_date', sa.Date(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('correction_reason', sa.Text(), nullable=True),
    sa.Column('mailing_id', sa.Integer(), nullable=True),
    sa.Column('mailing_recipient_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['letter_text_id'], ['letter_text.id'], name=op.f('fk_document_letter_text_id_letter_text')),
    sa.ForeignKeyConstraint(['mailing_id'], ['mailing.id'], name=op.f('fk_document_mailing_id_mailing')),
    sa.ForeignKeyConstraint(['mailing_recipient_id'], ['mailing_recipient.id'], name=op.f('fk_document_mailing_recipient_id_mailing_recipient')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['document.id'], name=op.f('fk_document_supersedes_id_document')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('kenmerk', name=op.f('uq_document_kenmerk')),
    sa.UniqueConstraint('year', 'number', name=op.f('uq_document_year')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_document_supersedes_id')),
    sa.UniqueConstraint('mailing_recipient_id', name=op.f('uq_document_mailing_recipient_id'))
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_letter_type_slug'), ['letter_type_slug'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_letter_text_id'), ['letter_text_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_registratienummer'), ['registratienummer'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_suspect_id'), ['suspect_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_issued_at'), ['issued_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_mailing_id'), ['mailing_id'], unique=False)
    with op.batch_alter_table('mailing_recipient', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_mailing_recipient_document_id_document', 'document', ['document_id'], ['id'])
    _seed()


def _seed():
    """The first letter types and texts, from a data file frozen with this revision (later texts are
    versions made in the application, never edits of this file)."""
    import json
    from pathlib import Path

    LETTER_TYPES = json.loads((Path(__file__).resolve().parent.parent / "data" / "0013_letter_types.json")
                              .read_text(encoding="utf-8"))

    now = datetime.now(timezone.utc)
    types = sa.table('letter_type', sa.column('id', sa.Integer), sa.column('slug', sa.String),
                     sa.column('title', sa.String), sa.column('description', sa.Text), sa.column('audience', sa.String),
                     sa.column('roles', JSON), sa.column('extra_fields', JSON), sa.column('blocks', JSON),
                     sa.column('mailable', sa.Boolean), sa.column('created_at', TS))
    texts = sa.table('letter_text', sa.column('letter_type_id', sa.Integer), sa.column('number', sa.Integer),
                     sa.column('subject', sa.String), sa.column('body', sa.Text), sa.column('note', sa.String),
                     sa.column('status', sa.String), sa.column('created_by', sa.String),
                     sa.column('created_at', TS), sa.column('published_by', sa.String), sa.column('published_at', TS))
    for number, spec in enumerate(LETTER_TYPES, start=1):
        op.execute(types.insert().values(
            id=number, slug=spec["slug"], title=spec["title"], description=spec["description"],
            audience=spec["audience"], roles=spec["roles"], extra_fields=spec["extra_fields"], blocks=spec["blocks"],
            mailable=spec["mailable"], created_at=now))
        op.execute(texts.insert().values(
            letter_type_id=number, number=1, subject=spec["subject"], body=spec["body"],
            note="Eerste tekst, meegeleverd met de toepassing.", status="gepubliceerd",
            created_by="systeem (installatie)", created_at=now, published_by="systeem (installatie)",
            published_at=now))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('letter_type', 'id'), (SELECT max(id) FROM letter_type))")


def downgrade():
    with op.batch_alter_table('mailing_recipient', schema=None) as batch_op:
        batch_op.drop_constraint('fk_mailing_recipient_document_id_document', type_='foreignkey')
    op.drop_table('document')
    op.drop_table('mailing_recipient')
    op.drop_table('mailing')
    with op.batch_alter_table('letter_text', schema=None) as batch_op:
        batch_op.drop_index('uq_letter_text_published')
    op.drop_table('letter_text')
    op.drop_table('letter_type')
