"""factory-boy factories, one for every model (``tests/test_factories.py`` checks that none is missing);
the session is the test's (see conftest ``db_session``).

Each builds a row that saves as it stands, with unique values where the table wants them; a test names
only the columns it is about. Rows it refers to (a snapshot, a user, a signal) are made alongside.
"""

from __future__ import annotations

import hashlib
import zlib
from datetime import date, timedelta
from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory

from tests.helpers import make_iban
from wki.auth.models import LoginFailure, OneTimeSecret, RecoveryCode, User, UserRole
from wki.auth.services import hash_password
from wki.core.audit import AuditEvent
from wki.core.auth import Role
from wki.core.clock import utcnow
from wki.core.equated_days import EquatedDay
from wki.core.extensions import db
from wki.core.jobs import JobRun
from wki.core.sequences import SequenceCounter
from wki.core.worker import WorkItem
from wki.core.workflow import Approval
from wki.documents.models import (
    Document,
    LetterText,
    LetterType,
    Mailing,
    MailingRecipient,
)
from wki.enforcement.fines import FineCategory, FinePolicyRule, RuleKind, RuleUnit
from wki.enforcement.models import (
    Case,
    CaseAttachment,
    CaseDeadline,
    CaseDocument,
    CaseEvidence,
    CaseStep,
    DeadlineKind,
    DocumentKind,
    EvidenceLink,
    Instrument,
    PenaltyForm,
    PenaltyOrder,
    StepKind,
    SubjectKind,
)
from wki.privacy.models import PrivacyRequest, RequestKind, RetentionRun
from wki.register.models import (
    ChangeKind,
    ExemptPartyVersion,
    RegisterChange,
    RegisterSnapshot,
    RegisterSyncRun,
    RegistrationVersion,
    SnapshotKind,
    SnapshotStatus,
    SyncOutcome,
)
from wki.signals.models import (
    Channel,
    LinkKind,
    PartnerToken,
    Signal,
    SignalAttachment,
    SignalImport,
    Suspect,
    SuspectLink,
)
from wki.supervision.models import (
    CatalogueVersion,
    Evidence,
    EvidenceKind,
    Inspection,
    InspectionItem,
    InspectionKind,
    InspectionReview,
    ObtainedHow,
    PriorityList,
    Requirement,
    ReviewDecision,
)

# Hashing is deliberately slow; one hash shared by every factory-made user keeps the suite fast.
_PASSWORD_HASH: dict[str, str] = {}


def _hash(password: str) -> str:
    if password not in _PASSWORD_HASH:
        _PASSWORD_HASH[password] = hash_password(password)
    return _PASSWORD_HASH[password]


def _sha256(n: int) -> str:
    return hashlib.sha256(str(n).encode()).hexdigest()


def _row_hash(n: int) -> bytes:
    return hashlib.md5(str(n).encode(), usedforsecurity=False).digest()


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


# ---------------------------------------------------------------- accounts


class UserFactory(BaseFactory):
    class Meta:
        model = User

    class Params:
        password = "correct-horse-battery-staple"

    name = factory.Faker("name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"gebruiker{n}@inspectie.example.nl")
    password_hash = factory.LazyAttribute(lambda o: _hash(o.password))
    active = True

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):  # noqa: N805
        """``roles=[Role.X, ...]``; an inspector by default."""
        wanted = extracted if extracted is not None else [Role.INSPECTEUR]
        obj.role_rows = [UserRole(role=Role(r).value) for r in wanted]
        db.session.flush()


class UserRoleFactory(BaseFactory):
    """One more role for a user (the user of its own: one without roles, so the role is new)."""

    class Meta:
        model = UserRole

    user = factory.SubFactory(UserFactory, roles=[])
    role = Role.INSPECTEUR.value


class RecoveryCodeFactory(BaseFactory):
    class Meta:
        model = RecoveryCode

    user = factory.SubFactory(UserFactory)
    code_hash = factory.Sequence(_sha256)


class LoginFailureFactory(BaseFactory):
    class Meta:
        model = LoginFailure

    email = factory.Sequence(lambda n: f"gebruiker{n}@inspectie.example.nl")
    ip_address = "192.0.2.1"
    occurred_at = factory.LazyFunction(utcnow)


