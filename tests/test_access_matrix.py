"""Who may reach what, written down by hand from the design (DESIGN.md, the table of users and roles),
not read from the code.

``tests/test_routes_access.py`` checks that every endpoint declares an access rule; this file checks
that each rule is the right one. ``ACCESS_MATRIX`` names, for every endpoint of the application, who
may use it. Every endpoint is then requested as each of them: those listed get the page or the action,
the others are refused (403 for a logged-in user without the role, the log-in page for someone not
logged in, 401 on the partner API for anything but a partner's token). An endpoint that the matrix does
not list fails, so a new endpoint is added here deliberately, with the design's answer to "who may do
this", and never copied from its own declaration.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from werkzeug.routing import Rule

from tests import proef_feature
from tests.auth.helpers import location, use_fast_hashing
from tests.conftest import csrf_token
from tests.register.helpers import load, register_row
from tests.test_routes_access import _access_rules as _all_access_rules
from tests.test_routes_access import _rules as _all_rules
from wki.core.actors import Actor
from wki.core.auth import AccessRule, Role
from wki.core.clock import utcnow
from wki.core.extensions import db
from wki.core.jobs import JobRun
from wki.register import services as register_services
from wki.register.models import SnapshotKind, SyncOutcome


def _rules() -> list[Rule]:
    """The application's rules: the route walk's throwaway feature (tests/proef_feature.py) is not part of it."""
    return [rule for rule in _all_rules() if rule.endpoint.split(".")[0] != proef_feature.bp.name]


def _access_rules() -> dict:
    return {e: r for e, r in _all_access_rules().items() if e.split(".")[0] != proef_feature.bp.name}


LOGIN_PATH = "/account/inloggen"

# ---------------------------------------------------------------- who

ANONYMOUS = "anoniem"  # not logged in, no token
PARTNER = "partner"  # a partner's bearer token for the partner API, no session
NO_ROLE = "zonder-rol"  # logged in, holding no role (an account the administrator has not given work yet)
IN, VO, HA, BE = Role.INSPECTEUR, Role.VOORLICHTING, Role.HANDHAVER, Role.BEHEERDER
SUBJECTS: tuple[str, ...] = (ANONYMOUS, PARTNER, NO_ROLE, IN, VO, HA, BE)

EVERYONE = frozenset({ANONYMOUS, PARTNER, NO_ROLE, IN, VO, HA, BE})
LOGGED_IN = frozenset({NO_ROLE, IN, VO, HA, BE})  # every person with an account, whatever their roles

# ---------------------------------------------------------------- the matrix (from DESIGN.md)
#
#   inspecteur    reviews agencies: register data, signals, inspection checklists, findings (toezicht)
#   voorlichting  mass mailings to the sector (documenten), recipients from the register mirror
#   handhaver     turns findings and signals into enforcement cases (handhaving); their letters and
#                 decisions are documents
#   beheerder     accounts (also the partners' API tokens), register sources, audit log, job runs
#   partner       a machine client: files signals and reads their verdicts through the API, nothing else
#
# A person may hold several roles and then gets the union (test_user_with_several_roles_gets_the_union).

ACCESS_MATRIX: dict[str, frozenset[str]] = {
    # The way in, and the health check of the load balancer: anyone.
    "dashboard.index": EVERYONE,  # the overview; anyone not logged in is sent to the log-in page
    "dashboard.index_moved": EVERYONE,
    "dashboard.accessibility": EVERYONE,
    "dashboard.privacy": EVERYONE,
    "dashboard.contact": EVERYONE,
    "auth.login": EVERYONE,
    "auth.second_factor": EVERYONE,
    "healthz.health": EVERYONE,
    # The overview and one's own account: every logged-in person.
    "auth.account": LOGGED_IN,
    "auth.change_password": LOGGED_IN,
    "auth.totp_setup": LOGGED_IN,
    "auth.recovery_codes": LOGGED_IN,
    "auth.logout": LOGGED_IN,
    # The partner API: a partner's token, never a session.
    "signals_api.create": frozenset({PARTNER}),
    "signals_api.signal": frozenset({PARTNER}),
    # The register mirror: every role works from it (reviews, mailing recipients, cases, its sources).
    "register.index": frozenset({IN, VO, HA, BE}),
    "register.registration": frozenset({IN, VO, HA, BE}),
    "register.export": frozenset({IN, VO, HA, BE}),
    # Register sources (synchronisations, snapshots in quarantine): the administrator.
    "register.sync_runs": frozenset({BE}),
    "register.sync_run_detail": frozenset({BE}),
    "register.snapshots": frozenset({BE}),
    "register.snapshot_detail": frozenset({BE}),
    "register.snapshot_approve": frozenset({BE}),
    "register.snapshot_discard": frozenset({BE}),
    "register.upload": frozenset({BE}),  # a register or exempt-list file by hand: a register source
    "register.upload_result": frozenset({BE}),
    # Signals: the inspecteur reviews them, the handhaver turns them (and the suspected unregistered
    # collectors they are clustered into) into enforcement cases.
    "signals.index": frozenset({IN, HA}),
    "signals.export": frozenset({IN, HA}),
    "signals.figures": frozenset({IN, HA}),
    "signals.create": frozenset({IN, HA}),
    "signals.import_file": frozenset({IN, HA}),
    "signals.import_detail": frozenset({IN, HA}),
    "signals.import_rejects": frozenset({IN, HA}),
    "signals.rematch": frozenset({IN, HA}),
    "signals.work": frozenset({IN, HA}),  # the progress of a queued file or re-assessment
    "signals.signal": frozenset({IN, HA}),
    "signals.attachment": frozenset({IN, HA}),
    "signals.decide": frozenset({IN, HA}),
    "signals.withdraw": frozenset({IN, HA}),
    "signals.status": frozenset({IN, HA}),
    "signals.suspects": frozenset({IN, HA}),
    "signals.suspect": frozenset({IN, HA}),
    "signals.suspects_merge": frozenset({IN, HA}),
    "signals.suspect_merge": frozenset({IN, HA}),
    "signals.suspect_split": frozenset({IN, HA}),
    "signals.suspects_moved": frozenset({IN, HA}),
    "signals.suspect_moved": frozenset({IN, HA}),
    # Supervision: the inspecteur's inspections; the handhaver reads the findings to build a case on.
    # Enforcement cases: the handhaver's work (a second handhaver approves each decision); inspectors and the
    # administrator read along (wki/enforcement READERS): the list, the team's overview, a case's page.
    "enforcement.cases": frozenset({IN, HA, BE}),
    "enforcement.overview": frozenset({IN, HA, BE}),
    "enforcement.case": frozenset({IN, HA, BE}),
    # Administration: accounts, partner tokens, audit log, job runs.
    "admin.index": frozenset({BE}),
    "admin.users": frozenset({BE}),
    "admin.user_create": frozenset({BE}),
    "admin.user_detail": frozenset({BE}),
    "admin.user_edit": frozenset({BE}),
    "admin.user_activate": frozenset({BE}),
    "admin.user_deactivate": frozenset({BE}),
    "admin.user_unlock": frozenset({BE}),
    "admin.user_reset_totp": frozenset({BE}),
    "admin.user_reset_password": frozenset({BE}),
    "admin.audit_log": frozenset({BE}),
    "admin.audit_export": frozenset({BE}),
    "admin.job_runs": frozenset({BE}),
    "admin.job_run_detail": frozenset({BE}),
    "admin.job_run_now": frozenset({BE}),  # job runs: the administrator's
    "admin.work_items": frozenset({BE}),
    "admin.work_item_detail": frozenset({BE}),
    "admin.equated_days": frozenset({BE}),  # holidays and days equated by decree (Atw): the administrator's
    "admin.equated_day_remove": frozenset({BE}),
    "partners.partners": frozenset({BE}),
    "partners.partner_new": frozenset({BE}),
    "partners.partner_issued": frozenset({BE}),
    "partners.partner_revoke": frozenset({BE}),
    # Documents, letter texts and issued documents (issue 12, texts-ui): every role that writes to the sector
    # or to a party reads the section (wki/documents READERS). Who may *write* or publish a type's text is the
    # type's own rule (texts.may_use: 403 on the editor; tests/documents/test_text_views.py).
    "documents.index": frozenset({IN, VO, HA, BE}),
    "documents.letter_type": frozenset({IN, VO, HA, BE}),
    "documents.text_version": frozenset({IN, VO, HA, BE}),
    "documents.publish_text": frozenset({IN, VO, HA, BE}),
    "documents.edit_text": frozenset({IN, VO, HA, BE}),
    "documents.preview": frozenset({IN, VO, HA, BE}),
    "documents.preview_pdf": frozenset({IN, VO, HA, BE}),
    "documents.preview_png": frozenset({IN, VO, HA, BE}),
    "documents.documents": frozenset({IN, VO, HA, BE}),
    "documents.document": frozenset({IN, VO, HA, BE}),
    "documents.document_pdf": frozenset({IN, VO, HA, BE}),
    # Mass mailings (documents, doc-mailings): everyone who writes to parties reads them; voorlichting (and
    # the administrator) prepare, approve (another than the maker), start and retry them, and fetch the post
    # room's print file (every letter in full).
    "documents.mailings": frozenset({IN, VO, HA, BE}),
    "documents.mailing": frozenset({IN, VO, HA, BE}),
    "documents.mailing_status_csv": frozenset({IN, VO, HA, BE}),
    "documents.mailing_new": frozenset({VO, BE}),
    "documents.mailing_approve": frozenset({VO, BE}),
    "documents.mailing_start": frozenset({VO, BE}),
    "documents.mailing_retry": frozenset({VO, BE}),
    "documents.mailing_cancel": frozenset({VO, BE}),
    "documents.mailing_print_file": frozenset({VO, BE}),
    # supervision: inspection pages. Every reader of the section (inspecteur, handhaver, beheerder) reads
    # inspections, their checklist items and evidence; only inspectors start, fill in, review and close them
    # (the item page takes its forms from inspectors only: a reader's POST there is 403, tested in
    # tests/supervision/test_inspection_views.py).
    "supervision.inspections": frozenset({IN, HA, BE}),
    "supervision.inspection": frozenset({IN, HA, BE}),
    "supervision.item": frozenset({IN, HA, BE}),
    "supervision.evidence_file": frozenset({IN, HA, BE}),
    "supervision.new_inspection": frozenset({IN}),
    "supervision.information_request": frozenset({IN}),
    "supervision.begin_inspection": frozenset({IN}),
    "supervision.run_checks": frozenset({IN}),
    "supervision.staff_list": frozenset({IN}),
    "supervision.submit_inspection": frozenset({IN}),
    "supervision.withdraw_inspection": frozenset({IN}),
    "supervision.set_reviewer": frozenset({IN}),
    "supervision.return_inspection": frozenset({IN}),
    "supervision.approve_inspection": frozenset({IN}),
    "supervision.issue_report": frozenset({IN}),
    "supervision.remove_evidence": frozenset({IN}),
    # supervision: planning, catalogue and charts (issue 13): the supervision readers (wki/supervision READERS):
    # inspecteurs plan from them, handhavers read the risks and findings they may act on, the beheerder
    # looks after the catalogue.
    "supervision.planning": frozenset({IN, HA, BE}),
    "supervision.priorities_csv": frozenset({IN, HA, BE}),
    "supervision.figures": frozenset({IN, HA, BE}),
    "supervision.catalogue": frozenset({IN, HA, BE}),
    "supervision.requirement": frozenset({IN, HA, BE}),
    # enforcement: the case page and its forms (issue 14). Every reader of the section (handhaver, inspecteur,
    # beheerder: wki/enforcement READERS) reads a case, its documents and attachments; only handhavers
    # (OFFICERS) open cases and do the work (tests/enforcement/test_case_views.py).
    "enforcement.attachment": frozenset({IN, HA, BE}),
    "enforcement.document": frozenset({IN, HA, BE}),
    "enforcement.document_pdf": frozenset({IN, HA, BE}),
    "enforcement.open_case": frozenset({HA}),
    "enforcement.open_from_suspect": frozenset({HA}),
    "enforcement.open_from_inspection": frozenset({HA}),
    "enforcement.update_case": frozenset({HA}),
    "enforcement.choose_instrument": frozenset({HA}),
    "enforcement.link_evidence": frozenset({HA}),
    "enforcement.unlink_evidence": frozenset({HA}),
    "enforcement.add_note": frozenset({HA}),
    "enforcement.to_deciding": frozenset({HA}),
    "enforcement.record_caution": frozenset({HA}),
    "enforcement.record_report": frozenset({HA}),
    "enforcement.set_penalty_terms": frozenset({HA}),
    "enforcement.set_fine": frozenset({HA}),
    "enforcement.record_view": frozenset({HA}),
    "enforcement.record_no_view": frozenset({HA}),
    "enforcement.record_conversation": frozenset({HA}),
    "enforcement.record_check": frozenset({HA}),
    "enforcement.record_objection": frozenset({HA}),
    "enforcement.shift_deadline": frozenset({HA}),
    "enforcement.close_case": frozenset({HA}),
    "enforcement.back_to_investigation": frozenset({HA}),
    "enforcement.start_document": frozenset({HA}),
    "enforcement.prepare_document": frozenset({HA}),
    "enforcement.approve_document": frozenset({HA}),
    "enforcement.return_document": frozenset({HA}),
    "enforcement.issue_document": frozenset({HA}),
    "enforcement.lapse_document": frozenset({HA}),
    # enforcement: fines (issue 14). Handhavers read the category amounts and the fining policy and try a
    # calculation; the beheerder maintains the tables (enters dated rows, confirms another's, rejects).
    "fines.index": frozenset({HA, BE}),
    "fines.calculate": frozenset({HA, BE}),
    "fines.new_category": frozenset({BE}),
    "fines.new_rule": frozenset({BE}),
    "fines.confirm_category": frozenset({BE}),
    "fines.reject_category": frozenset({BE}),
    "fines.confirm_rule": frozenset({BE}),
    "fines.reject_rule": frozenset({BE}),
    # personal data (AVG, issue 15): retention and requests for access or erasure are the beheerder's
    # (DESIGN.md: the administrator answers a data subject's request; the search shows everyone's data).
    "privacy.index": frozenset({BE}),
    "privacy.requests": frozenset({BE}),
    "privacy.export": frozenset({BE}),
    "privacy.erase": frozenset({BE}),
    "privacy.request_detail": frozenset({BE}),
}


def _is_partner_api(allowed: frozenset[str]) -> bool:
    """The matrix's own answer to "does this endpoint take a bearer token instead of a session"."""
    return allowed == frozenset({PARTNER})


