"""The ``pagina`` query parameter of every paged list, bounded.

A page number is a Python int of any size; turned into an OFFSET it overflows SQLite's and PostgreSQL's
integers (``?pagina=99999999999999999999``). Pages past the last are empty (``error_out=False``), so
any number up to ``MAX_PAGE`` is harmless; ``core.web`` sends a request for a higher page on to
``MAX_PAGE``, and ``page_arg`` reads the parameter within bounds for the views.
"""

from __future__ import annotations

from flask import request

PAGE_ARG = "pagina"
MAX_PAGE = 100_000


def clamp_page(value: str | None) -> int:
    """1 for a missing or unreadable value, else the number within 1..MAX_PAGE."""
    try:
        page = int(value or "")
    except ValueError:
        return 1
    return min(max(page, 1), MAX_PAGE)


def page_arg(name: str = PAGE_ARG) -> int:
    """The requested page of a list: always an int within 1..MAX_PAGE."""
    return clamp_page(request.args.get(name))