class OneTimeSecretFactory(BaseFactory):
    class Meta:
        model = OneTimeSecret

    key = factory.Sequence(lambda n: f"sleutel-{n:08d}")
    owner_id = factory.LazyFunction(lambda: UserFactory().id)
    purpose = "temporary_password"
    value = factory.LazyFunction(lambda: {"value": "tijdelijk-wachtwoord"})
    created_at = factory.LazyFunction(utcnow)
    expires_at = factory.LazyAttribute(lambda o: o.created_at + timedelta(minutes=15))


# ---------------------------------------------------------------- core: audit, jobs, sequences, worker


class AuditEventFactory(BaseFactory):
    class Meta:
        model = AuditEvent

    action = "test.actie"
    actor_email = "inspecteur@inspectie.example.nl"
    object_type = "test"
    object_id = factory.Sequence(str)


class JobRunFactory(BaseFactory):
    class Meta:
        model = JobRun

    job_name = "register-sync"
    started_at = factory.LazyFunction(utcnow)
    outcome = "geslaagd"
    finished_at = factory.LazyAttribute(lambda o: o.started_at + timedelta(seconds=3))


class SequenceCounterFactory(BaseFactory):
    class Meta:
        model = SequenceCounter

    name = factory.Sequence(lambda n: f"reeks-{n}")
    year = 2026
    value = 1


class WorkItemFactory(BaseFactory):
    class Meta:
        model = WorkItem

    kind = "test.werk"
    payload = factory.LazyFunction(dict)
    created_by = "beheerder@inspectie.example.nl"


# ---------------------------------------------------------------- the register mirror


class RegisterSnapshotFactory(BaseFactory):
    class Meta:
        model = RegisterSnapshot

    kind = SnapshotKind.REGISTER
    snapshot_date = date(2026, 1, 5)
    sha256 = factory.Sequence(_sha256)
    status = SnapshotStatus.APPLIED
    counts = factory.LazyFunction(lambda: {"nieuw": 1})
    created_by = "test"


def _snapshot_id() -> int:
    return RegisterSnapshotFactory().id


class RegistrationVersionFactory(BaseFactory):
    class Meta:
        model = RegistrationVersion

    registratienummer = factory.Sequence(lambda n: f"R2024-{n:05d}")
    valid_from = date(2026, 1, 5)
    snapshot_id = factory.LazyFunction(_snapshot_id)
    row_hash = factory.Sequence(_row_hash)
    naam = factory.Sequence(lambda n: f"Incassobureau {n} B.V.")
    kvk_nummer = factory.Sequence(lambda n: f"{10000000 + n:08d}")
    plaats = "Groningen"
    ibans = factory.Sequence(lambda n: make_iban(n))
    status = "ingeschreven"
    datum_inschrijving = date(2024, 5, 13)
    geldig_tot = date(2027, 5, 13)


class RegisterChangeFactory(BaseFactory):
    class Meta:
        model = RegisterChange

    registratienummer = factory.Sequence(lambda n: f"R2024-{n:05d}")
    snapshot_id = factory.LazyFunction(_snapshot_id)
    snapshot_date = date(2026, 1, 5)
    kind = ChangeKind.CHANGED
    field = "plaats"
    old_value = "Groningen"
    new_value = "Utrecht"


class ExemptPartyVersionFactory(BaseFactory):
    class Meta:
        model = ExemptPartyVersion

    party_key = factory.Sequence(lambda n: f"{20000000 + n:08d}")
    valid_from = date(2026, 1, 5)
    snapshot_id = factory.LazyFunction(lambda: RegisterSnapshotFactory(kind=SnapshotKind.EXEMPT).id)
    row_hash = factory.Sequence(_row_hash)
    naam = factory.Sequence(lambda n: f"Deurwaarderskantoor {n}")
    kvk_nummer = factory.Sequence(lambda n: f"{20000000 + n:08d}")
    beroep = "gerechtsdeurwaarder"
    plaats = "Utrecht"


class RegisterSyncRunFactory(BaseFactory):
    class Meta:
        model = RegisterSyncRun

    trigger = "schema"
    source = "https://register.example.nl/register.csv"
    outcome = SyncOutcome.IDENTICAL
    finished_at = factory.LazyFunction(utcnow)


# ---------------------------------------------------------------- signals


class SignalAttachmentFactory(BaseFactory):
    class Meta:
        model = SignalAttachment

    sha256 = factory.Sequence(_sha256)
    file_name = "brief.pdf"
    content_type = "application/pdf"
    size = 1024


