"""Domain errors (with a Dutch message for the user) and the error pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class ServiceError(Exception):
    """A rule of the domain was broken; ``message`` is Dutch and safe to show to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(ServiceError):
    pass


class StateTransitionError(ServiceError):
    pass


class UnavailableError(ServiceError):
    """Something the application relies on failed (a stored file missing or damaged, a full disk): the
    operators' problem, not the user's; a page that does not catch it answers 503 with the message."""


ERROR_TEXTS = {
    400: ("Ongeldig verzoek", "Het verzoek kon niet worden verwerkt. Controleer wat u invulde en probeer het opnieuw."),
    403: ("Geen toegang", "U heeft geen toegang tot deze pagina. Denkt u dat dit niet klopt? Neem contact op met een beheerder."),
    404: ("Pagina niet gevonden", "Deze pagina bestaat niet (meer). Controleer het adres of ga naar het overzicht."),
    405: ("Niet toegestaan", "Deze handeling is op deze pagina niet toegestaan."),
    413: ("Bestand te groot", "Het verstuurde bestand is groter dan toegestaan."),
    429: ("Te veel verzoeken", "U heeft te veel verzoeken gedaan. Wacht even en probeer het opnieuw."),
    500: ("Er ging iets mis", "Er is een onverwachte fout opgetreden. De fout is vastgelegd; probeer het later opnieuw."),
    503: ("Tijdelijk niet beschikbaar", "De applicatie is tijdelijk niet beschikbaar. Probeer het later opnieuw."),
}


DATABASE_UNREACHABLE = ("De database is op dit moment niet bereikbaar, of te druk bezet. Er is niets gewijzigd. "
                        "Probeer het over enkele minuten opnieuw; blijft het probleem, meld het dan de beheerder.")


# SQLite reports a wrong statement as an OperationalError too ("no such column"); these say the database
# itself cannot be reached or written now.
_SQLITE_UNREACHABLE = ("database is locked", "database is busy", "unable to open database file", "disk i/o error",
                       "readonly database", "database or disk is full")


def database_unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database cannot be reached (the server gone, the connection dropped, the
    SQLite file unavailable or its lock held too long, no connection free), not that a statement was wrong."""
    if isinstance(exc, sa.exc.TimeoutError):  # the pool had no connection to give
        return True
    if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError):
        if type(exc.orig).__module__.startswith("sqlite3"):
            return any(text in str(exc.orig).lower() for text in _SQLITE_UNREACHABLE)
        return True
    return False


def render_error(code: int, detail: str | None = None) -> ResponseReturnValue:
    title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    if request.path.startswith("/api/"):  # machine clients get JSON, also for unknown URLs and methods
        return jsonify({"fouten": [{"veld": None, "melding": detail or f"{title}. {text}"}]}), code
    return render_template("errors/error.html", code=code, title=title, text=detail or text), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> ResponseReturnValue:
        app.logger.warning("csrf refused", extra={"path": request.path, "reason": exc.description})
        return render_error(400, "Het formulier is verlopen of ongeldig (beveiligingscontrole). "
                            "Ga terug, laad de pagina opnieuw en probeer het nog eens.")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        code = exc.code or 500
        if code < 400:
            return exc
        return render_error(code if code in ERROR_TEXTS else 400 if code < 500 else 500)

    @app.errorhandler(ServiceError)
    def refused(exc: ServiceError) -> ResponseReturnValue:
        """A domain refusal no view caught: its Dutch message, never a bare 500. A stored file that is
        missing or damaged (UnavailableError) is the operators' problem: logged as an error, answered 503."""
        if isinstance(exc, NotFoundError):
            return render_error(404, exc.message)
        if isinstance(exc, UnavailableError):
            app.logger.error("storage refused", extra={"path": request.path, "reason": exc.message})
            return render_error(503, exc.message)
        app.logger.warning("service refusal outside a form", extra={"path": request.path, "reason": exc.message})
        return render_error(400, exc.message)

    @app.errorhandler(sa.exc.SQLAlchemyError)
    def database_error(exc: sa.exc.SQLAlchemyError) -> ResponseReturnValue:
        """The database unreachable: 503 with a Dutch page (no stack trace), logged; anything else is a 500."""
        from wki.core.extensions import db, login_manager

        if not database_unreachable(exc):
            return unhandled(exc)
        app.logger.error("database unreachable", extra={"path": request.path, "error": type(exc).__name__,
                                                        "reason": str(getattr(exc, "orig", exc))[:300]})
        try:
            db.session.rollback()
        except sa.exc.SQLAlchemyError:  # the connection is gone; the request's teardown discards the session
            pass
        # The page must not ask the database again: the layout's user (and its navigation) is anonymous.
        g._login_user = login_manager.anonymous_user()
        return render_error(503, DATABASE_UNREACHABLE)

    @app.errorhandler(Exception)
    def unhandled(exc: Exception) -> ResponseReturnValue:
        app.logger.exception("unhandled error", extra={"path": request.path})
        return render_error(500)