# ---------------------------------------------------------------- the matrix itself


def test_every_endpoint_is_in_the_matrix():
    """A new endpoint fails here until someone writes down who may use it; a removed one must go too."""
    endpoints = {rule.endpoint for rule in _rules()}
    missing = sorted(endpoints - set(ACCESS_MATRIX))
    stale = sorted(set(ACCESS_MATRIX) - endpoints)
    assert missing == [], f"endpoints not in ACCESS_MATRIX (add them with the roles DESIGN.md gives): {missing}"
    assert stale == [], f"ACCESS_MATRIX lists endpoints the application no longer has: {stale}"


def test_the_matrix_knows_every_role():
    """A new role must be placed in the matrix, not silently left out of every endpoint."""
    assert set(Role) <= set(SUBJECTS)
    assert frozenset({NO_ROLE, *Role}) == LOGGED_IN


def test_the_matrix_is_well_formed():
    for endpoint, allowed in ACCESS_MATRIX.items():
        assert allowed, endpoint
        assert allowed <= EVERYONE, endpoint
        # Machine clients reach the partner API and what anyone may reach, nothing a person logs in for.
        if PARTNER in allowed:
            assert allowed in (EVERYONE, frozenset({PARTNER})), endpoint
        # Whatever someone not logged in may reach, every logged-in person may reach too.
        if ANONYMOUS in allowed:
            assert allowed == EVERYONE, endpoint


