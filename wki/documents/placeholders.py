"""The letter-text language: what staff write as the body of a letter, checked and rendered to safe HTML.

Staff write plain text with light markup and placeholders in double round brackets, as GOV.UK Notify's
users do; they never write Jinja or HTML. A body is parsed once (the parse is cached by its text) into
lines of inline nodes, checked with line numbers that the editing form can show, and compiled into a
Jinja source in which every piece of staff text is HTML-escaped with its braces written as ``&#123;`` /
``&#125;``: text that looks like Jinja (``{{ 7*7 }}``) can therefore never become Jinja. That source is
rendered in Jinja's immutable sandbox with no globals, filters or tests, on a plain dict of strings, so
even a source that somehow got through could not reach Python internals.

Syntax (see ``check``):

- ``((naam))``: a placeholder; names are ``[a-z][a-z0-9_]*``, spaces inside the brackets are tolerated.
- ``((iban??Uw rekeningnummer is ((iban)).))``: optional text, shown only when ``iban`` has a value. It
  may hold placeholders and bold text, not other optional text.
- ``((blok:boeteberekening))`` alone on a line: a structured part (a table) supplied by the caller.
- ``# Kop`` (h2), ``## Subkop`` (h3), ``* `` / ``- `` bullets, ``1. `` numbered items, ``**vet**``,
  blank lines between paragraphs and a ``<br>`` for a single newline. Everything else is literal text.

A placeholder, an optional text and a block each stay on one line: an unclosed ``((`` is reported on its
own line instead of silently swallowing the rest of the letter. The first ``))`` closes: in
``((a??(zie ((b)))))`` the optional text ends after ``((b))`` and the last ``)`` is text after it.

This module is pure Python (no Flask, no database): features hand it plain data, never ORM objects.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import markupsafe
from jinja2 import StrictUndefined, Template
from jinja2.sandbox import ImmutableSandboxedEnvironment

__all__ = [
    "Problem",
    "TemplateTextError",
    "check",
    "check_text",
    "compile_source",
    "missing_values",
    "render_html",
    "render_text",
    "required_fields",
    "sandbox_render",
    "used_blocks",
    "used_fields",
]

NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
BLOCK_PREFIX = "blok:"

# A heading, bullet or numbered-list marker at the start of a (left-stripped) line. Numbers are bounded so
# that a line of digits cannot become an absurd ``start`` attribute.
_MARKER = re.compile(r"(##?|[*-]|[0-9]{1,9}\.) ")

# Parses and templates are kept by their text: a mailing renders the same body for every recipient.
# Bounded, because a body can be long (a 10,000-line text is a few hundred kB).
_CACHE_SIZE = 64

# How many known names a message lists before it stops; a letter type can have dozens of fields.
_LISTED_NAMES = 12


# ---------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a text, at a 1-based line and column, with a Dutch message for staff."""

    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return self.message


