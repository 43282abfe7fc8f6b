"""The screens' shared layout in a real browser: every page type at 320 px without sideways scrolling
(WCAG 1.4.10) and clean under axe, the menu behind a button on narrow screens, the admin tables whole at
1366 px, a thick focus indicator, and Fira Sans served from the application itself.

These tests run on a server of their own with the demo data (the register's history, signals, suspects),
so that every list and detail page has rows to lay out; the other browser tests keep their empty one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher, profiles

from tests.browser.conftest import LiveServer, Ui, _serve
from tests.conftest import PASSWORD
from wki.core.actors import Actor
from wki.core.auth import Role, access_rule_for
from wki.core.clock import today_local
from wki.core.extensions import db

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1366, "height": 768}

# GET endpoints that are not screens: files, machine answers, and addresses that only redirect.
NOT_SCREENS = {
    "static", "healthz.health", "register.export", "signals.export", "signals.attachment",
    "signals.import_rejects", "admin.audit_export", "dashboard.index_moved", "signals.suspects_moved",
    "signals.suspect_moved", "auth.second_factor", "auth.login",
    "documents.document_pdf", "documents.preview_pdf", "documents.preview_png",
    "documents.mailing_print_file", "documents.mailing_status_csv",
    # supervision: inspection pages (a download)
    "supervision.evidence_file",
    # supervision: planning, catalogue and charts (a download, not a screen)
    "supervision.priorities_csv",
    # enforcement: the case page (downloads, not screens)
    "enforcement.attachment", "enforcement.document_pdf",
}
# Screens for someone not logged in (the log-in page and the footer's pages), seen anonymously.
ANONYMOUS_SCREENS = ["/account/inloggen", "/toegankelijkheid", "/privacy", "/contact"]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The application on its own database, filled with the demo data and one record of every kind a
    detail page shows (a partner token, a signal import, work for the worker, a register upload)."""
    from wki.auth import services as accounts

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
        server = _serve(tmp_path_factory)
        live = next(server)
        with live.app.app_context():
            _fill(live)
        live.users["alles"] = live.create_user(*Role, prefix="alles", name="Alle Rollen")  # type: ignore[index]
        try:
            yield live
        finally:
            server.close()


def _fill(live: LiveServer) -> None:
    from tests.register.helpers import register_row, to_csv
    from wki.demo import seed_demo
    from wki.register.models import SnapshotKind
    from wki.register.services import queue_upload
    from wki.signals.imports import import_signals
    from wki.signals.partner_tokens import issue_token, revoke_token
    from wki.signals.rematch import queue_rematch

    seed_demo(seed=11, extra_users=4, if_empty=False)
    long_actor = "functioneel-beheerder.toezicht-incasso@inspectie-justitie-en-veiligheid.example.nl"
    issue_token("Gemeente Lange-Naam-aan-den-IJssel", "gemeente", actor=Actor.process(long_actor))
    revoked, _ = issue_token("Stichting Schuldhulpverlening Noord-Oost-Nederland", "schuldhulpverlener", actor=Actor.process(long_actor))
    revoke_token(revoked.id, actor=Actor.process(long_actor))
    import_signals(b"referentie;ontvangen_op;bron;naam_incassant\r\nL-1;2026-03-10;consument;Snelgeld\r\n"
                   b"L-2;x;consument;Y\r\n", file_name="layout.csv", actor=Actor.process("test"), skip_invalid=True)
    queue_rematch(actor=Actor.process("test"))
    queue_upload(SnapshotKind.REGISTER, to_csv([register_row(1)]), snapshot_date=today_local(),
                 file_name="register.csv", actor=Actor.process("test"))
    _fill_documents(long_actor)
    from datetime import date

    from wki.core.equated_days import add_equated_day  # a day equated with a holiday, with a long decree
    add_equated_day(date(2027, 5, 7), "Vrijdag na Hemelvaartsdag (brugdag voor de rijksoverheid)",
                    "Besluit van 12 maart 2027, houdende gelijkstelling van een dag met een algemeen erkende "
                    "feestdag als bedoeld in de Algemene termijnenwet, Stb. 2027, 123", actor=Actor.process(long_actor))
    _fill_enforcement_case(long_actor)  # a case with every section filled
    _fill_enforcement()
    from wki.privacy.requests import Person, export  # a request for access, with a long reference

    export(Person(naam="Jansen"), reference="AVG-2026-000123 (verzoek van betrokkene, per aangetekende brief)",
           actor=Actor.process(long_actor))
    db.session.commit()


