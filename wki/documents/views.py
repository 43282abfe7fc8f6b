"""Pages of the Documenten section: letter types and their texts (versions, diffs, four-eyes publishing, the
editor), previews of a letter for a chosen recipient, and the documents issued.

Thin views: ``texts`` and ``issuing`` read and write (and audit); the request commits once (wki/core/web.py).
Who may *write* a type's texts is the type's own rule (``texts.may_use``), checked here for the editor (403)
and by the service for publishing; reading texts, previews and issued documents is for every READER.
"""

from __future__ import annotations

import base64
from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from wki.core import audit
from wki.core.actors import Actor
from wki.core.auth import Role, requires_roles
from wki.core.clock import today_local
from wki.core.errors import ServiceError, render_error
from wki.core.features import recipient_sources
from wki.core.forms import ConfirmForm
from wki.core.lookups import found_or_404
from wki.core.paging import PAGE_ARG, page_arg
from wki.documents import READERS, bp, issuing, placeholders, rendering, texts
from wki.documents.audit_actions import DocumentAction
from wki.documents.forms import PREVIEW, DocumentSearchForm, PreviewForm, TextForm
from wki.documents.models import Audience, Document, LetterText, LetterType, TextStatus

PER_PAGE = 50
RECENT = 10
# Which recipient source (wki.core.features.RecipientSource.key) finds one party of an audience, and what
# the person types to name it.
SOURCE_FOR_AUDIENCE = {"registratie": "register", "overtreder": "overtreders"}
IDENTIFIER_LABEL = {"registratie": "Registratienummer", "overtreder": "Nummer van de mogelijke overtreder"}


def _actor() -> Actor:
    return Actor.of(current_user)


def _url_if_exists(endpoint: str, **values: Any) -> str | None:
    """A link to a page another part builds (the mailings), or None while it does not exist."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


@bp.context_processor
def _section_links() -> dict[str, Any]:
    """The section's navigation (documents/_nav.html) links to the mailings once that part exists."""
    return {"documents_mailings_url": _url_if_exists("documents.mailings")}


def _letter_type(slug: str) -> LetterType:
    return found_or_404(texts.get_letter_type(slug))


def _version(letter_type: LetterType, number: int) -> LetterText:
    return found_or_404(texts.get_version(letter_type, number))


def _role_labels(letter_type: LetterType) -> list[str]:
    labels = [Role(r).label for r in letter_type.roles if r in {role.value for role in Role}]
    if Role.BEHEERDER.value not in letter_type.roles:
        labels.append("Beheerder (altijd)")
    return labels


def _field_list(letter_type: LetterType) -> list[tuple[str, str]]:
    return list(texts.fields_of(letter_type).items())


def _block_list(letter_type: LetterType) -> list[tuple[str, str]]:
    return [(name, issuing.block_title(name)) for name in letter_type.blocks]


# ---------------------------------------------------------------- the section's start


@bp.get("/", strict_slashes=False)
@requires_roles(*READERS)
def index():
    by_type = texts.texts_by_type()
    rows = []
    for letter_type in texts.list_letter_types():
        versions = by_type.get(letter_type.id, [])
        rows.append({
            "type": letter_type,
            "audience": Audience.label_of(str(letter_type.audience)),
            "published": next((t for t in versions if t.status == TextStatus.PUBLISHED), None),
            "drafts": [t for t in versions if t.status == TextStatus.DRAFT],
        })
    return render_template("documents/index.html", rows=rows, recent=issuing.recent_documents(RECENT))


# ---------------------------------------------------------------- a letter type and its versions


@bp.get("/briefsoorten/<string:slug>")
@requires_roles(*READERS)
def letter_type(slug: str):
    lt = _letter_type(slug)
    return render_template("documents/letter_type.html", lt=lt, audience=Audience.label_of(str(lt.audience)),
                           roles=_role_labels(lt), fields=_field_list(lt), blocks=_block_list(lt),
                           published=texts.published_text(lt), versions=texts.versions_of(lt),
                           may_write=texts.may_use(lt, current_user.role_set))