class TemplateTextError(ValueError):
    """A text that cannot be rendered (syntax, unknown block, missing values): a run renders no half letter."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def _problem(line: int, column: int, text: str) -> Problem:
    return Problem(line=line, column=column, message=f"Regel {line}: {text}")


def _ordered(problems: Iterator[Problem] | Sequence[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda problem: (problem.line, problem.column))


# ---------------------------------------------------------------- the parsed form


@dataclass(frozen=True)
class _Text:
    text: str


@dataclass(frozen=True)
class _Field:
    name: str
    line: int
    column: int


@dataclass(frozen=True)
class _Optional:
    name: str
    line: int
    column: int
    children: tuple[_Inline, ...]


@dataclass(frozen=True)
class _Block:
    name: str
    line: int
    column: int


_Inline = _Text | _Field | _Optional | _Block


@dataclass(frozen=True)
class _Line:
    number: int
    # "blank", "h2", "h3", "ul", "ol", "p" or "block"
    kind: str
    nodes: tuple[_Inline, ...]
    # the first number of a numbered item (``<ol start>``)
    start: int = 1


@dataclass(frozen=True)
class _Document:
    lines: tuple[_Line, ...]
    problems: tuple[Problem, ...]


def _normalise(body: str) -> str:
    """Texts come from Windows browsers and files with a BOM: both are noise, never content."""
    return body.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


class _LineParser:
    """Parses one line's inline nodes, collecting problems; columns are 1-based in the original line."""

    def __init__(self, text: str, number: int, problems: list[Problem]) -> None:
        self.text = text
        self.number = number
        self.problems = problems

    def report(self, index: int, message: str) -> None:
        self.problems.append(_problem(self.number, index + 1, message))

    def inline(self, pos: int, *, depth: int, closing: bool) -> tuple[tuple[_Inline, ...], int, bool]:
        """Nodes from ``pos`` to the end of the line, or up to the ``))`` that closes an optional text.

        Returns the nodes, the index after them and whether a closing ``))`` was found.
        """
        text, end = self.text, len(self.text)
        nodes: list[_Inline] = []
        literal_from = scan = pos
        while True:
            opening = text.find("((", scan)
            close = text.find("))", scan)
            if opening == -1 and close == -1:
                break
            if close != -1 and (opening == -1 or close < opening):
                if closing:
                    _append_text(nodes, text[literal_from:close])
                    return tuple(nodes), close + 2, True
                self.report(
                    close,
                    f"'))' op kolom {close + 1} hoort bij geen '(('. Een veld schrijft u als ((naam)).",
                )
                scan = close + 2
                continue
            parsed = self.field(opening, depth=depth)
            if parsed is None:  # an unclosed "((" stays literal text; what follows is still checked
                scan = opening + 2
                continue
            node, after = parsed
            _append_text(nodes, text[literal_from:opening])
            nodes.append(node)
            literal_from = scan = after
        _append_text(nodes, text[literal_from:end])
        return tuple(nodes), end, False

    def field(self, opening: int, *, depth: int) -> tuple[_Inline, int] | None:
        """The placeholder, optional text or block that starts with the ``((`` at ``opening``."""
        text, start = self.text, opening + 2
        found = {kind: text.find(token, start) for kind, token in (("close", "))"), ("if", "??"), ("open", "(("))}
        stops = sorted((index, kind) for kind, index in found.items() if index != -1)
        if not stops or stops[0][1] == "open":
            self.report(opening, f"'((' op kolom {opening + 1} wordt niet gesloten met '))' op dezelfde regel.")
            return None
        stop, kind = stops[0]
        head = text[start:stop].strip()
        raw = text[opening : stop + 2]
        if kind == "close":
            return self.placeholder(opening, head, raw), stop + 2

        children, after, closed = self.inline(stop + 2, depth=depth + 1, closing=True)
        if not closed:
            self.report(opening, f"'((' op kolom {opening + 1} wordt niet gesloten met '))' op dezelfde regel.")
        if not head:
            self.report(
                opening,
                "'??' zonder veldnaam ervoor. Schrijf ((veld??tekst)): de tekst verschijnt alleen als het veld "
                "een waarde heeft.",
            )
        elif head.startswith(BLOCK_PREFIX):
            self.report(opening, f"een blok kan geen voorwaardelijke tekst hebben: (({head}??…)).")
        elif not NAME_PATTERN.fullmatch(head):
            self.report(opening, _invalid_name_message(head))
        if depth > 0:
            self.report(
                opening,
                f"voorwaardelijke tekst ((…??…)) binnen voorwaardelijke tekst kan niet (bij (({head}??…)). "
                "Schrijf de voorwaarden na elkaar.",
            )
        return _Optional(head, self.number, opening + 1, children), after

    def placeholder(self, opening: int, head: str, raw: str) -> _Inline:
        if head.startswith(BLOCK_PREFIX):
            name = head.removeprefix(BLOCK_PREFIX).strip()
            if not name:
                self.report(opening, "blok zonder naam ((blok:)). Schrijf bijvoorbeeld ((blok:boeteberekening)).")
                return _Text(raw)
            if not NAME_PATTERN.fullmatch(name):
                self.report(opening, _invalid_name_message(name, block=True))
                return _Text(raw)
            return _Block(name, self.number, opening + 1)
        if not head:
            self.report(
                opening,
                "lege plaatshouder (()). Schrijf de naam van een veld tussen de haakjes, bijvoorbeeld ((naam)).",
            )
            return _Text(raw)
        if not NAME_PATTERN.fullmatch(head):
            self.report(opening, _invalid_name_message(head))
            return _Text(raw)
        return _Field(head, self.number, opening + 1)