class SignalImportFactory(BaseFactory):
    class Meta:
        model = SignalImport

    file_name = "signalen.csv"
    sha256 = factory.Sequence(_sha256)
    counts = factory.LazyFunction(lambda: {"ingelezen": 1})


class SuspectFactory(BaseFactory):
    class Meta:
        model = Suspect

    display_name = factory.Sequence(lambda n: f"Inningsbureau {n}")
    identifiers = factory.LazyFunction(dict)


class SignalFactory(BaseFactory):
    """A signal as a form makes it, not yet matched against the register."""

    class Meta:
        model = Signal

    bron = "consument"
    referentie = factory.Sequence(lambda n: f"SIG-{n:06d}")
    ontvangen_op = date(2026, 3, 2)
    channel = Channel.FORM
    naam_incassant = factory.Sequence(lambda n: f"Inningsbureau {n}")
    hoofdsom = Decimal("250.00")
    incassokosten = Decimal("40.00")
    reference_date = factory.SelfAttribute("ontvangen_op")
    name_key = factory.Sequence(lambda n: f"inningsbureau {n}")
    created_by = "inspecteur@inspectie.example.nl"


class SuspectLinkFactory(BaseFactory):
    class Meta:
        model = SuspectLink

    kind = LinkKind.TOGETHER
    signal_a_id = factory.LazyFunction(lambda: SignalFactory().id)
    signal_b_id = factory.LazyFunction(lambda: SignalFactory().id)
    reason = "Zelfde IBAN."
    created_by = "inspecteur@inspectie.example.nl"


class PartnerTokenFactory(BaseFactory):
    class Meta:
        model = PartnerToken

    partner = "Gemeente Utrecht"
    bron = "gemeente"
    token_hash = factory.Sequence(_sha256)
    prefix = factory.Sequence(lambda n: f"wki_{n:06d}")
    created_by = "beheerder@inspectie.example.nl"


# ---------------------------------------------------------------- documents


class LetterTypeFactory(BaseFactory):
    class Meta:
        model = LetterType

    slug = factory.Sequence(lambda n: f"proefbrief-{n}")
    title = factory.Sequence(lambda n: f"Proefbrief {n}")
    audience = "registratie"
    roles = factory.LazyFunction(lambda: ["voorlichting"])


class LetterTextFactory(BaseFactory):
    class Meta:
        model = LetterText

    letter_type_id = factory.LazyFunction(lambda: LetterTypeFactory().id)
    number = factory.Sequence(lambda n: n + 1)
    subject = "Proef"
    body = "Geachte heer, mevrouw,\n\nDit is een brief aan ((naam))."
    status = "concept"
    created_by = "schrijver@example.org"


class DocumentFactory(BaseFactory):
    class Meta:
        model = Document

    year = 2026
    number = factory.Sequence(lambda n: 900000 + n)
    kenmerk = factory.LazyAttribute(lambda o: f"WKI-{o.year}-{o.number:06d}")
    letter_type_slug = "informatiebrief-sector"
    title = "Informatiebrief aan de sector"
    subject = "Informatie"
    recipient_name = "Noordkaap Incasso B.V."
    data = factory.LazyFunction(dict)
    sha256 = factory.Sequence(_sha256)
    size = 1000
    pages = 1
    issued_by = "voorlichting@example.org"
    document_date = date(2026, 12, 4)


class MailingFactory(BaseFactory):
    class Meta:
        model = Mailing

    title = "Proefmailing"
    letter_type_id = factory.LazyFunction(lambda: LetterTypeFactory().id)
    letter_text_id = factory.LazyAttribute(lambda o: LetterTextFactory(letter_type_id=o.letter_type_id).id)
    source = "register"
    document_date = date(2026, 12, 4)
    content_sha256 = factory.Sequence(_sha256)
    created_by = "voorlichting@example.org"


class MailingRecipientFactory(BaseFactory):
    class Meta:
        model = MailingRecipient

    mailing_id = factory.LazyFunction(lambda: MailingFactory().id)
    position = factory.Sequence(lambda n: n)
    recipient_key = factory.Sequence(lambda n: f"adres:{n}")
    name = "Noordkaap Incasso B.V."
    data = factory.LazyFunction(dict)


# --- core workflow and supervision -------------------------------------------------------------------------