def _declared(rule: AccessRule) -> frozenset[str]:
    """Whom a declared access rule lets in, in the matrix's terms."""
    if rule.kind == "public":
        return EVERYONE
    if rule.kind == "token":
        return frozenset({PARTNER})
    if rule.kind == "login":
        return frozenset({NO_ROLE, *Role})
    return frozenset(rule.roles)


def _names(subjects: frozenset[str]) -> list[str]:
    return sorted(str(s) for s in subjects)


def test_the_declarations_agree_with_the_matrix():
    """One readable list of every endpoint whose declared rule lets in other people than the design."""
    differences = []
    for endpoint, rule in sorted(_access_rules().items()):
        if rule is None or endpoint not in ACCESS_MATRIX:
            continue  # a missing rule and a missing matrix entry fail in their own tests
        declared, designed = _declared(rule), ACCESS_MATRIX[endpoint]
        if declared != designed:
            differences.append(f"{endpoint}: declared {rule.describe()}; also lets in {_names(declared - designed)}, "
                               f"keeps out {_names(designed - declared)}")
    assert differences == [], "declarations that differ from the design:\n" + "\n".join(differences)


# ---------------------------------------------------------------- records for the URL parameters


def _job_run_id(ctx) -> int:
    run = JobRun(job_name="housekeeping", trigger="handmatig", started_at=utcnow(), finished_at=utcnow(),
                 outcome="geslaagd", counts={"verwijderd": 0})
    db.session.add(run)
    db.session.flush()
    return run.id