def _why_not_publish(lt: LetterType, text: LetterText) -> str | None:
    """Why the current user cannot publish ``text`` (Dutch), or None when they can."""
    if text.status != TextStatus.DRAFT:
        return (f"Versie {text.number} is {TextStatus.label_of(str(text.status)).lower()}; alleen een concept kan "
                "worden gepubliceerd.")
    if not texts.may_use(lt, current_user.role_set):
        return f"U mag geen teksten voor ‘{lt.title}’ publiceren (dat mogen: {', '.join(_role_labels(lt))})."
    if texts._same_person(text, _actor()):
        return "U heeft deze versie zelf geschreven. Een collega publiceert haar (vier ogen)."
    return None


@bp.get("/briefsoorten/<string:slug>/versies/<int:number>")
@requires_roles(*READERS)
def text_version(slug: str, number: int):
    lt = _letter_type(slug)
    text = _version(lt, number)
    previous = texts.previous_version(text)
    diff = texts.diff_texts(previous, text)
    why_not = _why_not_publish(lt, text)
    return render_template("documents/text_version.html", lt=lt, text=text, previous=previous, diff=diff,
                           changed=sum(1 for line in diff if line.kind != "same"),
                           why_not=why_not, publish_form=ConfirmForm() if why_not is None else None)


@bp.post("/briefsoorten/<string:slug>/versies/<int:number>/publiceren")
@requires_roles(*READERS)
def publish_text(slug: str, number: int):
    lt = _letter_type(slug)
    text = _version(lt, number)
    if not ConfirmForm().validate_on_submit():
        flash("Het formulier is verlopen; probeer het opnieuw.", "error")
    else:
        try:
            texts.publish_text(text, actor=_actor(), roles=current_user.role_set)
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(f"Versie {text.number} van ‘{lt.title}’ is gepubliceerd. Nieuwe brieven en mailings gebruiken "
                  "vanaf nu deze tekst.", "success")
    return redirect(url_for("documents.text_version", slug=lt.slug, number=text.number))


# ---------------------------------------------------------------- the editor


def _show_problems(form: TextForm, problems: list[placeholders.Problem]) -> None:
    """Every problem as its own error, each with its line: the subject's at the subject, the rest at the body."""
    for problem in problems:
        message = problem.message
        if message.startswith("Onderwerp: "):
            form.subject.errors = [*form.subject.errors, message]
            continue
        if not message.startswith("Regel "):
            message = f"Regel {problem.line}: {message}"
        form.body.errors = [*form.body.errors, message]


def _png_data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _preview_of_typed(lt: LetterType, subject: str, body: str) -> dict[str, Any]:
    """The first page of the typed (unsaved) text for the sample recipient, as an inline image."""
    draft = LetterText(letter_type_id=lt.id, number=0, subject=subject, body=body)  # never added to the session
    recipient = issuing.sample_recipient(lt)
    try:
        rendered = _render_preview(lt, draft, recipient)
        return {"png": _png_data_url(rendering.first_page_png(rendered.pdf)), "pages": rendered.pages,
                "naam": recipient["naam"]}
    except RuntimeError as exc:  # pdftoppm failed: say so, keep the text
        return {"error": str(exc)}


