"""Enforcement documents: each kind holds what the law requires (read back from its PDF), a document that
lacks a part is neither prepared nor issued, a second officer who did not write it approves exactly the
prepared PDF, and the issued document is that PDF byte for byte and never changes afterwards."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from tests import factories as model_factories
from tests.core.test_sequences import database_kinds, isolated_app, run_at_once
from tests.enforcement import factories as f
from wki.auth.models import User
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.clock import today_local
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.formatting import fmt_date
from wki.core.storage import sha256_of
from wki.core.workflow import Approval, active_approval
from wki.documents import issuing, texts
from wki.documents.models import Document, LetterText, LetterType, TextStatus
from wki.enforcement import decisions
from wki.enforcement.models import CaseDocument, CaseStep, DocumentKind, DocumentStatus, Instrument, StepKind

K = DocumentKind


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages).split())


def prepared_pdf(document: CaseDocument) -> bytes:
    return issuing.prepared_pdf(document.prepared_data["document"])


def approve(t: f.Team, document: CaseDocument) -> CaseDocument:
    return decisions.approve_document(document.id, sha256=document.pdf_sha256, actor=t.colleague)


# --- what each kind holds, read back from the PDF ---------------------------------------------------------

OBJECTION = ["Bezwaar", "binnen zes weken na de dag waarop dit besluit is verzonden", "artikelen 6:7 en 6:8 Awb",
             "Stuur uw bezwaarschrift naar:", "De Minister van Justitie en Veiligheid", "Postbus 20301",
             "2500 EH Den Haag", "(artikel 6:5 Awb)", "uw naam en adres;", "de datum;",
             "een omschrijving van het besluit waartegen u bezwaar maakt", "de gronden van het bezwaar",
             "uw handtekening."]
ORDER = ["Zorg dat iedere incassomedewerker een geldige VOG heeft.", "Begunstigingstermijn",
         "4 weken na de dag van verzending van dit besluit", "Per dag dat niet aan de last is voldaan",
         "€ 500,00 per dag", "Maximum € 10.000,00"]

EXPECTED: dict[DocumentKind, dict[str, list[str]]] = {
    K.INTENTION: {
        "overtreding": ["Overtreding", f.SECTIONS["overtreding"], "Kwaliteitseisen bij of krachtens Wki artikel 13"],
        "feiten": ["Feiten", "twee van de vijf medewerkers geen VOG hadden"],
        "wettelijk_kader": ["Wettelijk kader", "Besluit kwaliteit incassodienstverlening (Bki)", "artikel 4:8 Awb"],
        "voorgenomen_maatregel": ["Voorgenomen maatregel", "Wij zijn van plan", "een last onder dwangsom op te",
                                  *ORDER[:1], "€ 500,00 per dag"],
        "zienswijze_uitnodiging": ["Uw zienswijze", "schriftelijk of mondeling", "U heeft daarvoor 2 weken",
                                   "uiterlijk op"],
    },
    K.PENALTY_ORDER: {
        "overtreding": ["Overtreding", f.SECTIONS["overtreding"], "Kwaliteitseisen bij of krachtens Wki artikel 13"],
        "feiten": ["Feiten", "twee van de vijf medewerkers geen VOG hadden"],
        "wettelijk_kader": ["Wettelijk kader", "Besluit kwaliteit incassodienstverlening (Bki)", "artikel 5:32a",
                            "Artikel 15 Wki"],
        "beoordeling": ["Beoordeling", f.SECTIONS["beoordeling"]],
        "zienswijze": ["Zienswijze", "uw zienswijze (schriftelijk) gegeven", "De VOG's zijn inmiddels aangevraagd",
                       "Onze reactie daarop:", f.SECTIONS["zienswijze"]],
        "keuze_instrument": ["Keuze van het instrument", f.SECTIONS["keuze_instrument"]],
        "dictum": ["Besluit", "een last onder dwangsom op", *ORDER],
        "rechtsmiddelen": [*OBJECTION, "artikel 6:16 Awb"],
    },
    K.FINE: {
        "overtreding": ["Overtreding", f.SECTIONS["overtreding"], "Kwaliteitseisen bij of krachtens Wki artikel 13"],
        "feiten": ["Feiten", "twee van de vijf medewerkers geen VOG hadden"],
        "wettelijk_kader": ["Wettelijk kader", "Besluit kwaliteit incassodienstverlening (Bki)", "artikel 5:46 Awb",
                            "Artikel 16 Wki"],
        "beoordeling": ["Beoordeling", f.SECTIONS["beoordeling"]],
        "zienswijze": ["Zienswijze", "Onze reactie daarop:", f.SECTIONS["zienswijze"]],
        "keuze_instrument": ["Keuze van het instrument", f.SECTIONS["keuze_instrument"]],
        "dictum": ["Besluit", "een bestuurlijke boete op van € 2.000,00", "Wettelijk maximum (boetecategorie 3)",
                   "€ 11.200,00", "Berekening van de boete", "Basisbedrag", "Geen eerdere overtreding: geen verhoging."],
        "rechtsmiddelen": [*OBJECTION, "artikel 16, vijfde lid, Wki"],
    },
    K.COLLECTION: {
        "overtreding": ["Overtreding", f.SECTIONS["overtreding"]],
        "feiten": ["Feiten", "twee van de vijf medewerkers geen VOG hadden"],
        "wettelijk_kader": ["Wettelijk kader", "artikel 5:37 Awb"],
        "beoordeling": ["Beoordeling", f.SECTIONS["beoordeling"]],
        "keuze_instrument": ["Evenredigheid van de invordering", f.SECTIONS["keuze_instrument"]],
        "dictum": ["Besluit", "Het verbeurde bedrag is € 3.500,00", "Dagen na de begunstigingstermijn",
                   "Verbeurd (7 × € 500,00) € 3.500,00"],
        "rechtsmiddelen": OBJECTION,
    },
    K.WARNING: {
        "overtreding": ["Overtreding", f.SECTIONS["overtreding"]],
        "feiten": ["Feiten", "twee van de vijf medewerkers geen VOG hadden"],
        "wettelijk_kader": ["Wettelijk kader", "Besluit kwaliteit incassodienstverlening (Bki)"],
        "herstel": ["Wat wij van u verwachten", f.SECTIONS["herstel"]],
    },
    K.STRIKE_REQUEST: {
        "overtreding": ["Overtreding", f.SECTIONS["overtreding"]],
        "feiten": ["Feiten", "twee van de vijf medewerkers geen VOG hadden"],
        "wettelijk_kader": ["Wettelijk kader", "Verzoek aan Justis; de doorhaling is een besluit"],
        "beoordeling": ["Gronden voor het verzoek", f.SECTIONS["beoordeling"]],
    },
    K.CRIMINAL_REPORT: {
        "overtreding": ["Overtreding", f.SECTIONS["overtreding"], "Incasseren zonder registratie"],
        "feiten": ["Feiten", "twee van de vijf medewerkers geen VOG hadden"],
        "wettelijk_kader": ["Wettelijk kader", "zonder inschrijving in het register incassodienstverlening"],
    },
    K.REFERRAL: {
        "overtreding": ["Overtreding", f.SECTIONS["overtreding"]],
        "feiten": ["Feiten", "twee van de vijf medewerkers geen VOG hadden"],
        "wettelijk_kader": ["Wettelijk kader", "het BFT houdt toezicht op gerechtsdeurwaarders"],
    },
}

ADDRESSEE = {K.STRIKE_REQUEST: "Justis", K.CRIMINAL_REPORT: "Openbaar Ministerie", K.REFERRAL: "Bureau Financieel Toezicht"}


def test_every_kind_has_its_expectations():
    assert set(EXPECTED) == set(DocumentKind)
    for kind, expected in EXPECTED.items():
        assert set(expected) == set(decisions.REQUIRED_SECTIONS[kind]), kind


@pytest.mark.parametrize("kind", list(DocumentKind), ids=lambda k: k.value)
def test_each_required_element_is_in_the_prepared_pdf(factories, kind):
    t = f.team(factories)
    document = f.prepared(factories, t, kind)
    assert document.status is DocumentStatus.PREPARED and document.kenmerk
    data = prepared_pdf(document)
    assert sha256_of(data) == document.pdf_sha256
    text = pdf_text(data)
    for section, phrases in EXPECTED[kind].items():
        for phrase in phrases:
            assert " ".join(phrase.split()) in text, (section, phrase, text)
    assert document.kenmerk in text and document.case.nummer in text
    if kind in ADDRESSEE:
        assert ADDRESSEE[kind] in text
    if kind in decisions.DECISIONS or kind is K.INTENTION:
        assert "De Minister van Justitie en Veiligheid, namens deze," in text
    if kind is K.INTENTION:
        assert fmt_date(today_local() + timedelta(days=14)) in text


def test_a_decision_without_a_view_says_no_view_was_given(factories):
    t = f.team(factories)
    case = f.registration_case(t.author)
    f.penalty_order(case)
    f.view(case, t.author, given=False)
    document = decisions.start_document(case.id, K.PENALTY_ORDER, actor=t.me)
    sections = {s: f.SECTIONS[s] for s in decisions.editable_sections(K.PENALTY_ORDER) if s != "zienswijze"}
    decisions.save_sections(document.id, sections, expected_version=document.version, actor=t.me)
    decisions.prepare(document.id, actor=t.me)
    assert "U heeft van die gelegenheid geen gebruik gemaakt." in pdf_text(prepared_pdf(document))


def test_a_warning_to_a_suspect_goes_to_its_e_mail_address_and_none_without_an_address(factories):
    t = f.team(factories)
    case = f.suspect_case(factories, t.author)
    document = f.filled(decisions.start_document(case.id, K.WARNING, actor=t.me), t.me)
    assert document.letter_type_slug == "waarschuwing-overtreder"
    decisions.prepare(document.id, actor=t.me)
    text = pdf_text(prepared_pdf(document))
    assert "Per e-mail: info@inningsbureau.example" in text and "KvK-nummer 87654321" in text
    assert "zonder ingeschreven te staan in het register" in text

    unknown = f.suspect_case(factories, t.author, email=None)
    draft = f.filled(decisions.start_document(unknown.id, K.WARNING, actor=t.me), t.me)
    with pytest.raises(ServiceError, match="geen postadres of e-mailadres bekend"):
        decisions.prepare(draft.id, actor=t.me)
    decisions.save_sections(draft.id, {}, expected_version=draft.version, actor=t.me,
                            operative={"adresregels": ["Kanaalweg 3", "3526 KL  Utrecht"]})
    decisions.prepare(draft.id, actor=t.me)
    assert "Kanaalweg 3" in pdf_text(prepared_pdf(draft))


# --- what is missing refuses --------------------------------------------------------------------------------

def test_an_empty_required_section_refuses_prepare_naming_it(factories):
    t = f.team(factories)
    case = f.ready_case(factories, t.author, K.PENALTY_ORDER)
    document = decisions.start_document(case.id, K.PENALTY_ORDER, actor=t.me)
    assert "Beoordeling (schrijf de beoordeling)" in decisions.missing_elements(document)
    f.filled(document, t.me)
    decisions.save_sections(document.id, {"beoordeling": "  "}, expected_version=document.version, actor=t.me)
    with pytest.raises(ServiceError, match=r"Het mist: Beoordeling \(schrijf de beoordeling\)"):
        decisions.prepare(document.id, actor=t.me)
    assert document.status is DocumentStatus.DRAFT and document.kenmerk is None and document.pdf_sha256 is None


@pytest.mark.parametrize("what", ["terms", "view", "provisions"])
def test_missing_case_data_refuses_prepare(factories, what):
    t = f.team(factories)
    case = f.registration_case(t.author)
    if what != "terms":
        f.penalty_order(case)
    if what != "view":
        f.view(case, t.author)
    if what == "provisions":
        case.provisions = []
        db.session.flush()
    document = f.filled(decisions.start_document(case.id, K.PENALTY_ORDER, actor=t.me), t.me)
    message = {"terms": "Besluit (de last (maatregelen", "view": "Zienswijze (de zaak vermeldt nog niet",
               "provisions": "de zaak noemt geen overtreden bepaling"}[what]
    with pytest.raises(ServiceError, match=re.escape(message)):
        decisions.prepare(document.id, actor=t.me)


def test_a_fine_without_its_calculation_is_refused(factories):
    t = f.team(factories)
    case = f.ready_case(factories, t.author, K.FINE)
    case.fine_inputs = {**f.FINE_INPUTS, "berekening": None}
    document = f.filled(decisions.start_document(case.id, K.FINE, actor=t.me), t.me)
    with pytest.raises(ServiceError, match="de berekening van de boete ontbreekt"):
        decisions.prepare(document.id, actor=t.me)


def test_a_published_text_that_does_not_place_a_required_block_refuses(factories):
    t = f.team(factories)
    case = f.ready_case(factories, t.author, K.PENALTY_ORDER)
    document = f.filled(decisions.start_document(case.id, K.PENALTY_ORDER, actor=t.me), t.me)
    letter_type = db.session.scalar(sa.select(LetterType).where(LetterType.slug == "last-onder-dwangsom"))
    text = db.session.scalar(sa.select(LetterText).where(LetterText.letter_type_id == letter_type.id,
                                                         LetterText.status == TextStatus.PUBLISHED))
    text.body = text.body.replace("((blok:handhaving_rechtsmiddelen))", "Bezwaar kan.")
    db.session.flush()
    assert decisions.missing_elements(document) == [
        "de plaats van 'Bezwaar' in de brieftekst ((blok:handhaving_rechtsmiddelen))"]
    with pytest.raises(ServiceError, match="de plaats van 'Bezwaar' in de brieftekst"):
        decisions.prepare(document.id, actor=t.me)


def test_the_shipped_texts_place_every_required_block(db_session):
    for kind in DocumentKind:
        for slug in {decisions.LETTER_TYPES[kind], decisions.letter_type_slug(kind, f.SubjectKind.SUSPECT)}:
            letter_type = db.session.scalar(sa.select(LetterType).where(LetterType.slug == slug))
            text = db.session.scalar(sa.select(LetterText).where(LetterText.letter_type_id == letter_type.id,
                                                                 LetterText.status == TextStatus.PUBLISHED))
            placed = issuing.text_blocks(text)
            for section in decisions.sections_of(kind):
                assert f"handhaving_{section}" in placed, (slug, section)
            assert set(placed) <= set(letter_type.blocks), slug
            assert "zaaknummer" in letter_type.extra_fields and "partij" in letter_type.extra_fields
            # The text editor's own check finds nothing (every field known to the type, the syntax right).
            assert texts.check_text(letter_type, subject=text.subject, body=text.body) == [], slug
            superseded = db.session.scalars(sa.select(LetterText.status).where(
                LetterText.letter_type_id == letter_type.id, LetterText.id != text.id)).all()
            assert all(status is TextStatus.SUPERSEDED for status in superseded), slug


def test_case_data_changed_after_preparation_refuses_issue(factories):
    t = f.team(factories)
    document = f.prepared(factories, t, K.PENALTY_ORDER)
    approve(t, document)
    document.case.penalty_order.amount = Decimal("750.00")
    db.session.flush()
    with pytest.raises(ServiceError, match=r"gewijzigd sinds de pdf is gemaakt \(Besluit\)"):
        decisions.issue(document.id, actor=t.me)
    document.case.penalty_order.measures = ""
    with pytest.raises(ServiceError, match="Het mist: Besluit"):
        decisions.issue(document.id, actor=t.me)
    assert document.status is DocumentStatus.PREPARED
    assert db.session.scalar(sa.select(Document).where(Document.kenmerk == document.kenmerk)) is None


def test_issue_without_approval_is_refused(factories):
    t = f.team(factories)
    draft = decisions.start_document(f.ready_case(factories, t.author, K.WARNING).id, K.WARNING, actor=t.me)
    with pytest.raises(ServiceError, match="maak eerst de pdf"):
        decisions.issue(draft.id, actor=t.me)
    document = f.prepared(factories, t, K.PENALTY_ORDER)
    with pytest.raises(ServiceError, match="goedkeuring van een tweede handhaver ontbreekt"):
        decisions.issue(document.id, actor=t.me)
    assert document.status is DocumentStatus.PREPARED


# --- four eyes ----------------------------------------------------------------------------------------------

def test_the_approver_is_not_an_author(factories):
    t = f.team(factories)
    writer, preparer, outsider = f.officer(factories), f.officer(factories), f.officer(factories)
    case = f.ready_case(factories, t.author, K.PENALTY_ORDER)
    document = decisions.start_document(case.id, K.PENALTY_ORDER, actor=t.me)
    f.filled(document, Actor.of(writer))
    decisions.prepare(document.id, actor=Actor.of(preparer))
    assert set(document.authors) == {t.author.id, writer.id, preparer.id}
    for who in (t.me, Actor.of(writer), Actor.of(preparer)):
        with pytest.raises(ServiceError, match="niet zelf goedkeuren"):
            decisions.approve_document(document.id, sha256=document.pdf_sha256, actor=who)
    with pytest.raises(ServiceError, match="Alleen een persoon"):
        decisions.approve_document(document.id, sha256=document.pdf_sha256, actor=Actor.process("job:test"))
    assert active_approval(decisions.OBJECT_TYPE, document.id) is None
    decisions.approve_document(document.id, sha256=document.pdf_sha256, actor=Actor.of(outsider))
    approval = active_approval(decisions.OBJECT_TYPE, document.id)
    assert approval.approver_id == outsider.id and approval.content_sha256 == document.pdf_sha256
    with pytest.raises(ServiceError, match="al goedgekeurd"):
        decisions.approve_document(document.id, sha256=document.pdf_sha256, actor=t.colleague)


def test_a_stale_hash_is_refused(factories):
    t = f.team(factories)
    document = f.prepared(factories, t)
    with pytest.raises(ServiceError, match="opnieuw gemaakt of gewijzigd sinds u het las"):
        decisions.approve_document(document.id, sha256="0" * 64, actor=t.colleague)
    old = document.pdf_sha256
    decisions.save_sections(document.id, {"beoordeling": f.SECTIONS["beoordeling"] + " Ook dit."},
                            expected_version=document.version, actor=t.me)
    decisions.prepare(document.id, actor=t.me)
    assert document.pdf_sha256 != old
    with pytest.raises(ServiceError, match="sinds u het las"):
        decisions.approve_document(document.id, sha256=old, actor=t.colleague)
    assert active_approval(decisions.OBJECT_TYPE, document.id) is None


def test_an_edit_after_approval_voids_it_and_keeps_the_kenmerk(factories):
    t = f.team(factories)
    document = f.prepared(factories, t)
    kenmerk = document.kenmerk
    approve(t, document)
    decisions.save_sections(document.id, {"feiten": "Andere feiten."}, expected_version=document.version, actor=t.me)
    assert document.status is DocumentStatus.DRAFT and document.pdf_sha256 is None
    assert active_approval(decisions.OBJECT_TYPE, document.id) is None
    with pytest.raises(ServiceError, match="maak eerst de pdf"):
        decisions.issue(document.id, actor=t.me)
    decisions.prepare(document.id, actor=t.me)
    assert document.kenmerk == kenmerk and "Andere feiten." in pdf_text(prepared_pdf(document))
    with pytest.raises(ServiceError, match="goedkeuring van een tweede handhaver ontbreekt"):
        decisions.issue(document.id, actor=t.me)
    voided = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_type == "case_document",
                                                                   AuditEvent.object_id == str(document.id)))
    assert "handhavingsdocument.goedkeuring_vervallen" in list(voided)


def test_returning_voids_the_approval_and_needs_a_reason(factories):
    t = f.team(factories)
    document = f.prepared(factories, t)
    approve(t, document)
    with pytest.raises(ServiceError, match="Geef de reden op"):
        decisions.return_document(document.id, reason=" ", actor=t.colleague)
    decisions.return_document(document.id, reason="De begunstigingstermijn is te kort.", actor=t.colleague)
    assert document.status is DocumentStatus.DRAFT
    assert active_approval(decisions.OBJECT_TYPE, document.id) is None


# --- issuing -------------------------------------------------------------------------------------------------

def test_the_issued_document_is_the_approved_pdf_byte_for_byte(factories):
    t = f.team(factories)
    document = f.prepared(factories, t, K.FINE)
    approved_bytes = decisions.document_pdf(document.id, actor=t.colleague)
    approve(t, document)
    approved_hash = active_approval(decisions.OBJECT_TYPE, document.id).content_sha256
    decisions.issue(document.id, actor=t.me)
    issued = db.session.scalar(sa.select(Document).where(Document.kenmerk == document.kenmerk))
    assert issued.sha256 == approved_hash == document.pdf_sha256 == sha256_of(approved_bytes)
    assert issuing.document_pdf(issued, actor=t.colleague) == approved_bytes
    assert decisions.document_pdf(document.id, actor=t.colleague) == approved_bytes
    assert issued.registratienummer == document.case.registratienummer
    assert issued.letter_type_slug == "bestuurlijke-boete" and issued.pages == document.pages
    assert document.status is DocumentStatus.ISSUED and document.dispatched_on == today_local()
    assert document.issued_by == t.author.email
    step = db.session.scalar(sa.select(CaseStep).where(CaseStep.case_id == document.case_id,
                                                       CaseStep.kind == StepKind.DOCUMENT))
    assert step.kenmerk == document.kenmerk and step.data["soort"] == "besluit_boete"
    # Issuing leaves the case's status to the procedure.
    assert document.case.status.value == "onderzoek"


def test_an_issued_document_never_changes(factories):
    t = f.team(factories)
    document = f.prepared(factories, t, K.WARNING)
    approve(t, document)
    decisions.issue(document.id, actor=t.me)
    refusals = [
        lambda: decisions.save_sections(document.id, {"feiten": "Anders."}, expected_version=document.version,
                                        actor=t.me),
        lambda: decisions.prepare(document.id, actor=t.me),
        lambda: decisions.lapse(document.id, reason="Toch niet.", actor=t.me),
        lambda: decisions.return_document(document.id, reason="Toch niet.", actor=t.colleague),
        lambda: decisions.approve_document(document.id, sha256=document.pdf_sha256, actor=t.colleague),
    ]
    for refused in refusals:
        with pytest.raises(ServiceError):
            refused()
    with pytest.raises(ServiceError, match=f"al uitgegeven \\({document.kenmerk}\\)"):
        decisions.issue(document.id, actor=t.me)
    document.sections = {**document.sections, "feiten": "Stiekem anders."}
    with pytest.raises(ValueError, match="cannot be changed"):
        db.session.flush()
    db.session.rollback()


def test_the_objection_may_still_be_recorded_on_an_issued_document(factories):
    t = f.team(factories)
    document = f.prepared(factories, t, K.PENALTY_ORDER)
    approve(t, document)
    decisions.issue(document.id, actor=t.me)
    document.objection_received_on = today_local()
    document.objection_on_time = True
    db.session.flush()


# --- drafts ------------------------------------------------------------------------------------------------

def test_a_second_start_returns_the_open_draft(factories):
    t = f.team(factories)
    case = f.ready_case(factories, t.author, K.PENALTY_ORDER)
    first = decisions.start_document(case.id, K.PENALTY_ORDER, actor=t.me)
    again = decisions.start_document(case.id, "besluit_lod", actor=t.colleague)
    assert again.id == first.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseDocument)
                             .where(CaseDocument.case_id == case.id)) == 1
    # Prefilled from the case: its facts and the finding linked to it, why the instrument fits.
    assert first.sections["feiten"].startswith("Twee medewerkers hadden geen VOG.")
    assert "- VOG ontbreekt bij twee medewerkers" in first.sections["feiten"]
    assert "herstelsanctie" in first.sections["keuze_instrument"]
    decisions.lapse(first.id, reason="Opnieuw beginnen.", actor=t.me)
    fresh = decisions.start_document(case.id, K.PENALTY_ORDER, actor=t.me)
    assert fresh.id != first.id and first.status is DocumentStatus.LAPSED


def test_only_documents_that_fit_the_instrument_can_start(factories):
    t = f.team(factories)
    case = f.registration_case(t.author, instrument=Instrument.WARNING)
    with pytest.raises(ServiceError, match="past niet bij het instrument 'waarschuwingsbrief'"):
        decisions.start_document(case.id, K.FINE, actor=t.me)
    case.instrument = None
    db.session.flush()
    with pytest.raises(ServiceError, match="Kies eerst een instrument"):
        decisions.start_document(case.id, K.WARNING, actor=t.me)
    with pytest.raises(ServiceError, match="Kies een soort document"):
        decisions.start_document(case.id, "brief", actor=t.me)


def test_saving_cleans_the_text_and_refuses_what_does_not_fit(factories):
    t = f.team(factories)
    case = f.ready_case(factories, t.author, K.WARNING)
    document = decisions.start_document(case.id, K.WARNING, actor=t.me)
    version = document.version
    decisions.save_sections(document.id, {"feiten": "Een\x00 feit\x07.\r\n\r\nTweede alinea."},
                            expected_version=version, actor=t.me)
    assert document.sections["feiten"] == "Een feit.\n\nTweede alinea."
    with pytest.raises(ServiceError, match="intussen door iemand anders gewijzigd"):
        decisions.save_sections(document.id, {"feiten": "Ouder."}, expected_version=version, actor=t.me)
    with pytest.raises(ServiceError, match="te lang"):
        decisions.save_sections(document.id, {"feiten": "x" * (decisions.SECTION_MAX + 1)},
                                expected_version=document.version, actor=t.me)
    with pytest.raises(ServiceError, match="schrijft u niet zelf"):
        decisions.save_sections(document.id, {"dictum": "Wij besluiten anders."}, expected_version=document.version,
                                actor=t.me)
    with pytest.raises(ServiceError, match="tekens die niet kunnen worden opgeslagen"):
        decisions.save_sections(document.id, {"feiten": "\ud800"}, expected_version=document.version, actor=t.me)
    assert document.sections["feiten"] == "Een feit.\n\nTweede alinea."


def test_the_view_deadline_is_a_date_after_today(factories):
    t = f.team(factories)
    case = f.ready_case(factories, t.author, K.INTENTION)
    document = decisions.start_document(case.id, K.INTENTION, actor=t.me)
    assert document.operative == {"zienswijze_termijn": "2w"}
    for bad, message in (("morgen", "geen datum"), (today_local().isoformat(), "na vandaag"),
                         ("", None)):
        if message is None:
            continue
        with pytest.raises(ServiceError, match=message):
            decisions.save_sections(document.id, {}, expected_version=document.version, actor=t.me,
                                    operative={"zienswijze_voor": bad})
    with pytest.raises(ServiceError, match="2w, 10d of 1m"):
        decisions.save_sections(document.id, {}, expected_version=document.version, actor=t.me,
                                operative={"zienswijze_termijn": "twee weken"})
    assert "Uitnodiging tot het geven van een zienswijze (de uiterste datum voor de zienswijze ontbreekt)" in \
        decisions.missing_elements(document)


def test_prepared_pdfs_are_read_with_an_audit_event_and_survive_the_purge(factories):
    t = f.team(factories)
    document = f.prepared(factories, t)
    decisions.document_pdf(document.id, actor=t.colleague)
    actions = list(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_type == "case_document",
                                                                         AuditEvent.object_id == str(document.id))
                                 .order_by(AuditEvent.id)))
    assert actions[:3] == ["handhavingsdocument.begonnen", "handhavingsdocument.opgeslagen",
                           "handhavingsdocument.voorbereid"]
    assert "handhavingsdocument.bekeken" in actions
    issuing.purge_orphan_documents(older_than_hours=0)
    assert issuing.document_store().exists(document.pdf_sha256)
    draft = decisions.start_document(f.ready_case(factories, t.author, K.WARNING).id, K.WARNING, actor=t.me)
    with pytest.raises(ServiceError, match="nog geen pdf"):
        decisions.document_pdf(draft.id, actor=t.me)


def test_a_missing_or_altered_prepared_pdf_is_not_issued(factories):
    t = f.team(factories)
    document = f.prepared(factories, t)
    approve(t, document)
    path = issuing.document_store().path_of(document.pdf_sha256)
    path.write_bytes(b"%PDF-1.7 ander document")
    with pytest.raises(ServiceError, match="Het voorbereide document is gewijzigd of ontbreekt"):
        decisions.issue(document.id, actor=t.me)
    path.unlink()
    with pytest.raises(ServiceError, match="Het voorbereide document is gewijzigd of ontbreekt"):
        decisions.issue(document.id, actor=t.me)
    assert document.status is DocumentStatus.PREPARED


# --- two people at once (real commits from two threads, SQLite and PostgreSQL) ---------------------------------

@pytest.mark.parametrize("kind", database_kinds())
def test_two_approvers_at_once_make_one_approval(kind, tmp_path):
    with isolated_app(kind, tmp_path) as app:
        with app.app_context():
            t = f.team(model_factories)
            approvers = [f.officer(model_factories).id, f.officer(model_factories).id]
            document = f.prepared(model_factories, t)
            document_id, sha256 = document.id, document.pdf_sha256
            db.session.commit()

        def work(i: int) -> int:
            approver = db.session.get(User, approvers[i])
            return decisions.approve_document(document_id, sha256=sha256, actor=Actor.of(approver)).id

        results, errors = run_at_once(app, 2, work)
        assert len(results) == 1 and len(errors) == 1, (results, errors)
        assert "ServiceError" in errors[0] or "ConcurrentEditError" in errors[0], errors
        with app.app_context():
            approvals = db.session.scalars(sa.select(Approval).where(Approval.object_type == decisions.OBJECT_TYPE,
                                                                     Approval.object_id == str(document_id))).all()
            assert len(approvals) == 1 and approvals[0].approver_id in approvers


@pytest.mark.parametrize("kind", database_kinds())
def test_two_starts_at_once_make_one_draft(kind, tmp_path):
    with isolated_app(kind, tmp_path) as app:
        with app.app_context():
            t = f.team(model_factories)
            case_id = f.ready_case(model_factories, t.author, K.PENALTY_ORDER).id
            ids = [t.author.id, t.colleague_user.id]
            db.session.commit()

        def work(i: int) -> int:
            return decisions.start_document(case_id, K.PENALTY_ORDER,
                                            actor=Actor.of(db.session.get(User, ids[i]))).id

        results, errors = run_at_once(app, 2, work)
        assert errors == [] and len(results) == 2 and results[0] == results[1], (results, errors)
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseDocument)) == 1


@pytest.mark.parametrize("kind", database_kinds())
def test_two_clicks_on_issue_issue_one_document(kind, tmp_path):
    with isolated_app(kind, tmp_path) as app:
        with app.app_context():
            t = f.team(model_factories)
            document = f.prepared(model_factories, t, K.WARNING)
            approve(t, document)
            document_id, author_id = document.id, t.author.id
            db.session.commit()

        def work(_i: int) -> str | None:
            return decisions.issue(document_id, actor=Actor.of(db.session.get(User, author_id))).kenmerk

        results, errors = run_at_once(app, 2, work)
        assert len(results) == 1 and len(errors) == 1, (results, errors)
        assert "intussen door iemand anders gewijzigd" in errors[0] or "al uitgegeven" in errors[0], errors
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 1
            assert db.session.get(CaseDocument, document_id).status is DocumentStatus.ISSUED