def _registratienummer(ctx) -> str:
    load([register_row(1)], date(2026, 1, 5))
    return register_row(1)["registratienummer"]


def _sync_run_id(ctx) -> int:
    run = register_services.record_run(kind=SnapshotKind.REGISTER, trigger="import", source="test.csv",
                                       started_at=utcnow(), outcome=SyncOutcome.APPLIED, message="Ingelezen.")
    return run.id


def _quarantined_snapshot_id(ctx) -> int:
    """A snapshot in quarantine: the second file would remove nine of the ten registrations."""
    load([register_row(n) for n in range(1, 11)], date(2026, 1, 5))
    return load([register_row(1)], date(2026, 2, 5)).snapshot.id


def _partner_token_id(ctx) -> int:
    from wki.signals.partner_tokens import issue_token

    return issue_token("Gemeente Testdorp", "gemeente", actor=Actor.process("test"))[0].id


def _signal_id(ctx) -> int:
    """A signal judged ``niet_geregistreerd`` with an attachment, so that its download answers too."""
    from PIL import Image

    from wki.signals.attachments import store_attachment
    from wki.signals.models import Channel
    from wki.signals.recording import create_signal

    load([register_row(1)], date(2026, 1, 5))
    image = io.BytesIO()
    Image.new("RGB", (8, 8)).save(image, format="PNG")
    attachment = store_attachment(image.getvalue(), "brief.png", actor=Actor.process("test"))
    values = {"referentie": "MLD-1", "ontvangen_op": "2026-03-10", "bron": "consument",
              "naam_incassant": "Snelgeld Inning"}
    return create_signal(values, channel=Channel.FORM, actor=Actor.process("test"), attachment=attachment).id


