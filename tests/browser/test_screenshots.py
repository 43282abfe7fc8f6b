"""The screenshot script for docs/ still works: it builds its demo installation, logs in, finds its screen in
the demo data and writes the picture."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher, profiles
from PIL import Image
from playwright.sync_api import Browser

from tests.test_docs import load_screenshot_script

pytestmark = pytest.mark.browser


def test_the_script_makes_a_picture_of_a_screen_found_in_the_demo_data(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wki.auth import services as accounts

    # The demo seed hashes seventeen passwords; the cheapest Argon2 parameters, as in the other browser tests.
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
    script = load_screenshot_script()
    by_name = {s.name: s for s in script.SCREENS}
    # A screen whose address is looked up in the demo data, after logging in as a role, cut at a heading.
    screens = [by_name["inloggen"], by_name["zaak-termijnen"]]
    written = script.shoot(browser, screens, tmp_path)

    assert [p.name for p in written] == ["inloggen.png", "zaak-termijnen.png"]
    for path in written:
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.width == script.WIDTH
            assert 200 < image.height <= by_name[path.stem].height
            assert image.mode == "P", "stored with a palette, to keep docs/schermen small"
            # Not a blank page: a picture of a real page has many colours (text, buttons, the header bar).
            assert len(image.getcolors(maxcolors=256) or []) > 8
