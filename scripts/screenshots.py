"""Screenshots for the user guides in docs/, made from the demo data so that they stay current.

    .venv/bin/python scripts/screenshots.py                 # every screen, into docs/schermen/
    .venv/bin/python scripts/screenshots.py --only register-lijst --out /tmp/schermen

It builds a throwaway installation in a temporary directory (a SQLite database migrated with the
migrations, the document stores, the demo sync source), loads the demo data exactly as
``flask demo seed`` does (same seed, so the same agencies, signals, inspections and cases), lets the worker
finish what the demo queued (the demo mailing), serves the application with werkzeug in a thread, and
opens every screen in SCREENS with Debian's Chromium (Playwright) as the demo account of its role, at
1280x800. Nothing is hidden or retouched.

Not fixed: the date. The demo data is dated relative to today (a letter is dated today, a deadline
falls in two weeks), so dates in the pictures are those of the day the script ran.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT_DIR = ROOT / "docs" / "schermen"
CHROMIUM = Path("/usr/bin/chromium")
# The same switches as the browser tests (tests/browser/conftest.py), and Dutch for what Chromium draws
# itself (a date field's dd-mm-jjjj) where its Dutch locale is installed (Debian: chromium-l10n; without
# it date fields show mm/dd/yyyy).
CHROMIUM_ARGS = [
    "--lang=nl-NL",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTH, WINDOW_HEIGHT = 1280, 800
DEMO_DOMAIN = "demo.wki-inspectie.nl"
TIMEOUT_MS = 20_000
MAX_HEIGHT = 1400
JOBS = ("housekeeping", "register-sync", "exempt-sync", "signals-rematch", "signals-regroup", "enforcement-reminders")

# A path, or a function that finds the path in the demo data (run inside the app context).
PathSpec = str | Callable[[], str]


@dataclass(frozen=True)
class Screen:
    """One picture: ``name`` is the file name (docs/schermen/<name>.png); ``account`` the demo account
    (local part of the e-mail address, None: not logged in); ``path`` where to go; ``section``: a
    Playwright selector of the heading the picture starts at (None: the top of the page); ``height``: at
    most this many pixels of the page (the window is 1280x800; a longer page is cut there)."""

    name: str
    account: str | None
    path: PathSpec
    title: str
    section: str | None = None
    height: int = MAX_HEIGHT


def _scalar(sql: str) -> object:
    import sqlalchemy as sa

    from wki.core.extensions import db

    value = db.session.execute(sa.text(sql)).scalar()
    if value is None:
        raise LookupError(f"the demo data has nothing for: {sql}")
    return value


def _registration() -> str:
    # The agency with the most versions: the page then shows a history.
    number = _scalar("SELECT registratienummer FROM registration_version GROUP BY registratienummer "
                     "ORDER BY count(*) DESC, registratienummer LIMIT 1")
    return f"/register/{number}"


def _signal() -> str:
    return f"/signalen/{_scalar('SELECT min(id) FROM signal')}"


def _suspect() -> str:
    number = _scalar("SELECT suspect_id FROM signal WHERE suspect_id IS NOT NULL GROUP BY suspect_id ORDER BY count(*) DESC, suspect_id "
                     "LIMIT 1")
    return f"/signalen/mogelijke-overtreders/{number}"


def _inspection(status: str) -> Callable[[], str]:
    sql = f"SELECT min(id) FROM inspection WHERE status = '{status}'"
    return lambda: f"/toezicht/inspecties/{_scalar(sql)}"


def _inspection_item() -> str:
    inspection = _scalar("SELECT min(id) FROM inspection WHERE status = 'in_uitvoering'")
    item = _scalar(f"SELECT min(id) FROM inspection_item WHERE inspection_id = {inspection}")
    return f"/toezicht/inspecties/{inspection}/eisen/{item}"


def _case(status: str) -> Callable[[], str]:
    sql = f"SELECT min(id) FROM enforcement_case WHERE status = '{status}'"
    return lambda: f"/handhaving/zaken/{_scalar(sql)}"


def _mailing(status: str) -> Callable[[], str]:
    sql = f"SELECT min(id) FROM mailing WHERE status = '{status}'"
    return lambda: f"/documenten/mailings/{_scalar(sql)}"


def _snapshot() -> str:
    sql = "SELECT min(id) FROM register_snapshot WHERE status = 'quarantaine'"
    return f"/register/beheer/snapshots/{_scalar(sql)}"


def _user() -> str:
    sql = f"SELECT id FROM user_account WHERE email = 'inspecteur@{DEMO_DOMAIN}'"
    return f"/beheer/gebruikers/{_scalar(sql)}"


SCREENS: tuple[Screen, ...] = (
    Screen("inloggen", None, "/account/inloggen", "Inloggen"),
    Screen("overzicht-inspecteur", "inspecteur", "/", "Overzicht van de inspecteur"),
    Screen("register-lijst", "inspecteur", "/register/", "Het register"),
    Screen("register-registratie", "inspecteur", _registration, "Een registratie met haar geschiedenis"),
    Screen("signalen-lijst", "inspecteur", "/signalen/", "Signalen"),
    Screen("signaal", "inspecteur", _signal, "Een signaal"),
    Screen("overtreders-lijst", "inspecteur", "/signalen/mogelijke-overtreders", "Mogelijke overtreders"),
    Screen("overtreder", "inspecteur", _suspect, "Een mogelijke overtreder"),
    Screen("signaal-nieuw", "inspecteur", "/signalen/nieuw", "Een signaal vastleggen"),
    Screen("toezicht-planning", "inspecteur", "/toezicht/", "Planning en prioriteiten"),
    Screen("inspecties-lijst", "inspecteur", "/toezicht/inspecties", "Inspecties"),
    Screen("inspectie-uitvoering", "inspecteur", _inspection("in_uitvoering"), "Een inspectie in uitvoering"),
    Screen("inspectie-eis", "inspecteur", _inspection_item, "Een eis beoordelen met bewijs"),
    Screen("inspectie-checklist", "inspecteur", _inspection("in_uitvoering"), "De checklist van een inspectie",
           section="h2:text-is('Checklist')", height=1000),
    Screen("inspectie-review", "teamleider", _inspection("ter_review"), "Een inspectie ter review"),
    Screen("inspectie-review-beslissen", "teamleider", _inspection("ter_review"),
           "De reviewer keurt goed of stuurt terug", section="h2:text-is('Wat u nu kunt doen')", height=1000),
    Screen("overzicht-voorlichting", "voorlichting", "/", "Overzicht van voorlichting"),
    Screen("documenten", "voorlichting", "/documenten/", "Documenten: briefsoorten"),
    Screen("briefsoort", "voorlichting", "/documenten/briefsoorten/informatiebrief-sector", "Een briefsoort"),
    Screen("briefsoort-voorbeeld", "voorlichting", "/documenten/briefsoorten/informatiebrief-sector/voorbeeld",
           "Voorbeeld van een brief"),
    Screen("briefsoort-bewerken", "voorlichting", "/documenten/briefsoorten/informatiebrief-sector/bewerken",
           "De tekst van een briefsoort bewerken"),
    Screen("mailings-lijst", "voorlichting", "/documenten/mailings", "Mailings"),
    Screen("mailing-nieuw", "voorlichting", "/documenten/mailings/nieuw?soort=informatiebrief-sector", "Een nieuwe mailing"),
    Screen("mailing-concept", "voorlichting", _mailing("concept"), "Een mailing die op goedkeuring wacht"),
    Screen("mailing-goedkeuren", "beheerder", _mailing("concept"), "Een collega keurt de mailing goed",
           section="h2:text-is('Acties')", height=700),
    Screen("mailing-verzonden", "voorlichting", _mailing("klaar"), "Een afgeronde mailing"),
    Screen("documenten-uitgegeven", "voorlichting", "/documenten/uitgegeven", "Uitgegeven documenten"),
    Screen("overzicht-handhaver", "handhaver", "/", "Overzicht van de handhaver"),
    Screen("zaken-lijst", "handhaver", "/handhaving/", "Handhavingszaken"),
    Screen("zaak-onderzoek", "handhaver", _case("onderzoek"), "Een zaak in onderzoek"),
    Screen("zaak-status", "handhaver", _case("onderzoek"), "Status en volgende stappen van een zaak",
           section="#status", height=1000),
    Screen("zaak-boete", "handhaver", _case("onderzoek"), "De boete berekenen", section="#boete", height=1200),
    Screen("zaak-voornemen", "handhaver", _case("voornemen"), "Een zaak met een voornemen"),
    Screen("zaak-termijnen", "handhaver", _case("voornemen"), "Termijnen van een zaak", section="#termijnen",
           height=1000),
    Screen("zaak-procedure", "handhaver", _case("voornemen"), "Zienswijze, last en controle",
           section="#procedure", height=1200),
    Screen("zaak-besluitvorming", "teamleider", _case("besluitvorming"), "Een zaak in besluitvorming"),
    Screen("zaak-documenten", "teamleider", _case("besluitvorming"), "Een besluit goedkeuren (vier ogen)",
           section="#documenten", height=1200),
    Screen("boetes", "handhaver", "/handhaving/boetes", "Boetetabellen en beleid"),
    Screen("handhaving-overzicht", "handhaver", "/handhaving/overzicht", "Termijnen en cijfers"),
    Screen("beheer", "beheerder", "/beheer/", "Beheer"),
    Screen("gebruikers", "beheerder", "/beheer/gebruikers", "Gebruikers"),
    Screen("gebruiker", "beheerder", _user, "Een gebruiker"),
    Screen("snapshots", "beheerder", "/register/beheer/snapshots", "Snapshots in quarantaine"),
    Screen("snapshot", "beheerder", _snapshot, "Een snapshot in quarantaine"),
    Screen("synchronisaties", "beheerder", "/register/beheer/synchronisaties", "Synchronisaties van het register"),
    Screen("taken", "beheerder", "/beheer/taken", "Geplande taken"),
    Screen("werk", "beheerder", "/beheer/werk", "De werkrij"),
    Screen("feestdagen", "beheerder", "/beheer/feestdagen", "Feestdagen en gelijkgestelde dagen"),
    Screen("audit", "beheerder", "/beheer/audit", "Het audittrail"),
    Screen("avg", "beheerder", "/beheer/avg", "Persoonsgegevens (AVG)"),
    Screen("avg-verzoeken", "beheerder", "/beheer/avg/verzoeken", "Verzoeken om inzage of wissing"),
    Screen("account", "inspecteur", "/account/", "Mijn account"),
)


# ---------------------------------------------------------------- the installation


def _config(tmp: Path) -> type:
    from config import DevelopmentConfig

    class ScreenshotConfig(DevelopmentConfig):
        SECRET_KEY = secrets.token_urlsafe(48)
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp / 'wki.sqlite3'}"
        SCHEDULER_LOCK_PATH = str(tmp / "scheduler.lock")
        SIGNAL_ATTACHMENT_DIR = str(tmp / "bijlagen")
        DOCUMENT_STORE_DIR = str(tmp / "documenten")
        EVIDENCE_STORE_DIR = str(tmp / "bewijs")
        CASE_STORE_DIR = str(tmp / "zaken")
        DEMO_SYNC_DIR = str(tmp / "demo-bron")
        REGISTER_SYNC_SOURCE = str(tmp / "demo-bron" / "register.csv")
        EXEMPT_SYNC_SOURCE = str(tmp / "demo-bron" / "vrijgestelden.csv")
        # The demo accounts have no second factor; log-in is e-mail and password, as in `scripts/run.sh`.
        REQUIRE_TOTP = False
        LOG_FORMAT = "text"
        LOG_LEVEL = "WARNING"
        WORKER_PROCESSES = 1

    return ScreenshotConfig


@contextmanager
def demo_server(tmp: Path) -> Iterator[tuple[str, Flask]]:
    """The application with the demo data, served on a free port; yields (base URL, app)."""
    from flask_migrate import upgrade
    from werkzeug.serving import WSGIRequestHandler, make_server

    from wki import create_app
    from wki.core.extensions import db
    from wki.core.jobs import run_job_now
    from wki.core.worker import run_worker
    from wki.demo import seed_demo

    class Quiet(WSGIRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            pass

    app = create_app(_config(tmp))
    with app.app_context():
        upgrade()
        seed_demo(seed=2026, extra_users=12, if_empty=True)
        db.session.commit()
    # What `scripts/run.sh` would do in its first minutes: the worker sends the demo mailing, and the
    # scheduler runs each job once (catch-up at start).
    run_worker(app, once=True)
    for job in JOBS:
        run_job_now(app, job)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, name="wki-screenshots", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


# ---------------------------------------------------------------- the browser


def _log_in(page: Page, base_url: str, account: str) -> None:
    from wki.demo import DEMO_PASSWORD

    page.goto(f"{base_url}/account/inloggen")
    page.get_by_label("E-mailadres").fill(f"{account}@{DEMO_DOMAIN}")
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    if page.url.rstrip("/").endswith("/account/inloggen"):
        raise RuntimeError(f"log-in as {account} refused")


def _shrink(path: Path) -> None:
    """Store the picture with a palette of 256 colours (a third of the size; text stays sharp)."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def take(screens: list[Screen], out_dir: Path) -> list[Path]:
    """Make the pictures of ``screens`` in ``out_dir`` with a Chromium of its own; returns the files written."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise SystemExit(f"Chromium ontbreekt op {CHROMIUM} (apt-get install chromium, of scripts/install.sh).")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            return shoot(browser, screens, out_dir)
        finally:
            browser.close()


def shoot(browser: Browser, screens: list[Screen], out_dir: Path) -> list[Path]:
    """Make the pictures of ``screens`` in ``out_dir`` with ``browser`` (the tests pass theirs)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="wki-schermen-") as tmp, demo_server(Path(tmp)) as (base_url, app):
        with app.app_context():
            paths = {s.name: s.path if isinstance(s.path, str) else s.path() for s in screens}
        pages: dict[str | None, Page] = {}
        try:
            for screen in screens:
                if screen.account not in pages:
                    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam",
                                                  viewport={"width": WIDTH, "height": WINDOW_HEIGHT},
                                                  device_scale_factor=1)
                    context.set_default_timeout(TIMEOUT_MS)
                    pages[screen.account] = context.new_page()
                    if screen.account is not None:
                        _log_in(pages[screen.account], base_url, screen.account)
                written.append(_picture(pages[screen.account], base_url + paths[screen.name], screen, out_dir))
        finally:
            for page in pages.values():
                page.context.close()
    return written


