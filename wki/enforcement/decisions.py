"""The documents a case sends (intentions, decisions, warnings, a request to Justis, a criminal report, a
referral): written per section, prepared as a PDF, approved by a second officer (bound to the PDF's
SHA-256) and issued unchanged through the documents engine.

What the law requires of a decision is a list of sections per kind (``REQUIRED_SECTIONS``): the breach
and the provision (Awb 5:9), the facts, the legal framework, the assessment, the answer to the view, the
choice of instrument and its proportionality, the operative part (5:32a–5:32b; for a fine the amount and
its calculation, 5:52) and the legal-remedies clause (3:45, 6:5, 6:7). Each section is one block
(``((blok:handhaving_<section>))``) of the letter text, so a published text that does not place one is as
incomplete as an empty section: ``missing_elements`` names both, and a document that lacks anything is
neither prepared nor issued.

Who writes what:
- the officer writes the facts, the assessment, the answer to the view, the choice of instrument (and the
  breach in words); they start prefilled from the case (its facts, the linked findings, why the
  instrument fits);
- the rest is generated from data: the provisions breached, the legal framework per provision and
  instrument, the operative part (the penalty order's terms, the fine and its calculation, the forfeited
  amount), the view's absence (from the timeline), the invitation to give a view, the remedies clause.

The steps: ``start_document`` (one open draft per kind: a second start returns it) → ``save_sections``
(optimistic locking; a change after preparation sends it back to concept and voids an approval) →
``prepare`` (the kenmerk is reserved once and kept; the PDF stored; ter goedkeuring) → ``approve_document``
(a person who did not write, change or prepare it approves exactly that PDF's SHA-256) → ``issue`` (the
stored PDF, byte for byte, recorded as the Document; immutable afterwards). ``return_document`` and
``lapse`` go back or give up. Issuing changes neither the case's status nor its deadlines: the procedure
(``procedure.py``) wraps ``issue`` and does that.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import flag_modified

from wki.core import audit
from wki.core.actors import Actor
from wki.core.clock import today_local, utcnow
from wki.core.errors import NotFoundError, ServiceError
from wki.core.extensions import db
from wki.core.features import recipient_sources
from wki.core.formatting import fmt_date, fmt_money
from wki.core.service import service
from wki.core.text import is_storable, strip_controls
from wki.core.workflow import approve, check_version, flush_versioned, valid_approval, void_approvals
from wki.documents import services as documents
from wki.enforcement import blocks
from wki.enforcement.audit_actions import EnforcementAction
from wki.enforcement.instruments import BAILIFF, DOCUMENT_FOR, LEGAL_BASIS, NEEDS_INTENTION, options
from wki.enforcement.models import (
    Case,
    CaseDocument,
    CaseEvidence,
    CaseStep,
    DocumentKind,
    DocumentStatus,
    EvidenceLink,
    Instrument,
    Provision,
    StepKind,
    SubjectKind,
)
from wki.supervision import services as supervision

OBJECT_TYPE = "case_document"
K = DocumentKind

SECTION_TITLES: dict[str, str] = {
    "procesverloop": "Procesverloop",
    "overtreding": "Overtreding en overtreden voorschrift",
    "feiten": "Feiten",
    "wettelijk_kader": "Wettelijk kader",
    "beoordeling": "Beoordeling",
    "zienswijze": "Zienswijze",
    "keuze_instrument": "Keuze van het instrument en evenredigheid",
    "voorgenomen_maatregel": "Voorgenomen maatregel",
    "zienswijze_uitnodiging": "Uitnodiging tot het geven van een zienswijze",
    "dictum": "Besluit",
    "betaling": "Betaling en opschorting",
    "rechtsmiddelen": "Bezwaar",
    "herstel": "Wat wij van u verwachten",
    "bewijs": "Bewijsmateriaal",
}

# What the law requires of each kind of document; a document lacking one is not prepared or issued.
REQUIRED_SECTIONS: dict[DocumentKind, tuple[str, ...]] = {
    K.INTENTION: ("overtreding", "feiten", "wettelijk_kader", "voorgenomen_maatregel", "zienswijze_uitnodiging"),
    K.PENALTY_ORDER: ("overtreding", "feiten", "wettelijk_kader", "beoordeling", "zienswijze", "keuze_instrument",
                      "dictum", "rechtsmiddelen"),
    K.FINE: ("overtreding", "feiten", "wettelijk_kader", "beoordeling", "zienswijze", "keuze_instrument", "dictum",
             "rechtsmiddelen"),
    # A collection decision follows the penalty order, not an intention: no view to answer.
    K.COLLECTION: ("overtreding", "feiten", "wettelijk_kader", "beoordeling", "keuze_instrument", "dictum",
                   "rechtsmiddelen"),
    K.WARNING: ("overtreding", "feiten", "wettelijk_kader", "herstel"),
    K.STRIKE_REQUEST: ("overtreding", "feiten", "wettelijk_kader", "beoordeling"),
    K.CRIMINAL_REPORT: ("overtreding", "feiten", "wettelijk_kader"),
    K.REFERRAL: ("overtreding", "feiten", "wettelijk_kader"),
}

# Sections every document of a kind also places, always generated (never empty).
EXTRA_SECTIONS: dict[DocumentKind, tuple[str, ...]] = {
    K.INTENTION: ("procesverloop",),
    K.PENALTY_ORDER: ("procesverloop",),
    K.FINE: ("procesverloop", "betaling"),
    K.COLLECTION: ("procesverloop", "betaling"),
    K.WARNING: (),
    K.STRIKE_REQUEST: ("bewijs",),
    K.CRIMINAL_REPORT: ("bewijs",),
    K.REFERRAL: ("bewijs",),
}

FINE_CALCULATION_BLOCK = "boeteberekening"

# The sections the officer writes (the rest is generated); "voorgenomen_maatregel" takes an optional addition.
OFFICER_SECTIONS = ("overtreding", "feiten", "beoordeling", "zienswijze", "keuze_instrument", "herstel",
                    "voorgenomen_maatregel")
OPTIONAL_OFFICER_SECTIONS = frozenset({"voorgenomen_maatregel"})
SECTION_MAX = 20_000
ADDRESS_LINES_MAX = 6
ADDRESS_LINE_MAX = 120
REASON_MAX = 2_000
DEFAULT_VIEW_PERIOD = "2w"

DECISIONS = frozenset({K.PENALTY_ORDER, K.FINE, K.COLLECTION})
OPEN = (DocumentStatus.DRAFT, DocumentStatus.PREPARED)

blocks.register(SECTION_TITLES)


def sections_of(kind: DocumentKind) -> tuple[str, ...]:
    """Every section (block) a document of this kind places, in the order of the letter."""
    placed = set(REQUIRED_SECTIONS[kind]) | set(EXTRA_SECTIONS[kind])
    return tuple(s for s in SECTION_TITLES if s in placed)


def editable_sections(kind: DocumentKind) -> tuple[str, ...]:
    """The sections of this kind the officer writes."""
    placed = sections_of(kind)
    return tuple(s for s in OFFICER_SECTIONS if s in placed)


# --- letter types and recipients ---------------------------------------------------------------------------

LETTER_TYPES: dict[DocumentKind, str] = {
    K.INTENTION: "voornemen-handhaving",
    K.PENALTY_ORDER: "last-onder-dwangsom",
    K.FINE: "bestuurlijke-boete",
    K.COLLECTION: "invorderingsbeschikking",
    K.WARNING: "waarschuwingsbrief",
    K.STRIKE_REQUEST: "verzoek-doorhaling",
    K.CRIMINAL_REPORT: "aangifte",
    K.REFERRAL: "verwijzing",
}
WARNING_TO_SUSPECT = "waarschuwing-overtreder"


def letter_type_slug(kind: DocumentKind, subject: SubjectKind) -> str:
    if kind is K.WARNING and subject is SubjectKind.SUSPECT:
        return WARNING_TO_SUSPECT
    return LETTER_TYPES[kind]


def kinds_for(case: Case) -> list[DocumentKind]:
    """The documents this case's instrument sends: its own, an intention before a sanction, and the
    collection decision after a penalty order."""
    if case.instrument is None:
        return []
    kinds: list[DocumentKind] = []
    if case.instrument in NEEDS_INTENTION:
        kinds.append(K.INTENTION)
    own = DOCUMENT_FOR[case.instrument]
    if own is not None:
        kinds.append(own)
    if case.instrument is Instrument.PENALTY_ORDER:
        kinds.append(K.COLLECTION)
    return kinds


def _authority(key: str) -> dict[str, Any]:
    known = current_app.config.get("ENFORCEMENT_RECIPIENTS") or {}
    found = known.get(key)
    if not found or not found.get("naam") or not found.get("adresregels"):
        raise ServiceError(f"Het adres van '{key}' ontbreekt in de instellingen (ENFORCEMENT_RECIPIENTS); meld het "
                           "de beheerder.")
    return dict(found)


def _party_recipient(case: Case, document: CaseDocument) -> dict[str, Any]:
    """The party itself: a registration as the register lists it today, a suspect as signals know it."""
    if case.subject_kind is SubjectKind.REGISTRATION:
        source = recipient_sources().get("register")
        found = source.find(case.registratienummer or "", today_local()) if source and source.find else None
        if found is None:
            raise ServiceError(f"Registratie {case.registratienummer} staat niet (meer) in het register: er is geen "
                               "adres om de brief aan te richten.")
        recipient = dict(found)
    elif case.subject_kind is SubjectKind.SUSPECT:
        source = recipient_sources().get("overtreders")
        found = source.find(str(case.suspect_id), None) if source and source.find else None
        if found is None:
            raise ServiceError("De mogelijke overtreder van deze zaak is niet (meer) bekend bij Signalen: er is geen "
                               "adres om de brief aan te richten.")
        recipient = dict(found)
    else:
        raise ServiceError("Aan een vrijgestelde partij schrijft de Inspectie niet zelf: verwijs naar het BFT of de "
                           "deken.")
    given = [str(line) for line in (document.operative or {}).get("adresregels") or [] if str(line).strip()]
    if given:
        recipient["adresregels"] = given
    if not recipient.get("adresregels"):
        if recipient.get("email"):
            recipient["adresregels"] = [f"Per e-mail: {recipient['email']}"]
        else:
            raise ServiceError(f"Van {recipient.get('naam') or case.naam} is geen postadres of e-mailadres bekend. "
                               "Vul het adres in bij het document.", field="adresregels")
    return recipient


def _authority_recipient(case: Case, key: str, *, party: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """An authority (Justis, the public prosecutor, the BFT, the dean), with the party's fields for the text
    and the party's registratienummer/suspect id on the document (so the party's page lists it)."""
    authority = _authority(key)
    velden = dict((party or {}).get("velden") or {})
    velden.setdefault("registratienummer", case.registratienummer or "")
    velden.setdefault("kvk_nummer", case.kvk_nummer or "")
    return {"key": f"instantie:{key}", "naam": authority["naam"], "t_a_v": authority.get("t_a_v"),
            "adresregels": [str(line) for line in authority["adresregels"]], "postcode": None, "email": None,
            "registratienummer": case.registratienummer, "suspect_id": case.suspect_id, "velden": velden}


def recipient_for(document: CaseDocument) -> dict[str, Any]:
    """Who the document is addressed to, as the documents engine's plain recipient; Dutch refusal when
    there is no address."""
    case = document.case
    if document.kind is K.STRIKE_REQUEST:
        return _authority_recipient(case, "justis", party=_party_recipient(case, document))
    if document.kind is K.CRIMINAL_REPORT:
        return _authority_recipient(case, "om")
    if document.kind is K.REFERRAL:
        bailiff = case.instrument is Instrument.REFERRAL_BFT or (case.instrument is None and case.beroep == BAILIFF)
        return _authority_recipient(case, "bft" if bailiff else "deken")
    return _party_recipient(case, document)


# --- the sections' content ---------------------------------------------------------------------------------

PROVISION_FRAMEWORK: dict[Provision, str] = {
    Provision.REGISTRATION_DUTY: (
        "De Wet kwaliteit incassodienstverlening (Wki) verbiedt het verrichten of aanbieden van buitengerechtelijke "
        "incassowerkzaamheden zonder inschrijving in het register incassodienstverlening van Justis. "
        "Gerechtsdeurwaarders en advocaten zijn van dit verbod uitgezonderd. Wie zonder registratie incasseert, "
        "begaat een strafbaar feit."),
    Provision.WKI_11: (
        "Artikel 11 Wki stelt regels waaraan een incassodienstverlener zich moet houden. Op overtreding daarvan "
        "staat een bestuurlijke boete van ten hoogste het bedrag van de eerste categorie van artikel 23, vierde "
        "lid, van het Wetboek van Strafrecht (artikel 16, derde lid, Wki)."),
    Provision.WKI_12: (
        "Artikel 12 Wki stelt regels waaraan een incassodienstverlener zich moet houden. Op overtreding daarvan "
        "staat een bestuurlijke boete van ten hoogste het bedrag van de tweede categorie van artikel 23, vierde "
        "lid, van het Wetboek van Strafrecht (artikel 16, derde lid, Wki)."),
    Provision.WKI_13: (
        "Bij of krachtens artikel 13 Wki zijn kwaliteitseisen gesteld in het Besluit kwaliteit "
        "incassodienstverlening (Bki) en de Regeling kwaliteit incassodienstverlening (Rki). Een "
        "incassodienstverlener moet aan deze eisen voldoen. Op overtreding staat een bestuurlijke boete van ten "
        "hoogste het bedrag van de derde categorie van artikel 23, vierde lid, van het Wetboek van Strafrecht; "
        "voor een rechtspersoon kan de naasthogere categorie gelden (artikel 16, derde en vierde lid, Wki)."),
    Provision.AWB_5_20: (
        "Op grond van artikel 5:20, eerste lid, van de Algemene wet bestuursrecht (Awb) is eenieder verplicht "
        "aan een toezichthouder binnen de door hem gestelde redelijke termijn alle medewerking te verlenen die "
        "deze redelijkerwijs kan vorderen bij de uitoefening van zijn bevoegdheden. Op overtreding staat een "
        "bestuurlijke boete van ten hoogste het bedrag van de tweede categorie (artikel 16 Wki)."),
}

KIND_FRAMEWORK: dict[DocumentKind, tuple[str, ...]] = {
    K.INTENTION: (
        "Voordat een bestuursorgaan een besluit neemt waartegen een belanghebbende die het niet heeft aangevraagd "
        "naar verwachting bedenkingen zal hebben, stelt het die belanghebbende in de gelegenheid zijn zienswijze "
        "naar voren te brengen (artikel 4:8 Awb; voor een bestuurlijke boete ook artikel 5:53 Awb).",),
    K.PENALTY_ORDER: (
        "Een last onder dwangsom is een herstelsanctie (artikel 5:2 en 5:31d Awb). De last omschrijft de te nemen "
        "herstelmaatregelen (artikel 5:32a, eerste lid, Awb) en de termijn waarbinnen de overtreder de last kan "
        "uitvoeren zonder dat een dwangsom wordt verbeurd (artikel 5:32a, tweede lid, Awb). De dwangsom wordt "
        "vastgesteld als een bedrag ineens, per tijdseenheid of per overtreding, met een maximum, in redelijke "
        "verhouding tot de zwaarte van het geschonden belang en de beoogde werking (artikel 5:32b Awb).",),
    K.FINE: (
        "Een bestuurlijke boete is een bestraffende sanctie (artikel 5:2 Awb). De boete wordt afgestemd op de ernst "
        "van de overtreding en de mate waarin zij de overtreder kan worden verweten, rekening houdend met de "
        "omstandigheden (artikel 5:46 Awb). Het boetebesluit vermeldt de overtreding, het overtreden voorschrift "
        "en het bedrag (artikelen 5:9 en 5:52 Awb).",),
    K.COLLECTION: (
        "Een verbeurde dwangsom wordt ingevorderd bij invorderingsbeschikking (artikel 5:37 Awb). Een dwangsom "
        "wordt verbeurd wanneer de last niet of niet tijdig is uitgevoerd (artikel 5:32a en 5:33 Awb).",),
    K.WARNING: (),
    K.STRIKE_REQUEST: (),
    K.CRIMINAL_REPORT: (),
    K.REFERRAL: (),
}

PERIOD_UNITS = {"d": ("dag", "dagen"), "w": ("week", "weken"), "m": ("maand", "maanden")}


def period_words(period: str | None) -> str:
    """"4w" → "4 weken", "1m" → "1 maand"; the period as given when it is not of that form."""
    text = (period or "").strip().lower()
    if len(text) >= 2 and text[:-1].isdigit() and text[-1] in PERIOD_UNITS:
        number = int(text[:-1])
        one, more = PERIOD_UNITS[text[-1]]
        return f"{number} {one if number == 1 else more}"
    return text


def _provisions(case: Case) -> list[Provision]:
    found = []
    for value in case.provisions or []:
        try:
            found.append(Provision.from_value(value))
        except ValueError:
            continue
    return found


def _officer(document: CaseDocument, section: str) -> list[blocks.Part]:
    return blocks.paragraphs((document.sections or {}).get(section))


def _money(value: Any) -> str:
    try:
        return fmt_money(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def _steps(case: Case, *kinds: StepKind) -> list[CaseStep]:
    return [step for step in case.steps if step.kind in kinds]


def _document_steps(case: Case, kind: DocumentKind) -> list[CaseStep]:
    return [s for s in _steps(case, StepKind.DOCUMENT) if (s.data or {}).get("soort") == kind.value]


Built = tuple[list[blocks.Part], str | None]  # the parts, or why the section is missing


def _procesverloop(document: CaseDocument) -> Built:
    case = document.case
    lines = [f"{fmt_date(case.opened_on)}: de zaak {case.nummer} is geopend."]
    if case.aanleiding.strip():
        lines[0] += f" Aanleiding: {case.aanleiding.strip()}"
    for step in case.steps:
        if step.kind is StepKind.DOCUMENT:
            what = str((step.data or {}).get("titel") or step.text or "Document")
            lines.append(f"{fmt_date(step.day)}: {what} verzonden" + (f" (kenmerk {step.kenmerk})." if step.kenmerk
                                                                         else "."))
        elif step.kind in (StepKind.CAUTION, StepKind.REPORT, StepKind.VIEW, StepKind.NO_VIEW,
                           StepKind.CONVERSATION, StepKind.CHECK, StepKind.FORFEITED):
            lines.append(f"{fmt_date(step.day)}: {step.kind.label}.")
    return [{"ul": lines}], None


def _overtreding(document: CaseDocument) -> Built:
    provisions = _provisions(document.case)
    own = _officer(document, "overtreding")
    if not own:
        return [], "beschrijf de overtreding"
    if not provisions:
        return [], "de zaak noemt geen overtreden bepaling"
    parts = [*own, {"p": "Overtreden voorschrift" + ("en:" if len(provisions) > 1 else ":")},
             {"ul": [p.label for p in provisions]}]
    codes = [c for c in document.case.requirement_codes or [] if c]
    if codes:
        titles = {r.code: r.titel for r in supervision.current_requirements()}
        named = [f"{titles[c]} ({c})" if c in titles else c for c in codes]
        parts.append({"p": "Het gaat om de kwaliteitseisen: " + "; ".join(named) + "."})
    return parts, None


def _officer_section(section: str, missing: str) -> Any:
    def build(document: CaseDocument) -> Built:
        parts = _officer(document, section)
        return (parts, None) if parts else ([], missing)
    return build


def _wettelijk_kader(document: CaseDocument) -> Built:
    case = document.case
    provisions = _provisions(case)
    if not provisions:
        return [], "de zaak noemt geen overtreden bepaling"
    parts: list[blocks.Part] = [{"p": PROVISION_FRAMEWORK[p]} for p in provisions]
    parts.extend({"p": text} for text in KIND_FRAMEWORK[document.kind])
    if case.instrument is not None and document.kind not in (K.INTENTION, K.WARNING):
        parts.append({"p": f"Grondslag van het instrument ‘{case.instrument.label}’: {LEGAL_BASIS[case.instrument]}."})
    return parts, None


def _zienswijze(document: CaseDocument) -> Built:
    """The answer to the view: the officer's when a view was given; the standard sentence when none was."""
    case = document.case
    given = _steps(case, StepKind.VIEW, StepKind.NO_VIEW)
    if not given:
        return [], "de zaak vermeldt nog niet of een zienswijze is gegeven"
    last = given[-1]
    intention = _document_steps(case, K.INTENTION)
    invited = (f"Met ons voornemen van {fmt_date(intention[-1].day)} (kenmerk {intention[-1].kenmerk}) hebben wij u "
               "in de gelegenheid gesteld uw zienswijze te geven." if intention and intention[-1].kenmerk else
               "Wij hebben u in de gelegenheid gesteld uw zienswijze op ons voornemen te geven.")
    if last.kind is StepKind.NO_VIEW:
        parts: list[blocks.Part] = [{"p": invited + " U heeft van die gelegenheid geen gebruik gemaakt."}]
        return [*parts, *_officer(document, "zienswijze")], None
    answer = _officer(document, "zienswijze")
    if not answer:
        return [], "geef antwoord op de zienswijze"
    how = str((last.data or {}).get("vorm") or "").strip()
    summary = last.text.strip()
    head = f"{invited} U heeft op {fmt_date(last.day)} uw zienswijze {('(' + how + ') ') if how else ''}gegeven."
    parts = [{"p": head}]
    if summary:
        parts.append({"p": f"Samengevat: {summary}"})
    parts.append({"p": "Onze reactie daarop:"})
    return [*parts, *answer], None