def _fill_documents(long_actor: str) -> None:
    """A draft waiting for publication by someone with a long address, and an issued document."""
    from wki.documents import issuing, texts

    letter_type = texts.get_letter_type("informatiebrief-sector")
    assert letter_type is not None
    latest = texts.versions_of(letter_type)[0]
    texts.save_text(letter_type, subject=latest.subject, body=latest.body + "\n\nEen extra alinea.",
                    note="Alinea toegevoegd", actor=Actor.process(long_actor), based_on=latest)
    issuing.issue_document(letter_type=letter_type, actor=Actor.process(long_actor), recipient={
        "key": "registratie:R2026-00001", "naam": "Incasso- en Gerechtsdeurwaarderskantoor Lange-Naam B.V.",
        "registratienummer": "R2026-00001", "suspect_id": None, "adresregels": ["Dorpsstraat 1", "1234 AB  PLAATS"],
        "postcode": "1234 AB", "email": None, "velden": {"registratienummer": "R2026-00001"}})


def _fill_enforcement_case(long_actor: str) -> None:
    """A case with something in every section: evidence, a conversation with a file, the fine's report (a
    running period), a draft document."""
    from wki.auth.models import User
    from wki.enforcement import cases, procedure
    from wki.enforcement.models import EvidenceLink, Instrument, SubjectKind

    officer = db.session.scalar(sa.select(User).order_by(User.id))
    assert officer is not None
    actor = Actor.process(long_actor)
    nummer = _first("SELECT registratienummer FROM registration_version WHERE valid_to IS NULL "
                    "AND registratienummer <> 'R2026-00001' AND registratienummer NOT IN (SELECT registratienummer "
                    "FROM enforcement_case WHERE registratienummer IS NOT NULL) ORDER BY id")
    case = cases.open_case(subject=SubjectKind.REGISTRATION, provisions=["wki_13", "awb_5_20"], officer_id=officer.id,
                           actor=actor, registratienummer=nummer, aanleiding="Signalen over de klachtenregeling.",
                           feiten="Geen klachtenregeling.\n\nDe VOG's van twee medewerkers ontbreken.")
    cases.link_evidence(case.id, kind=EvidenceLink.REGISTER, as_of=today_local(), actor=actor)
    cases.choose_instrument(case.id, Instrument.CONVERSATION, reason="Eerst uitleggen.", actor=actor,
                            expected_version=case.version)
    procedure.record_conversation(case.id, day=today_local(), summary="Uitgelegd wat de Wki vraagt.", actor=actor,
                                  files=[("gespreksverslag-met-een-lange-naam.pdf", b"%PDF-1.4\n%%EOF\n")])
    cases.choose_instrument(case.id, Instrument.FINE, reason="Toch een boete.", actor=actor,
                            expected_version=case.version)
    procedure.record_caution(case.id, day=today_local(), person="De directeur", text="", actor=actor)
    procedure.record_report(case.id, day=today_local(), text="Rapport van de overtreding.", actor=actor)
    from wki.enforcement import decisions
    from wki.enforcement.models import DocumentKind

    decisions.start_document(case.id, DocumentKind.INTENTION, actor=actor)


