"""Browser journeys: a live server on a database of its own, real Chromium, and axe-core on every page.

The ``app`` fixture of ``tests/conftest.py`` rolls every test back inside one connection, which a
server answering from other threads cannot share. The browser tests therefore get their own
application and their own database (a SQLite file, or a PostgreSQL database when
``TEST_DATABASE_URL`` says so, exactly as for the other tests), built once with the migrations when
the first browser test starts and dropped after the last one.
Data accumulates across the browser tests, so every test makes its own users with unique e-mail
addresses (``make_user``) and only reads the shared per-role users (``live_server.users``).

Every document a test loads must be checked with :meth:`Ui.check`: axe-core (WCAG 2.0/2.1 A and AA)
must find no violation, and the console must show no error and no Content-Security-Policy violation.
A test that loads a page and never checks it fails too.
"""

from __future__ import annotations

import logging
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher, profiles
from flask import Flask
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, Response, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import PASSWORD, _make_database_url, make_test_config
from wki import create_app
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.extensions import db

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SHOTS_DIR = Path("/tmp/wki-shots")
TIMEOUT_MS = 10_000

# Reports CSP violations on the console even where Chromium's own message would be missed.
# Injected through the DevTools protocol, so the page's CSP does not apply to it.
_CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`
    + ` (${e.sourceFile || 'page'}:${e.lineNumber})`);
});
"""

# axe files text in the colour of its own background under "incomplete" (it might be hidden on purpose);
# on these pages such text is always a mistake (white links on a white bar, say), so it fails too.
_RUN_AXE = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations', 'incomplete']});
  const invisible = result.incomplete
    .filter((r) => r.id === 'color-contrast')
    .map((r) => ({...r, nodes: r.nodes.filter((n) => n.any.some((c) => c.data && c.data.messageKey === 'equalRatio'))}))
    .filter((r) => r.nodes.length)
    .map((r) => ({...r, id: 'color-contrast (text in its background colour)'}));
  return result.violations.concat(invisible).map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary || ''})),
  }));
}
"""


# ---------------------------------------------------------------- reports for fixtures


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    """Keep each phase's report on the item, so fixtures know at teardown whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _test_failed(request: pytest.FixtureRequest) -> bool:
    rep = getattr(request.node, "rep_call", None)
    return rep is None or rep.failed


# ---------------------------------------------------------------- live server


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class _ErrorCollector(logging.Handler):
    """Collects the application's ERROR log records (an unhandled exception in a view, for one)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.name}: {record.getMessage()}")


@dataclass
class CreatedUser:
    id: int
    email: str
    name: str
    password: str


@dataclass
class LiveServer:
    url: str
    app: Flask
    users: dict[Role, CreatedUser]
    server_errors: _ErrorCollector

    def create_user(
        self, *roles: Role, prefix: str = "gebruiker", password: str = PASSWORD, name: str | None = None
    ) -> CreatedUser:
        """A new, committed user with a unique e-mail address."""
        from wki.auth.services import create_user

        email = unique_email(prefix)
        name = name or f"{prefix.capitalize()} {email[len(prefix) + 1 : len(prefix) + 7]}"
        with self.app.app_context():
            user = create_user(
                email=email,
                name=name,
                roles=list(roles) or [Role.INSPECTEUR],
                password=password,
                actor=Actor.process("test:browser"),
            )
            db.session.commit()
            return CreatedUser(id=user.id, email=user.email, name=user.name, password=password)


def unique_email(prefix: str = "gebruiker") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@inspectie.example.nl"


@pytest.fixture(scope="package")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The application on a fresh migrated database, served by werkzeug on 127.0.0.1 in a thread.

    Package scope: the server, its database and the cheap password hashing below end when the last
    browser test has run, before any other tests in the same session.
    """
    # Argon2 at production cost takes about 0.4 s per hash or check on a CI machine, and the journeys
    # log in and set passwords some forty times. The cheapest parameters (argon2-cffi's own profile
    # for tests) exercise the same code path; the strength of the hash is not what these tests test.
    from wki.auth import services as accounts

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
        yield from _serve(tmp_path_factory)


def _serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp_root = tmp_path_factory.mktemp("browser-db")
    url, drop = _make_database_url(tmp_root)

    app = create_app(make_test_config(tmp_root, url))
    errors = _ErrorCollector()
    app.logger.addHandler(errors)
    server = None
    try:
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
        live = LiveServer(url="", app=app, users={}, server_errors=errors)
        for role in Role:
            live.users[role] = live.create_user(role, prefix=role.value, name=f"Test {role.label}")

        # One recorded job run, so the job pages have a row and a detail page to show.
        from wki.core.jobs import run_job_now

        run_job_now(app, "housekeeping")

        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
        thread = threading.Thread(target=server.serve_forever, name="wki-live-server", daemon=True)
        thread.start()
        live.url = f"http://127.0.0.1:{server.server_port}"
        yield live
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        app.logger.removeHandler(errors)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        drop()


# ---------------------------------------------------------------- Chromium


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless. Missing Chromium is a failure, never a skip."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}; the browser tests need it "
            "(apt-get install chromium, or run scripts/install.sh).",
            pytrace=False,
        )
    if not AXE_PATH.exists():
        pytest.fail(f"axe-core is missing at {AXE_PATH}; run scripts/install.sh (npm ci).", pytrace=False)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shots_dir() -> Path:
    """Screenshots of the main pages, for people to look at (not compared automatically)."""
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    return SHOTS_DIR


# ---------------------------------------------------------------- the page helper


@dataclass
class Ui:
    """A Playwright page plus the checks every journey makes on every document it loads."""

    page: Page
    base_url: str
    axe_source: str
    shots_dir: Path
    console_errors: list[str] = field(default_factory=list)
    loads: list[str] = field(default_factory=list)
    last_status: int | None = None
    allowed_status_error: int | None = None

    # -- navigation

    def goto(self, path: str, *, status: int = 200) -> Response:
        """Open ``path`` and check the page (``status``: the HTTP status the document must have)."""
        self._require_checked()
        response = self.page.goto(self.base_url + path)
        assert response is not None, f"no response for {path}"
        self._expect_status(status)
        self.check()
        return response

    def click(self, target: Locator | str, *, status: int = 200) -> None:
        """Click something that loads a new document (link, submit button), then check that page."""
        self._require_checked()
        locator = self.page.locator(target) if isinstance(target, str) else target
        with self.page.expect_event("load"):
            locator.click()
        self._expect_status(status)
        self.check()

    def _expect_status(self, status: int) -> None:
        self.allowed_status_error = status if status >= 400 else None
        assert self.last_status == status, f"{self.page.url} answered HTTP {self.last_status}, expected {status}"

    def _require_checked(self) -> None:
        if len(self.loads) > 0:
            pytest.fail(f"page loaded but never checked with axe: {self.loads}", pytrace=False)

    # -- checks

    def check(self) -> None:
        """axe-core (WCAG 2.x A/AA) on the current document, then the console: both must be clean."""
        self.page.wait_for_load_state("load")
        if len(self.loads) > 1:
            pytest.fail(f"pages loaded without an accessibility check: {self.loads[:-1]}", pytrace=False)
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            self.page.evaluate(self.axe_source)
        violations = self.page.evaluate(_RUN_AXE, AXE_TAGS)
        self.loads.clear()
        if violations:
            pytest.fail(format_violations(self.page, violations), pytrace=False)
        self.assert_console_clean()

    def assert_console_clean(self) -> None:
        errors = [e for e in self.console_errors if not self._is_expected(e)]
        self.console_errors.clear()
        if errors:
            pytest.fail(f"console errors on {self.page.url}:\n  " + "\n  ".join(errors), pytrace=False)

    def _is_expected(self, message: str) -> bool:
        # Chromium logs the error status of the document itself; fine where the test asked for it.
        code = self.allowed_status_error
        return code is not None and f"the server responded with a status of {code}" in message

    # -- shortcuts

    def login(self, email: str, password: str = PASSWORD) -> None:
        """Log in with e-mail and password; ends on whatever page the application sends the user to."""
        self.goto("/account/inloggen")
        self.page.get_by_label("E-mailadres").fill(email)
        self.page.get_by_label("Wachtwoord", exact=True).fill(password)
        self.click(self.page.get_by_role("button", name="Inloggen"))

    def sign_in(self, email: str, password: str = PASSWORD, *, then: str = "/") -> None:
        """Log in over HTTP in this browser's cookie jar, then open ``then``.

        For journeys about something else than logging in: it skips two page loads (and their checks)
        of pages that the log-in journeys check already.
        """
        request = self.page.context.request
        form_page = request.get(f"{self.base_url}/account/inloggen")
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form_page.text())
        assert match, "no CSRF token on the log-in page"
        response = request.post(
            f"{self.base_url}/account/inloggen",
            max_redirects=0,
            form={"csrf_token": match.group(1), "email": email, "password": password},
        )
        assert response.status == 302, f"log-in refused for {email} (HTTP {response.status})"
        self.goto(then)

    def logout(self) -> None:
        self.click(self.page.get_by_role("button", name="Uitloggen"))
        assert self.page.url.endswith("/account/inloggen"), self.page.url

    def heading(self) -> str:
        return self.page.locator("h1").inner_text().strip()

    def shot(self, name: str, *, narrow: bool = False) -> Path:
        """A full-page screenshot in ``/tmp/wki-shots``; ``narrow``: also one at a phone's width."""
        path = self.shots_dir / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        if narrow:
            wide = self.page.viewport_size
            self.page.set_viewport_size({"width": 390, "height": 844})
            self._next_frame()
            self.page.screenshot(path=str(self.shots_dir / f"{name}-smal.png"), full_page=True)
            if wide:
                self.page.set_viewport_size(wide)
                self._next_frame()
        return path

    def _next_frame(self) -> None:
        """Wait until the page has been laid out again (after a change of viewport)."""
        self.page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")


def format_violations(page: Page, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {page.url} ({page.title()!r}):"]
    for v in violations:
        lines.append(f"  - {v['id']} [{v['impact']}]: {v['help']}")
        for node in v["nodes"][:10]:
            summary = re.sub(r"\s+", " ", node["summary"]).strip()
            lines.append(f"      {node['target']}: {summary[:300]}")
        if len(v["nodes"]) > 10:
            lines.append(f"      … and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


@pytest.fixture
def ui(
    request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer, axe_source: str, shots_dir: Path
) -> Iterator[Ui]:
    """A fresh browser context (no cookies) with the page helper; checks the last page at the end."""
    context = browser.new_context(
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(_CSP_LISTENER)
    page = context.new_page()
    helper = Ui(page=page, base_url=live_server.url, axe_source=axe_source, shots_dir=shots_dir)

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            location = msg.location.get("url", "") if msg.location else ""
            helper.console_errors.append(f"{msg.text} ({location})" if location else msg.text)

    def on_response(response: Response) -> None:
        if response.request.is_navigation_request() and response.frame == page.main_frame:
            helper.last_status = response.status

    page.on("console", on_console)
    page.on("pageerror", lambda exc: helper.console_errors.append(f"uncaught exception: {exc}"))
    page.on("response", on_response)
    page.on("load", lambda p: helper.loads.append(p.url))
    live_server.server_errors.records.clear()
    try:
        yield helper
        if not _test_failed(request):
            helper._require_checked()
            helper.assert_console_clean()
            assert not live_server.server_errors.records, "server errors:\n" + "\n".join(
                live_server.server_errors.records
            )
    finally:
        if _test_failed(request):
            (shots_dir / "failures").mkdir(exist_ok=True)
            try:
                page.screenshot(path=str(shots_dir / "failures" / f"{request.node.name}.png"), full_page=True)
            except Exception:  # noqa: BLE001 - a screenshot must never hide the real failure
                pass
        context.close()


@pytest.fixture
def make_user(live_server: LiveServer) -> Callable[..., CreatedUser]:
    """``make_user(Role.X, ...)``: a new committed user with a unique e-mail address."""
    return live_server.create_user