def _terms(case: Case) -> tuple[list[list[str]], str | None]:
    order = case.penalty_order
    if order is None:
        return [], "de last (maatregelen, begunstigingstermijn, vorm, bedrag en maximum) is nog niet vastgelegd"
    if not (order.measures or "").strip() or not order.grace_period or order.amount is None or order.ceiling is None:
        return [], "de last is onvolledig (maatregelen, begunstigingstermijn, bedrag of maximum ontbreekt)"
    grace = f"{period_words(order.grace_period)} na de dag van verzending van dit besluit"
    if order.grace_end is not None:
        grace += f" (tot en met {fmt_date(order.grace_end)})"
    per = {"per_dag": " per dag", "per_overtreding": " per overtreding", "ineens": " ineens"}.get(order.form.value, "")
    return [["De last", order.measures.strip()], ["Begunstigingstermijn", grace],
            ["Vorm van de dwangsom", order.form.label], ["Hoogte van de dwangsom", _money(order.amount) + per],
            ["Maximum", _money(order.ceiling)]], None


def _fine(case: Case) -> tuple[dict[str, Any], str | None]:
    inputs = case.fine_inputs or {}
    if not inputs.get("bedrag"):
        return {}, "de boete en haar berekening zijn nog niet vastgesteld"
    if inputs.get("berekening") in (None, {}, []):
        return {}, "de berekening van de boete ontbreekt"
    return inputs, None