def _fill_enforcement() -> None:
    """A case about a registration with a long name, a running deadline and an issued decision (the list, the
    overview's tables and chart, the case page)."""
    from types import SimpleNamespace

    from tests.enforcement.page_factories import make_case, make_deadline, make_document
    from wki.enforcement.models import CaseStatus, DocumentKind, Instrument, Provision

    officer_id, email = db.session.execute(sa.text("SELECT id, email FROM user_account ORDER BY id")).first()
    case = make_case(SimpleNamespace(id=officer_id, email=email), registratienummer="R2026-00001",
                     naam="Incasso- en Gerechtsdeurwaarderskantoor Lange-Naam-aan-den-IJssel B.V.",
                     status=CaseStatus.INTENTION, instrument=Instrument.PENALTY_ORDER, opened_on=today_local(),
                     provisions=[Provision.WKI_13.value, Provision.AWB_5_20.value])
    make_deadline(case, today_local() + timedelta(days=10))
    make_document(case, DocumentKind.PENALTY_ORDER, document_date=today_local())


def _first(sql: str) -> Any:
    value = db.session.execute(sa.text(sql)).scalar()
    assert value is not None, f"no record for {sql}"
    return value


# How each URL parameter gets an existing record of the demo data. A new parameter needs a line here.
PARAMETERS: dict[str, str] = {
    "user_id": "SELECT id FROM user_account ORDER BY id DESC",
    "run_id": "SELECT id FROM job_run ORDER BY id",
    "registratienummer": "SELECT registratienummer FROM registration_version ORDER BY id",
    "sync_run_id": "SELECT id FROM register_sync_run ORDER BY id",
    "snapshot_id": "SELECT id FROM register_snapshot WHERE status = 'quarantaine' ORDER BY id",
    "token_id": "SELECT id FROM partner_token ORDER BY id",
    "signal_id": "SELECT id FROM signal WHERE suspect_id IS NOT NULL ORDER BY id",
    "suspect_id": "SELECT id FROM suspect ORDER BY id",
    "import_id": "SELECT id FROM signal_import ORDER BY id DESC",
    "job_name": "SELECT 'housekeeping'",
    "slug": "SELECT slug FROM letter_type ORDER BY id",
    "number": "SELECT max(number) FROM letter_text WHERE letter_type_id = (SELECT min(id) FROM letter_type)",
    "kenmerk": "SELECT kenmerk FROM document ORDER BY id",
    "mailing_id": "SELECT id FROM mailing ORDER BY id",
    # core: days equated with a holiday (Beheer → Feestdagen en termijnen)
    "equated_day_id": "SELECT id FROM equated_day ORDER BY id",
    # supervision: inspection pages (the lead's demo data, wki/supervision/demo.py)
    "inspection_id": "SELECT inspection_id FROM inspection_item ORDER BY id LIMIT 1",
    "inspection_item_id": "SELECT id FROM inspection_item ORDER BY id LIMIT 1",
    # supervision: planning, catalogue and charts
    "code": "SELECT code FROM requirement ORDER BY id",
    # enforcement: a case with a document, and that document
    "case_id": "SELECT min(case_id) FROM case_document",
    "document_id": "SELECT min(id) FROM case_document WHERE case_id = (SELECT min(case_id) FROM case_document)",
    # privacy: a request for access or erasure (Beheer → Persoonsgegevens (AVG))
    "request_id": "SELECT id FROM privacy_request ORDER BY id",
}
# Work items of a particular kind, per endpoint.
ITEM_FOR = {
    "signals.work": "SELECT id FROM work_item WHERE kind LIKE 'signal%' ORDER BY id DESC",
    "admin.work_item_detail": "SELECT id FROM work_item ORDER BY id",
    "register.upload_result": "SELECT id FROM work_item WHERE kind LIKE 'register%' ORDER BY id DESC",
}


