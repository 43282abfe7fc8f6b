"""The fine pages (Handhaving → Boetes): the category amounts and the fining policy per date, with unconfirmed
and rejected rows marked; an administrator adds a dated row, confirms another's (four eyes) or rejects an
unconfirmed one; an enforcement officer reads them and tries a calculation.

Thin views: form, one service of ``fines`` (rules and audit there), flash, redirect. A refusal shows its Dutch
message and changes nothing (services run in a savepoint)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from wki.core.actors import Actor
from wki.core.auth import Role, requires_roles, user_has_any_role
from wki.core.clock import today_local
from wki.core.errors import ServiceError
from wki.core.lookups import or_404
from wki.enforcement import fines
from wki.enforcement.fine_forms import CalculationForm, CategoryForm, RejectForm, RuleForm, decimal_of

bp_fines = Blueprint("fines", __name__, url_prefix="/handhaving/boetes")
# Enforcement officers read the tables and try calculations; administrators maintain the tables.
READERS = frozenset({Role.HANDHAVER, Role.BEHEERDER})
ADMINISTRATORS = frozenset({Role.BEHEERDER})


def _actor() -> Actor:
    return Actor.of(current_user)


def _in_force_ids(rows: Sequence[Any], key: Callable[[Any], Any], on: date) -> set[int]:
    """The ids of the rows in force on ``on``: per key, the not-rejected one with the latest date."""
    best: dict[Any, Any] = {}
    for row in rows:
        if row.rejected_at is None and row.valid_from <= on:
            k = key(row)
            if k not in best or row.valid_from > best[k].valid_from:
                best[k] = row
    return {row.id for row in best.values()}


@bp_fines.get("", endpoint="index")
@requires_roles(*READERS)
def index() -> Any:
    today = today_local()
    categories, rules = fines.list_categories(), fines.list_rules()
    return render_template(
        "enforcement/fines/index.html", today=today,
        category_groups=[(day, list(rows)) for day, rows in groupby(categories, key=lambda r: r.valid_from)],
        rule_groups=[(day, list(rows)) for day, rows in groupby(rules, key=lambda r: r.valid_from)],
        in_force=_in_force_ids(categories, lambda r: r.category, today),
        rules_in_force=_in_force_ids(rules, lambda r: r.code, today),
        is_admin=user_has_any_role(current_user, ADMINISTRATORS), me=current_user.id,
        ordinals=fines.ORDINALS, provisions=fines.PROVISIONS.values(), reject_form=RejectForm())


@bp_fines.route("/categorieen/nieuw", methods=["GET", "POST"], endpoint="new_category")
@requires_roles(*ADMINISTRATORS)
def new_category() -> Any:
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            row = fines.add_category(category=form.category.data, amount=decimal_of(form.amount.data) or Decimal(0),
                                     valid_from=form.valid_from.data, source=form.source.data, actor=_actor())
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            flash(f"Het bedrag van de {fines.ORDINALS[row.category]} categorie is ingevoerd. Een andere beheerder "
                  "moet het bevestigen voordat een berekening het gebruikt.", "success")
            return redirect(url_for("fines.index", _anchor="categorieen"))
    return render_template("enforcement/fines/new_category.html", form=form)


@bp_fines.route("/beleid/nieuw", methods=["GET", "POST"], endpoint="new_rule")
@requires_roles(*ADMINISTRATORS)
def new_rule() -> Any:
    form = RuleForm()
    if form.validate_on_submit():
        try:
            fines.add_rule(code=form.code.data, value=decimal_of(form.value.data) or Decimal(0),
                           valid_from=form.valid_from.data, source=form.source.data, actor=_actor())
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            flash("De regel van het boetebeleid is ingevoerd. Een andere beheerder moet hem bevestigen voordat een "
                  "berekening hem gebruikt.", "success")
            return redirect(url_for("fines.index", _anchor="beleid"))
    return render_template("enforcement/fines/new_rule.html", form=form)


def _act(call: Callable[[], Any], done: str, anchor: str) -> Response:
    try:
        call()
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for("fines.index", _anchor=anchor))


@bp_fines.post("/categorieen/<int:category_id>/bevestigen", endpoint="confirm_category")
@requires_roles(*ADMINISTRATORS)
def confirm_category(category_id: int) -> Response:
    or_404(fines.get_category, category_id)
    return _act(lambda: fines.confirm_category(category_id, actor=_actor()), "Het bedrag is bevestigd.",
                "categorieen")


@bp_fines.post("/categorieen/<int:category_id>/afwijzen", endpoint="reject_category")
@requires_roles(*ADMINISTRATORS)
def reject_category(category_id: int) -> Response:
    or_404(fines.get_category, category_id)
    reason = RejectForm().reason.data
    return _act(lambda: fines.reject_category(category_id, reason=reason, actor=_actor()),
                "Het bedrag is afgewezen; voer het juiste bedrag in.", "categorieen")


@bp_fines.post("/beleid/<int:rule_id>/bevestigen", endpoint="confirm_rule")
@requires_roles(*ADMINISTRATORS)
def confirm_rule(rule_id: int) -> Response:
    or_404(fines.get_rule, rule_id)
    return _act(lambda: fines.confirm_rule(rule_id, actor=_actor()), "De regel van het boetebeleid is bevestigd.",
                "beleid")


@bp_fines.post("/beleid/<int:rule_id>/afwijzen", endpoint="reject_rule")
@requires_roles(*ADMINISTRATORS)
def reject_rule(rule_id: int) -> Response:
    or_404(fines.get_rule, rule_id)
    reason = RejectForm().reason.data
    return _act(lambda: fines.reject_rule(rule_id, reason=reason, actor=_actor()),
                "De regel is afgewezen; voer de juiste waarde in.", "beleid")


@bp_fines.get("/berekenen", endpoint="calculate")
@requires_roles(*READERS)
def calculate() -> Any:
    """Try a calculation with chosen inputs: nothing is stored."""
    form = CalculationForm(request.args)
    calculation = None
    if request.args and form.validate():
        try:
            calculation = fines.calculate_fine_on(
                form.on.data, provision=form.provision.data, legal_person=form.legal_person.data,
                higher_category=form.higher_category.data,
                higher_category_reason=form.higher_category_reason.data,
                recidive=form.recidive.data, reduced_blameworthiness=form.reduced_blameworthiness.data,
                duration_months=form.duration_months.data or 0,
                ability_to_pay=decimal_of(form.ability_to_pay.data),
                ability_to_pay_reason=form.ability_to_pay_reason.data,
                allow_unconfirmed=form.allow_unconfirmed.data)
        except ServiceError as exc:
            form.apply_service_error(exc)
    elif not request.args:
        form.on.data = today_local()
    return render_template("enforcement/fines/calculate.html", form=form, calculation=calculation,
                           block=fines.render_fine_block(calculation) if calculation else None)