def _dictum(document: CaseDocument) -> Built:
    case = document.case
    if document.kind is K.PENALTY_ORDER:
        terms, problem = _terms(case)
        if problem:
            return [], problem
        return [{"p": f"Wij leggen {case.naam} een last onder dwangsom op, met de volgende inhoud:"}, {"dl": terms},
                {"p": "Voert u de last niet of niet op tijd uit, dan verbeurt u de dwangsom, tot ten hoogste het "
                      "maximum (artikelen 5:32a en 5:32b Awb)."}], None
    if document.kind is K.FINE:
        inputs, problem = _fine(case)
        if problem:
            return [], problem
        rows = [["Bedrag van de boete", _money(inputs["bedrag"])]]
        if inputs.get("maximum"):
            category = f" (boetecategorie {inputs['categorie']})" if inputs.get("categorie") else ""
            rows.append([f"Wettelijk maximum{category}", _money(inputs["maximum"])])
        return [{"p": f"Wij leggen {case.naam} een bestuurlijke boete op van {_money(inputs['bedrag'])}."},
                {"dl": rows},
                {"p": "Hoe wij het bedrag hebben vastgesteld volgens het boetebeleid, staat stap voor stap in de "
                      "berekening hieronder (artikelen 5:46 en 5:52 Awb)."}], None
    if document.kind is K.COLLECTION:
        order = case.penalty_order
        if order is None or order.forfeited is None or order.forfeited <= 0:
            return [], "het verbeurde bedrag is nog niet vastgesteld"
        parts: list[blocks.Part] = [
            {"p": f"Wij besluiten de dwangsom in te vorderen die {case.naam} heeft verbeurd. Het verbeurde bedrag is "
                  f"{_money(order.forfeited)}."}]
        calculation = _forfeiture_rows(order.forfeiture)
        if not calculation:
            return [], "de berekening van het verbeurde bedrag ontbreekt"
        parts.append({"p": "Berekening van het verbeurde bedrag:"})
        parts.append({"table": {"head": ["Onderdeel", "Waarde"], "rows": calculation}})
        return parts, None
    return [], None


