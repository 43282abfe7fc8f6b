"""Fines: the dated amounts of the fine categories (Sr art. 23(4)) and the fining policy's base amounts and
adjustments, each row with its source and whether an administrator confirmed it; seeded from the data file
frozen with this migration (2018 amounts confirmed, later indexations and the placeholder policy not).

One row per category (or policy code) and date among the rows not rejected (a partial unique index: a rejected,
never-confirmed row leaves its date free for the right one).

Revision ID: 0017_fines
Revises: 0016_enforcement
Create Date: 2026-12-05 12:30:00.000000

"""
import json
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_fines'
down_revision = '0016_enforcement'
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
MONEY = sa.Numeric(precision=12, scale=2)

KIND = ("basis", "aanpassing")
UNIT = ("eur", "pct")
# table → [(column, allowed values)], held against the enums by tests/test_migrations.py
CHECKS = {
    'fine_policy_rule': [('kind', KIND), ('unit', UNIT)],
}
DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "0017_boetes.json"
SEEDED_BY = "migratie 0017"


def _in(column, values):
    return column + " IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _common_columns():
    return [
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('source', sa.String(length=300), nullable=False),
        sa.Column('confirmed', sa.Boolean(), nullable=False),
        sa.Column('confirmed_by', sa.String(length=320), nullable=True),
        sa.Column('confirmed_at', TS, nullable=True),
        sa.Column('rejected_at', TS, nullable=True),
        sa.Column('rejected_by', sa.String(length=320), nullable=True),
        sa.Column('rejection_reason', sa.Text(), nullable=True),
        sa.Column('created_by', sa.String(length=320), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', TS, nullable=False),
    ]


def upgrade():
    op.create_table('fine_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Integer(), nullable=False),
    sa.Column('amount', MONEY, nullable=False),
    *_common_columns(),
    sa.CheckConstraint('category BETWEEN 1 AND 6', name=op.f('ck_fine_category_category_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_fine_category_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fine_category'))
    )
    with op.batch_alter_table('fine_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fine_category_valid_from'), ['valid_from'], unique=False)
        batch_op.create_index('uq_fine_category_valid', ['category', 'valid_from'], unique=True,
                              postgresql_where=sa.text('rejected_at IS NULL'), sqlite_where=sa.text('rejected_at IS NULL'))

    op.create_table('fine_policy_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('value', MONEY, nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    *_common_columns(),
    sa.CheckConstraint(_in('"kind"', KIND), name=op.f('ck_fine_policy_rule_kind')),
    sa.CheckConstraint(_in('"unit"', UNIT), name=op.f('ck_fine_policy_rule_unit')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_fine_policy_rule_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fine_policy_rule'))
    )
    with op.batch_alter_table('fine_policy_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fine_policy_rule_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_fine_policy_rule_valid_from'), ['valid_from'], unique=False)
        batch_op.create_index('uq_fine_policy_rule_valid', ['code', 'valid_from'], unique=True,
                              postgresql_where=sa.text('rejected_at IS NULL'), sqlite_where=sa.text('rejected_at IS NULL'))

    _seed()


def _seed():
    """The rows of the data file, with plain inserts: a migration never imports the application."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    now = datetime.now(timezone.utc)

    def common():
        return [sa.column('valid_from', sa.Date), sa.column('source', sa.String), sa.column('confirmed', sa.Boolean),
                sa.column('confirmed_by', sa.String), sa.column('confirmed_at', TS), sa.column('created_by', sa.String),
                sa.column('created_at', TS)]

    categories = sa.table('fine_category', sa.column('category', sa.Integer), sa.column('amount', MONEY), *common())
    rules = sa.table('fine_policy_rule', sa.column('code', sa.String), sa.column('kind', sa.String),
                     sa.column('label', sa.String), sa.column('value', MONEY), sa.column('unit', sa.String), *common())

    def dated(group):
        confirmed = bool(group["bevestigd"])
        return {"valid_from": date.fromisoformat(group["geldig_vanaf"]), "source": group["bron"],
                "confirmed": confirmed, "confirmed_by": SEEDED_BY if confirmed else None,
                "confirmed_at": now if confirmed else None, "created_by": SEEDED_BY, "created_at": now}

    category_rows = [{"category": int(number), "amount": Decimal(amount), **dated(group)}
                     for group in data["categorieen"] for number, amount in sorted(group["bedragen"].items())]
    rule_rows = [{"code": r["code"], "kind": r["soort"], "label": r["omschrijving"], "value": Decimal(r["waarde"]),
                  "unit": r["eenheid"], **dated(group)} for group in data["beleid"] for r in group["regels"]]
    op.bulk_insert(categories, category_rows)
    op.bulk_insert(rules, rule_rows)


def downgrade():
    with op.batch_alter_table('fine_policy_rule', schema=None) as batch_op:
        batch_op.drop_index('uq_fine_policy_rule_valid', postgresql_where=sa.text('rejected_at IS NULL'), sqlite_where=sa.text('rejected_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_fine_policy_rule_valid_from'))
        batch_op.drop_index(batch_op.f('ix_fine_policy_rule_code'))

    op.drop_table('fine_policy_rule')
    with op.batch_alter_table('fine_category', schema=None) as batch_op:
        batch_op.drop_index('uq_fine_category_valid', postgresql_where=sa.text('rejected_at IS NULL'), sqlite_where=sa.text('rejected_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_fine_category_valid_from'))

    op.drop_table('fine_category')
