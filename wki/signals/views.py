"""Signal pages: the list with its filters and counts, the staff form, a signal with its verdict and the
decisions about it, bulk files with their reports, the suspects and their merges and splits, the export.

Thin views: the forms check what was filled in, ``services`` writes (and audits), ``page_queries`` reads.
The request commits once (``wki.core.web``); a refused change rolls back here, so that nothing a service
added before it refused (an attachment, say) is committed with the page that shows the refusal.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from wki.core import audit
from wki.core.actors import Actor
from wki.core.auth import requires_roles
from wki.core.clock import today_local
from wki.core.downloads import csv_response, iter_csv
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.features import SUSPECT_PAGE, panels_for
from wki.core.formatting import fmt_date
from wki.core.lookups import found_or_404, or_404
from wki.core.paging import PAGE_ARG, page_arg
from wki.register.queries import registration_names
from wki.signals import READERS, bp, candidates, counts_cache, forms, page_queries
from wki.signals.attachments import read_attachment
from wki.signals.audit_actions import SignalAction
from wki.signals.bik import VAT_FACTOR, bik_ceiling
from wki.signals.decisions import (
    AUDIT_LABELS,
    StaleSignal,
    check_version,
    decide_verdict,
    get_signal,
    get_suspect,
    merge_suspects,
    set_status,
    signal_version,
    split_suspect,
    withdraw_decision,
)
from wki.signals.figures import build_charts, month_name
from wki.signals.forms import (
    COLUMN_LABELS,
    SORT_FIRST_DESCENDING,
    SORT_LABELS,
    VERDICT_FILTER_LABELS,
    DecideForm,
    FiguresForm,
    ImportForm,
    MergeForm,
    RematchForm,
    SignalForm,
    SignalSearchForm,
    SplitForm,
    StatusForm,
    SuspectSearchForm,
    WithdrawForm,
)
from wki.signals.imports import SignalFileRejected, import_in_background, import_signals, queue_import
from wki.signals.models import Channel, Signal, SignalStatus, Source, Suspect, SuspectStatus, Verdict
from wki.signals.recording import record_from_form, staff_reference
from wki.signals.rematch import queue_rematch, stale_count
from wki.signals.similar_suspects import similar_suspects

PER_PAGE = 50
REPORT_LIMIT = 500  # rows of a rejected file's report shown on the page

LABELS = {
    "verdict": Verdict.labels(), "verdict_filter": VERDICT_FILTER_LABELS, "source": Source.labels(),
    "channel": Channel.labels(), "status": SignalStatus.labels(), "suspect_status": SuspectStatus.labels(),
    "sort": SORT_LABELS, "column": COLUMN_LABELS,
}


def _actor() -> Actor:
    return Actor.of(current_user)


# ---------------------------------------------------------------- the list


def _list_form() -> tuple[SignalSearchForm, dict[str, Any] | None]:
    form = SignalSearchForm(request.args)
    return form, form.filters() if form.validate() else None


def _list_page(form: SignalSearchForm, filters: dict[str, Any] | None):
    pagination = None
    import_record = None
    # The counts over all signals: kept per process under a cheap fingerprint (counts_cache), with their time.
    (counts, stale), counted_at = counts_cache.cached("list", lambda: (page_queries.verdict_counts(), stale_count()))
    if filters is not None:
        pagination = page_queries.search_signals(page=page_arg(), per_page=PER_PAGE, total=counts["totaal"],
                                                 **filters)
        if filters["import_id"] is not None:
            import_record = page_queries.get_import(filters["import_id"])
    # The filters as the query string has them (without the page): for the sorting links and the download.
    params = {k: v for k, v in request.args.items() if k != PAGE_ARG and v != ""}
    return render_template("signals/index.html", form=form, pagination=pagination, counts=counts,
                           stale=stale, counted_at=counted_at, rematch_form=RematchForm(), import_record=import_record,
                           params=params, sort_first_descending=SORT_FIRST_DESCENDING, labels=LABELS)


@bp.get("/", strict_slashes=False)
@requires_roles(*READERS)
def index():
    return _list_page(*_list_form())


@bp.get("/export.csv")
@requires_roles(*READERS)
def export():
    """The list as the page selects it (its filters and order), as a download for people."""
    form, filters = _list_form()
    if filters is None:
        return _list_page(form, None), 400
    # Names, IBANs and phone numbers of collectors, and the Inspectie's judgement of them: who took a
    # copy of which selection is recorded, as for the register's export.
    audit.record(SignalAction.EXPORTED, object_type="signal",
                 after={k: v for k, v in filters.items() if v not in (None, "", False)})
    return csv_response(iter_csv(page_queries.DOWNLOAD_COLUMNS, page_queries.download_rows(**filters)),
                        f"signalen-oordelen-{today_local().isoformat()}.csv")


@bp.post("/herbeoordelen")
@requires_roles(*READERS)
def rematch():
    """Queue the judging of every open signal that waits for it (the scheduled job's work) for the worker;
    the page of that work shows how far it is. Pressed again while it waits or runs: the same work."""
    form = RematchForm()
    if not form.validate_on_submit():
        flash("Het formulier is verlopen; probeer het opnieuw.", "error")
        return redirect(url_for("signals.index"))
    if not stale_count():
        flash("Er wachten geen signalen op herbeoordeling: alle open signalen zijn beoordeeld tegen de huidige "
              "stand van het register. Er is niets gewijzigd.", "info")
        return redirect(url_for("signals.index"))
    item, created = queue_rematch(actor=_actor())
    if created:
        flash("Het opnieuw beoordelen staat in de wachtrij; deze pagina laat zien hoe ver het is.", "success")
    else:
        flash("Het opnieuw beoordelen was al aangevraagd; dit is de voortgang daarvan.", "info")
    return redirect(url_for("signals.work", item_id=item.id))


@bp.get("/cijfers")
@requires_roles(*READERS)
def figures():
    form = FiguresForm(request.args)
    charts, period = None, None
    if form.validate_period(today_local()):
        start, end = form.period(today_local())
        charts = build_charts(page_queries.figures(start, end))
        period = (month_name(start), month_name(end))
    return render_template("signals/figures.html", form=form, charts=charts, period=period, labels=LABELS)


# ---------------------------------------------------------------- one signal, by staff


def _attachment(form: SignalForm) -> tuple[bytes, str] | None:
    upload = form.bijlage.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    return upload.read(), Path(upload.filename).name


@bp.route("/nieuw", methods=["GET", "POST"])
@requires_roles(*READERS)
def create():
    form = SignalForm()
    if request.method == "GET":
        form.ontvangen_op.data = today_local()
    if form.is_submitted():
        # Both the form's own checks and the intake's, so that every wrong value shows at once.
        valid = form.validate()
        values = form.values()
        # Without a reference of its own the signal gets the next staff reference (record_from_form), but
        # only once the form is right; until then a stand-in of the same form goes through the checks.
        checked = {**values, "referentie": values["referentie"] or staff_reference(today_local().year, 0)}
        if form.check_values(checked) and valid:
            try:
                signal = record_from_form(values, attachment=_attachment(form), actor=_actor())
            except ServiceError as exc:  # DuplicateSignal too: at the reference
                form.apply_service_error(exc)
            else:
                flash(f"Signaal {signal.referentie} is vastgelegd en beoordeeld, oordeel: "
                      f"{Verdict.labels().get(signal.verdict or '', 'nog geen oordeel').lower()}.", "success")
                return redirect(url_for("signals.signal", signal_id=signal.id))
    return render_template("signals/new.html", form=form, labels=LABELS)


# ---------------------------------------------------------------- a signal


def _chosen_candidate(shown: list[candidates.CandidateView]) -> candidates.CandidateView | None:
    """The candidate that "Dit is de partij" chose (``?kandidaat=<key>``), if it is one of this signal's."""
    key = request.args.get("kandidaat")
    if not key:
        return None
    return next((c for c in shown if c.key == key), None)


def _signal_page(signal_id: int, *, decide_form: DecideForm | None = None,
                 withdraw_form: WithdrawForm | None = None, status_form: StatusForm | None = None,
                 status_code: int = 200):
    signal = or_404(get_signal, signal_id)
    suspect = db.session.get(Suspect, signal.suspect_id) if signal.suspect_id else None
    shown = candidates.side_by_side(signal)
    numbers = [signal.auto_registratienummer, signal.decided_registratienummer, signal.clone_of,
               *(c.registratienummer for c in shown)]
    names = registration_names(numbers)
    version = signal_version(signal)
    chosen = None
    if decide_form is None:
        decide_form = DecideForm(prefix="oordeel", formdata=None)
        chosen = _chosen_candidate(shown)
        if chosen is not None:
            decide_form.oordeel.data = chosen.prefill["oordeel"]
            decide_form.registratienummer.data = chosen.prefill["registratienummer"]
            # The reason field takes focus (autofocus): what was chosen is read out with it.
            decide_form.reden.description = (f"U koos kandidaat {chosen.number}: {chosen.label}. Geef de reden; die "
                                             "komt in de geschiedenis van het signaal.")
        elif signal.verdict != Verdict.UNCERTAIN:  # confirming is choosing what stands; a doubt is no choice
            decide_form.oordeel.data = signal.verdict
            decide_form.registratienummer.data = signal.registratienummer
    if status_form is None:
        status_form = StatusForm(prefix="status", formdata=None)
    # The one change a person can make by hand; the button says which, and nothing happens without a reason.
    status_form.status.data = SignalStatus.CLOSED if signal.status == SignalStatus.OPEN else SignalStatus.OPEN
    if withdraw_form is None and signal.decided:
        withdraw_form = WithdrawForm(prefix="intrekken", formdata=None)
    page_forms = [f for f in (decide_form, withdraw_form, status_form) if f is not None]
    for form in page_forms:  # the state this page shows is the state a decision on it is based on
        form.versie.data = version
    return render_template(
        "signals/signal.html", signal=signal, suspect=suspect, names=names, candidates=shown, chosen=chosen,
        unknown_choice=request.method == "GET" and bool(request.args.get("kandidaat")) and chosen is None,
        likeness=candidates.name_likeness(signal, shown),
        explanation=candidates.explanation(signal.explanation_lines, numbers),
        ceiling=bik_ceiling(signal.hoofdsom) if signal.hoofdsom is not None else None, vat_factor=VAT_FACTOR,
        decide_form=decide_form, withdraw_form=withdraw_form, status_form=status_form,
        has_errors=any(f.all_errors for f in page_forms),
        events=audit.events_for("signal", signal.id, limit=50), actions=AUDIT_LABELS, labels=LABELS,
    ), status_code


@bp.get("/<int:signal_id>")
@requires_roles(*READERS)
def signal(signal_id: int):
    return _signal_page(signal_id)


@bp.get("/<int:signal_id>/bijlage")
@requires_roles(*READERS)
def attachment(signal_id: int):
    signal = or_404(get_signal, signal_id)
    if signal.attachment is None:
        abort(404)
    try:
        data = read_attachment(signal.attachment)
    except ServiceError:
        flash("De bijlage kan niet worden gelezen: het opgeslagen bestand ontbreekt of is beschadigd.", "error")
        return redirect(url_for("signals.signal", signal_id=signal.id))
    response = send_file(io.BytesIO(data), mimetype=signal.attachment.content_type, as_attachment=True,
                         download_name=signal.attachment.file_name, max_age=0)
    # A download only: the browser never guesses another type, and should it render the file anyway
    # (a PDF viewer, say), the sandbox keeps it from running scripts or reaching this application.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    return response


def _refused(form: Any, exc: ServiceError) -> int:
    """Show the refusal's message (the service undid its own writes: wki/core/service.py); the HTTP status of
    the page that says so."""
    form.apply_service_error(exc)
    return 409 if isinstance(exc, StaleSignal) else 200


def _note_if_stale(form: Any, signal: Signal) -> int:
    """A form with errors of its own, about a signal that changed meanwhile: say that too."""
    try:
        check_version(signal, form.versie.data or None)
    except StaleSignal as exc:
        form.form_errors.append(exc.message)
        return 409
    return 200


@bp.post("/<int:signal_id>/oordeel")
@requires_roles(*READERS)
def decide(signal_id: int):
    signal = or_404(get_signal, signal_id)
    form = DecideForm(prefix="oordeel")
    if not form.validate_on_submit():
        return _signal_page(signal_id, decide_form=form, status_code=_note_if_stale(form, signal))
    try:
        signal = decide_verdict(signal_id, verdict=form.oordeel.data,
                                registratienummer=form.registratienummer.data, reason=form.reden.data,
                                actor=_actor(), expected_version=form.versie.data or None)
    except ServiceError as exc:
        return _signal_page(signal_id, decide_form=form, status_code=_refused(form, exc))
    assert signal.decided_verdict is not None  # decide_verdict has just set it
    verdict = Verdict.labels()[signal.decided_verdict].lower()
    if signal.status == SignalStatus.CLOSED:
        flash(f"Het oordeel is vastgesteld: {verdict}. Het signaal is afgehandeld; een nieuwe beoordeling "
              "verandert het oordeel niet meer.", "success")
    else:
        flash(f"Het oordeel is vastgesteld: {verdict}. Het signaal blijft open tot iemand erover beslist.", "success")
    return redirect(url_for("signals.signal", signal_id=signal_id))


@bp.post("/<int:signal_id>/oordeel/intrekken")
@requires_roles(*READERS)
def withdraw(signal_id: int):
    signal = or_404(get_signal, signal_id)
    form = WithdrawForm(prefix="intrekken")
    if not form.validate_on_submit():
        return _signal_page(signal_id, withdraw_form=form, status_code=_note_if_stale(form, signal))
    try:
        signal = withdraw_decision(signal_id, reason=form.reden.data, actor=_actor(),
                                   expected_version=form.versie.data or None)
    except ServiceError as exc:
        return _signal_page(signal_id, withdraw_form=form, status_code=_refused(form, exc))
    flash("Het handmatige oordeel is ingetrokken; het automatische oordeel geldt weer: "
          f"{Verdict.labels().get(signal.auto_verdict or '', 'geen').lower()}. Het signaal is weer open.", "success")
    return redirect(url_for("signals.signal", signal_id=signal_id))


@bp.post("/<int:signal_id>/status")
@requires_roles(*READERS)
def status(signal_id: int):
    signal = or_404(get_signal, signal_id)
    form = StatusForm(prefix="status")
    if not form.validate_on_submit():
        return _signal_page(signal_id, status_form=form, status_code=_note_if_stale(form, signal))
    try:
        signal = set_status(signal_id, status=form.status.data, reason=form.reden.data,
                            actor=_actor(), expected_version=form.versie.data or None)
    except ServiceError as exc:
        return _signal_page(signal_id, status_form=form, status_code=_refused(form, exc))
    flash("Het signaal is afgesloten zonder oordeel." if signal.status == SignalStatus.CLOSED
          else "Het signaal is heropend.", "success")
    return redirect(url_for("signals.signal", signal_id=signal_id))


# ---------------------------------------------------------------- bulk files


@bp.route("/importeren", methods=["GET", "POST"])
@requires_roles(*READERS)
def import_file():
    form = ImportForm()
    rejected: SignalFileRejected | None = None
    if form.validate_on_submit():
        upload = form.bestand.data
        file_name = Path(upload.filename or "").name[:300] or None
        data = upload.read()
        if import_in_background(data):
            # A large file is read by the worker, not within this request (a worker timeout would lose it).
            item, created = queue_import(data, file_name=file_name, actor=_actor(),
                                         skip_invalid=bool(form.overslaan.data))
            flash(f"{file_name or 'Het bestand'} staat in de wachtrij om te worden ingelezen; deze pagina laat zien "
                  "hoe ver het is." if created else
                  f"{file_name or 'Dit bestand'} was al aangeboden; dit is de voortgang daarvan.",
                  "success" if created else "info")
            return redirect(url_for("signals.work", item_id=item.id))
        try:
            result = import_signals(data, file_name=file_name, actor=_actor(),
                                    skip_invalid=bool(form.overslaan.data))
        except SignalFileRejected as exc:
            form.bestand.errors = [exc.message]
            rejected = exc
        except ServiceError as exc:
            form.bestand.errors = [exc.message]
        else:
            counts = result.counts
            flash(f"{file_name or 'Het bestand'} is ingelezen: {counts['nieuw']} nieuw, {counts['dubbel']} dubbel, "
                  f"{counts['ongeldig']} overgeslagen.", "success")
            assert result.record is not None  # import_signals records every import it makes
            return redirect(url_for("signals.import_detail", import_id=result.record.id))
    return render_template("signals/import.html", form=form, rejected=rejected,
                           rejected_rows=[e.as_dict() for e in rejected.errors[:REPORT_LIMIT]] if rejected else [],
                           imports=page_queries.recent_imports(), labels=LABELS)


# Seconds between two refreshes of a work page while the work waits or runs (the ``Refresh`` header: no
# script needed, and the page's status region is read out again after each).
WORK_REFRESH_SECONDS = 3


@bp.get("/werk/<int:item_id>")
@requires_roles(*READERS)
def work(item_id: int):
    """How far a queued file or re-assessment is; when done, what came of it."""
    from wki.core import worker

    item = worker.get_item(item_id)
    if item is None or not item.kind.startswith("signals."):
        abort(404)
    import_record = None
    result = item.result or {}
    if item.status == worker.WorkStatus.DONE and result.get("import_id"):
        import_record = page_queries.get_import(result["import_id"])
    response = make_response(render_template(
        "signals/work.html", item=item, result=result, import_record=import_record, title=worker.kind_title(item.kind),
        refresh_seconds=WORK_REFRESH_SECONDS, report_limit=REPORT_LIMIT,
        labels=LABELS))
    if not item.finished:
        response.headers["Refresh"] = str(WORK_REFRESH_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/importeren/<int:import_id>")
@requires_roles(*READERS)
def import_detail(import_id: int):
    record = found_or_404(page_queries.get_import(import_id))
    return render_template("signals/import_detail.html", record=record, report=record.report or {},
                           counts=record.counts or {}, verdicts=page_queries.verdict_counts(import_id=import_id),
                           labels=LABELS)


@bp.get("/importeren/<int:import_id>/afgekeurd.csv")
@requires_roles(*READERS)
def import_rejects(import_id: int):
    found_or_404(page_queries.get_import(import_id))
    data = found_or_404(page_queries.import_rejects(import_id) or None)
    # Written when the file was read, by the same download helper (``imports._rejects_csv``).
    return csv_response(data, f"signalen-import-{import_id}-afgekeurd.csv")


# ---------------------------------------------------------------- mogelijke overtreders (suspects)


def _suspects_page(merge_form: Any = None):
    form = SuspectSearchForm(request.args)
    pagination = None
    names: dict[str, str] = {}
    if form.validate():
        pagination = page_queries.search_suspects(page=page_arg(), per_page=PER_PAGE, **form.filters())
        names = registration_names(s.clone_of for s in pagination.items)
    merge_form = merge_form or forms.MultiMergeForm(formdata=None)
    return render_template("signals/suspects.html", form=form, pagination=pagination, names=names,
                           merge_form=merge_form, chosen=set(merge_form.overtreders.data or []), labels=LABELS)


@bp.get("/mogelijke-overtreders")
@requires_roles(*READERS)
def suspects():
    return _suspects_page()


@bp.post("/mogelijke-overtreders/samenvoegen")
@requires_roles(*READERS)
def suspects_merge():
    """Merge the suspects chosen in the list into the one with the most signals."""
    form = forms.MultiMergeForm()
    if form.validate_on_submit():
        try:
            kept = merge_suspects(*form.overtreders.data, reason=form.reden.data, actor=_actor())
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            others = sorted(set(form.overtreders.data) - {kept.id})
            flash(f"Mogelijke {'overtreder' if len(others) == 1 else 'overtreders'} "
                  f"{', '.join(map(str, others))} {'is' if len(others) == 1 else 'zijn'} samengevoegd met mogelijke "
                  f"overtreder {kept.id}, die de meeste signalen had. Dat blijft zo bij elke nieuwe beoordeling.",
                  "success")
            return redirect(url_for("signals.suspect", suspect_id=kept.id))
    return _suspects_page(merge_form=form)


# The pages' former addresses ("verdachten"), kept for bookmarks and links in e-mails.
@bp.get("/verdachten")
@requires_roles(*READERS)
def suspects_moved():
    # Names with "_" are url_for's own parameters (_anchor, _scheme, ...), not the page's: a query string must not set them.
    args: dict[str, Any] = {k: v for k, v in request.args.to_dict(flat=False).items() if not k.startswith("_")}
    return redirect(url_for("signals.suspects", **args), 301)


@bp.get("/verdachten/<int:suspect_id>")
@requires_roles(*READERS)
def suspect_moved(suspect_id: int):
    return redirect(url_for("signals.suspect", suspect_id=suspect_id), 301)


def _split_choices(signals: list[Signal]) -> list[SelectChoice]:
    return [SelectChoice(s.id, f"{s.referentie}: {s.naam_incassant or 'zonder naam'} ({fmt_date(s.reference_date)})")
            for s in signals]


def _suggestion_forms(suggestions: list[Any], posted: tuple[int, MergeForm] | None) -> list[tuple[Any, MergeForm]]:
    """One merge form per suggestion, its reason filled in from why it was suggested (the person may
    change it); the form that was posted keeps what was typed, with its errors."""
    pairs = []
    for suggestion in suggestions:
        if posted is not None and posted[0] == suggestion.suspect_id:
            form = posted[1]
        else:
            form = MergeForm(prefix=f"voorstel-{suggestion.suspect_id}", formdata=None)
            form.andere.data = suggestion.suspect_id
            form.reden.data = suggestion.reason_text
        pairs.append((suggestion, form))
    return pairs


def _suspect_page(suspect_id: int, *, merge_form: MergeForm | None = None, split_form: SplitForm | None = None,
                  signals: list[Signal] | None = None, suggested: tuple[int, MergeForm] | None = None):
    suspect = or_404(get_suspect, suspect_id)
    if signals is None:
        signals = page_queries.suspect_signals(suspect.id)
    suggestions = _suggestion_forms(similar_suspects(suspect), suggested)
    if suggested is not None and not any(form is suggested[1] for _s, form in suggestions):
        merge_form = suggested[1]  # no longer suggested: its errors show with the form by number
    merge_form = merge_form or MergeForm(prefix="samenvoegen", formdata=None)
    if split_form is None:
        split_form = SplitForm(prefix="splitsen", formdata=None)
        split_form.signalen.choices = _split_choices(signals)
    identifiers = suspect.identifiers or {}
    forms_shown = [merge_form, split_form, *(form for _s, form in suggestions)]
    return render_template(
        "signals/suspect.html", suspect=suspect, signals=signals, identifiers=identifiers,
        priority_parts=identifiers.get("prioriteit") or [], suggestions=suggestions,
        merged_with=page_queries.merged_with(suspect.id) if suspect.status == SuspectStatus.EMPTY else [],
        names=registration_names([suspect.clone_of, *(s.clone_of for s in signals)]),
        panels=panels_for(SUSPECT_PAGE, suspect, current_user), merge_form=merge_form, split_form=split_form,
        error_forms=[f for f in forms_shown if f.all_errors],
        events=audit.events_for("suspect", suspect.id, limit=50), actions=AUDIT_LABELS, today=today_local(),
        labels=LABELS,
    )


@bp.get("/mogelijke-overtreders/<int:suspect_id>")
@requires_roles(*READERS)
def suspect(suspect_id: int):
    return _suspect_page(suspect_id)


@bp.post("/mogelijke-overtreders/<int:suspect_id>/samenvoegen")
@requires_roles(*READERS)
def suspect_merge(suspect_id: int):
    """Merge one other suspect into this one: a suggested one ("Mogelijk dezelfde", its form named after
    it), or one given by its number."""
    or_404(get_suspect, suspect_id)
    suggested = request.form.get("voorstel", type=int)
    form = MergeForm(prefix=f"voorstel-{suggested}" if suggested else "samenvoegen")
    if form.validate_on_submit():
        other = form.andere.data
        try:
            kept = merge_suspects(suspect_id, other, reason=form.reden.data, actor=_actor())
        except ServiceError as exc:
            if exc.field == "overtreders":  # which one: on this form, the other's number
                form.andere.errors = [*form.andere.errors, exc.message]
            else:
                form.apply_service_error(exc)
        else:
            flash(f"Mogelijke overtreder {other} is samengevoegd met mogelijke overtreder {suspect_id}; samen zijn ze "
                  f"nu mogelijke overtreder {kept.id}. Dat blijft zo bij elke nieuwe beoordeling.", "success")
            return redirect(url_for("signals.suspect", suspect_id=kept.id))
    if suggested:
        return _suspect_page(suspect_id, suggested=(suggested, form))
    return _suspect_page(suspect_id, merge_form=form)


@bp.post("/mogelijke-overtreders/<int:suspect_id>/splitsen")
@requires_roles(*READERS)
def suspect_split(suspect_id: int):
    or_404(get_suspect, suspect_id)
    signals = page_queries.suspect_signals(suspect_id)
    form = SplitForm(prefix="splitsen")
    form.signalen.choices = _split_choices(signals)
    if form.validate_on_submit():
        try:
            new = split_suspect(suspect_id, form.signalen.data, reason=form.reden.data,
                                actor=_actor())
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            n = len(form.signalen.data)
            flash(f"{n} {'signaal is' if n == 1 else 'signalen zijn'} afgesplitst van mogelijke overtreder "
                  f"{suspect_id}: dit is nu mogelijke overtreder {new.id}. Dat blijft zo bij elke nieuwe beoordeling.",
                  "success")
            return redirect(url_for("signals.suspect", suspect_id=new.id))
    return _suspect_page(suspect_id, split_form=form, signals=signals)