def _forfeiture_rows(forfeiture: Any) -> list[list[str]]:
    """The forfeiture calculation as rows, from its plain data: a list of steps ({"omschrijving", "bedrag"}
    or similar), or {"stappen": [...]}, or a plain mapping of label to value."""
    if isinstance(forfeiture, Mapping) and isinstance(forfeiture.get("stappen"), list):
        forfeiture = forfeiture["stappen"]
    rows: list[list[str]] = []
    if isinstance(forfeiture, list):
        for step in forfeiture:
            if isinstance(step, Mapping):
                label = step.get("omschrijving") or step.get("stap") or step.get("label") or ""
                value = step.get("bedrag", step.get("waarde", ""))
                rows.append([str(label), _money(value) if "bedrag" in step else str(value)])
            else:
                rows.append([str(step), ""])
    elif isinstance(forfeiture, Mapping):
        rows = [[str(key), str(value)] for key, value in forfeiture.items()]
    return rows


def _betaling(document: CaseDocument) -> Built:
    if document.kind is K.FINE:
        return [{"p": "Dit besluit treedt niet in werking zolang de bezwaartermijn loopt en, als u bezwaar maakt, "
                      "zolang niet op uw bezwaar is beslist (artikel 16, vijfde lid, Wki). Tot dan hoeft u de boete "
                      "niet te betalen."},
                {"p": "Daarna betaalt u de boete binnen zes weken (artikel 4:87 Awb). Vermeld bij de betaling het "
                      "kenmerk van deze brief."}], None
    return [{"p": "U betaalt het verbeurde bedrag binnen zes weken nadat dit besluit is bekendgemaakt (artikel 4:87 "
                  "Awb). Vermeld bij de betaling het kenmerk van deze brief. Bezwaar schort de betalingsverplichting "
                  "niet op."}], None


def objection_address() -> dict[str, Any]:
    address = dict(current_app.config.get("ENFORCEMENT_OBJECTION_ADDRESS") or {})
    if not address.get("naam") or not address.get("adresregels"):
        raise ServiceError("Het adres voor bezwaar ontbreekt in de instellingen (ENFORCEMENT_OBJECTION_ADDRESS); meld "
                           "het de beheerder.")
    return address


def _rechtsmiddelen(document: CaseDocument) -> Built:
    address = objection_address()
    lines = [str(address["naam"])]
    if address.get("t_a_v"):
        lines.append(f"t.a.v. {address['t_a_v']}")
    lines.extend(str(line) for line in address["adresregels"])
    parts: list[blocks.Part] = [
        {"p": "Bent u het niet eens met dit besluit? Dan kunt u daartegen bezwaar maken. Dat doet u binnen zes weken "
              "na de dag waarop dit besluit is verzonden (artikelen 6:7 en 6:8 Awb)."},
        {"p": "Stuur uw bezwaarschrift naar:"},
        {"p": "\n".join(lines)},
        {"p": "Uw bezwaarschrift moet ten minste bevatten (artikel 6:5 Awb):"},
        {"ul": ["uw naam en adres;", "de datum;",
                "een omschrijving van het besluit waartegen u bezwaar maakt (vermeld het kenmerk van deze brief);",
                "de gronden van het bezwaar: waarom u het niet eens bent met het besluit;",
                "uw handtekening."]},
    ]
    if document.kind is K.FINE:
        parts.append({"p": "Zolang de bezwaartermijn loopt en, als u bezwaar maakt, zolang niet op uw bezwaar is "
                           "beslist, treedt de boete niet in werking (artikel 16, vijfde lid, Wki)."})
    else:
        parts.append({"p": "Bezwaar maken schort de werking van dit besluit niet op (artikel 6:16 Awb). U kunt de "
                           "voorzieningenrechter van de rechtbank vragen een voorlopige voorziening te treffen als u "
                           "niet op de beslissing op uw bezwaar kunt wachten (artikel 8:81 Awb)."})
    return parts, None