def _picture(page: Page, url: str, screen: Screen, out_dir: Path) -> Path:
    response = page.goto(url)
    if response is None or response.status != 200:
        raise RuntimeError(f"{screen.name}: {url} answered {response.status if response else 'nothing'}")
    page.wait_for_load_state("networkidle")
    top = 0
    if screen.section is not None:
        heading = page.locator(screen.section).first
        top = max(0, int(heading.evaluate("(e) => e.getBoundingClientRect().top + window.scrollY")) - 16)
    page_height = page.evaluate("() => document.documentElement.scrollHeight")
    height = min(screen.height, page_height - top)
    target = out_dir / f"{screen.name}.png"
    page.screenshot(path=str(target), full_page=True, clip={"x": 0, "y": top, "width": WIDTH, "height": height})
    _shrink(target)
    shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
    print(f"{shown}  ({screen.account or 'niet ingelogd'}, {url.split('/', 3)[-1]})")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Maak de schermafbeeldingen voor docs/ uit de demogegevens.")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="map voor de PNG's (standaard docs/schermen)")
    parser.add_argument("--only", nargs="+", metavar="NAAM", help="alleen deze schermen")
    args = parser.parse_args(argv)
    by_name = {s.name: s for s in SCREENS}
    unknown = sorted(set(args.only or ()) - set(by_name))
    if unknown:
        parser.error(f"onbekende schermen: {', '.join(unknown)} (bekend: {', '.join(by_name)})")
    screens = [by_name[n] for n in args.only] if args.only else list(SCREENS)
    take(screens, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