class ApprovalFactory(BaseFactory):
    class Meta:
        model = Approval

    object_type = "inspection"
    object_id = factory.Sequence(lambda n: str(800000 + n))
    content_sha256 = factory.Sequence(_sha256)
    approver_id = factory.LazyFunction(lambda: UserFactory().id)
    approver_label = "reviewer@example.org"


class CatalogueVersionFactory(BaseFactory):
    """A catalogue version beside the one migration 0014 loads (versions from 1000 up, far in the future, so
    that it is never the one in force for the tests' dates)."""

    class Meta:
        model = CatalogueVersion

    versie = factory.Sequence(lambda n: 1000 + n)
    geldig_vanaf = date(2099, 1, 1)
    omschrijving = "Testversie"
    sha256 = factory.Sequence(_sha256)
    loaded_by = "cli:test"


class RequirementFactory(BaseFactory):
    class Meta:
        model = Requirement

    catalogue = factory.SubFactory(CatalogueVersionFactory)
    code = factory.Sequence(lambda n: f"EIS_{n:04d}")
    position = factory.Sequence(lambda n: n + 1)
    titel = "Een kwaliteitseis"
    artikelen = factory.LazyFunction(lambda: ["Wki art. 13"])
    verplichting = "Wat het bureau moet doen."
    bewijs = factory.LazyFunction(lambda: ["Een stuk"])
    standaardbevinding = factory.LazyFunction(lambda: {"voldoet": "Voldoet.", "voldoet_niet": "Voldoet niet.",
                                                        "deels": "Deels."})
    geldt_vanaf = date(2024, 4, 1)


class InspectionFactory(BaseFactory):
    class Meta:
        model = Inspection

    nummer = factory.Sequence(lambda n: f"INS-2099-{n:05d}")
    registratienummer = factory.Sequence(lambda n: f"WKI-{n:06d}")
    naam = "Noordkaap Incasso B.V."
    kind = InspectionKind.REGULAR
    catalogue = factory.SubFactory(CatalogueVersionFactory)
    inspectiedatum = date(2026, 6, 1)
    inspector_id = factory.LazyFunction(lambda: UserFactory(roles=[Role.INSPECTEUR]).id)
    created_by = "inspecteur@example.org"


class InspectionItemFactory(BaseFactory):
    class Meta:
        model = InspectionItem

    inspection = factory.SubFactory(InspectionFactory)
    requirement = factory.SubFactory(RequirementFactory, catalogue=factory.SelfAttribute("..inspection.catalogue"))
    position = factory.Sequence(lambda n: n + 1)


class EvidenceFactory(BaseFactory):
    class Meta:
        model = Evidence

    item = factory.SubFactory(InspectionItemFactory)
    kind = EvidenceKind.REGISTER
    description = "Registergegevens"
    obtained_how = ObtainedHow.REGISTER
    obtained_on = date(2026, 6, 1)
    register_as_of = date(2026, 6, 1)
    created_by = "inspecteur@example.org"


class InspectionReviewFactory(BaseFactory):
    class Meta:
        model = InspectionReview

    inspection_id = factory.LazyFunction(lambda: InspectionFactory().id)
    decision = ReviewDecision.RETURNED
    comment = "Graag het bewijs bij VOG_MEDEWERKER aanvullen."
    content_sha256 = factory.Sequence(_sha256)
    reviewer_id = factory.LazyFunction(lambda: UserFactory(roles=[Role.INSPECTEUR]).id)
    reviewer = "reviewer@example.org"


# --- enforcement: fines -----------------------------------------------------------------------------------------

class FineCategoryFactory(BaseFactory):
    """An unconfirmed category amount far in the future (one date per row), never in force for the tests' dates."""

    class Meta:
        model = FineCategory

    category = 3
    amount = Decimal("12000.00")
    valid_from = factory.Sequence(lambda n: date(2099, 1, 1) + timedelta(days=n))
    source = "Stb. 2098, 1"
    created_by = "beheerder@example.org"


class FinePolicyRuleFactory(BaseFactory):
    class Meta:
        model = FinePolicyRule

    code = "recidive"
    kind = RuleKind.ADJUSTMENT
    label = "Recidive: verhoging in procenten"
    value = Decimal("50.00")
    unit = RuleUnit.PCT
    valid_from = factory.Sequence(lambda n: date(2099, 1, 1) + timedelta(days=n))
    source = "Stcrt. 2098, 1"
    created_by = "beheerder@example.org"


