"""Issuing a partner token follows post/redirect/get (issue 10, "Smaller, from administrators' use").

Before, the token was shown in the answer to the POST, so reloading that page sent the form again and
issued a second active token. Now the POST issues, keeps the token in the one-time secret store and
redirects; the page after the redirect shows it once; reloading it shows nothing and issues nothing.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests.auth.helpers import location
from tests.conftest import csrf_token
from wki.auth.models import OneTimeSecret
from wki.core.auth import Role
from wki.core.extensions import db
from wki.signals.models import PartnerToken

NEW = "/beheer/partners/nieuw"
TOKEN = re.compile(r"wki_[A-Za-z0-9_-]{40,}")


def _issue(client):
    return client.post(NEW, data={"csrf_token": csrf_token(client, NEW), "partner": "Gemeente Testdorp",
                                  "bron": "gemeente"})


def _active_tokens() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(PartnerToken)
                             .where(PartnerToken.revoked_at.is_(None))) or 0


def test_the_post_redirects_and_a_reload_neither_shows_nor_issues_again(admin_client, db_session):
    response = _issue(admin_client)
    assert response.status_code == 302
    [record] = db.session.scalars(sa.select(PartnerToken)).all()
    url = location(response)
    assert url == f"/beheer/partners/{record.id}/uitgegeven"
    assert not TOKEN.search(response.get_data(as_text=True))

    first = admin_client.get(url)
    assert first.status_code == 200
    assert len(TOKEN.findall(first.get_data(as_text=True))) == 1
    assert first.headers["Cache-Control"] == "no-store"

    again = admin_client.get(url)  # the reload
    page = again.get_data(as_text=True)
    assert again.status_code == 200
    assert not TOKEN.search(page)
    assert "Het token is al getoond en wordt niet nog eens getoond." in page
    assert _active_tokens() == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OneTimeSecret)) == 0


def test_the_session_holds_a_key_never_the_token(admin_client, db_session):
    _issue(admin_client)
    [secret] = db.session.scalars(sa.select(OneTimeSecret)).all()
    token = secret.value["value"]
    assert secret.purpose == "partner_token" and secret.owner_id == admin_client.user.id
    with admin_client.session_transaction() as sess:
        assert token not in repr(dict(sess))


def test_another_administrator_does_not_see_the_token(admin_client, login_as, db_session):
    url = location(_issue(admin_client))
    other = login_as(Role.BEHEERDER)
    assert not TOKEN.search(other.get(url).get_data(as_text=True))
    assert TOKEN.search(admin_client.get(url).get_data(as_text=True))  # still there for its owner


def test_an_unknown_token_is_404(admin_client, db_session):
    assert admin_client.get("/beheer/partners/999999/uitgegeven").status_code == 404


def test_the_copy_button_comes_from_a_static_script(admin_client, db_session):
    """Progressive enhancement: no inline script (the CSP allows 'self' only); the words are the page's."""
    page = admin_client.get(location(_issue(admin_client)))
    html = page.get_data(as_text=True)
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    scripts = re.findall(r"<script\b[^>]*>", html)
    # The layout's menu script (every page) and this page's copy button; both static files.
    assert scripts == ['<script src="/static/js/menu.js" defer>', '<script src="/static/js/copy.js" defer>']
    assert re.search(r"<script[^>]*>\s*[^<\s]", html) is None  # nothing between the tags
    assert 'data-copy-target="token"' in html and 'id="token"' in html
    assert 'data-copy-label="Token kopiëren"' in html and 'data-copy-done="Gekopieerd"' in html
    assert 'id="token-kopieerstatus" role="status"' in html
    script = admin_client.get("/static/js/copy.js")
    assert script.status_code == 200
    body = script.get_data(as_text=True)
    assert "navigator.clipboard" in body and "dataset.copyDone" in body
    script.close()