def _voorgenomen_maatregel(document: CaseDocument) -> Built:
    case = document.case
    if case.instrument not in NEEDS_INTENTION:
        return [], "de zaak heeft geen sanctie als instrument (last onder dwangsom of bestuurlijke boete)"
    parts: list[blocks.Part] = []
    if case.instrument is Instrument.PENALTY_ORDER:
        parts.append({"p": f"Wij zijn van plan {case.naam} een last onder dwangsom op te leggen."})
        terms, problem = _terms(case)
        if not problem:
            parts.append({"p": "De last zou de volgende inhoud hebben:"})
            parts.append({"dl": terms})
    else:
        inputs, problem = _fine(case)
        amount = f" van {_money(inputs['bedrag'])}" if not problem else ""
        parts.append({"p": f"Wij zijn van plan {case.naam} een bestuurlijke boete{amount} op te leggen."})
    return [*parts, *_officer(document, "voorgenomen_maatregel")], None


def view_deadline(document: CaseDocument) -> date | None:
    """The last day for the view, as set on the document (``operative["zienswijze_voor"]``)."""
    value = (document.operative or {}).get("zienswijze_voor")
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _zienswijze_uitnodiging(document: CaseDocument) -> Built:
    deadline = view_deadline(document)
    if deadline is None:
        return [], "de uiterste datum voor de zienswijze ontbreekt"
    contact = dict(current_app.config.get("DOCUMENT_CONTACT") or {})
    sender = dict(current_app.config.get("DOCUMENT_SENDER") or {})
    fine = document.case.instrument is Instrument.FINE
    period = period_words((document.operative or {}).get("zienswijze_termijn") or DEFAULT_VIEW_PERIOD)
    parts: list[blocks.Part] = [
        {"p": "Voordat wij een besluit nemen, kunt u uw zienswijze op dit voornemen naar voren brengen, schriftelijk "
              "of mondeling (artikel 4:8 Awb" + ("; artikel 5:53 Awb" if fine else "") + ")."},
        {"p": f"U heeft daarvoor {period}. Wij ontvangen uw zienswijze uiterlijk op {fmt_date(deadline)}."},
    ]
    how = ["Schriftelijk: stuur uw zienswijze onder vermelding van het kenmerk van deze brief naar "
           + ", ".join([str(sender.get("organisatie") or "de Inspectie Justitie en Veiligheid"),
                        *[str(line) for line in sender.get("postadres") or []]])
           + (f", of per e-mail naar {contact['email']}" if contact.get("email") else "") + "."]
    if contact.get("telefoon"):
        how.append(f"Mondeling: maak een afspraak via {contact['telefoon']}.")
    parts.append({"ul": how})
    parts.append({"p": "Geeft u geen zienswijze, dan nemen wij ons besluit op basis van de gegevens die wij hebben."})
    return parts, None


def _bewijs(document: CaseDocument) -> Built:
    rows = db.session.scalars(sa.select(CaseEvidence).where(CaseEvidence.case_id == document.case_id,
                                                            CaseEvidence.removed_at.is_(None))
                              .order_by(CaseEvidence.id))
    items = []
    for evidence in rows:
        text = evidence.description.strip() or evidence.ref
        if evidence.as_of is not None:
            text += f" (stand op {fmt_date(evidence.as_of)})"
        items.append(f"{evidence.kind.label}: {text}")
    if not items:
        return [{"p": "Aan de zaak is geen afzonderlijk bewijsstuk gekoppeld; de feiten staan hierboven."}], None
    return [{"p": "Op verzoek stellen wij de volgende stukken beschikbaar:"}, {"ul": items}], None


BUILDERS: dict[str, Any] = {
    "procesverloop": _procesverloop,
    "overtreding": _overtreding,
    "feiten": _officer_section("feiten", "beschrijf de feiten"),
    "wettelijk_kader": _wettelijk_kader,
    "beoordeling": _officer_section("beoordeling", "schrijf de beoordeling"),
    "zienswijze": _zienswijze,
    "keuze_instrument": _officer_section("keuze_instrument", "motiveer de keuze van het instrument en de evenredigheid"),
    "voorgenomen_maatregel": _voorgenomen_maatregel,
    "zienswijze_uitnodiging": _zienswijze_uitnodiging,
    "dictum": _dictum,
    "betaling": _betaling,
    "rechtsmiddelen": _rechtsmiddelen,
    "herstel": _officer_section("herstel", "schrijf wat de partij moet doen en wanneer"),
    "bewijs": _bewijs,
}


def section_values(document: CaseDocument) -> dict[str, Built]:
    """Every section the document places: its parts, or why it is missing."""
    return {section: BUILDERS[section](document) for section in sections_of(document.kind)}


def missing_elements(document: CaseDocument) -> list[str]:
    """What the document lacks, in Dutch: an empty required section (with what to do), or a published
    letter text that does not place a required part. Empty: it can be prepared."""
    missing: list[str] = []
    values = section_values(document)
    for section in REQUIRED_SECTIONS[document.kind]:
        parts, problem = values[section]
        if not parts:
            missing.append(f"{SECTION_TITLES[section]} ({problem})" if problem else SECTION_TITLES[section])
    letter_type = documents.get_letter_type(document.letter_type_slug)
    text = documents.published_text(letter_type) if letter_type is not None else None
    if letter_type is None or text is None:
        missing.append(f"een gepubliceerde brieftekst voor '{document.letter_type_slug}'")
        return missing
    placed = set(documents.text_blocks(text))
    for section in REQUIRED_SECTIONS[document.kind]:
        if blocks.block_name(section) not in placed:
            missing.append(f"de plaats van '{SECTION_TITLES[section]}' in de brieftekst "
                           f"((blok:{blocks.block_name(section)}))")
    if document.kind is K.FINE:
        if FINE_CALCULATION_BLOCK not in placed:
            missing.append(f"de plaats van de boeteberekening in de brieftekst ((blok:{FINE_CALCULATION_BLOCK}))")
        elif not documents.has_block(FINE_CALCULATION_BLOCK):
            missing.append("de boeteberekening (het blok is in deze installatie niet beschikbaar)")
    return missing


# --- reading ----------------------------------------------------------------------------------------------

def get_document(document_id: int) -> CaseDocument:
    document = db.session.get(CaseDocument, document_id)
    if document is None:
        raise NotFoundError("Dit handhavingsdocument bestaat niet.")
    return document