@bp.route("/briefsoorten/<string:slug>/bewerken", methods=["GET", "POST"])
@requires_roles(*READERS)
def edit_text(slug: str):
    lt = _letter_type(slug)
    if not texts.may_use(lt, current_user.role_set):
        abort(403)
    versions = texts.versions_of(lt)
    latest = versions[0] if versions else None
    form = TextForm()
    preview = None
    if request.method == "GET" and latest is not None:
        form.subject.data, form.body.data, form.based_on.data = latest.subject, latest.body, str(latest.id)
    if form.validate_on_submit():
        based_on_id = form.based_on_id()
        based_on = texts.get_text(based_on_id) if based_on_id is not None else None
        if based_on is not None and based_on.letter_type_id != lt.id:
            based_on = None
        subject, body = form.subject.data or "", form.body.data or ""
        if request.form.get("actie") == PREVIEW:
            problems = texts.check_text(lt, subject=subject, body=body)
            if problems:
                _show_problems(form, problems)
            elif not subject.strip() or not body.strip():
                form.form_errors.append("Vul het onderwerp en de tekst in om een voorbeeld te zien.")
            else:
                preview = _preview_of_typed(lt, subject, body)
        else:
            try:
                text = texts.save_text(lt, subject=subject, body=body, note=form.note.data or "", actor=_actor(),
                                       roles=current_user.role_set, based_on=based_on)
            except texts.TextProblems as exc:
                _show_problems(form, exc.problems)
            except ServiceError as exc:
                form.apply_service_error(exc)
            else:
                flash(f"Versie {text.number} is opgeslagen als concept. Een collega publiceert haar.", "success")
                return redirect(url_for("documents.text_version", slug=lt.slug, number=text.number))
    return render_template("documents/edit_text.html", lt=lt, form=form, latest=latest, fields=_field_list(lt),
                           blocks=_block_list(lt), preview=preview)


# ---------------------------------------------------------------- previews


def _render_preview(lt: LetterType, text: LetterText, recipient: dict[str, Any]) -> issuing.Rendered:
    """The concept PDF (no kenmerk, marked "Concept") of ``text`` for ``recipient``; the type's own fields
    (filled in per mailing or document) show their label in brackets."""
    letter = issuing.compose(lt, text, recipient, extra_values=issuing.sample_extra_values(lt),
                             document_date=today_local(), concept=True)
    return issuing.render(letter, author=issuing.author_name())


def _find_recipient(lt: LetterType, identifier: str) -> tuple[dict[str, Any] | None, str | None]:
    """(recipient, None), or (None, why not) for an identifier the person typed; empty: the sample."""
    identifier = (identifier or "").strip()
    if not identifier or identifier == issuing.SAMPLE_KEY:
        return issuing.sample_recipient(lt), None
    audience = str(lt.audience)
    source = recipient_sources().get(SOURCE_FOR_AUDIENCE.get(audience, ""))
    if source is None or source.find is None:
        return None, ("Voor deze briefsoort is alleen een voorbeeldontvanger beschikbaar." if audience == "adres"
                      else "Ontvangers opzoeken is nog niet beschikbaar; het voorbeeld gebruikt verzonnen gegevens.")
    found = source.find(identifier, today_local())
    if found is None:
        return None, f"{IDENTIFIER_LABEL.get(audience, 'Ontvanger')} ‘{identifier}’ is niet gevonden."
    return found, None


def _preview_args(lt: LetterType) -> tuple[PreviewForm, LetterText, dict[str, Any] | None, str | None]:
    versions = texts.versions_of(lt)
    if not versions:
        abort(404)
    form = PreviewForm(request.args)
    form.set_versions([(t.number, f"Versie {t.number} ({TextStatus.label_of(str(t.status)).lower()})")
                       for t in versions])
    published = next((t for t in versions if t.status == TextStatus.PUBLISHED), versions[0])
    asked = (form.versie.data or "").strip()
    text = next((t for t in versions if str(t.number) == asked), None) if asked else published
    if text is None:
        abort(404)
    form.versie.data = str(text.number)
    label = IDENTIFIER_LABEL.get(str(lt.audience))
    if label:
        form.ontvanger.label.text = f"Ontvanger: {label.lower()}"
        form.ontvanger.description = "Leeg laten voor een verzonnen voorbeeldontvanger."
    if not form.validate():
        return form, text, None, None
    recipient, problem = _find_recipient(lt, form.ontvanger.data or "")
    return form, text, recipient, problem


def _preview_query(text: LetterText, form: PreviewForm) -> dict[str, str]:
    query = {"versie": str(text.number)}
    if (form.ontvanger.data or "").strip():
        query["ontvanger"] = form.ontvanger.data.strip()
    return query