def _append_text(nodes: list[_Inline], text: str) -> None:
    if text:
        nodes.append(_Text(text))


def _invalid_name_message(name: str, *, block: bool = False) -> str:
    shown = f"((blok:{name}))" if block else f"(({name}))"
    message = (
        f"ongeldige {'bloknaam' if block else 'veldnaam'} {shown}. Een naam bestaat uit kleine letters, cijfers "
        "en _, en begint met een letter."
    )
    guess = re.sub(r"[\s-]+", "_", name.strip().lower())
    if NAME_PATTERN.fullmatch(guess):
        message += f" Bedoelt u ((blok:{guess}))?" if block else f" Bedoelt u (({guess}))?"
    return message


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _parse(body: str, *, markup: bool) -> _Document:
    """The parsed body and its syntax problems (names are not checked against anything here).

    With ``markup`` false (a subject line) there are no headings, lists or blocks, and only one line.
    """
    problems: list[Problem] = []
    lines: list[_Line] = []
    text = _normalise(body)
    if not markup:
        text = text.rstrip("\n")
    for number, line in enumerate(text.split("\n"), start=1):
        parser = _LineParser(line, number, problems)
        if not markup:
            if number > 1:
                problems.append(_problem(number, 1, "deze tekst mag maar één regel hebben."))
                break
            nodes, _, _ = parser.inline(0, depth=0, closing=False)
            lines.append(_Line(number, "p", nodes))
            continue
        content = line.lstrip()
        if not content.strip():
            lines.append(_Line(number, "blank", ()))
            continue
        indent = len(line) - len(content)
        kind, start, pos = "p", 1, indent
        marker = _MARKER.match(content)
        if marker and content[marker.end() :].strip():  # a lone "# " or "- " is text, not an empty heading
            token = marker.group(1)
            kind = {"#": "h2", "##": "h3", "*": "ul", "-": "ul"}.get(token, "ol")
            if kind == "ol":
                start = int(token[:-1])
            pos = indent + marker.end()
        nodes, _, _ = parser.inline(pos, depth=0, closing=False)
        if kind == "p":
            words = [node for node in nodes if not (isinstance(node, _Text) and not node.text.strip())]
            if len(words) == 1 and isinstance(words[0], _Block):
                kind, nodes = "block", (words[0],)
        lines.append(_Line(number, kind, nodes, start))

    for parsed in lines:
        if parsed.kind == "block":
            continue
        for block in _walk(parsed.nodes):
            if not isinstance(block, _Block):
                continue
            problems.append(
                _problem(
                    block.line,
                    block.column,
                    f"een blok ((blok:{block.name})) hoort alleen op een eigen regel te staan, zonder andere tekst."
                    if markup
                    else f"een blok ((blok:{block.name})) kan alleen in de tekst van een brief staan.",
                )
            )
    return _Document(tuple(lines), tuple(_ordered(problems)))


def _walk(nodes: Sequence[_Inline]) -> Iterator[_Inline]:
    """All nodes in document order, into optional texts (an optional text before its contents)."""
    for node in nodes:
        yield node
        if isinstance(node, _Optional):
            yield from _walk(node.children)


def _names(nodes: Sequence[_Inline]) -> list[str]:
    """Valid field names (placeholders and conditions) in order of first use."""
    return _unique(node.name for node in _walk(nodes) if isinstance(node, _Field | _Optional))


def _all_nodes(document: _Document) -> list[_Inline]:
    return [node for line in document.lines for node in line.nodes]


# ---------------------------------------------------------------- checks