def _suspect_id(ctx) -> int:
    from wki.signals.decisions import get_signal

    return get_signal(_signal_id(ctx)).suspect_id


def _signal_import_id(ctx) -> int:
    """A bulk file with a skipped row, so that the download of its rejected rows answers too."""
    from wki.signals.imports import import_signals

    data = b"referentie;ontvangen_op;bron;naam_incassant\r\nA-1;2026-03-10;consument;Snelgeld\r\nA-2;x;consument;Y\r\n"
    return import_signals(data, file_name="test.csv", actor=Actor.process("test"), skip_invalid=True).record.id


def _work_item_id(ctx) -> int:
    """Re-assessment queued for the worker: signal work, so that the signals' progress page shows it."""
    from wki.signals.rematch import queue_rematch

    return queue_rematch(actor=Actor.process("test"))[0].id


def _upload_id(ctx) -> int:
    """A register file queued for the worker by an administrator's upload."""
    from tests.register.helpers import to_csv
    from wki.register.services import queue_upload

    data = to_csv([register_row(1)])
    return queue_upload(SnapshotKind.REGISTER, data, snapshot_date=date(2026, 1, 5), file_name="register.csv",
                        actor=Actor.process("test"))[0].id


# Documents (texts-ui): a letter type every role may write for (so that its editor answers everyone the
# section lets in), with its published version 1, and an issued document (its PDF: a few stand-in bytes).
MATRIX_LETTER_TYPE = "matrix-alle-rollen"


def _letter_type_slug(ctx) -> str:
    from wki.documents.models import LetterText, LetterType, TextStatus

    if db.session.scalar(sa.select(LetterType.id).where(LetterType.slug == MATRIX_LETTER_TYPE)) is None:
        letter_type = LetterType(slug=MATRIX_LETTER_TYPE, title="Brief van iedereen", audience="adres",
                                 roles=[str(r) for r in Role], extra_fields={}, blocks=[], mailable=False)
        db.session.add(letter_type)
        db.session.flush()
        db.session.add(LetterText(letter_type_id=letter_type.id, number=1, subject="Onderwerp", body="Beste ((naam)),",
                                  status=TextStatus.PUBLISHED, created_by="test", published_by="test",
                                  published_at=utcnow()))
        db.session.flush()
    return MATRIX_LETTER_TYPE


def _kenmerk(ctx) -> str:
    from wki.core.storage import sha256_of
    from wki.documents import issuing, texts

    letter_type = texts.get_letter_type("informatiebrief-sector")
    pdf = b"%PDF-1.7 stand-in"
    _, kenmerk = issuing.reserve_kenmerk(2026)
    issuing.record_document(issuing.Rendered(pdf=pdf, sha256=sha256_of(pdf), pages=1, data={}),
                            letter_type=letter_type, text=None, kenmerk=kenmerk, recipient={"naam": "Matrix B.V."},
                            document_date=date(2026, 1, 5), title="Matrix", subject="Matrix",
                            actor=Actor.process("test"))
    return kenmerk


PARTNER_NAME, PARTNER_SOURCE, PARTNER_REFERENCE = "Gemeente Matrixdorp", "gemeente", "GEM/2026/001"


def _partner_reference(ctx) -> str:
    """A signal the test's partner sent, so that the partner reads its verdict (200, not 404)."""
    from wki.signals.models import Channel
    from wki.signals.recording import create_signal

    load([register_row(1)], date(2026, 1, 5))
    values = {"referentie": PARTNER_REFERENCE, "ontvangen_op": "2026-03-10", "bron": PARTNER_SOURCE,
              "naam_incassant": "Snelgeld Inning"}
    create_signal(values, channel=Channel.API, actor=Actor.process(f"partner:{PARTNER_NAME}"), partner_token=ctx.partner)
    return PARTNER_REFERENCE


