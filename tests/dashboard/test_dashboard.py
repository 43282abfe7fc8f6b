"""The dashboard: counts per role, each linking to the list behind it; navigation per role."""

import re
from datetime import timedelta

import pytest

from wki.core.auth import Role
from wki.core.clock import utcnow


def _nav_labels(html: str) -> list[str]:
    nav = html.split('aria-label="Hoofdmenu"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'class="rhc-nav-bar__link"[^>]*>([^<]+)<', nav)


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ((Role.INSPECTEUR,), ["Overzicht", "Register", "Signalen", "Toezicht"]),
        ((Role.VOORLICHTING,), ["Overzicht", "Register", "Documenten"]),
        ((Role.HANDHAVER,), ["Overzicht", "Register", "Signalen", "Toezicht", "Handhaving", "Documenten"]),
        ((Role.BEHEERDER,), ["Overzicht", "Register", "Beheer"]),
        ((Role.INSPECTEUR, Role.BEHEERDER), ["Overzicht", "Register", "Signalen", "Toezicht", "Beheer"]),
    ],
)
def test_navigation_per_role(login_as, roles, expected):
    html = login_as(*roles).get("/overzicht").get_data(as_text=True)
    assert _nav_labels(html) == expected


def test_every_navigation_link_opens_for_that_role(login_as):
    for role in Role:
        client = login_as(role)
        html = client.get("/overzicht").get_data(as_text=True)
        nav = html.split('aria-label="Hoofdmenu"', 1)[1].split("</nav>", 1)[0]
        for href in re.findall(r'href="([^"]+)"', nav):
            assert client.get(href).status_code == 200, (role, href)


def test_admin_tiles_count_and_link(login_as, factories, db_session):
    """Locked accounts are counted on the administrator's dashboard and link to the user list."""
    factories.UserFactory(locked_until=utcnow() + timedelta(minutes=10))
    factories.UserFactory(locked_until=utcnow() - timedelta(minutes=10))  # lock expired: not counted
    html = login_as(Role.BEHEERDER).get("/overzicht").get_data(as_text=True)
    tile = re.search(r'<a class="wki-tile__link" href="([^"]+)">\s*<span class="wki-tile__count">(\d+)</span>\s*'
                     r'<span class="wki-tile__label">Geblokkeerde accounts</span>', html)
    assert tile, html
    assert tile.group(1) == "/beheer/gebruikers"
    assert tile.group(2) == "1"


def test_inspector_sees_no_admin_tiles(login_as):
    html = login_as(Role.INSPECTEUR).get("/overzicht").get_data(as_text=True)
    assert "Geblokkeerde accounts" not in html


def test_root_redirects(client, login_as):
    assert client.get("/").headers["Location"].endswith("/account/inloggen")
    assert login_as(Role.INSPECTEUR).get("/").headers["Location"].endswith("/overzicht")
