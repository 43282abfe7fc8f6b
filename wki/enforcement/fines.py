"""Administrative fines (Wki art. 16): the dated table of the fine categories (Sr art. 23(4)), the fining
policy's base amounts and adjustments with their dates, and the calculation of one fine, step by step.

- Amounts are never in code: the categories and the policy are rows with the date they apply from, their
  source, and whether an administrator confirmed them. A row is never changed or deleted: a newer dated row
  supersedes it; an unconfirmed row an administrator finds wrong is rejected (kept, with the reason) so that
  a correct one can take its date. A second administrator, not the one who entered it, confirms a row.
- What the law itself says (which category caps which provision, art. 16(3); the next-higher category for
  legal persons, art. 16(4) with Sr art. 23(7)-(8)) is code, with its citation: it is not an amount.
- ``calculate_fine`` is pure (plain dataclasses in, a ``FineCalculation`` out): base amount per kind of
  breach, then recidivism, reduced blameworthiness, duration, ability to pay, then the legal maximum in force
  on the date, then rounding down to whole euros. Every step is a row with a Dutch explanation; the result
  is kept with the decision as plain data (``as_data``) and printed in it (the block ``boeteberekening``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any, TypeVar

import sqlalchemy as sa
from markupsafe import escape
from sqlalchemy.orm import Mapped, mapped_column

from wki.core import audit
from wki.core.actors import Actor
from wki.core.clock import utcnow
from wki.core.db import Base
from wki.core.errors import NotFoundError, ServiceError
from wki.core.extensions import db
from wki.core.formatting import fmt_date, fmt_money, fmt_number
from wki.core.service import service
from wki.core.status import LabelledEnum, check_constraint, enum_column_type
from wki.documents import services as documents
from wki.enforcement.audit_actions import EnforcementAction

MONEY = sa.Numeric(12, 2)
FIRST_CATEGORY, LAST_CATEGORY = 1, 6
ORDINALS = {1: "eerste", 2: "tweede", 3: "derde", 4: "vierde", 5: "vijfde", 6: "zesde"}
MAX_AMOUNT = Decimal("9999999999.99")  # what Numeric(12, 2) holds
SOURCE_LENGTH = 300


# ---------------------------------------------------------------- the law (not amounts: which category)


@dataclass(frozen=True)
class Provision:
    code: str
    label: str  # Dutch: the kind of breach
    category: int  # the category whose amount caps the fine (Wki art. 16(3))


# Wki art. 16(3): the maximum fine per breached provision, as a category of Sr art. 23(4).
PROVISIONS: dict[str, Provision] = {p.code: p for p in (
    Provision("wki_11", "overtreding van het bepaalde bij of krachtens artikel 11 Wki", 1),
    Provision("wki_12", "overtreding van het bepaalde bij of krachtens artikel 12 Wki", 2),
    Provision("wki_13", "overtreding van regels gesteld bij of krachtens artikel 13 Wki (Bki en Rki)", 3),
    Provision("awb_5_20", "geen medewerking aan de toezichthouder (artikel 5:20, eerste lid, Awb)", 2),
)}
MAXIMUM_BASIS = "artikel 16, derde lid, Wki jo. artikel 23, vierde lid, Wetboek van Strafrecht"
# Wki art. 16(4) applies Sr art. 23(7) first sentence and (8): for legal persons (and partnerships, ship-owning
# firms, special-purpose funds) the next-higher category when the normal one does not allow a fitting penalty.
HIGHER_CATEGORY_BASIS = "artikel 16, vierde lid, Wki jo. artikel 23, zevende en achtste lid, Wetboek van Strafrecht"


class RuleKind(LabelledEnum):
    BASE = "basis", "Basisbedrag"
    ADJUSTMENT = "aanpassing", "Aanpassing"


class RuleUnit(LabelledEnum):
    EUR = "eur", "Euro"
    PCT = "pct", "Procent"


RECIDIVE = "recidive"
REDUCED_BLAMEWORTHINESS = "verminderde_verwijtbaarheid"
DURATION = "duur"
DURATION_MAXIMUM = "duur_maximum"


def base_code(provision: str) -> str:
    return f"basis_{provision}"


@dataclass(frozen=True)
class RuleDefinition:
    code: str
    kind: RuleKind
    unit: RuleUnit
    label: str  # Dutch, what the policy's value means
    minimum: Decimal
    maximum: Decimal


# The rules the calculation reads: their values are configuration (rows), their meaning is code.
RULES: dict[str, RuleDefinition] = {r.code: r for r in (
    *(RuleDefinition(base_code(p.code), RuleKind.BASE, RuleUnit.EUR, f"Basisbedrag bij {p.label}",
                     Decimal("0.01"), MAX_AMOUNT) for p in PROVISIONS.values()),
    RuleDefinition(RECIDIVE, RuleKind.ADJUSTMENT, RuleUnit.PCT,
                   "Recidive: verhoging in procenten", Decimal(0), Decimal(1000)),
    RuleDefinition(REDUCED_BLAMEWORTHINESS, RuleKind.ADJUSTMENT, RuleUnit.PCT,
                   "Verminderde verwijtbaarheid: verlaging in procenten (negatief getal)", Decimal(-100), Decimal(0)),
    RuleDefinition(DURATION, RuleKind.ADJUSTMENT, RuleUnit.PCT,
                   "Duur: verhoging in procenten per volle maand na de eerste", Decimal(0), Decimal(1000)),
    RuleDefinition(DURATION_MAXIMUM, RuleKind.ADJUSTMENT, RuleUnit.PCT,
                   "Duur: ten hoogste deze verhoging in procenten", Decimal(0), Decimal(1000)),
)}


# ---------------------------------------------------------------- the tables


class FineCategory(Base):
    """The amount of one fine category (Sr art. 23(4)) from a date on; superseded by a later row."""

    __tablename__ = "fine_category"
    __table_args__ = (
        sa.CheckConstraint(f"category BETWEEN {FIRST_CATEGORY} AND {LAST_CATEGORY}", name="category_range"),
        # One row per category and date, among those not rejected (a rejected row keeps its date free).
        sa.Index("uq_fine_category_valid", "category", "valid_from", unique=True,
                 postgresql_where=sa.text("rejected_at IS NULL"), sqlite_where=sa.text("rejected_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(MONEY)
    valid_from: Mapped[date] = mapped_column(index=True)
    source: Mapped[str] = mapped_column(sa.String(SOURCE_LENGTH))
    confirmed: Mapped[bool] = mapped_column(default=False)
    confirmed_by: Mapped[str | None] = mapped_column(sa.String(320))
    confirmed_at: Mapped[datetime | None]
    rejected_at: Mapped[datetime | None]
    rejected_by: Mapped[str | None] = mapped_column(sa.String(320))
    rejection_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by: Mapped[str] = mapped_column(sa.String(320))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<FineCategory {self.category} {self.amount} vanaf {self.valid_from}>"


class FinePolicyRule(Base):
    """One value of the fining policy (a base amount per kind of breach, or an adjustment in percent) from a
    date on; superseded by a later row with the same code."""

    __tablename__ = "fine_policy_rule"
    __table_args__ = (
        check_constraint("kind", RuleKind), check_constraint("unit", RuleUnit),
        sa.Index("uq_fine_policy_rule_valid", "code", "valid_from", unique=True,
                 postgresql_where=sa.text("rejected_at IS NULL"), sqlite_where=sa.text("rejected_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60), index=True)
    kind: Mapped[RuleKind] = mapped_column(enum_column_type(RuleKind))
    label: Mapped[str] = mapped_column(sa.String(200))
    value: Mapped[Decimal] = mapped_column(MONEY)
    unit: Mapped[RuleUnit] = mapped_column(enum_column_type(RuleUnit, 10))
    valid_from: Mapped[date] = mapped_column(index=True)
    source: Mapped[str] = mapped_column(sa.String(SOURCE_LENGTH))
    confirmed: Mapped[bool] = mapped_column(default=False)
    confirmed_by: Mapped[str | None] = mapped_column(sa.String(320))
    confirmed_at: Mapped[datetime | None]
    rejected_at: Mapped[datetime | None]
    rejected_by: Mapped[str | None] = mapped_column(sa.String(320))
    rejection_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by: Mapped[str] = mapped_column(sa.String(320))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<FinePolicyRule {self.code} {self.value} {self.unit} vanaf {self.valid_from}>"


# ---------------------------------------------------------------- plain data for the calculation


@dataclass(frozen=True)
class CategoryAmount:
    category: int
    amount: Decimal
    valid_from: date
    source: str = ""
    confirmed: bool = True


@dataclass(frozen=True)
class PolicyRule:
    code: str
    value: Decimal
    valid_from: date
    kind: str = RuleKind.ADJUSTMENT.value
    unit: str = RuleUnit.PCT.value
    label: str = ""
    source: str = ""
    confirmed: bool = True


@dataclass(frozen=True)
class FineStep:
    code: str  # basis, recidive, verminderde_verwijtbaarheid, duur, draagkracht, maximum, afronding
    label: str  # Dutch
    amount: Decimal  # the amount after this step
    explanation: str  # Dutch


@dataclass(frozen=True)
class FineCalculation:
    on: date
    provision: str
    provision_label: str
    legal_person: bool
    category: int  # the category that capped the fine (the next-higher one when that was applied)
    normal_category: int  # the provision's own category (Wki art. 16(3))
    maximum: Decimal
    maximum_basis: str
    higher_category_reason: str | None
    steps: tuple[FineStep, ...]
    amount: Decimal  # the fine: whole euros
    confirmed: bool  # every amount and rule used was confirmed by an administrator
    inputs: Mapping[str, Any] = field(default_factory=dict)

    VERSION = 1

    def as_data(self) -> dict[str, Any]:
        """Plain JSON-able data (money as strings, dates as ISO) to keep with the decision."""
        return {
            "versie": self.VERSION,
            "datum": self.on.isoformat(),
            "bepaling": self.provision,
            "bepaling_omschrijving": self.provision_label,
            "rechtspersoon": self.legal_person,
            "categorie": self.category,
            "normale_categorie": self.normal_category,
            "maximum": str(self.maximum),
            "grondslag_maximum": self.maximum_basis,
            "reden_hogere_categorie": self.higher_category_reason,
            "stappen": [{"code": s.code, "stap": s.label, "bedrag": str(s.amount), "toelichting": s.explanation}
                        for s in self.steps],
            "boete": str(self.amount),
            "bevestigd": self.confirmed,
            "invoer": dict(self.inputs),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> FineCalculation:
        return cls(
            on=date.fromisoformat(data["datum"]),
            provision=data["bepaling"],
            provision_label=data["bepaling_omschrijving"],
            legal_person=bool(data["rechtspersoon"]),
            category=int(data["categorie"]),
            normal_category=int(data["normale_categorie"]),
            maximum=Decimal(data["maximum"]),
            maximum_basis=data["grondslag_maximum"],
            higher_category_reason=data.get("reden_hogere_categorie"),
            steps=tuple(FineStep(code=s["code"], label=s["stap"], amount=Decimal(s["bedrag"]),
                                 explanation=s["toelichting"]) for s in data["stappen"]),
            amount=Decimal(data["boete"]),
            confirmed=bool(data["bevestigd"]),
            inputs=dict(data.get("invoer") or {}),
        )


# ---------------------------------------------------------------- the calculation (pure)

T = TypeVar("T", CategoryAmount, PolicyRule)


def in_force(items: Iterable[T], on: date) -> dict[Any, T]:
    """Per category (or rule code): the row with the latest ``valid_from`` on or before ``on``."""
    found: dict[Any, T] = {}
    for item in items:
        key = item.category if isinstance(item, CategoryAmount) else item.code
        if item.valid_from <= on and (key not in found or item.valid_from > found[key].valid_from):
            found[key] = item
    return found


def _money(amount: Decimal) -> str:
    return fmt_money(amount)


def _pct(value: Decimal) -> str:
    return f"{fmt_number(abs(value))}%"


def _unconfirmed(what: str, valid_from: date) -> ServiceError:
    return ServiceError(f"{what} (geldig vanaf {fmt_date(valid_from)}) is nog niet bevestigd door een beheerder. "
                        "Een boete kan pas worden berekend als een beheerder het bedrag heeft bevestigd.")


def calculate_fine(*, on: date, provision: str, legal_person: bool, higher_category: bool,
                   higher_category_reason: str | None, recidive: bool, reduced_blameworthiness: bool,
                   duration_months: int, ability_to_pay: Decimal | None, categories: Sequence[CategoryAmount],
                   rules: Sequence[PolicyRule], ability_to_pay_reason: str | None = None,
                   allow_unconfirmed: bool = False) -> FineCalculation:
    """The fine for one breach on ``on``, step by step (see the module's docstring).

    ``categories`` and ``rules`` may hold every dated row: those in force on ``on`` are used. Refused
    (ServiceError, Dutch): an unknown provision, the higher category for a natural person or without a reason,
    a negative duration or ability to pay, an ability to pay without its reason, nothing in force on ``on``,
    and (unless ``allow_unconfirmed``: a try-out, never a decision) a row used that is not confirmed.
    """
    spec = PROVISIONS.get(provision)
    if spec is None:
        raise ServiceError("Kies de overtreden bepaling (artikel 11, 12 of 13 Wki of artikel 5:20 Awb).",
                           field="provision")
    reason = (higher_category_reason or "").strip() or None
    if higher_category and not legal_person:
        raise ServiceError("De naast hogere boetecategorie kan alleen worden toegepast bij een rechtspersoon (of een "
                           f"vennootschap, maatschap, rederij of doelvermogen): {HIGHER_CATEGORY_BASIS}. De overtreder "
                           "is een natuurlijk persoon.", field="higher_category")
    if higher_category and reason is None:
        raise ServiceError("Geef aan waarom de boetecategorie van de overtreding geen passende boete toelaat; zonder "
                           "reden wordt de naast hogere categorie niet toegepast.", field="higher_category_reason")
    if duration_months < 0:
        raise ServiceError("De duur van de overtreding kan niet negatief zijn.", field="duration_months")
    pay_reason = (ability_to_pay_reason or "").strip() or None
    if ability_to_pay is not None:
        if ability_to_pay < 0:
            raise ServiceError("Het bedrag dat de overtreder kan dragen kan niet negatief zijn.", field="ability_to_pay")
        if pay_reason is None:
            raise ServiceError("Geef aan waarop het bedrag dat de overtreder kan dragen is gebaseerd.",
                               field="ability_to_pay_reason")

    day = fmt_date(on)
    category_rows = in_force(categories, on)
    rule_rows = in_force(rules, on)
    used_unconfirmed: list[str] = []

    def rule(code: str) -> PolicyRule:
        found = rule_rows.get(code)
        if found is None:
            raise ServiceError(f"Op {day} gold geen regel van het boetebeleid voor '{_rule_label(code)}'. Een "
                               "beheerder legt het boetebeleid vast onder Handhaving → Boetes.")
        if not found.confirmed:
            if not allow_unconfirmed:
                raise _unconfirmed(f"De regel van het boetebeleid '{_rule_label(code)}'", found.valid_from)
            used_unconfirmed.append(code)
        return found

    def category_amount(number: int) -> CategoryAmount:
        found = category_rows.get(number)
        if found is None:
            raise ServiceError(f"Op {day} gold in de tabel geen bedrag voor de {ORDINALS[number]} boetecategorie "
                               "(de tabel begint op 1 januari 2018).")
        if not found.confirmed:
            if not allow_unconfirmed:
                raise _unconfirmed(f"Het bedrag van de {ORDINALS[number]} boetecategorie", found.valid_from)
            used_unconfirmed.append(f"categorie {number}")
        return found

    # The maximum is looked up first: a date without a table is refused before any policy step.
    normal = category_amount(spec.category)
    applied_category = spec.category + 1 if higher_category else spec.category
    if applied_category > LAST_CATEGORY:
        raise ServiceError("Er is geen hogere boetecategorie dan de zesde.", field="higher_category")
    cap = category_amount(applied_category) if higher_category else normal

    steps: list[FineStep] = []
    base = rule(base_code(provision))
    amount = base.value
    steps.append(FineStep("basis", "Basisbedrag", amount,
                          f"Het boetebeleid (geldig vanaf {fmt_date(base.valid_from)}) stelt het basisbedrag bij "
                          f"{spec.label} op {_money(amount)}."))

    if recidive:
        r = rule(RECIDIVE)
        before, amount = amount, amount + amount * r.value / 100
        steps.append(FineStep(RECIDIVE, "Recidive", amount, f"De overtreder beging eerder een soortgelijke "
                              f"overtreding: {_money(before)} verhoogd met {_pct(r.value)}."))
    else:
        steps.append(FineStep(RECIDIVE, "Recidive", amount, "Geen recidive: geen verhoging."))

    if reduced_blameworthiness:
        r = rule(REDUCED_BLAMEWORTHINESS)
        before, amount = amount, amount + amount * r.value / 100
        steps.append(FineStep(REDUCED_BLAMEWORTHINESS, "Verminderde verwijtbaarheid", amount,
                              f"De overtreding is de overtreder in verminderde mate te verwijten (artikel 5:46, "
                              f"tweede lid, Awb): {_money(before)} verlaagd met {_pct(r.value)}."))
    else:
        steps.append(FineStep(REDUCED_BLAMEWORTHINESS, "Verminderde verwijtbaarheid", amount,
                              "Geen verminderde verwijtbaarheid: geen verlaging."))

    months_over = max(duration_months - 1, 0)
    if months_over:
        per_month, ceiling = rule(DURATION), rule(DURATION_MAXIMUM)
        pct = min(per_month.value * months_over, ceiling.value)
        before, amount = amount, amount + amount * pct / 100
        capped = " (de verhoging voor de duur is ten hoogste " + _pct(ceiling.value) + ")" \
            if per_month.value * months_over > ceiling.value else ""
        steps.append(FineStep(DURATION, "Duur van de overtreding", amount,
                              f"De overtreding duurde {duration_months} maanden: {_pct(per_month.value)} per volle "
                              f"maand na de eerste, {months_over} × {_pct(per_month.value)} = {_pct(pct)}{capped}; "
                              f"{_money(before)} verhoogd met {_pct(pct)}."))
    else:
        steps.append(FineStep(DURATION, "Duur van de overtreding", amount,
                              "De overtreding duurde niet langer dan een maand: geen verhoging."))

    if ability_to_pay is None:
        steps.append(FineStep("draagkracht", "Draagkracht", amount,
                              "Geen beperkte draagkracht aangevoerd of gebleken: geen verlaging."))
    elif ability_to_pay < amount:
        before, amount = amount, ability_to_pay
        steps.append(FineStep("draagkracht", "Draagkracht", amount,
                              f"De overtreder kan ten hoogste {_money(ability_to_pay)} dragen ({pay_reason}); de "
                              f"boete van {_money(before)} wordt verlaagd tot dat bedrag (artikel 5:46, tweede lid, "
                              "Awb)."))
    else:
        steps.append(FineStep("draagkracht", "Draagkracht", amount,
                              f"De overtreder kan {_money(ability_to_pay)} dragen ({pay_reason}); dat is niet minder "
                              "dan de boete: geen verlaging."))

    maximum_text = (f"Wettelijk maximum bij {spec.label}: de {ORDINALS[spec.category]} categorie, "
                    f"{_money(normal.amount)} op {day} ({MAXIMUM_BASIS}).")
    if higher_category:
        maximum_text += (f" De overtreder is een rechtspersoon en de {ORDINALS[spec.category]} categorie laat geen "
                         f"passende boete toe ({reason}): de naast hogere, {ORDINALS[applied_category]} categorie "
                         f"geldt, {_money(cap.amount)} ({HIGHER_CATEGORY_BASIS}).")
    if amount > cap.amount:
        before, amount = amount, cap.amount
        maximum_text += f" De boete van {_money(before)} wordt verlaagd tot het maximum."
    else:
        maximum_text += " De boete blijft binnen het maximum."
        if higher_category and amount <= normal.amount:
            maximum_text += (f" Zij blijft ook binnen de {ORDINALS[spec.category]} categorie: de hogere categorie "
                             "was voor dit bedrag niet nodig.")
    steps.append(FineStep("maximum", "Wettelijk maximum", amount, maximum_text))

    rounded = amount.quantize(Decimal(1), rounding=ROUND_DOWN)
    steps.append(FineStep("afronding", "Afronding", rounded,
                          "Afgerond naar beneden op hele euro's." if rounded != amount
                          else "Het bedrag is al in hele euro's; afgerond naar beneden blijft het gelijk."))

    return FineCalculation(
        on=on, provision=provision, provision_label=spec.label, legal_person=legal_person,
        category=applied_category, normal_category=spec.category, maximum=cap.amount,
        maximum_basis=HIGHER_CATEGORY_BASIS if higher_category else MAXIMUM_BASIS,
        higher_category_reason=reason if higher_category else None, steps=tuple(steps), amount=rounded,
        confirmed=not used_unconfirmed,
        inputs={"rechtspersoon": legal_person, "hogere_categorie": higher_category, "recidive": recidive,
                "verminderde_verwijtbaarheid": reduced_blameworthiness, "duur_maanden": duration_months,
                "draagkracht": None if ability_to_pay is None else str(ability_to_pay),
                "reden_draagkracht": pay_reason},
    )


def _rule_label(code: str) -> str:
    definition = RULES.get(code)
    return definition.label if definition else code


# ---------------------------------------------------------------- reading the tables


@dataclass(frozen=True)
class Tables:
    categories: list[CategoryAmount]
    rules: list[PolicyRule]


def _category_data(row: FineCategory) -> CategoryAmount:
    return CategoryAmount(category=row.category, amount=row.amount, valid_from=row.valid_from, source=row.source,
                          confirmed=row.confirmed)


def _rule_data(row: FinePolicyRule) -> PolicyRule:
    return PolicyRule(code=row.code, value=row.value, valid_from=row.valid_from, kind=str(row.kind),
                      unit=str(row.unit), label=row.label, source=row.source, confirmed=row.confirmed)


def load_tables(on: date) -> Tables:
    """The category amounts and policy rules in force on ``on`` (per category or code, the not-rejected row with
    the latest ``valid_from`` on or before it), as plain data."""
    categories = db.session.scalars(sa.select(FineCategory).where(
        FineCategory.valid_from <= on, FineCategory.rejected_at.is_(None))).all()
    rules = db.session.scalars(sa.select(FinePolicyRule).where(
        FinePolicyRule.valid_from <= on, FinePolicyRule.rejected_at.is_(None))).all()
    in_force_categories = in_force((_category_data(r) for r in categories), on)
    in_force_rules = in_force((_rule_data(r) for r in rules), on)
    return Tables(categories=[in_force_categories[k] for k in sorted(in_force_categories)],
                  rules=[in_force_rules[k] for k in sorted(in_force_rules)])


def calculate_fine_on(on: date, *, provision: str, legal_person: bool, higher_category: bool = False,
                      higher_category_reason: str | None = None, recidive: bool = False,
                      reduced_blameworthiness: bool = False, duration_months: int = 0,
                      ability_to_pay: Decimal | None = None, ability_to_pay_reason: str | None = None,
                      allow_unconfirmed: bool = False) -> FineCalculation:
    """``calculate_fine`` with the tables in force on ``on`` read from the database."""
    tables = load_tables(on)
    return calculate_fine(on=on, provision=provision, legal_person=legal_person, higher_category=higher_category,
                          higher_category_reason=higher_category_reason, recidive=recidive,
                          reduced_blameworthiness=reduced_blameworthiness, duration_months=duration_months,
                          ability_to_pay=ability_to_pay, ability_to_pay_reason=ability_to_pay_reason,
                          categories=tables.categories, rules=tables.rules, allow_unconfirmed=allow_unconfirmed)


def calculation_for(inputs: Mapping[str, Any], *, legal_person: bool, on: date) -> dict[str, Any]:
    """What a case keeps of its fine: the inputs (as the officer gave them), the calculation with the tables
    in force on ``on`` (a decision's date) and its result; ``calculate_fine_on`` refuses unconfirmed tables."""
    ability = inputs.get("ability_to_pay")
    calculation = calculate_fine_on(
        on, provision=str(inputs["provision"]), legal_person=legal_person,
        higher_category=bool(inputs.get("higher_category")),
        higher_category_reason=inputs.get("higher_category_reason") or None,
        recidive=bool(inputs.get("recidive")), reduced_blameworthiness=bool(inputs.get("reduced_blameworthiness")),
        duration_months=int(inputs.get("duration_months") or 0),
        ability_to_pay=Decimal(str(ability)) if ability not in (None, "") else None,
        ability_to_pay_reason=inputs.get("ability_to_pay_reason") or None)
    return {"invoer": dict(inputs), "berekening": calculation.as_data(), "bedrag": str(calculation.amount),
            "categorie": calculation.category, "maximum": str(calculation.maximum), "datum": on.isoformat()}


def list_categories() -> list[FineCategory]:
    """Every category row, newest date first, then by category; rejected ones too (the page marks them)."""
    return list(db.session.scalars(sa.select(FineCategory).order_by(
        FineCategory.valid_from.desc(), FineCategory.category, FineCategory.id)))


def list_rules() -> list[FinePolicyRule]:
    return list(db.session.scalars(sa.select(FinePolicyRule).order_by(
        FinePolicyRule.valid_from.desc(), FinePolicyRule.kind, FinePolicyRule.code, FinePolicyRule.id)))


# ---------------------------------------------------------------- the administrator's changes


def _money_value(value: Any, *, field: str, minimum: Decimal, maximum: Decimal, what: str) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ServiceError(f"Vul {what} in als een getal, zoals 1234,50.", field=field) from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise ServiceError(f"Vul {what} in met ten hoogste twee cijfers achter de komma.", field=field)
    if not minimum <= amount <= maximum:
        raise ServiceError(f"Vul {what} in tussen {fmt_number(minimum)} en {fmt_number(maximum)}.", field=field)
    return amount


def _source(value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        raise ServiceError("Geef de bron (bijvoorbeeld het Staatsblad of de vindplaats van het boetebeleid).",
                           field="source")
    if len(text) > SOURCE_LENGTH:
        raise ServiceError(f"De bron is te lang: ten hoogste {SOURCE_LENGTH} tekens.", field="source")
    return text


def _valid_from(value: date | None) -> date:
    if value is None:
        raise ServiceError("Vul de datum in vanaf wanneer het bedrag geldt.", field="valid_from")
    if value.year < 1900 or value.year > 2999:
        raise ServiceError("Vul een datum in tussen 1900 en 2999.", field="valid_from")
    return value


def _category_values(row: FineCategory) -> dict[str, Any]:
    return {"categorie": row.category, "bedrag": str(row.amount), "geldig_vanaf": row.valid_from,
            "bron": row.source, "bevestigd": row.confirmed}


def _rule_values(row: FinePolicyRule) -> dict[str, Any]:
    return {"code": row.code, "waarde": str(row.value), "eenheid": str(row.unit), "geldig_vanaf": row.valid_from,
            "bron": row.source, "bevestigd": row.confirmed}


@service
def add_category(*, category: int, amount: Decimal | str, valid_from: date, source: str, actor: Actor) -> FineCategory:
    """A category's amount from a date on, unconfirmed until another administrator confirms it."""
    if category not in ORDINALS:
        raise ServiceError("Kies een boetecategorie van 1 tot en met 6.", field="category")
    value = _money_value(amount, field="amount", minimum=Decimal("0.01"), maximum=MAX_AMOUNT, what="het bedrag")
    day, text = _valid_from(valid_from), _source(source)
    taken = db.session.scalar(sa.select(FineCategory.id).where(
        FineCategory.category == category, FineCategory.valid_from == day, FineCategory.rejected_at.is_(None)))
    if taken is not None:
        raise ServiceError(f"Voor de {ORDINALS[category]} categorie staat al een bedrag vanaf {fmt_date(day)}. Een "
                           "bedrag wordt nooit gewijzigd: wijs een onjuist, nog niet bevestigd bedrag af en voer het "
                           "daarna opnieuw in.", field="valid_from")
    row = FineCategory(category=category, amount=value, valid_from=day, source=text, confirmed=False,
                       created_by=actor.label, created_by_id=actor.user_id, created_at=utcnow())
    db.session.add(row)
    db.session.flush()
    audit.record(EnforcementAction.CATEGORY_ADDED, object_type="fine_category", object_id=row.id,
                 after=_category_values(row), actor=actor)
    return row


@service
def add_rule(*, code: str, value: Decimal | str, valid_from: date, source: str, actor: Actor) -> FinePolicyRule:
    """A value of the fining policy from a date on (its kind, unit and label follow from the code)."""
    definition = RULES.get(code)
    if definition is None:
        raise ServiceError("Kies de regel van het boetebeleid.", field="code")
    what = "het bedrag" if definition.unit == RuleUnit.EUR else "het percentage"
    number = _money_value(value, field="value", minimum=definition.minimum, maximum=definition.maximum, what=what)
    day, text = _valid_from(valid_from), _source(source)
    taken = db.session.scalar(sa.select(FinePolicyRule.id).where(
        FinePolicyRule.code == code, FinePolicyRule.valid_from == day, FinePolicyRule.rejected_at.is_(None)))
    if taken is not None:
        raise ServiceError(f"Voor '{definition.label}' staat al een waarde vanaf {fmt_date(day)}. Een waarde wordt "
                           "nooit gewijzigd: wijs een onjuiste, nog niet bevestigde waarde af en voer die daarna "
                           "opnieuw in.", field="valid_from")
    row = FinePolicyRule(code=code, kind=definition.kind, label=definition.label, value=number, unit=definition.unit,
                         valid_from=day, source=text, confirmed=False, created_by=actor.label,
                         created_by_id=actor.user_id, created_at=utcnow())
    db.session.add(row)
    db.session.flush()
    audit.record(EnforcementAction.RULE_ADDED, object_type="fine_policy_rule", object_id=row.id, after=_rule_values(row),
                 actor=actor)
    return row


def _check_second_pair_of_eyes(row: FineCategory | FinePolicyRule, actor: Actor) -> None:
    if row.rejected_at is not None:
        raise ServiceError("Dit bedrag is afgewezen en kan niet meer worden bevestigd.")
    if row.confirmed:
        raise ServiceError("Dit bedrag is al bevestigd.")
    if actor.user_id is None:
        raise ServiceError("Alleen een beheerder met een account kan een bedrag bevestigen.")
    if row.created_by_id == actor.user_id:
        raise ServiceError("U heeft dit bedrag zelf ingevoerd; een andere beheerder moet het bevestigen (vier ogen).")


def _row(model: type[FineCategory] | type[FinePolicyRule], row_id: int) -> Any:
    row = db.session.get(model, row_id)
    if row is None:
        raise NotFoundError("Dit bedrag bestaat niet.")
    return row


def get_category(category_id: int) -> FineCategory:
    found: FineCategory = _row(FineCategory, category_id)
    return found


def get_rule(rule_id: int) -> FinePolicyRule:
    found: FinePolicyRule = _row(FinePolicyRule, rule_id)
    return found


@service
def confirm_category(category_id: int, *, actor: Actor) -> FineCategory:
    """Confirm a category's amount: by another administrator than the one who entered it."""
    row = get_category(category_id)
    _check_second_pair_of_eyes(row, actor)
    row.confirmed, row.confirmed_by, row.confirmed_at = True, actor.label, utcnow()
    db.session.flush()
    audit.record(EnforcementAction.CATEGORY_CONFIRMED, object_type="fine_category", object_id=row.id,
                 before={"bevestigd": False}, after=_category_values(row), actor=actor)
    return row


@service
def confirm_rule(rule_id: int, *, actor: Actor) -> FinePolicyRule:
    """Confirm a policy value: by another administrator than the one who entered it."""
    row = get_rule(rule_id)
    _check_second_pair_of_eyes(row, actor)
    row.confirmed, row.confirmed_by, row.confirmed_at = True, actor.label, utcnow()
    db.session.flush()
    audit.record(EnforcementAction.RULE_CONFIRMED, object_type="fine_policy_rule", object_id=row.id,
                 before={"bevestigd": False}, after=_rule_values(row), actor=actor)
    return row


def _check_rejectable(row: FineCategory | FinePolicyRule, reason: str | None) -> str:
    if row.rejected_at is not None:
        raise ServiceError("Dit bedrag is al afgewezen.")
    if row.confirmed:
        raise ServiceError("Een bevestigd bedrag wordt niet afgewezen: voer een nieuw bedrag in met de datum "
                           "vanaf wanneer het geldt.")
    text = (reason or "").strip()
    if not text:
        raise ServiceError("Geef aan waarom het bedrag onjuist is.", field="reason")
    return text


@service
def reject_category(category_id: int, *, reason: str, actor: Actor) -> FineCategory:
    """Reject an unconfirmed amount (kept, never used) so that the right one can be entered for its date."""
    row = get_category(category_id)
    row.rejection_reason = _check_rejectable(row, reason)
    row.rejected_at, row.rejected_by = utcnow(), actor.label
    db.session.flush()
    audit.record(EnforcementAction.CATEGORY_REJECTED, object_type="fine_category", object_id=row.id,
                 before=_category_values(row), after={"afgewezen": True, "reden": row.rejection_reason}, actor=actor)
    return row


@service
def reject_rule(rule_id: int, *, reason: str, actor: Actor) -> FinePolicyRule:
    """Reject an unconfirmed policy value (kept, never used) so that the right one can be entered."""
    row = get_rule(rule_id)
    row.rejection_reason = _check_rejectable(row, reason)
    row.rejected_at, row.rejected_by = utcnow(), actor.label
    db.session.flush()
    audit.record(EnforcementAction.RULE_REJECTED, object_type="fine_policy_rule", object_id=row.id,
                 before=_rule_values(row), after={"afgewezen": True, "reden": row.rejection_reason}, actor=actor)
    return row


# ---------------------------------------------------------------- the block in a decision


def render_fine_block(data: Any) -> str:
    """The block ``boeteberekening``: every step with its explanation and amount, the fine in bold, and the
    maximum with its legal basis (trusted HTML; everything from the data escaped)."""
    if isinstance(data, FineCalculation):
        calculation = data
    else:
        try:
            calculation = FineCalculation.from_data(data)
        except (KeyError, TypeError, ValueError, InvalidOperation, AttributeError):
            raise ServiceError("De boeteberekening ontbreekt of is onvolledig (het blok 'boeteberekening').") from None
    rows = "".join(
        f"<tr><td>{escape(step.label)}</td><td>{escape(step.explanation)}</td>"
        f"<td class=\"bedrag\">{escape(fmt_money(step.amount))}</td></tr>" for step in calculation.steps)
    return (
        "<table class=\"blok boeteberekening\"><thead><tr><th scope=\"col\">Stap</th><th scope=\"col\">Toelichting"
        "</th><th scope=\"col\">Bedrag</th></tr></thead><tbody>" + rows + "</tbody><tfoot><tr><th scope=\"row\">Boete"
        f"</th><td></td><td class=\"bedrag\"><strong>{escape(fmt_money(calculation.amount))}</strong></td></tr>"
        "</tfoot></table>"
        f"<p class=\"klein\">Wettelijk maximum: {escape(fmt_money(calculation.maximum))}, de "
        f"{escape(ORDINALS.get(calculation.category, str(calculation.category)))} categorie op "
        f"{escape(fmt_date(calculation.on))} ({escape(calculation.maximum_basis)}).</p>"
    )


documents.register_block("boeteberekening", "Boeteberekening", render_fine_block)