def _screens(live: LiveServer) -> list[str]:
    """Every screen a person holding all roles can open: one URL per GET endpoint, with real records."""
    paths = []
    with live.app.app_context():
        for rule in sorted(live.app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in (rule.methods or ()) or rule.endpoint in NOT_SCREENS:
                continue
            access = access_rule_for(live.app.view_functions.get(rule.endpoint))
            if access is None or access.kind == "token":
                continue
            values = {}
            for name in rule.arguments:
                if name in ("item_id", "upload_id"):
                    values[name] = _first(ITEM_FOR[rule.endpoint])
                elif name in PARAMETERS:
                    values[name] = _first(PARAMETERS[name])
                else:
                    pytest.fail(f"no demo record for <{name}> of {rule.endpoint}: add it to PARAMETERS")
            paths.append(rule.build(values, append_unknown=False)[1])
    return paths


_OVERFLOW = """() => {
  const root = document.documentElement;
  // What sticks out: elements whose right edge passes the screen's and that no scrolling box clips.
  const clipped = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
    if (getComputedStyle(p).overflowX !== 'visible' && p.getBoundingClientRect().right <= root.clientWidth) return true;
  } return false; };
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1 && !clipped(el))
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(el.getBoundingClientRect().right)} px)`);
  return {scroll: root.scrollWidth, client: root.clientWidth, wide};
}"""


def _assert_no_overflow(ui: Ui, path: str) -> None:
    found = ui.page.evaluate(_OVERFLOW)
    assert found["scroll"] <= found["client"], (
        f"{path} is {found['scroll']} px wide on a {found['client']} px screen; widest: {found['wide']}")


def test_every_screen_fits_320_px_without_sideways_scrolling(ui: Ui, live_server: LiveServer) -> None:
    ui.page.set_viewport_size(NARROW)
    for path in ANONYMOUS_SCREENS:
        ui.goto(path)
        _assert_no_overflow(ui, path)
    ui.sign_in(live_server.users["alles"].email, then="/")  # type: ignore[index]
    screens = _screens(live_server)
    assert len(screens) > 35, screens  # the enumeration found the application's screens
    for path in screens:
        ui.goto(path)
        assert ui.page.locator("h1").count() == 1, path
        _assert_no_overflow(ui, path)
        if path in ("/register/", "/signalen/", "/beheer/audit") or path.startswith("/signalen/mogelijke-overtreders/"):
            ui.shot("smal-" + path.strip("/").split("/")[-1])


def test_a_long_heading_wraps_on_a_narrow_screen(ui: Ui, live_server: LiveServer) -> None:
    """The 50 px headings' longest compounds, on the page with the longest word of the demo data."""
    ui.page.set_viewport_size(NARROW)
    ui.goto("/toegankelijkheid")
    ui.page.evaluate("""() => { document.querySelector('h1').textContent =
        'Gerechtsdeurwaarderskantoorsamenwerkingsovereenkomstenbeleidsvoorbereidingsgroep'; }""")
    _assert_no_overflow(ui, "/toegankelijkheid (with a 80-letter heading)")


def test_menu_folds_behind_a_button_at_320_px(ui: Ui, live_server: LiveServer) -> None:
    ui.page.set_viewport_size(NARROW)
    ui.sign_in(live_server.users[Role.HANDHAVER].email, then="/")
    toggle = ui.page.get_by_role("button", name="Menu")
    menu = ui.page.get_by_role("navigation", name="Hoofdmenu")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    assert not ui.page.get_by_role("button", name="Uitloggen").is_visible()
    # Header and banner leave most of the screen to the page itself.
    top = ui.page.locator("#inhoud").bounding_box()
    assert top is not None and top["y"] < 640 / 4, top

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    assert menu.get_by_role("link", name="Handhaving").is_visible()
    assert ui.page.get_by_role("button", name="Uitloggen").is_visible()
    _assert_no_overflow(ui, "/ (menu open)")
    ui.check()
    ui.page.screenshot(path=str(ui.shots_dir / "smal-menu-open.png"), full_page=True)

    menu.get_by_role("link", name="Handhaving").focus()
    ui.page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and not menu.is_visible()
    assert ui.page.evaluate("() => document.activeElement.textContent.trim()") == "Menu"

    # Wide: no button, the menu is simply there.
    ui.page.set_viewport_size(WIDE)
    assert not toggle.is_visible() and menu.is_visible()


def test_without_javascript_the_menu_is_simply_shown(browser, live_server: LiveServer) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=NARROW)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/account/inloggen")
        page.get_by_label("E-mailadres").fill(live_server.users[Role.INSPECTEUR].email)
        page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(re.compile(r"/$"))
        assert page.get_by_role("navigation", name="Hoofdmenu").is_visible()
        assert not page.get_by_role("button", name="Menu").is_visible()
        width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1], width
    finally:
        context.close()