# --- enforcement: cases -----------------------------------------------------------------------------------------

class CaseFactory(BaseFactory):
    """A case about a registration in investigation (the services make real ones: tests/enforcement/helpers.py)."""

    class Meta:
        model = Case

    nummer = factory.Sequence(lambda n: f"HZ-2099-{n + 1:04d}")
    subject_kind = SubjectKind.REGISTRATION
    registratienummer = factory.Sequence(lambda n: f"R2099-{n:05d}")
    naam = "Noordkaap Incasso B.V."
    provisions = factory.LazyFunction(lambda: ["wki_13"])
    officer_id = factory.LazyFunction(lambda: UserFactory(roles=[Role.HANDHAVER]).id)
    opened_on = date(2026, 3, 2)
    created_by = "handhaver@example.org"


class CaseStepFactory(BaseFactory):
    class Meta:
        model = CaseStep

    case_id = factory.LazyFunction(lambda: CaseFactory().id)
    kind = StepKind.NOTE
    day = date(2026, 3, 3)
    text = "Gebeld met de directeur."
    created_by = "handhaver@example.org"


class CaseAttachmentFactory(BaseFactory):
    class Meta:
        model = CaseAttachment

    step_id = factory.LazyFunction(lambda: CaseStepFactory().id)
    sha256 = factory.Sequence(_sha256)
    file_name = "zienswijze.pdf"
    content_type = "application/pdf"
    size = 2048
    created_by = "handhaver@example.org"


class CaseEvidenceFactory(BaseFactory):
    class Meta:
        model = CaseEvidence

    case_id = factory.LazyFunction(lambda: CaseFactory().id)
    kind = EvidenceLink.REGISTER
    ref = factory.Sequence(lambda n: f"R2099-{n:05d}@2026-03-02")
    description = "Register op 2 maart 2026: geldig"
    as_of = date(2026, 3, 2)
    created_by = "handhaver@example.org"


class CaseDocumentFactory(BaseFactory):
    class Meta:
        model = CaseDocument

    case_id = factory.LazyFunction(lambda: CaseFactory().id)
    kind = DocumentKind.WARNING
    letter_type_slug = "waarschuwingsbrief"
    created_by = "handhaver@example.org"


class CaseDeadlineFactory(BaseFactory):
    class Meta:
        model = CaseDeadline

    case_id = factory.LazyFunction(lambda: CaseFactory().id)
    kind = DeadlineKind.VIEW
    event_date = date(2026, 3, 3)
    period = "2w"
    end_date = date(2026, 3, 17)


class PenaltyOrderFactory(BaseFactory):
    class Meta:
        model = PenaltyOrder

    case_id = factory.LazyFunction(lambda: CaseFactory(instrument=Instrument.PENALTY_ORDER).id)
    measures = "Stel een klachtenregeling vast."
    grace_period = "4w"
    form = PenaltyForm.PER_DAY
    amount = Decimal("500.00")
    ceiling = Decimal("10000.00")


class EquatedDayFactory(BaseFactory):
    """A day equated with a holiday by decree (Atw art. 3 lid 3), far from the tests' dates."""

    class Meta:
        model = EquatedDay

    day = factory.Sequence(lambda n: date(2098, 5, 1) + timedelta(days=n))
    name = "Dag gelijkgesteld aan een feestdag"
    source = "Besluit van 1 maart 2098, Stb. 2098, 12"
    created_by = "beheerder@example.org"


class PriorityListFactory(BaseFactory):
    class Meta:
        model = PriorityList

    as_of = factory.LazyFunction(date.today)
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")
    size = 0
    entries = factory.LazyFunction(lambda: zlib.compress(b"[]"))


class RetentionRunFactory(BaseFactory):
    class Meta:
        model = RetentionRun

    actor = "job:privacy-retention"
    counts = factory.LazyFunction(lambda: {"signalen": 0})
    kept = factory.LazyFunction(dict)
    finished_at = factory.LazyFunction(utcnow)


class PrivacyRequestFactory(BaseFactory):
    class Meta:
        model = PrivacyRequest

    kind = RequestKind.ACCESS
    reference = factory.Sequence(lambda n: f"AVG-2026-{n:04d}")
    terms_hash = factory.Sequence(_sha256)
    counts = factory.LazyFunction(lambda: {"signalen": 0})
    kept = factory.LazyFunction(dict)
    handled_by = "beheerder@example.org"
