"""A website on a platform is its page, not the platform: a signal whose website was a page on Facebook,
Instagram, LinkedIn and the like was stored with the platform's domain ("facebook.com"), which every
collector with a page there shares, so the grouping joined them. The page is what identifies the collector
("facebook.com/mohameddebruin"); a platform without a page identifies nobody. The signals changed are
judged and grouped again at the next run (their register state is cleared). (The same rule lives in
``wki.signals.normalise.registrable_domain``; this copy keeps the migration independent of later code.)
Downgrading writes the platform back; a website that named no page stays without a domain.

Revision ID: 0008_platform_pages
Revises: 0007_signal_vestiging
Create Date: 2026-12-04 23:00:00.000000

"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_platform_pages'
down_revision = '0007_signal_vestiging'
branch_labels = None
depends_on = None

PLATFORMS = (
    "facebook.com", "fb.com", "instagram.com", "linkedin.com", "twitter.com", "x.com", "tiktok.com",
    "youtube.com", "pinterest.com", "marktplaats.nl", "wa.me", "whatsapp.com", "t.me", "telegram.me",
    "linktr.ee", "google.com", "sites.google.com", "wixsite.com", "wix.com", "jouwweb.nl", "webnode.nl",
    "weebly.com", "wordpress.com", "blogspot.com", "blogspot.nl", "strikingly.com", "site123.me",
    "mijnwebwinkel.nl", "tumblr.com", "medium.com", "github.io", "netlify.app", "vercel.app", "carrd.co",
)
NOT_A_PAGE = {"pages", "pg", "people", "profile.php", "groups", "company", "in", "p", "watch", "share", "sharer",
              "home", "login", "search", "search.php", "hashtag", "events"}
_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:(?://)?|^//")


def page_of(domain: str, website: str | None) -> str | None:
    """``domain/page`` from the website as written, or None when it names no page."""
    text = _SCHEME.sub("", (website or "").strip().lower()).lstrip("/")
    path = re.split(r"[/?#\\\s]", text, maxsplit=1)[1] if re.search(r"[/?#\\\s]", text) else ""
    page = re.split(r"[/?#]", path, maxsplit=1)[0].strip() if path else ""
    return f"{domain}/{page}"[:253] if page and page not in NOT_A_PAGE else None


def upgrade():
    signal = sa.table("signal", sa.column("id", sa.Integer), sa.column("domain", sa.String),
                      sa.column("website_raw", sa.String), sa.column("register_state", sa.String))
    conn = op.get_bind()
    rows = conn.execute(sa.select(signal.c.id, signal.c.domain, signal.c.website_raw)
                        .where(signal.c.domain.in_(PLATFORMS))).all()
    for row in rows:
        conn.execute(signal.update().where(signal.c.id == row.id)
                     .values(domain=page_of(row.domain, row.website_raw), register_state=None))


def downgrade():
    signal = sa.table("signal", sa.column("domain", sa.String))
    conn = op.get_bind()
    for platform in PLATFORMS:
        conn.execute(signal.update().where(signal.c.domain.like(platform + "/%")).values(domain=platform))
