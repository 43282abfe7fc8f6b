"""Enforcement letters: the letter types enforcement issues place every section the law requires of them
as a block (``((blok:handhaving_<section>))``), with the headings of a decision (Procesverloop, Feiten,
Wettelijk kader, Beoordeling, Zienswijze, Keuze van het instrument, Besluit, Betaling, Bezwaar); three
types are added (a warning to an unregistered collector, a criminal report to the public prosecutor, a
referral to the BFT or the dean). The new texts are published versions that supersede the published
ones (the older versions stay readable); the letter types get the blocks and the extra fields (zaaknummer,
partij) those texts use. Data from a file frozen with this revision.

Revision ID: 0018_enforcement_letters
Revises: 0017_fines
Create Date: 2026-12-05 12:40:00.000000

"""
import json
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0018_enforcement_letters'
down_revision = '0017_fines'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
TS = sa.DateTime(timezone=True)
DATA = Path(__file__).resolve().parent.parent / "data"
AUTHOR = "systeem (installatie)"
NOTE = "Handhavingstekst met de verplichte onderdelen (0018), meegeleverd met de toepassing."

types = sa.table('letter_type', sa.column('id', sa.Integer), sa.column('slug', sa.String),
                 sa.column('title', sa.String), sa.column('description', sa.Text), sa.column('audience', sa.String),
                 sa.column('roles', JSON), sa.column('extra_fields', JSON), sa.column('blocks', JSON),
                 sa.column('mailable', sa.Boolean), sa.column('created_at', TS))
texts = sa.table('letter_text', sa.column('id', sa.Integer), sa.column('letter_type_id', sa.Integer),
                 sa.column('number', sa.Integer), sa.column('subject', sa.String), sa.column('body', sa.Text),
                 sa.column('note', sa.String), sa.column('based_on_id', sa.Integer), sa.column('status', sa.String),
                 sa.column('created_by', sa.String), sa.column('created_at', TS), sa.column('published_by', sa.String),
                 sa.column('published_at', TS))


def _load(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def upgrade():
    spec = _load("0018_handhavingsbrieven.json")
    bind = op.get_bind()
    now = datetime.now(timezone.utc)
    for new in spec["new_types"]:
        text = spec["texts"][new["slug"]]
        op.execute(types.insert().values(
            slug=new["slug"], title=new["title"], description=new["description"], audience=new["audience"],
            roles=new["roles"], extra_fields={}, blocks=[], mailable=new["mailable"], created_at=now))
    for slug, text in spec["texts"].items():
        type_id, old_fields = bind.execute(sa.select(types.c.id, types.c.extra_fields)
                                           .where(types.c.slug == slug)).one()
        # Earlier texts' fields stay known (their versions stay readable); the new ones are added.
        fields = {**(old_fields or {}), **text["extra_fields"]}
        op.execute(types.update().where(types.c.id == type_id).values(blocks=text["blocks"], extra_fields=fields))
        published = bind.execute(sa.select(texts.c.id).where(texts.c.letter_type_id == type_id,
                                                             texts.c.status == 'gepubliceerd')).scalar()
        number = bind.execute(sa.select(sa.func.coalesce(sa.func.max(texts.c.number), 0))
                              .where(texts.c.letter_type_id == type_id)).scalar() + 1
        if published is not None:  # one published text per type: the old one is superseded first
            op.execute(texts.update().where(texts.c.id == published).values(status='vervangen'))
        op.execute(texts.insert().values(
            letter_type_id=type_id, number=number, subject=text["subject"], body=text["body"], note=NOTE,
            based_on_id=published, status='gepubliceerd', created_by=AUTHOR, created_at=now, published_by=AUTHOR,
            published_at=now))


def downgrade():
    spec = _load("0018_handhavingsbrieven.json")
    first = {t["slug"]: t for t in _load("0013_letter_types.json")}
    bind = op.get_bind()
    new_slugs = {t["slug"] for t in spec["new_types"]}
    for slug in spec["texts"]:
        type_id = bind.execute(sa.select(types.c.id).where(types.c.slug == slug)).scalar()
        if type_id is None:
            continue
        ours = bind.execute(sa.select(texts.c.id, texts.c.based_on_id).where(
            texts.c.letter_type_id == type_id, texts.c.note == NOTE)).all()
        for text_id, based_on in ours:
            op.execute(texts.delete().where(texts.c.id == text_id))
            still = bind.execute(sa.select(texts.c.id).where(texts.c.letter_type_id == type_id,
                                                             texts.c.status == 'gepubliceerd')).scalar()
            if based_on is not None and still is None:
                op.execute(texts.update().where(texts.c.id == based_on).values(status='gepubliceerd'))
        if slug in new_slugs:
            op.execute(texts.delete().where(texts.c.letter_type_id == type_id))
            op.execute(types.delete().where(types.c.id == type_id))
        elif slug in first:
            op.execute(types.update().where(types.c.id == type_id).values(
                blocks=first[slug]["blocks"], extra_fields=first[slug]["extra_fields"]))