def _mailing_id(ctx) -> int:
    """A running mailing with one letter made (so that its print file answers)."""
    from wki.documents import mailing_run, mailings
    from wki.documents.texts import require_letter_type

    load([register_row(1)], date(2026, 1, 5))
    maker = Actor.of(ctx.factories.UserFactory(roles=[Role.VOORLICHTING]))
    mailing = mailings.create_mailing(letter_type=require_letter_type("informatiebrief-sector"), title="Matrix",
                                      choice=mailings.Choice("register", {"as_of": date(2026, 2, 1)}), actor=maker)
    mailings.approve_mailing(mailing, actor=Actor.process("test"))
    mailings.start_mailing(mailing, actor=Actor.process("test"), queue=False)
    mailing_run.run_part(mailing.id, worker="matrix")
    return mailing.id


# supervision: inspection pages. One inspection in progress per test (kept on ``ctx``), with one file as evidence
# on its first item, so that the item page, the download and the removal answer.
def _matrix_inspection(ctx):
    if getattr(ctx, "inspection", None) is None:
        from tests.supervision import helpers as supervision

        team = supervision.team(ctx.factories)
        inspection = supervision.in_status(team, supervision.registration(90), supervision.InspectionStatus.IN_PROGRESS)
        from wki.supervision import inspections

        ctx.evidence = inspections.add_file_evidence(inspection.items[0].id, data=supervision.MINIMAL_PDF,
                                                     file_name="matrix.pdf", actor=team.me)
        ctx.inspection = inspection
    return ctx.inspection


# enforcement: the case page. One case per test (kept on ``ctx``): a conversation recorded with a file (the
# attachment), then the fine chosen and its report drawn up (a running period to shift), register evidence
# linked (to unlink) and its intention prepared (a document with a PDF).
def _matrix_case(ctx):
    if getattr(ctx, "case", None) is None:
        from wki.core.clock import today_local
        from wki.enforcement import cases, procedure
        from wki.enforcement.models import CaseAttachment, CaseDeadline, EvidenceLink, Instrument, SubjectKind

        load([register_row(91)], date(2026, 1, 5))
        officer = ctx.factories.UserFactory(roles=[Role.HANDHAVER])
        actor = Actor.of(officer)
        case = cases.open_case(subject=SubjectKind.REGISTRATION, provisions=["wki_13"], officer_id=officer.id,
                               actor=actor, registratienummer=register_row(91)["registratienummer"])
        cases.choose_instrument(case.id, Instrument.CONVERSATION, reason="Matrix.", actor=actor,
                                expected_version=case.version)
        procedure.record_conversation(case.id, day=today_local(), summary="Matrix.", actor=actor,
                                      files=[("matrix.pdf", b"%PDF-1.4\n%%EOF\n")])
        cases.choose_instrument(case.id, Instrument.FINE, reason="Matrix.", actor=actor, expected_version=case.version)
        procedure.record_report(case.id, day=today_local(), text="Matrix.", actor=actor)
        ctx.case_evidence = cases.link_evidence(case.id, kind=EvidenceLink.REGISTER, as_of=today_local(), actor=actor)
        ctx.attachment = db.session.scalar(sa.select(CaseAttachment))
        ctx.deadline = db.session.scalar(sa.select(CaseDeadline).where(CaseDeadline.case_id == case.id))
        ctx.document = _matrix_case_document(case, actor)
        ctx.case = case
    return ctx.case


def _matrix_case_document(case, actor):
    """The case's intention (its fine needs one), prepared: its PDF answers."""
    from tests.enforcement import factories as enforcement
    from wki.enforcement import decisions
    from wki.enforcement.models import DocumentKind

    enforcement.stand_in_fine_block()
    case.fine_inputs = enforcement.FINE_INPUTS
    db.session.flush()
    document = decisions.start_document(case.id, DocumentKind.INTENTION, actor=actor)
    enforcement.filled(document, actor)
    return decisions.prepare(document.id, actor=actor)
def _equated_day_id(ctx) -> int:
    from wki.core.equated_days import add_equated_day

    return add_equated_day(date(2026, 5, 15), "Vrijdag na Hemelvaartsdag", "Besluit (matrix)",
                           actor=Actor.process("test")).id


def _unconfirmed_fine_row(model_name: str) -> int:
    from wki.enforcement import fines

    model = getattr(fines, model_name)
    return db.session.scalar(sa.select(sa.func.min(model.id)).where(model.confirmed.is_(False)))