def test_admin_tables_show_their_last_column_at_1366_px(ui: Ui, live_server: LiveServer) -> None:
    ui.page.set_viewport_size(WIDE)
    ui.sign_in(live_server.users[Role.BEHEERDER].email, then="/beheer/partners")
    for path in ("/beheer/partners", "/beheer/audit"):
        if path != "/beheer/partners":
            ui.goto(path)
        table = ui.page.locator("main table").first
        container = table.locator("xpath=ancestor::div[contains(@class, 'utrecht-table-container')][1]")
        sizes = container.evaluate("(el) => [el.scrollWidth, el.clientWidth]")
        columns = table.locator("thead th").evaluate_all(
            "(cells) => cells.map((c) => `${c.textContent.trim()} ${Math.round(c.getBoundingClientRect().width)}`)")
        assert sizes[0] <= sizes[1], f"{path}: the table scrolls ({sizes[0]} px in {sizes[1]} px): {columns}"
        last = table.locator("thead th").last.bounding_box()
        assert last is not None and last["x"] + last["width"] <= WIDE["width"], (path, last)
        ui.shot("breed-" + path.strip("/").replace("/", "-"))


def test_focus_is_clearly_visible_on_links_and_checkboxes(ui: Ui, live_server: LiveServer) -> None:
    ui.sign_in(live_server.users[Role.INSPECTEUR].email, then="/signalen/mogelijke-overtreders")

    def outline_of_focused() -> dict[str, str]:
        return ui.page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
            return {tag: document.activeElement.tagName, type: document.activeElement.type || '',
                    width: s.outlineWidth, style: s.outlineStyle, color: s.outlineColor}; }""")

    seen = {}
    for _ in range(80):  # Tab through the page until a text link in the content and a checkbox had focus
        ui.page.keyboard.press("Tab")
        focused = outline_of_focused()
        inside = ui.page.evaluate("() => !!document.activeElement.closest('main')")
        kind = "checkbox" if focused["type"] == "checkbox" else "link" if focused["tag"] == "A" and inside else None
        if kind and kind not in seen:
            seen[kind] = focused
        if len(seen) == 2:
            break
    assert set(seen) == {"link", "checkbox"}, seen
    for kind, style in seen.items():
        assert style["style"] == "solid" and float(style["width"].removesuffix("px")) >= 2, (kind, style)
        assert style["color"] in ("rgb(0, 0, 0)", "rgb(255, 255, 255)", "rgb(255, 191, 71)"), (kind, style)


def test_fira_sans_is_served_by_the_application(ui: Ui, live_server: LiveServer) -> None:
    fonts = []
    ui.page.on("response", lambda r: fonts.append(r) if r.url.endswith(".woff2") else None)
    ui.goto("/account/inloggen")
    ui.page.evaluate("() => document.fonts.ready")
    assert ui.page.evaluate("() => document.fonts.check('16px \"Fira Sans\"')")
    assert ui.page.evaluate("""() => [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'Fira Sans'
        && f.status === 'loaded')""")
    assert "Fira Sans" in ui.page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert fonts and all(r.url.startswith(live_server.url + "/static/vendor/fonts/") and r.status == 200 for r in fonts)