def get_case(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        raise NotFoundError("Deze handhavingszaak bestaat niet.")
    return case


def open_document(case_id: int, kind: DocumentKind) -> CaseDocument | None:
    return db.session.scalar(sa.select(CaseDocument).where(CaseDocument.case_id == case_id, CaseDocument.kind == kind,
                                                           CaseDocument.status.in_(OPEN)))


def documents_of(case_id: int) -> list[CaseDocument]:
    return list(db.session.scalars(sa.select(CaseDocument).where(CaseDocument.case_id == case_id)
                                   .order_by(CaseDocument.created_at, CaseDocument.id)))


def approval_of(document: CaseDocument) -> Any:
    """The approval that covers exactly the prepared PDF, or None."""
    if document.status is not DocumentStatus.PREPARED or not document.pdf_sha256:
        return None
    return valid_approval(OBJECT_TYPE, document.id, document.pdf_sha256)


def authors_of(document: CaseDocument) -> list[int]:
    return [int(a) for a in document.authors or []]


# --- services ---------------------------------------------------------------------------------------------

def _add_author(document: CaseDocument, actor: Actor) -> None:
    if actor.user_id is not None and actor.user_id not in (document.authors or []):
        document.authors = [*(document.authors or []), actor.user_id]


def _prefill(case: Case, kind: DocumentKind) -> dict[str, str]:
    """What the case already says: its facts and the findings linked to it; why the instrument fits."""
    sections: dict[str, str] = {}
    findings = [e.description.strip() or e.ref for e in db.session.scalars(
        sa.select(CaseEvidence).where(CaseEvidence.case_id == case.id, CaseEvidence.removed_at.is_(None))
        .order_by(CaseEvidence.id)) if e.kind is EvidenceLink.FINDING]
    facts = "\n\n".join(part for part in [case.feiten.strip(), "\n".join(f"- {f}" for f in findings)] if part)
    editable = editable_sections(kind)
    if facts and "feiten" in editable:
        sections["feiten"] = facts[:SECTION_MAX]
    if case.instrument is not None and "keuze_instrument" in editable:
        option = next((o for o in options(case.subject_kind, _provisions(case), case.beroep)
                       if o.instrument is case.instrument), None)
        if option is not None and option.available:
            sections["keuze_instrument"] = option.reason
    return sections


@service
def start_document(case_id: int, kind: DocumentKind | str, *, actor: Actor) -> CaseDocument:
    """Start a document of ``kind`` for the case, prefilled from it; the open draft of that kind when there
    is one already (a double click, two officers at once: one draft)."""
    case = get_case(case_id)
    try:
        kind = DocumentKind.from_value(str(kind))
    except ValueError:
        raise ServiceError("Kies een soort document.", field="soort") from None
    existing = open_document(case.id, kind)
    if existing is not None:
        return existing
    if not case.is_open:
        raise ServiceError(f"De zaak is {case.status.label.lower()}: er kan geen document meer bij.")
    allowed = kinds_for(case)
    if kind not in allowed:
        if case.instrument is None:
            raise ServiceError("Kies eerst een instrument voor de zaak: dat bepaalt welke documenten passen.")
        fits = ", ".join(k.label.lower() for k in allowed) or "geen document"
        raise ServiceError(f"Een {kind.label.lower()} past niet bij het instrument "
                           f"'{case.instrument.label.lower()}'. Daarbij past: {fits}.", field="soort")
    document = CaseDocument(case_id=case.id, kind=kind, status=DocumentStatus.DRAFT,
                            letter_type_slug=letter_type_slug(kind, case.subject_kind),
                            sections=_prefill(case, kind),
                            operative={"zienswijze_termijn": DEFAULT_VIEW_PERIOD} if kind is K.INTENTION else {},
                            authors=[actor.user_id] if actor.user_id is not None else [],
                            created_by=actor.label)
    try:
        with db.session.begin_nested():
            db.session.add(document)
            db.session.flush()
    except IntegrityError:
        # Someone else started it at the same moment: theirs is the draft.
        existing = open_document(case.id, kind)
        if existing is None:  # pragma: no cover - the index refused for another reason
            raise
        return existing
    audit.record(EnforcementAction.DOCUMENT_STARTED, object_type=OBJECT_TYPE, object_id=document.id,
                 after={"zaak": case.nummer, "soort": kind.value}, actor=actor)
    return document


def _editable(document: CaseDocument) -> None:
    if document.status not in OPEN:
        detail = f" ({document.kenmerk})" if document.status is DocumentStatus.ISSUED else ""
        raise ServiceError(f"Het document is {document.status.label.lower()}{detail}: het ligt vast en kan niet meer "
                           "worden gewijzigd.")


def _clean_section(section: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ServiceError(f"{SECTION_TITLES[section]}: geef tekst op.", field=section)
    if not is_storable(value):
        raise ServiceError(f"{SECTION_TITLES[section]} bevat tekens die niet kunnen worden opgeslagen.", field=section)
    text = strip_controls(value.replace("\r\n", "\n").replace("\r", "\n"), multiline=True).strip()
    if len(text) > SECTION_MAX:
        raise ServiceError(f"{SECTION_TITLES[section]} is te lang ({len(text)} tekens; hoogstens {SECTION_MAX}).",
                           field=section)
    return text


def _clean_operative(document: CaseDocument, given: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(document.operative or {})
    for key, value in given.items():
        if key == "zienswijze_voor":
            if value in (None, ""):
                result.pop(key, None)
                continue
            try:
                day = value if isinstance(value, date) else date.fromisoformat(str(value))
            except ValueError:
                raise ServiceError("De uiterste datum voor de zienswijze is geen datum.", field=key) from None
            if day <= today_local():
                raise ServiceError("De uiterste datum voor de zienswijze moet na vandaag liggen.", field=key)
            result[key] = day.isoformat()
        elif key == "zienswijze_termijn":
            text = str(value or "").strip().lower()
            if not period_words(text) or text == period_words(text):
                raise ServiceError("Geef de termijn voor de zienswijze op als bijvoorbeeld 2w, 10d of 1m.", field=key)
            result[key] = text
        elif key == "adresregels":
            lines = [strip_controls(str(line)).strip() for line in (value or []) if str(line).strip()]
            if len(lines) > ADDRESS_LINES_MAX or any(len(line) > ADDRESS_LINE_MAX or not is_storable(line)
                                                     for line in lines):
                raise ServiceError(f"Het adres heeft hoogstens {ADDRESS_LINES_MAX} regels van elk hoogstens "
                                   f"{ADDRESS_LINE_MAX} tekens.", field=key)
            result[key] = lines
        else:
            raise ServiceError(f"Onbekend gegeven '{key}'.", field=key)
    return result


def _back_to_draft(document: CaseDocument, *, reason: str, actor: Actor) -> None:
    """A prepared document goes back to concept: its PDF is no longer the one to approve or issue."""
    void_approvals(OBJECT_TYPE, document.id, reason=reason, actor=actor,
                   action=EnforcementAction.DOCUMENT_APPROVAL_VOIDED)
    if document.status is DocumentStatus.PREPARED:
        document.status = DocumentStatus.DRAFT
        document.pdf_sha256 = None
        document.pages = None
        document.prepared_data = None
        document.prepared_at = None
        document.prepared_by_id = None


@service
def save_sections(document_id: int, sections: Mapping[str, Any], *, expected_version: int | None, actor: Actor,
                  operative: Mapping[str, Any] | None = None) -> CaseDocument:
    """Save the officer's sections (and the document's own values: ``zienswijze_voor``,
    ``zienswijze_termijn``, ``adresregels``); refused when based on an older version. A change after
    preparation sends the document back to concept and voids its approval."""
    document = get_document(document_id)
    _editable(document)
    editable = editable_sections(document.kind)
    cleaned = dict(document.sections or {})
    for section, value in sections.items():
        if section not in editable:
            title = SECTION_TITLES.get(section, section)
            raise ServiceError(f"'{title}' schrijft u niet zelf in een {document.kind.label.lower()}.", field=section)
        cleaned[section] = _clean_section(section, value)
    new_operative = _clean_operative(document, operative or {})
    changed = sorted(s for s in editable if cleaned.get(s, "") != (document.sections or {}).get(s, ""))
    changed += sorted(k for k in set(new_operative) | set(document.operative or {})
                      if new_operative.get(k) != (document.operative or {}).get(k))
    if not changed:
        return document  # the same text again (a refresh after a POST): nothing to write
    check_version(document, expected_version, what="het document")
    was_prepared = document.status is DocumentStatus.PREPARED
    with flush_versioned("het document"):
        document.sections = {k: v for k, v in cleaned.items() if v}
        document.operative = new_operative
        _add_author(document, actor)
        if was_prepared:
            _back_to_draft(document, reason="Het document is na de voorbereiding gewijzigd.", actor=actor)
    audit.record(EnforcementAction.DOCUMENT_SAVED, object_type=OBJECT_TYPE, object_id=document.id,
                 after={"onderdelen": changed, "terug_naar_concept": was_prepared}, actor=actor)
    return document


def _plain(value: Any) -> Any:
    """JSON-safe plain data (dates as ISO text) for the document's JSON column."""
    return json.loads(json.dumps(value, default=str))


def _extra_values(document: CaseDocument) -> dict[str, str]:
    case = document.case
    return {"zaaknummer": case.nummer, "partij": case.naam, "beroep": case.beroep or ""}


def _signatory(document: CaseDocument) -> dict[str, str] | None:
    if document.kind in DECISIONS or document.kind is K.INTENTION:
        configured = current_app.config.get("ENFORCEMENT_SIGNATORY")
        return dict(configured) if configured else None
    return None


def _default_view_deadline(document: CaseDocument, day: date) -> None:
    """Without a date of its own, the intention names the last day of its view period counted from its
    date by the deadline engine (Awb 6:8 and the Atw), so the letter states a date that is right."""
    from wki.enforcement import timelimits

    period = str((document.operative or {}).get("zienswijze_termijn") or DEFAULT_VIEW_PERIOD)
    end = timelimits.compute(day, period).end
    document.operative = {**(document.operative or {}), "zienswijze_voor": end.isoformat()}


def _fine_on(case: Case, day: date) -> None:
    """A fine decision uses the tables in force on its own date: the case's calculation is made again from
    the same inputs when it was made on another day (refused when those tables are not confirmed)."""
    from wki.enforcement import fines

    kept = case.fine_inputs or {}
    inputs = kept.get("invoer") or {}
    if inputs.get("provision") and kept.get("datum") != day.isoformat():
        case.fine_inputs = fines.calculation_for(inputs, legal_person=case.rechtspersoon, on=day)


@service
def prepare(document_id: int, *, actor: Actor) -> CaseDocument:
    """Make the PDF to approve: refused with what is missing; the kenmerk is reserved the first time and
    kept when the document is prepared again; the PDF is stored and its SHA-256 recorded."""
    document = get_document(document_id)
    _editable(document)
    if document.kind is K.FINE:
        _fine_on(document.case, today_local())
    if document.kind is K.INTENTION and view_deadline(document) is None:
        _default_view_deadline(document, today_local())
    missing = missing_elements(document)
    if missing:
        raise ServiceError("Het document kan nog niet worden voorbereid. Het mist: " + "; ".join(missing) + ".")
    values = section_values(document)
    block_values: dict[str, Any] = {blocks.block_name(section): parts for section, (parts, _) in values.items()}
    if document.kind is K.FINE:
        block_values[FINE_CALCULATION_BLOCK] = (document.case.fine_inputs or {}).get("berekening")
    recipient = recipient_for(document)
    letter_type = documents.require_letter_type(document.letter_type_slug)
    day = today_local()
    kenmerk = document.kenmerk
    if kenmerk is None:
        _, kenmerk = documents.reserve_kenmerk(day.year)
    prepared = documents.prepare_document(letter_type=letter_type, recipient=recipient, kenmerk=kenmerk,
                                          document_date=day, extra_values=_extra_values(document),
                                          block_values=block_values, signatory=_signatory(document))
    void_approvals(OBJECT_TYPE, document.id, reason="Het document is opnieuw voorbereid.", actor=actor,
                   action=EnforcementAction.DOCUMENT_APPROVAL_VOIDED)
    with flush_versioned("het document"):
        document.kenmerk = kenmerk
        document.document_date = day
        document.pdf_sha256 = prepared.sha256
        document.pages = prepared.pages
        document.prepared_data = _plain({"document": prepared.as_dict(), "ontvanger": recipient,
                                         "onderdelen": {s: parts for s, (parts, _) in values.items()}})
        document.prepared_at = utcnow()
        document.prepared_by_id = actor.user_id
        document.status = DocumentStatus.PREPARED
        _add_author(document, actor)
    audit.record(EnforcementAction.DOCUMENT_PREPARED, object_type=OBJECT_TYPE, object_id=document.id,
                 after={"kenmerk": kenmerk, "pdf_sha256": prepared.sha256, "paginas": prepared.pages}, actor=actor)
    return document


def _bump(document: CaseDocument, what: str) -> None:
    """Write the document's row (its version goes up): a concurrent change of it loses, in Dutch."""
    with flush_versioned(what):
        flag_modified(document, "authors")


@service
def approve_document(document_id: int, *, sha256: str, actor: Actor) -> CaseDocument:
    """A second officer approves exactly the prepared PDF (``sha256``: the one they read). Refused for
    anyone who wrote, changed or prepared it, for a process, and for a PDF that is no longer the prepared one."""
    document = get_document(document_id)
    if document.status is not DocumentStatus.PREPARED or not document.pdf_sha256:
        raise ServiceError(f"Het document is {document.status.label.lower()}, niet ter goedkeuring: goedkeuren kan nu "
                           "niet.")
    if (sha256 or "").strip().lower() != document.pdf_sha256:
        raise ServiceError("Het document is opnieuw gemaakt of gewijzigd sinds u het las. Bekijk de nieuwe pdf en keur "
                           "die goed.")
    _bump(document, "het document")
    approve(object_type=OBJECT_TYPE, object_id=document.id, content_sha256=document.pdf_sha256,
            authors=authors_of(document), actor=actor, action=EnforcementAction.DOCUMENT_APPROVED,
            what="het handhavingsdocument")
    return document


@service
def return_document(document_id: int, *, reason: str, actor: Actor) -> CaseDocument:
    """Send a prepared document back to concept with the reason; its approval is void."""
    document = get_document(document_id)
    if document.status is not DocumentStatus.PREPARED:
        raise ServiceError(f"Het document is {document.status.label.lower()}, niet ter goedkeuring: terugsturen kan "
                           "nu niet.")
    reason = _clean_reason(reason)
    with flush_versioned("het document"):
        _back_to_draft(document, reason=f"Teruggestuurd: {reason}", actor=actor)
    audit.record(EnforcementAction.DOCUMENT_RETURNED, object_type=OBJECT_TYPE, object_id=document.id,
                 after={"reden": reason}, actor=actor)
    return document


def _clean_reason(reason: str | None) -> str:
    text = strip_controls(str(reason or ""), multiline=True).strip()
    if not text:
        raise ServiceError("Geef de reden op.", field="reden")
    if len(text) > REASON_MAX or not is_storable(text):
        raise ServiceError(f"De reden is te lang of bevat ongeldige tekens (hoogstens {REASON_MAX} tekens).",
                           field="reden")
    return text


def _still_as_prepared(document: CaseDocument) -> None:
    """The case's data the PDF was made from (the order's terms, the fine, the timeline) must be what it is
    now: an approved PDF that no longer says what the case says is not issued; nor one that lacks a part."""
    values = section_values(document)
    missing = [f"{SECTION_TITLES[s]} ({values[s][1]})" if values[s][1] else SECTION_TITLES[s]
               for s in REQUIRED_SECTIONS[document.kind] if not values[s][0]]
    if missing:
        raise ServiceError("Het document kan niet worden uitgegeven. Het mist: " + "; ".join(missing) + ".")
    now = _plain({section: parts for section, (parts, _) in values.items()})
    if now != (document.prepared_data or {}).get("onderdelen"):
        changed = sorted(SECTION_TITLES[s] for s in now
                         if now[s] != ((document.prepared_data or {}).get("onderdelen") or {}).get(s))
        raise ServiceError("De gegevens van de zaak zijn gewijzigd sinds de pdf is gemaakt (" + ", ".join(changed)
                           + "). Maak de pdf opnieuw en laat die opnieuw goedkeuren.")


@service
def issue(document_id: int, *, actor: Actor) -> CaseDocument:
    """Issue the prepared PDF, only while a second officer's approval covers exactly its SHA-256: the stored
    bytes become the Document (same kenmerk), the dispatch date is today, the timeline gets the step.
    The case's status and deadlines are the procedure's (``procedure.py`` wraps this)."""
    document = get_document(document_id)
    if document.status is DocumentStatus.ISSUED:
        raise ServiceError(f"Het document is al uitgegeven ({document.kenmerk}).")
    if document.status is not DocumentStatus.PREPARED or not document.prepared_data:
        raise ServiceError(f"Het document is {document.status.label.lower()}: maak eerst de pdf en laat die "
                           "goedkeuren.")
    if approval_of(document) is None:
        raise ServiceError("Het document kan niet worden uitgegeven: de goedkeuring van een tweede handhaver ontbreekt "
                           "of is vervallen omdat het daarna is gewijzigd.")
    _still_as_prepared(document)
    day = today_local()
    # The row first: a second click at the same moment loses here, before a second Document is attempted.
    with flush_versioned("het document"):
        document.status = DocumentStatus.ISSUED
        document.issued_at = utcnow()
        document.issued_by = actor.label
        document.dispatched_on = day
    prepared = dict(document.prepared_data["document"])
    if prepared.get("sha256") != document.pdf_sha256:
        raise ServiceError("Het voorbereide document is gewijzigd of ontbreekt: maak het opnieuw en laat het opnieuw "
                           "goedkeuren.")
    issued = documents.issue_prepared(letter_type=documents.require_letter_type(document.letter_type_slug),
                                      prepared=prepared, recipient=document.prepared_data["ontvanger"],
                                      document_date=document.document_date or day, actor=actor)
    document.case.steps.append(CaseStep(case_id=document.case_id, kind=StepKind.DOCUMENT, day=day, kenmerk=issued.kenmerk,
                            text=f"{document.kind.label} uitgegeven",
                            data={"case_document_id": document.id, "document_id": issued.id,
                                  "soort": document.kind.value, "titel": document.kind.label},
                            created_by=actor.label, created_by_id=actor.user_id))
    db.session.flush()
    audit.record(EnforcementAction.DOCUMENT_ISSUED, object_type=OBJECT_TYPE, object_id=document.id,
                 after={"kenmerk": issued.kenmerk, "pdf_sha256": issued.sha256, "verzonden_op": day}, actor=actor)
    return document


@service
def lapse(document_id: int, *, reason: str, actor: Actor) -> CaseDocument:
    """Give up a draft or prepared document (it will not be sent); an issued one never lapses."""
    document = get_document(document_id)
    _editable(document)
    reason = _clean_reason(reason)
    with flush_versioned("het document"):
        _back_to_draft(document, reason=f"Vervallen: {reason}", actor=actor)
        document.status = DocumentStatus.LAPSED
        document.lapsed_reason = reason
    audit.record(EnforcementAction.DOCUMENT_LAPSED, object_type=OBJECT_TYPE, object_id=document.id,
                 after={"reden": reason, "kenmerk": document.kenmerk}, actor=actor)
    return document


@service
def document_pdf(document_id: int, *, actor: Actor) -> bytes:
    """The document's PDF: the prepared one (for the approver; verified against its SHA-256) or the issued
    one (through the documents engine). Every read is audited."""
    document = get_document(document_id)
    if document.status is DocumentStatus.ISSUED:
        return documents.document_pdf(documents.require_document(document.kenmerk or ""), actor=actor)
    if document.status is not DocumentStatus.PREPARED or not document.prepared_data:
        raise ServiceError("Er is nog geen pdf van dit document: maak die eerst.")
    data = documents.prepared_pdf(document.prepared_data["document"])
    audit.record(EnforcementAction.DOCUMENT_VIEWED, object_type=OBJECT_TYPE, object_id=document.id,
                 after={"kenmerk": document.kenmerk, "pdf_sha256": document.pdf_sha256}, actor=actor)
    return data


# --- guards -----------------------------------------------------------------------------------------------

def _prepared_pdfs() -> Iterable[str]:
    """The PDFs waiting for approval: housekeeping keeps them in the document store."""
    return [sha for sha in db.session.scalars(sa.select(CaseDocument.pdf_sha256).where(
        CaseDocument.status == DocumentStatus.PREPARED, CaseDocument.pdf_sha256.is_not(None))) if sha]


documents.register_stored_pdf_keeper(_prepared_pdfs)

# An issued document's content is fixed: only the objection's receipt may still be recorded on it.
FROZEN = ("kind", "case_id", "letter_type_slug", "sections", "operative", "document_date", "kenmerk", "pdf_sha256",
          "pages", "prepared_data", "issued_at", "issued_by", "dispatched_on", "authors", "status")


@event.listens_for(CaseDocument, "before_update")
def _issued_documents_are_not_changed(mapper: Any, connection: Any, target: CaseDocument) -> None:
    state = sa.inspect(target)
    status = state.attrs.status.history
    before = (status.deleted or status.unchanged or [None])[0]
    if before is not DocumentStatus.ISSUED and before != DocumentStatus.ISSUED.value:
        return
    changed = [name for name in FROZEN if state.attrs[name].history.has_changes()]
    if changed:
        raise ValueError(f"issued case document {target.id} cannot be changed ({', '.join(changed)})")