# How to fill in a URL parameter with an existing record. A new parameter name needs an entry here.
PARAMETER_VALUES: dict[str, Callable[[Any], Any]] = {
    "user_id": lambda ctx: ctx.factories.UserFactory().id,
    "run_id": _job_run_id,
    "registratienummer": _registratienummer,
    "sync_run_id": _sync_run_id,
    "snapshot_id": _quarantined_snapshot_id,
    "bron": lambda ctx: PARTNER_SOURCE,
    "referentie": _partner_reference,
    "token_id": _partner_token_id,
    "signal_id": _signal_id,
    "suspect_id": _suspect_id,
    "import_id": _signal_import_id,
    "item_id": _work_item_id,
    "upload_id": _upload_id,
    "job_name": lambda ctx: "signals-regroup",
    # documents (texts-ui)
    "slug": _letter_type_slug,
    "number": lambda ctx: 1,
    "kenmerk": _kenmerk,
    "mailing_id": _mailing_id,
    # supervision: inspection pages
    "inspection_id": lambda ctx: _matrix_inspection(ctx).id,
    "inspection_item_id": lambda ctx: _matrix_inspection(ctx).items[0].id,
    "evidence_id": lambda ctx: (_matrix_inspection(ctx), ctx.evidence)[1].id,
    # supervision: planning, catalogue and charts (a requirement of catalogue version 1, loaded by migration 0014)
    "code": lambda ctx: "REGISTRATIE_ACTUEEL",
    # enforcement: the case page
    "case_id": lambda ctx: _matrix_case(ctx).id,
    "case_evidence_id": lambda ctx: (_matrix_case(ctx), ctx.case_evidence)[1].id,
    "attachment_id": lambda ctx: (_matrix_case(ctx), ctx.attachment)[1].id,
    "deadline_id": lambda ctx: (_matrix_case(ctx), ctx.deadline)[1].id,
    "document_id": lambda ctx: (_matrix_case(ctx), ctx.document)[1].id,
    # core: a day equated with a holiday by decree (Beheer → Feestdagen en termijnen)
    "equated_day_id": _equated_day_id,
    # enforcement: fines (an unconfirmed row seeded by migration 0017)
    "category_id": lambda ctx: _unconfirmed_fine_row("FineCategory"),
    "rule_id": lambda ctx: _unconfirmed_fine_row("FinePolicyRule"),
    # personal data: a recorded request for access
    "request_id": lambda ctx: ctx.factories.PrivacyRequestFactory().id,
}

# Pages that answer an allowed request with a redirect by design: endpoint -> (for anyone not logged in,
# for a logged-in person). None means the page itself (200).
REDIRECTING_PAGES: dict[str, tuple[str | None, str | None]] = {
    "dashboard.index": (LOGIN_PATH, None),
    "auth.login": (None, "/"),
    "auth.second_factor": (LOGIN_PATH, LOGIN_PATH),  # only during a log-in, after the password step
}
# Former addresses that answer a permanent redirect to where the page lives now: endpoint -> its new path's start.
MOVED_PAGES: dict[str, str] = {
    "dashboard.index_moved": "/",
    "signals.suspects_moved": "/signalen/mogelijke-overtreders",
    "signals.suspect_moved": "/signalen/mogelijke-overtreders/",
}


def _url(rule: Rule, ctx) -> str:
    values = {}
    for name in sorted(rule.arguments):
        if name not in PARAMETER_VALUES:
            pytest.fail(f"no test value for <{name}> of {rule.endpoint}: add one to PARAMETER_VALUES")
        values[name] = PARAMETER_VALUES[name](ctx)
    _, path = rule.build(values, append_unknown=False)
    return path


# ---------------------------------------------------------------- requests


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: these tests log in once per subject and endpoint."""
    use_fast_hashing(monkeypatch)


@pytest.fixture
def partner(db_session):
    """The test's partner: its token record and the bearer token itself."""
    from wki.signals.partner_tokens import issue_token

    return issue_token(PARTNER_NAME, PARTNER_SOURCE, actor=Actor.process("test"))


@pytest.fixture
def ctx(factories, partner):
    return SimpleNamespace(factories=factories, partner=partner[0])


@pytest.fixture
def as_subject(app, login_as, partner) -> Callable:
    """``as_subject(subject)`` -> (client, headers): a client for that subject and the headers it sends."""

    def _make(subject: str):
        if subject == ANONYMOUS:
            return app.test_client(), {}
        if subject == PARTNER:
            return app.test_client(), {"Authorization": f"Bearer {partner[1]}"}
        if subject == NO_ROLE:
            return login_as(), {}
        return login_as(Role(subject)), {}

    return _make


def _start(response) -> str:
    """The start of the body, for a failure message (a download may be binary)."""
    return response.get_data()[:500].decode("utf-8", "replace")


def _logged_in(subject: str) -> bool:
    return subject not in (ANONYMOUS, PARTNER)


def _sent_to_log_in(response, path: str) -> bool:
    """The access rule's answer to someone not logged in: the log-in page, coming back here afterwards."""
    return (response.status_code == 302 and location(response) == LOGIN_PATH
            and parse_qs(urlsplit(response.headers["Location"]).query).get("next") == [path])


