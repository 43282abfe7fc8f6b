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
        ((Role.INSPECTEUR,), ["Overzicht", "Register", "Signalen", "Toezicht", "Handhaving", "Documenten"]),
        ((Role.VOORLICHTING,), ["Overzicht", "Register", "Documenten"]),
        ((Role.HANDHAVER,), ["Overzicht", "Register", "Signalen", "Toezicht", "Handhaving", "Documenten"]),
        ((Role.BEHEERDER,), ["Overzicht", "Register", "Toezicht", "Handhaving", "Documenten", "Beheer"]),
        ((Role.INSPECTEUR, Role.BEHEERDER), ["Overzicht", "Register", "Signalen", "Toezicht", "Handhaving",
                                             "Documenten", "Beheer"]),
    ],
)
def test_navigation_per_role(login_as, roles, expected):
    html = login_as(*roles).get("/").get_data(as_text=True)
    assert _nav_labels(html) == expected


def test_every_navigation_link_opens_for_that_role(login_as):
    for role in Role:
        client = login_as(role)
        html = client.get("/").get_data(as_text=True)
        nav = html.split('aria-label="Hoofdmenu"', 1)[1].split("</nav>", 1)[0]
        for href in re.findall(r'href="([^"]+)"', nav):
            assert client.get(href).status_code == 200, (role, href)


def test_admin_tiles_count_and_link(login_as, factories, db_session):
    """Locked accounts are counted on the administrator's dashboard and link to the user list."""
    factories.UserFactory(locked_until=utcnow() + timedelta(minutes=10))
    factories.UserFactory(locked_until=utcnow() - timedelta(minutes=10))  # lock expired: not counted
    html = login_as(Role.BEHEERDER).get("/").get_data(as_text=True)
    tile = re.search(r'<a class="wki-tile__link" href="([^"]+)">\s*<span class="wki-tile__count">(\d+)</span>\s*'
                     r'<span class="wki-tile__label">Geblokkeerde accounts</span>', html)
    assert tile, html
    assert tile.group(1) == "/beheer/gebruikers"
    assert tile.group(2) == "1"


def test_inspector_sees_no_admin_tiles(login_as):
    html = login_as(Role.INSPECTEUR).get("/").get_data(as_text=True)
    assert "Geblokkeerde accounts" not in html


def test_root_is_the_overview_and_its_old_address_moved(client, login_as):
    """One page: ``/`` is the overview for anyone logged in; ``/overzicht`` (bookmarks) moved there for good."""
    anonymous = client.get("/")
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"] == "/account/inloggen"
    inspector = login_as(Role.INSPECTEUR)
    page = inspector.get("/")
    assert page.status_code == 200
    assert '<h1 class="nl-heading nl-heading--level-1">Overzicht</h1>' in page.get_data(as_text=True)
    assert 'href="/" aria-current="page">Overzicht</a>' in page.get_data(as_text=True)
    for who in (client, inspector):
        moved = who.get("/overzicht")
        assert moved.status_code == 301
        assert moved.headers["Location"] == "/"


def test_footer_pages_are_public_and_linked_from_every_page(client, login_as):
    for path, heading in (("/toegankelijkheid", "Toegankelijkheidsverklaring"), ("/privacy", "Privacy"),
                          ("/contact", "Contact")):
        page = client.get(path)
        assert page.status_code == 200, path
        assert f'<h1 class="nl-heading nl-heading--level-1">{heading}</h1>' in page.get_data(as_text=True)
        for html in (client.get("/account/inloggen").get_data(as_text=True),
                     login_as(Role.VOORLICHTING).get("/").get_data(as_text=True)):
            assert f'href="{path}">' in html


def test_attention_tile_says_so_in_words(login_as, factories):
    """A tile that needs attention is marked in words and with an icon, never by its colour alone."""
    factories.UserFactory(locked_until=utcnow() + timedelta(hours=1))
    html = login_as(Role.BEHEERDER).get("/").get_data(as_text=True)
    tile = re.search(r'<li class="wki-tile wki-tile--attention">.*?</li>', html, re.S)
    assert tile and "Geblokkeerde accounts" in tile.group(0)
    assert "Vraagt aandacht</p>" in tile.group(0)
    assert "Actieve gebruikers" in html and html.count("Vraagt aandacht") < html.count('class="wki-tile')
