"""The fine calculation on worked cases computed by hand (the tables here are the test's own, so that no seeded
or later-confirmed amount changes an expected figure), the tables as seeded by migration 0017, and the
administrator's services: dated rows, four-eyes confirmation, rejection, audit."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.auth import Role
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.enforcement import fines
from wki.enforcement.fines import (
    RULES,
    CategoryAmount,
    FineCalculation,
    FineCategory,
    FinePolicyRule,
    PolicyRule,
    calculate_fine,
    calculate_fine_on,
    load_tables,
    render_fine_block,
)

D = Decimal
DATA_FILE = Path(__file__).resolve().parents[2] / "migrations" / "data" / "0017_boetes.json"

# The test's own tables: categories 1-4 from 2024 and an indexation from 2026; a policy from 1 April 2024.
CATEGORIES = [
    *(CategoryAmount(n, D(a), date(2024, 1, 1)) for n, a in ((1, 520), (2, 5200), (3, 10300), (4, 25750))),
    *(CategoryAmount(n, D(a), date(2026, 1, 1)) for n, a in ((1, 560), (2, 5600), (3, 11200), (4, 28000))),
]
POLICY_DAY = date(2024, 4, 1)
RULES_TABLE = [
    PolicyRule("basis_wki_11", D(250), POLICY_DAY, kind="basis", unit="eur"),
    PolicyRule("basis_wki_12", D(2500), POLICY_DAY, kind="basis", unit="eur"),
    PolicyRule("basis_wki_13", D(5000), POLICY_DAY, kind="basis", unit="eur"),
    PolicyRule("basis_awb_5_20", D(2500), POLICY_DAY, kind="basis", unit="eur"),
    PolicyRule("recidive", D(50), POLICY_DAY),
    PolicyRule("verminderde_verwijtbaarheid", D(-25), POLICY_DAY),
    PolicyRule("duur", D(10), POLICY_DAY),
    PolicyRule("duur_maximum", D(50), POLICY_DAY),
]
MARCH_2026 = date(2026, 3, 1)


def calc(**overrides):
    args = dict(on=MARCH_2026, provision="wki_13", legal_person=True, higher_category=False,
                higher_category_reason=None, recidive=False, reduced_blameworthiness=False, duration_months=0,
                ability_to_pay=None, categories=CATEGORIES, rules=RULES_TABLE)
    args.update(overrides)
    return calculate_fine(**args)


def amounts(calculation: FineCalculation) -> list[Decimal]:
    return [step.amount for step in calculation.steps]


# ---------------------------------------------------------------- worked cases


def test_legal_person_recidive_and_duration_hits_the_cap_of_category_3():
    """wki_13 on 1 March 2026: 5.000 + 50% = 7.500; 6 months: 5 × 10% = 50% → 11.250; cap 3rd (2026) 11.200."""
    result = calc(recidive=True, duration_months=6)
    assert [s.code for s in result.steps] == ["basis", "recidive", "verminderde_verwijtbaarheid", "duur",
                                              "draagkracht", "maximum", "afronding"]
    assert amounts(result) == [D(5000), D(7500), D(7500), D(11250), D(11250), D(11200), D(11200)]
    assert result.amount == D(11200)
    assert (result.category, result.normal_category, result.maximum) == (3, 3, D(11200))
    assert "verlaagd tot het maximum" in result.steps[5].explanation
    assert "derde categorie" in result.steps[5].explanation
    assert result.confirmed is True


def test_legal_person_with_a_reason_gets_the_next_higher_category():
    """The same breach with category 4 (2026: 28.000) allowed: 11.250 stays."""
    result = calc(recidive=True, duration_months=6, higher_category=True,
                  higher_category_reason="omvang en duur van de overtreding")
    assert result.amount == D(11250)
    assert (result.category, result.normal_category, result.maximum) == (4, 3, D(28000))
    assert result.higher_category_reason == "omvang en duur van de overtreding"
    assert "vierde categorie" in result.steps[5].explanation
    assert "omvang en duur van de overtreding" in result.steps[5].explanation
    assert "artikel 16, vierde lid, Wki" in result.maximum_basis


def test_a_natural_person_is_refused_the_higher_category():
    with pytest.raises(ServiceError) as refused:
        calc(legal_person=False, higher_category=True, higher_category_reason="ernstig")
    assert refused.value.field == "higher_category"
    assert "natuurlijk persoon" in refused.value.message


def test_the_higher_category_needs_a_reason():
    with pytest.raises(ServiceError) as refused:
        calc(higher_category=True, higher_category_reason="  ")
    assert refused.value.field == "higher_category_reason"


def test_reduced_blameworthiness_lowers_by_its_percentage():
    """wki_12, natural person: 2.500 − 25% = 1.875; cap 2nd category (5.600) not reached."""
    result = calc(provision="wki_12", legal_person=False, reduced_blameworthiness=True)
    assert amounts(result) == [D(2500), D(2500), D(1875), D(1875), D(1875), D(1875), D(1875)]
    assert result.amount == D(1875)
    assert "verlaagd met 25%" in result.steps[2].explanation
    assert "binnen het maximum" in result.steps[5].explanation


def test_ability_to_pay_lowers_the_amount_with_its_reason():
    """wki_13 with recidive: 7.500; the offender can bear 3.000 → 3.000."""
    result = calc(recidive=True, ability_to_pay=D(3000), ability_to_pay_reason="jaarrekening 2025")
    assert amounts(result)[3:] == [D(7500), D(3000), D(3000), D(3000)]
    assert "jaarrekening 2025" in result.steps[4].explanation
    assert result.amount == D(3000)


def test_ability_to_pay_above_the_amount_changes_nothing():
    result = calc(ability_to_pay=D(9000), ability_to_pay_reason="jaarrekening")
    assert result.amount == D(5000)
    assert "geen verlaging" in result.steps[4].explanation


def test_ability_to_pay_needs_a_reason_and_cannot_be_negative():
    with pytest.raises(ServiceError) as refused:
        calc(ability_to_pay=D(3000))
    assert refused.value.field == "ability_to_pay_reason"
    with pytest.raises(ServiceError):
        calc(ability_to_pay=D(-1), ability_to_pay_reason="x")


def test_the_duration_increase_has_its_maximum():
    """12 months: 11 × 10% = 110%, at most 50% → 5.000 + 50% = 7.500."""
    result = calc(duration_months=12)
    assert result.steps[3].amount == D(7500)
    assert "ten hoogste 50%" in result.steps[3].explanation


def test_a_date_before_the_indexation_uses_the_older_amount():
    """31 December 2025: the 2024 amount of the 3rd category (10.300) caps 11.250; a day later 11.200."""
    assert calc(on=date(2025, 12, 31), recidive=True, duration_months=6).amount == D(10300)
    assert calc(on=date(2026, 1, 1), recidive=True, duration_months=6).amount == D(11200)


def test_an_unconfirmed_amount_is_refused_unless_trying():
    categories = [c if (c.category, c.valid_from.year) != (3, 2026) else
                  CategoryAmount(3, D(11200), date(2026, 1, 1), confirmed=False) for c in CATEGORIES]
    with pytest.raises(ServiceError) as refused:
        calc(categories=categories)
    assert "derde boetecategorie" in refused.value.message
    assert "nog niet bevestigd door een beheerder" in refused.value.message
    tried = calc(categories=categories, allow_unconfirmed=True)
    assert tried.confirmed is False and tried.amount == D(5000)


def test_an_unconfirmed_rule_is_refused():
    rules = [r if r.code != "recidive" else PolicyRule("recidive", D(50), POLICY_DAY, confirmed=False)
             for r in RULES_TABLE]
    assert calc(rules=rules).amount == D(5000)  # recidive not used: its state does not matter
    with pytest.raises(ServiceError, match="nog niet bevestigd door een beheerder"):
        calc(rules=rules, recidive=True)


def test_before_2018_nothing_is_in_force():
    tables = [CategoryAmount(3, D(8300), date(2018, 1, 1))]
    with pytest.raises(ServiceError, match="gold in de tabel geen bedrag voor de derde boetecategorie"):
        calc(on=date(2017, 12, 31), categories=tables)


def test_no_policy_in_force_is_refused():
    with pytest.raises(ServiceError, match="geen regel van het boetebeleid"):
        calc(on=date(2024, 3, 31))


def test_rounding_is_downward_to_whole_euros():
    """wki_11 base 333: − 25% = 249,75 → 249 (not 250)."""
    rules = [PolicyRule("basis_wki_11", D(333), POLICY_DAY, kind="basis", unit="eur"), *RULES_TABLE[4:]]
    result = calc(provision="wki_11", reduced_blameworthiness=True, rules=rules)
    assert result.steps[-2].amount == D("249.75")
    assert result.amount == D(249)
    assert result.steps[-1].code == "afronding"
    assert "naar beneden" in result.steps[-1].explanation


def test_unknown_provision_and_negative_duration_are_refused():
    with pytest.raises(ServiceError) as refused:
        calc(provision="wki_4")
    assert refused.value.field == "provision"
    with pytest.raises(ServiceError) as refused:
        calc(duration_months=-1)
    assert refused.value.field == "duration_months"


def test_as_data_is_plain_json_and_comes_back():
    result = calc(recidive=True, duration_months=6, higher_category=True, higher_category_reason="omvang",
                  ability_to_pay=D("20000.50"), ability_to_pay_reason="jaarrekening")
    data = result.as_data()
    assert json.loads(json.dumps(data)) == data
    assert data["boete"] == "11250" and data["maximum"] == "28000"
    assert data["stappen"][0] == {"code": "basis", "stap": "Basisbedrag", "bedrag": "5000",
                                  "toelichting": result.steps[0].explanation}
    assert FineCalculation.from_data(data) == result


def test_the_block_shows_every_step_the_fine_in_bold_and_the_maximum():
    result = calc(recidive=True, higher_category=True, higher_category_reason="<script>alert(1)</script>")
    html = render_fine_block(result.as_data())
    assert "<script>" not in html and "&lt;script&gt;" in html
    for step in result.steps:
        assert f"<td>{step.label}</td>" in html
    assert "<strong>€\xa07.500,00</strong>" in html
    assert "Wettelijk maximum: €\xa028.000,00, de vierde categorie op 1 maart 2026" in html
    with pytest.raises(ServiceError):
        render_fine_block({"boete": "1"})


# ---------------------------------------------------------------- the tables from the database


def test_the_seeded_2018_amounts_are_confirmed_and_later_ones_not(db_session):
    tables = load_tables(date(2019, 6, 1))
    assert [(c.category, c.amount, c.confirmed) for c in tables.categories] == [
        (1, D(415), True), (2, D(4150), True), (3, D(8300), True), (4, D(20750), True), (5, D(83000), True),
        (6, D(830000), True)]
    later = load_tables(date(2026, 3, 1))
    assert {c.valid_from for c in later.categories} == {date(2024, 1, 1)}
    assert not any(c.confirmed for c in later.categories)
    assert not any(r.confirmed for r in later.rules)
    assert load_tables(date(2017, 12, 31)).categories == []


def test_a_decision_on_seeded_unconfirmed_amounts_is_refused(db_session):
    with pytest.raises(ServiceError, match="nog niet bevestigd door een beheerder"):
        calculate_fine_on(MARCH_2026, provision="wki_13", legal_person=True)
    with pytest.raises(ServiceError, match="geen bedrag"):
        calculate_fine_on(date(2017, 6, 1), provision="wki_13", legal_person=True)


def test_the_seed_file_matches_the_rules_and_categories():
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    for group in data["categorieen"]:
        assert sorted(group["bedragen"]) == ["1", "2", "3", "4", "5", "6"]
        assert len(group["bron"]) <= fines.SOURCE_LENGTH
    assert [g["bevestigd"] for g in data["categorieen"]] == [True, False, False, False]
    for group in data["beleid"]:
        assert group["bevestigd"] is False and "Plaatshouder" in group["bron"]
        for rule in group["regels"]:
            definition = RULES[rule["code"]]
            assert (rule["soort"], rule["eenheid"], rule["omschrijving"]) == (
                definition.kind.value, definition.unit.value, definition.label)
        assert {r["code"] for r in group["regels"]} == set(RULES)


@pytest.fixture
def admins(factories):
    first = factories.UserFactory(roles=[Role.BEHEERDER])
    second = factories.UserFactory(roles=[Role.BEHEERDER])
    return Actor.of(first), Actor.of(second)


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def _enter_2030_tables(by: Actor, confirmer: Actor) -> None:
    """Confirmed amounts and policy from 2030 (dates no seed uses), entered and confirmed through the services."""
    day = date(2030, 1, 1)
    for number, amount in ((3, "12000"), (4, "30000")):
        fines.confirm_category(fines.add_category(category=number, amount=D(amount), valid_from=day,
                                                  source="Stb. 2029, 1", actor=by).id, actor=confirmer)
    for code, value in (("basis_wki_13", "6000"), ("recidive", "100"), ("verminderde_verwijtbaarheid", "-50"),
                        ("duur", "5"), ("duur_maximum", "20")):
        fines.confirm_rule(fines.add_rule(code=code, value=D(value), valid_from=day, source="Stcrt. 2029, 9",
                                          actor=by).id, actor=confirmer)


def test_a_calculation_reads_the_confirmed_rows_in_force(db_session, admins):
    """2030 rows: 6.000 + 100% = 12.000; −50% = 6.000; 3 months: 2 × 5% = 10% → 6.600; cap 12.000."""
    _enter_2030_tables(*admins)
    result = calculate_fine_on(date(2030, 6, 1), provision="wki_13", legal_person=True, recidive=True,
                               reduced_blameworthiness=True, duration_months=3)
    assert amounts(result) == [D(6000), D(12000), D(6000), D(6600), D(6600), D(6600), D(6600)]
    assert result.maximum == D(12000) and result.confirmed


def test_the_person_who_entered_an_amount_cannot_confirm_it(db_session, admins):
    me, colleague = admins
    row = fines.add_category(category=2, amount=D("6000.00"), valid_from=date(2030, 1, 1), source="Stb. 2029, 1",
                             actor=me)
    with pytest.raises(ServiceError, match="andere beheerder"):
        fines.confirm_category(row.id, actor=me)
    assert db.session.get(FineCategory, row.id).confirmed is False
    fines.confirm_category(row.id, actor=colleague)
    assert row.confirmed and row.confirmed_by == colleague.label
    with pytest.raises(ServiceError, match="al bevestigd"):
        fines.confirm_category(row.id, actor=colleague)
    assert [e.object_id for e in _events("boete.categorie_toegevoegd")] == [str(row.id)]
    confirmed = _events("boete.categorie_bevestigd")
    assert [(e.object_id, e.actor_email, e.after["bedrag"]) for e in confirmed] == [
        (str(row.id), colleague.label, "6000.00")]


def test_a_second_row_for_the_same_date_is_refused_until_the_first_is_rejected(db_session, admins):
    me, colleague = admins
    wrong = fines.add_category(category=5, amount=D(1), valid_from=date(2030, 1, 1), source="typfout", actor=me)
    with pytest.raises(ServiceError, match="al een bedrag") as refused:
        fines.add_category(category=5, amount=D(120000), valid_from=date(2030, 1, 1), source="Stb.", actor=me)
    assert refused.value.field == "valid_from"
    with pytest.raises(ServiceError, match="waarom"):
        fines.reject_category(wrong.id, reason=" ", actor=colleague)
    fines.reject_category(wrong.id, reason="typfout in het bedrag", actor=colleague)
    right = fines.add_category(category=5, amount=D(120000), valid_from=date(2030, 1, 1), source="Stb.", actor=me)
    with pytest.raises(ServiceError, match="afgewezen"):
        fines.confirm_category(wrong.id, actor=colleague)
    fines.confirm_category(right.id, actor=colleague)
    assert [c.amount for c in load_tables(date(2030, 2, 1)).categories if c.category == 5] == [D(120000)]
    assert len(_events("boete.categorie_afgewezen")) == 1


def test_a_confirmed_amount_is_never_rejected(db_session, admins):
    confirmed_2018 = db.session.scalar(sa.select(FineCategory).where(FineCategory.confirmed.is_(True)).limit(1))
    with pytest.raises(ServiceError, match="nieuw bedrag"):
        fines.reject_category(confirmed_2018.id, reason="oud", actor=admins[0])


@pytest.mark.parametrize(("values", "field"), [
    ({"category": 7}, "category"),
    ({"amount": D("0")}, "amount"),
    ({"amount": D("10.005")}, "amount"),
    ({"amount": "veel"}, "amount"),
    ({"source": "  "}, "source"),
    ({"source": "x" * 301}, "source"),
])
def test_bad_category_input_is_refused_in_dutch_and_nothing_is_stored(db_session, admins, values, field):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(FineCategory))
    args = {"category": 3, "amount": D(100), "valid_from": date(2030, 1, 1), "source": "Stb.", **values}
    with pytest.raises(ServiceError) as refused:
        fines.add_category(**args, actor=admins[0])
    assert refused.value.field == field
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FineCategory)) == before
    assert _events("boete.categorie_toegevoegd") == []


def test_policy_rules_take_kind_unit_and_label_from_their_code_and_check_their_range(db_session, admins):
    row = fines.add_rule(code="verminderde_verwijtbaarheid", value=D(-30), valid_from=date(2030, 1, 1),
                         source="Stcrt.", actor=admins[0])
    assert (row.kind, row.unit, row.label) == ("aanpassing", "pct", RULES["verminderde_verwijtbaarheid"].label)
    with pytest.raises(ServiceError) as refused:
        fines.add_rule(code="verminderde_verwijtbaarheid", value=D(30), valid_from=date(2031, 1, 1), source="S",
                       actor=admins[0])
    assert refused.value.field == "value"
    with pytest.raises(ServiceError) as refused:
        fines.add_rule(code="onbekend", value=D(1), valid_from=date(2031, 1, 1), source="S", actor=admins[0])
    assert refused.value.field == "code"
    fines.reject_rule(row.id, reason="verkeerd percentage", actor=admins[1])
    assert db.session.get(FinePolicyRule, row.id).rejected_by == admins[1].label


def test_the_higher_category_says_when_it_was_not_needed():
    """5.000 stays within the 3rd category (11.200): the explanation says the higher one was not needed."""
    result = calc(higher_category=True, higher_category_reason="omvang")
    assert result.amount == D(5000) and result.category == 4
    assert "niet nodig" in result.steps[5].explanation


def test_the_command_lists_what_is_in_force_on_a_date(app, db_session):
    result = app.test_cli_runner().invoke(args=["fines", "list", "--on", "2019-06-01"])
    assert result.exit_code == 0, result.output
    assert "Boetecategorieën op 1 juni 2019:" in result.output
    assert "derde" in result.output and "8.300,00" in result.output
    assert "nog niet bevestigd" not in result.output
    later = app.test_cli_runner().invoke(args=["fines", "list", "--on", "2026-03-01"])
    assert "11.200,00" in later.output and "[nog niet bevestigd]" in later.output
    assert "basis_wki_13" in later.output


def test_the_block_is_registered_with_the_documents_engine(app):
    from wki.documents.issuing import block_title

    assert block_title("boeteberekening") == "Boeteberekening"