@bp.get("/briefsoorten/<string:slug>/voorbeeld")
@requires_roles(*READERS)
def preview(slug: str):
    lt = _letter_type(slug)
    form, text, recipient, problem = _preview_args(lt)
    missing: list[placeholders.Problem] = []
    if recipient is not None:
        missing = issuing.missing_for(lt, text, recipient, issuing.sample_extra_values(lt), today_local())
    return render_template("documents/preview.html", lt=lt, form=form, text=text, recipient=recipient,
                           problem=problem, missing=missing, query=_preview_query(text, form),
                           identifier_label=IDENTIFIER_LABEL.get(str(lt.audience)),
                           is_sample=recipient is not None and recipient.get("key") == issuing.SAMPLE_KEY)


def _preview_file(slug: str, kind: str) -> tuple[LetterType, LetterText, dict[str, Any], issuing.Rendered]:
    lt = _letter_type(slug)
    _form, text, recipient, _problem = _preview_args(lt)
    if recipient is None:
        abort(404)
    if issuing.missing_for(lt, text, recipient, issuing.sample_extra_values(lt), today_local()):
        abort(400)
    try:
        rendered = _render_preview(lt, text, recipient)
    except placeholders.TemplateTextError:
        abort(400)
    audit.record(DocumentAction.PREVIEWED, object_type="letter_text", object_id=text.id,
                 after={"soort": lt.slug, "versie": text.number, "ontvanger": recipient.get("key"), "bestand": kind})
    return lt, text, recipient, rendered


@bp.get("/briefsoorten/<string:slug>/voorbeeld.pdf")
@requires_roles(*READERS)
def preview_pdf(slug: str):
    lt, text, _recipient, rendered = _preview_file(slug, "pdf")
    filename = f"voorbeeld-{lt.slug}-versie-{text.number}.pdf"
    return Response(rendered.pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


@bp.get("/briefsoorten/<string:slug>/voorbeeld.png")
@requires_roles(*READERS)
def preview_png(slug: str):
    _lt, _text, _recipient, rendered = _preview_file(slug, "png")
    try:
        png = rendering.first_page_png(rendered.pdf)
    except RuntimeError as exc:
        return render_error(500, str(exc))
    return Response(png, mimetype="image/png")


# ---------------------------------------------------------------- issued documents


def _document(kenmerk: str) -> Document:
    if issuing.parse_kenmerk(kenmerk) is None:
        abort(404)
    return found_or_404(issuing.get_document(kenmerk))


@bp.get("/uitgegeven")
@requires_roles(*READERS)
def documents():
    form = DocumentSearchForm(request.args)
    form.set_types([(t.slug, t.title) for t in texts.list_letter_types()])
    pagination = None
    if form.validate():
        pagination = issuing.search_documents(**form.filters(), page=page_arg(), per_page=PER_PAGE)
    params = {k: v for k, v in request.args.items() if k != PAGE_ARG and v != ""}
    titles = {t.slug: t.title for t in texts.list_letter_types()}
    return render_template("documents/documents.html", form=form, pagination=pagination, params=params,
                           titles=titles)


@bp.get("/<string:kenmerk>")
@requires_roles(*READERS)
def document(kenmerk: str):
    doc = _document(kenmerk)
    lt = texts.get_letter_type(doc.letter_type_slug)
    text = texts.get_text(doc.letter_text_id) if doc.letter_text_id else None
    return render_template(
        "documents/document.html", doc=doc, lt=lt, text=text,
        supersedes=issuing.get_document_by_id(doc.supersedes_id), superseded_by=issuing.superseded_by(doc),
        mailing_url=_url_if_exists("documents.mailing", mailing_id=doc.mailing_id) if doc.mailing_id else None)


@bp.get("/<string:kenmerk>/pdf")
@requires_roles(*READERS)
def document_pdf(kenmerk: str):
    doc = _document(kenmerk)
    data = issuing.document_pdf(doc, actor=_actor())
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{doc.kenmerk}.pdf"',
                             "Cache-Control": "no-store"})
