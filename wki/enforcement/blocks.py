"""The blocks an enforcement document places: one per section (``((blok:handhaving_feiten))``), each a
function from plain data to trusted HTML for the documents engine.

A section's value is a list of parts, so that the officer's text and the generated parts (the legal
framework, the operative part, the remedies clause) are rendered the same way and every piece of text is
escaped here, once:

- ``{"p": "text"}``: a paragraph (a single line break becomes ``<br>``);
- ``{"ul": ["item", ...]}``: a bulleted list;
- ``{"dl": [["term", "value"], ...]}``: a table of terms and values (the order's terms, an address);
- ``{"table": {"head": [...], "rows": [[...], ...]}}``: a table (a forfeiture calculation).

The officer's text becomes paragraphs at its blank lines (``paragraphs``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import escape

from wki.core.errors import ServiceError
from wki.documents import services as documents

BLOCK_PREFIX = "handhaving_"

Part = dict[str, Any]


def block_name(section: str) -> str:
    return f"{BLOCK_PREFIX}{section}"


def paragraphs(text: str | None) -> list[Part]:
    """The officer's text as paragraph parts: split at blank lines, empty ones left out."""
    normalised = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    result: list[Part] = []
    for chunk in normalised.split("\n\n"):
        lines = [line.rstrip() for line in chunk.strip("\n").split("\n")]
        if any(line.strip() for line in lines):
            result.append({"p": "\n".join(line for line in lines if line.strip())})
    return result


def _inline(text: Any) -> str:
    return "<br>".join(str(escape(line)) for line in str(text if text is not None else "").split("\n"))


def _part(part: Mapping[str, Any]) -> str:
    if "p" in part:
        return f"<p>{_inline(part['p'])}</p>"
    if "ul" in part:
        return "<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in part["ul"]) + "</ul>"
    if "dl" in part:
        rows = "".join(f"<tr><th scope=\"row\">{_inline(term)}</th><td>{_inline(value)}</td></tr>"
                       for term, value in part["dl"])
        return f"<table class=\"blok blok--termen\"><tbody>{rows}</tbody></table>"
    if "table" in part:
        table = part["table"]
        head = "".join(f"<th scope=\"col\">{_inline(cell)}</th>" for cell in table.get("head") or [])
        body = "".join("<tr>" + "".join(f"<td>{_inline(cell)}</td>" for cell in row) + "</tr>"
                       for row in table.get("rows") or [])
        return (f"<table class=\"blok\">{f'<thead><tr>{head}</tr></thead>' if head else ''}"
                f"<tbody>{body}</tbody></table>")
    raise ValueError(f"unknown part {sorted(part)}")


def render_parts(value: Any) -> str:
    """A section's parts as trusted HTML; a section without content refuses the letter (never a bare
    heading in an issued decision)."""
    parts: Iterable[Mapping[str, Any]] = value if isinstance(value, list) else []
    html = "".join(_part(part) for part in parts)
    if not html:
        raise ServiceError("Een onderdeel van het handhavingsdocument is leeg; het kan zo niet worden gemaakt.")
    return f"<div class=\"handhaving-onderdeel\">{html}</div>"


def register(titles: Mapping[str, str]) -> None:
    """Register a block per section with the documents engine (its title shows in the text editor)."""
    for section, title in titles.items():
        documents.register_block(block_name(section), title, render_parts)