def _assert_refused(response, path: str, allowed: frozenset[str], subject: str) -> None:
    body = f"the matrix refuses {subject} here, got {response.status_code}: {_start(response)}"
    if _is_partner_api(allowed):
        assert response.status_code == 401, body
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    elif _logged_in(subject):
        assert response.status_code == 403, (response.headers.get("Location"), body)
        assert "Geen toegang" in response.get_data(as_text=True), body
    else:
        assert _sent_to_log_in(response, path), (response.status_code, response.headers.get("Location"), body)


def _assert_page_answers(response, rule: Rule, path: str, subject: str) -> None:
    """An allowed GET: the page itself, or the redirect the page makes by design (never a refusal)."""
    body = _start(response)
    assert response.status_code not in (401, 403), (response.status_code, body)
    assert not _sent_to_log_in(response, path), "sent to the log-in page as if not allowed"
    if rule.endpoint in MOVED_PAGES:
        assert response.status_code == 301
        assert location(response).startswith(MOVED_PAGES[rule.endpoint])
        return
    redirect_to = REDIRECTING_PAGES.get(rule.endpoint, (None, None))[1 if _logged_in(subject) else 0]
    if redirect_to:
        assert response.status_code == 302, (response.status_code, body)
        assert location(response) == redirect_to
    else:
        assert response.status_code == 200, (response.status_code, response.headers.get("Location"), body)


def _assert_action_answers(response, rule: Rule, path: str) -> None:
    """An allowed POST with nothing but a CSRF token: done, or its form again, or for the API a
    complaint about the body, but never a refusal."""
    body = _start(response)
    assert response.status_code not in (401, 403), (response.status_code, body)
    assert response.status_code < 500, (response.status_code, body)
    assert not _sent_to_log_in(response, path), "sent to the log-in page as if not allowed"
    if rule.endpoint.startswith("signals_api."):
        assert response.is_json and "fouten" in response.get_json(), body
    else:
        assert response.status_code in (200, 302), (response.status_code, body)
        if response.status_code == 302 and rule.endpoint != "auth.logout":  # logging out ends at the log-in page
            assert location(response) != LOGIN_PATH


def _matrix_entry(rule: Rule) -> frozenset[str]:
    if rule.endpoint not in ACCESS_MATRIX:
        pytest.fail(f"{rule.endpoint} is not in ACCESS_MATRIX: add it with the roles DESIGN.md gives")
    return ACCESS_MATRIX[rule.endpoint]


def _request(rule: Rule, subject: str, as_subject, ctx) -> tuple[Any, str]:
    """GET the page, or POST the action (POST-only) with a valid CSRF token of the subject's own session."""
    client, headers = as_subject(subject)
    path = _url(rule, ctx)
    if "GET" in rule.methods:
        return client.get(path, headers=headers), path
    token = csrf_token(client, "/account/wachtwoord" if _logged_in(subject) else LOGIN_PATH)
    return client.post(path, data={"csrf_token": token}, headers=headers), path


def _subject_id(subject: str) -> str:
    return str(subject)


@pytest.mark.parametrize("subject", SUBJECTS, ids=_subject_id)
@pytest.mark.parametrize("rule", _rules(), ids=lambda r: f"{r.endpoint}")
def test_endpoint_answers_as_the_matrix_says(rule, subject, as_subject, ctx):
    allowed = _matrix_entry(rule)
    response, path = _request(rule, subject, as_subject, ctx)
    if subject not in allowed:
        _assert_refused(response, path, allowed, subject)
    elif "GET" in rule.methods:
        _assert_page_answers(response, rule, path, subject)
    else:
        _assert_action_answers(response, rule, path)


def _form_posts_refused() -> list[tuple[Rule, str]]:
    """(rule, subject) for every page that takes a form (GET and POST) and every subject it refuses."""
    return [(rule, subject) for rule in _rules() if {"GET", "POST"} <= rule.methods
            for subject in SUBJECTS if subject not in ACCESS_MATRIX.get(rule.endpoint, EVERYONE)]


@pytest.mark.parametrize(("rule", "subject"), _form_posts_refused(),
                         ids=[f"{r.endpoint}-{s}" for r, s in _form_posts_refused()])
def test_form_post_is_refused_to_whom_the_page_is(rule, subject, as_subject, ctx):
    """Sending the form is refused like showing it, even with a valid CSRF token."""
    client, headers = as_subject(subject)
    path = _url(rule, ctx)
    token = csrf_token(client, "/account/wachtwoord" if _logged_in(subject) else LOGIN_PATH)
    response = client.post(path, data={"csrf_token": token}, headers=headers)
    _assert_refused(response, path, ACCESS_MATRIX[rule.endpoint], subject)