def check(body: str, *, fields: Collection[str], blocks: Collection[str] = ()) -> list[Problem]:
    """Every problem in a letter body, in order: syntax, then names not in ``fields`` or ``blocks``.

    The editing form shows these next to the text; an empty list means the body can be saved.
    """
    return _check(_parse(body, markup=True), fields=fields, blocks=blocks)


def check_text(line: str, *, fields: Collection[str]) -> list[Problem]:
    """``check`` for a one-line text (a letter's or e-mail's subject): no markup, no blocks, one line."""
    return _check(_parse(line, markup=False), fields=fields, blocks=())


def _check(document: _Document, *, fields: Collection[str] | None, blocks: Collection[str]) -> list[Problem]:
    """Syntax problems plus unknown names; ``fields=None`` leaves field names unchecked (render time, where
    a field absent from the data is reported as a missing value instead)."""
    problems = list(document.problems)
    known_fields = sorted(set(fields or ()))
    known_blocks = sorted(set(blocks))
    for node in _walk(_all_nodes(document)):
        if isinstance(node, _Block):
            if node.name not in known_blocks:
                problems.append(_unknown(node, node.name, known_blocks, block=True))
        elif (
            fields is not None
            and not isinstance(node, _Text)
            and NAME_PATTERN.fullmatch(node.name)
            and node.name not in known_fields
        ):
            problems.append(_unknown(node, node.name, known_fields, block=False))
    return _ordered(problems)


def _unknown(node: _Field | _Optional | _Block, name: str, known: list[str], *, block: bool) -> Problem:
    """Names the unknown field or block, suggests the closest known one for a typo and lists the rest."""
    prefix = BLOCK_PREFIX if block else ""
    what = "blok" if block else "veld"
    message = f"onbekend {what} (({prefix}{name}))."
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        message += f" Bedoelt u (({prefix}{close[0]}))?"
    if known:
        listed = ", ".join(known[:_LISTED_NAMES]) + (", …" if len(known) > _LISTED_NAMES else "")
        message += f" Bekende {'blokken' if block else 'velden'}: {listed}."
    else:
        message += f" Deze tekst kent geen {'blokken' if block else 'velden'}."
    return _problem(node.line, node.column, message)


def used_fields(body: str) -> list[str]:
    """Placeholder names in order of first use, the conditions of optional texts included.

    A letter type uses this to tell staff which data a body needs; names that are not valid are left out
    (``check`` reports them).
    """
    return _names(_all_nodes(_parse(body, markup=True)))


def used_blocks(body: str) -> list[str]:
    """Block names in order of first use: the structured parts the caller must supply to render."""
    nodes = _walk(_all_nodes(_parse(body, markup=True)))
    return _unique(node.name for node in nodes if isinstance(node, _Block))


def required_fields(body: str) -> list[str]:
    """Names that must have a value for every recipient: placeholders outside optional text.

    Placeholders inside optional text are needed only when its condition has a value; ``missing_values``
    decides that per recipient.
    """
    nodes = _all_nodes(_parse(body, markup=True))
    return _unique(node.name for node in nodes if isinstance(node, _Field))


def _unique(names: Iterator[str] | Sequence[str]) -> list[str]:
    return list(dict.fromkeys(name for name in names if NAME_PATTERN.fullmatch(name)))


