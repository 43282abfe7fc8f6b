"""Not found: one way for a page to answer 404 for something that does not exist.

Three shapes of lookup, one answer (the error page "Pagina niet gevonden"; the description is for the
log and for anyone reading the exception, the page shows its own text):

- ``get_or_404(Model, id)``: a row by its primary key;
- ``or_404(service.get_x, id)``: a service's lookup that raises ``NotFoundError``;
- ``found_or_404(value)``: a lookup that returns ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from flask import abort

from wki.core.errors import NotFoundError
from wki.core.extensions import db

T = TypeVar("T")

NOT_FOUND = "Niet gevonden."


def not_found(description: str = NOT_FOUND) -> NoReturn:
    abort(404, description=description)


def found_or_404(value: T | None, description: str = NOT_FOUND) -> T:
    """``value``, or the 404 page when it is ``None``."""
    if value is None:
        not_found(description)
    return value


def get_or_404(model: type[T], ident: Any, description: str = NOT_FOUND) -> T:
    """The row of ``model`` with primary key ``ident``, or the 404 page."""
    return found_or_404(db.session.get(model, ident), description)


def or_404(lookup: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """What ``lookup`` returns, or the 404 page when it raises ``NotFoundError`` (with its Dutch message)."""
    try:
        return lookup(*args, **kwargs)
    except NotFoundError as exc:
        not_found(exc.message)
