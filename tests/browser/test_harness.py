"""The checks themselves: a clean run means something only if a broken page would have failed it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Ui

pytestmark = pytest.mark.browser


def test_check_reports_accessibility_violations(ui: Ui) -> None:
    """An image without a text alternative fails the check, with rule, impact and selector in the message."""
    ui.goto("/account/inloggen")
    ui.page.evaluate(
        "() => { const img = document.createElement('img'); img.id = 'zonder-alt';"
        " img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; document.querySelector('main').append(img); }"
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        ui.check()
    message = str(failure.value)
    assert "image-alt [critical]" in message
    assert "#zonder-alt" in message


def test_check_reports_text_as_light_as_its_background(ui: Ui) -> None:
    """Text in the colour of its background is reported, although axe files it as 'needs review'."""
    ui.goto("/account/inloggen")
    # Through the CSSOM, which the Content-Security-Policy allows (a style attribute it would refuse).
    ui.page.evaluate("() => { const p = document.querySelector('main p'); p.style.color = '#fff'; }")
    with pytest.raises(pytest.fail.Exception) as failure:
        ui.check()
    assert "color-contrast (text in its background colour)" in str(failure.value)


def test_check_reports_content_security_policy_violations(ui: Ui) -> None:
    """An inline script is refused by the CSP, and the refusal fails the check."""
    ui.goto("/account/inloggen")
    with ui.page.expect_console_message(lambda m: m.type == "error"):
        ui.page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
            " document.body.append(s); }"
        )
    with pytest.raises(pytest.fail.Exception) as failure:
        ui.check()
    assert "Content Security Policy" in str(failure.value) or "CSP violation" in str(failure.value)
    assert ui.page.evaluate("() => window.x") is None, "the inline script did not run"


def test_a_page_that_was_never_checked_fails(ui: Ui) -> None:
    """Loading a page and moving on without checking it is refused."""
    ui.goto("/account/inloggen")
    with ui.page.expect_event("load"):
        ui.page.get_by_role("button", name="Inloggen").click()
    with pytest.raises(pytest.fail.Exception) as failure:
        ui.goto("/account/inloggen")
    assert "never checked" in str(failure.value)
    ui.check()  # the page that is open now