def _is_blank(value: object) -> bool:
    """No value for a letter: absent, None, only whitespace, or an empty list or dict."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict):
        return not value
    return False


def missing_values(body: str, data: Mapping[str, object]) -> list[Problem]:
    """For one recipient's data, a problem for each needed placeholder without a value (once per name).

    An optional text whose condition has no value needs nothing inside it.
    """
    return _missing(_parse(body, markup=True), data)


def _missing(document: _Document, data: Mapping[str, object]) -> list[Problem]:
    problems: list[Problem] = []
    reported: set[str] = set()

    def visit(nodes: Sequence[_Inline]) -> None:
        for node in nodes:
            if isinstance(node, _Field) and node.name not in reported and _is_blank(data.get(node.name)):
                reported.add(node.name)
                problems.append(_problem(node.line, node.column, f"geen waarde voor (({node.name}))."))
            elif isinstance(node, _Optional) and not _is_blank(data.get(node.name)):
                visit(node.children)

    visit(_all_nodes(document))
    return _ordered(problems)


# ---------------------------------------------------------------- plain data


_PLAIN_SCALARS = (str, int, float, Decimal, date, bool)


def _check_plain(data: Mapping[str, object]) -> None:
    """Refuse anything but plain values: an ORM object or a function has no place in a letter's data.

    Raised before rendering, so a programming error is never mistaken for a content problem.
    """

    def check_value(value: object, where: str) -> None:
        if value is None or isinstance(value, _PLAIN_SCALARS):
            return
        if isinstance(value, list | tuple):
            for index, item in enumerate(value):
                check_value(item, f"{where}[{index}]")
            return
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise TypeError(f"{where}: keys must be str, not {type(key).__name__}")
                check_value(item, f"{where}[{key!r}]")
            return
        raise TypeError(
            f"{where}: letter data must be plain values (str, int, float, Decimal, date, bool, None or lists and "
            f"dicts of those), not {type(value).__name__}"
        )

    for key, value in data.items():
        if not isinstance(key, str):
            raise TypeError(f"letter data keys must be str, not {type(key).__name__}")
        check_value(value, key)


def _as_text(value: object) -> str:
    """A value as the letter shows it: str(), as a plain str (a Markup value is text too, not HTML)."""
    if _is_blank(value):
        return ""
    return str.__str__(str(value))


# ---------------------------------------------------------------- compiling to Jinja


def _literal(text: str) -> str:
    """Staff text as template source: HTML-escaped, and without a brace, so never Jinja syntax."""
    return str(markupsafe.escape(text)).replace("{", "&#123;").replace("}", "&#125;")


def _emit_inline(nodes: Sequence[_Inline], *, markup: bool) -> str:
    """Inline nodes as Jinja source. ``**`` pairs within one sequence become ``<strong>``.

    Pairing within a sequence (a line, or one optional text's contents) keeps the HTML well formed: bold
    can span placeholders but never half an optional text. An unpaired ``**`` stays literal.
    """
    pieces: list[str | None] = []  # None marks a "**"
    for node in nodes:
        if isinstance(node, _Text):
            parts = node.text.split("**") if markup else [node.text]
            for index, part in enumerate(parts):
                if index:
                    pieces.append(None)
                pieces.append(_literal(part))
        elif isinstance(node, _Field):
            pieces.append(f'{{{{ v["{node.name}"] }}}}')
        elif isinstance(node, _Optional):
            pieces.append(f'{{% if v["{node.name}"] %}}{_emit_inline(node.children, markup=markup)}{{% endif %}}')
        else:  # a block out of place is refused by _parse; this keeps the source total
            pieces.append(_literal(f"((blok:{node.name}))"))
    paired = pieces.count(None) // 2 * 2
    out: list[str] = []
    stars = 0
    for piece in pieces:
        if piece is not None:
            out.append(piece)
            continue
        out.append(("<strong>" if stars % 2 == 0 else "</strong>") if stars < paired else "**")
        stars += 1
    return "".join(out)


def _emit_html(document: _Document) -> str:
    """The body's lines grouped into headings, paragraphs (a ``<br>`` per newline), lists and blocks."""
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_kind, list_start = "", 1

    def flush() -> None:
        nonlocal list_kind
        if paragraph:
            out.append("<p>" + "<br>\n".join(paragraph) + "</p>")
            paragraph.clear()
        if items:
            opening = f'<ol start="{list_start}">' if list_kind == "ol" and list_start != 1 else f"<{list_kind}>"
            out.append(opening + "\n" + "\n".join(f"<li>{item}</li>" for item in items) + f"\n</{list_kind}>")
            items.clear()
        list_kind = ""

    for line in document.lines:
        content = _emit_inline(line.nodes, markup=True)
        if line.kind == "p":
            if items:
                flush()
            paragraph.append(content.strip())
        elif line.kind in ("ul", "ol"):
            if paragraph or (items and list_kind != line.kind):
                flush()
            if not items:
                list_kind, list_start = line.kind, line.start
            items.append(content.strip())
        else:
            flush()
            if line.kind in ("h2", "h3"):
                out.append(f"<{line.kind}>{content.strip()}</{line.kind}>")
            elif line.kind == "block":
                block = line.nodes[0]
                assert isinstance(block, _Block)
                out.append(f'{{{{ b["{block.name}"] }}}}')
    flush()
    return "\n".join(out)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _compiled(body: str, *, markup: bool) -> str:
    document = _parse(body, markup=markup)
    if document.problems:
        raise TemplateTextError(document.problems)
    if markup:
        return _emit_html(document)
    return _emit_inline(_all_nodes(document), markup=False)


def compile_source(body: str) -> str:
    """The Jinja source of a letter body (HTML); raises TemplateTextError for a body with syntax problems.

    Public so tests can show that staff text never reaches Jinja as syntax.
    """
    return _compiled(body, markup=True)


# ---------------------------------------------------------------- the sandbox


def _sandbox() -> ImmutableSandboxedEnvironment:
    """Jinja's immutable sandbox with nothing in reach: compiled sources only need ``v`` and ``b``.

    No globals (range, lipsum, cycler, namespace, ...), filters or tests: fewer doors to watch.
    """
    environment = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    environment.globals.clear()
    environment.filters.clear()
    environment.tests.clear()
    return environment


_ENVIRONMENT = _sandbox()


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _template(source: str) -> Template:
    return _ENVIRONMENT.from_string(source)


def sandbox_render(
    source: str, data: Mapping[str, object], *, blocks: Mapping[str, markupsafe.Markup] | None = None
) -> str:
    """Renders a Jinja source in the sandbox with ``v`` = ``data`` and ``b`` = ``blocks`` (trusted HTML).

    Used by the render functions on compiled sources; a test calls it with hostile sources to show that
    Python internals are out of reach (jinja2's SecurityError or UndefinedError) even if one got through.
    """
    _check_plain(data)
    return _template(source).render(v=dict(data), b=dict(blocks or {}))


# ---------------------------------------------------------------- rendering


def _values(document: _Document, data: Mapping[str, object]) -> dict[str, str]:
    """Every name the source reads, as text; a blank value is "" so its optional text is left out."""
    return {name: _as_text(data.get(name)) for name in _names(_all_nodes(document))}


def render_html(
    body: str, data: Mapping[str, object], *, blocks: Mapping[str, Callable[[], str]] | None = None
) -> markupsafe.Markup:
    """One recipient's letter body as safe HTML; TemplateTextError when anything is wrong or missing.

    Values are shown with str() and escaped; a block's callable returns trusted HTML, inserted as is.
    ``data`` must be plain (TypeError otherwise).
    """
    _check_plain(data)
    document = _parse(body, markup=True)
    supplied = blocks or {}
    problems = _check(document, fields=None, blocks=supplied.keys())
    if problems:
        raise TemplateTextError(problems)
    missing = _missing(document, data)
    if missing:
        raise TemplateTextError(missing)
    html_blocks = {name: markupsafe.Markup(supplied[name]()) for name in used_blocks(body)}
    return markupsafe.Markup(sandbox_render(_compiled(body, markup=True), _values(document, data), blocks=html_blocks))


def render_text(line: str, data: Mapping[str, object]) -> str:
    """A one-line text (a subject) with its placeholders and optional text filled in, as a plain str.

    No markup, not escaped (the caller escapes for its medium). Raises TemplateTextError like render_html.
    Rendered through the same escaped, sandboxed path as a letter body and unescaped at the end, so there
    is one way text reaches Jinja.
    """
    _check_plain(data)
    document = _parse(line, markup=False)
    if document.problems:
        raise TemplateTextError(document.problems)
    missing = _missing(document, data)
    if missing:
        raise TemplateTextError(missing)
    rendered = sandbox_render(_compiled(line, markup=False), _values(document, data))
    return markupsafe.Markup(rendered).unescape()
