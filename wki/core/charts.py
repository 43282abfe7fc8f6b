"""Bar charts as SVG, written on the server: no JavaScript, nothing fetched, readable without colour.

A chart is numbers per category (months, say), in one or more series stacked on each other. It renders
as an SVG image (``role="img"``, named by its ``<title>`` and described by its ``<desc>``), a legend
in HTML whose swatches carry a pattern as well as a colour (so that the series stay apart in greyscale
and for people who do not tell the colours apart), and the same numbers as rows for a data table: the
text alternative the page shows under the chart. Every segment carries its value (``data-value``), and
every bar its total, so that tests can hold the drawing to the table.

Pure Python: the caller brings the numbers (one query per chart) and a formatter for them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from markupsafe import Markup, escape

Number = int | float | Decimal

# Fill styles, in the order the series take them: a colour and a pattern. Neighbours differ in both,
# and in lightness, and every segment has a dark outline (non-text contrast against white and each other).
STYLES: tuple[tuple[str, str, str], ...] = (
    # (pattern, foreground colour, background colour)
    ("solid", "#154273", "#154273"),
    ("diagonal", "#01689b", "#dcedf5"),
    ("solid", "#8fcae7", "#8fcae7"),
    ("dots", "#154273", "#ffffff"),
    ("cross", "#a90061", "#f6d4e5"),
    ("solid", "#e17000", "#e17000"),
    ("horizontal", "#39870c", "#e1eddb"),
    ("backslash", "#673327", "#f3e5d8"),
)
OUTLINE = "#1a1a1a"
TEXT = "#1a1a1a"
GRID = "#b3b3b3"

WIDTH, HEIGHT = 760, 300
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 76, 12, 22, 46
CHAR_WIDTH = 7.0  # of a 12-pixel label, about: whether the totals fit above the bars


def nice_scale(maximum: Number, *, ticks: int = 5, integer: bool = True) -> tuple[float, float]:
    """(top of the axis, step between grid lines) for values up to ``maximum``: the step 1, 2, 2.5 or 5
    times a power of ten, whole for counts (``integer``), and ``top`` the first multiple of it that is
    at least ``maximum``. Nothing to show (0 or less): an axis from 0 to 1."""
    maximum = float(maximum)
    if maximum <= 0:
        return 1.0, 1.0
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = 10 * magnitude
    for multiple in (1, 2, 2.5, 5, 10):
        candidate = multiple * magnitude
        if integer and candidate != int(candidate):
            continue
        if candidate * ticks >= maximum:
            step = candidate
            break
    if integer:
        step = max(1.0, float(round(step)))
    top = math.ceil(maximum / step - 1e-9) * step
    return float(top), float(step)


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: tuple[Number, ...]


@dataclass
class BarChart:
    """A (stacked) bar chart. ``categories`` are what the table rows say ("maart 2026"), ``axis_labels``
    what the axis says under each bar (a short word and, where the year changes, the year)."""

    id: str  # unique on the page: the prefix of every id in the drawing
    title: str
    categories: Sequence[str]
    axis_labels: Sequence[tuple[str, str | None]]
    series: Sequence[Series]
    format_value: Callable[[Number], str] = str  # numbers in the table, the totals and the description
    format_tick: Callable[[Number], str] | None = None  # the axis (default: ``format_value``)
    integer: bool = True  # counts: whole steps on the axis
    what: str = "waarden"  # what is counted, for the description ("signalen")
    empty_text: str = "Geen gegevens in deze periode."
    # The description's words for what the bars are: months by default; a chart of other categories says
    # "per eis", "het meest bij …" and "Van … tot en met …".
    per: str = "per maand"
    peak_at: str = "in"
    span_intro: str = "Periode:"
    _totals: list[Number] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n = len(self.categories)
        if len(self.axis_labels) != n or any(len(s.values) != n for s in self.series):
            raise ValueError("every series needs one value per category, and every category an axis label")
        self._totals = [sum((s.values[i] for s in self.series), start=0) for i in range(n)]

    # -- the numbers

    @property
    def totals(self) -> list[Number]:
        return list(self._totals)

    @property
    def grand_total(self) -> Number:
        return sum(self._totals, start=0)

    @property
    def empty(self) -> bool:
        return not self.categories or all(total == 0 for total in self._totals)

    def table_rows(self) -> list[tuple[str, list[Number], Number]]:
        """(category, value per series, total) per category: the data table under the chart."""
        return [(category, [s.values[i] for s in self.series], self._totals[i])
                for i, category in enumerate(self.categories)]

    def series_totals(self) -> list[Number]:
        return [sum(s.values, start=0) for s in self.series]

    def description(self) -> str:
        if self.empty:
            span = (f" {self.span_intro} {self.categories[0]} tot en met {self.categories[-1]}."
                    if self.categories else "")
            return self.empty_text + span
        kind = "Gestapelde staven" if len(self.series) > 1 else "Staven"
        peak = max(range(len(self._totals)), key=lambda i: self._totals[i])
        parts = [f"{kind} {self.per}, van {self.categories[0]} tot en met {self.categories[-1]}: in totaal "
                 f"{self.format_value(self.grand_total)} {self.what}, het meest {self.peak_at} {self.categories[peak]} "
                 f"({self.format_value(self._totals[peak])})."]
        if len(self.series) > 1:
            parts.append("Opgebouwd uit: " + "; ".join(
                f"{s.label} {self.format_value(t)}" for s, t in zip(self.series, self.series_totals(), strict=True))
                + ".")
        parts.append("De tabel onder de grafiek geeft alle cijfers.")
        return " ".join(parts)

    # -- the drawing

    def pattern_id(self, index: int) -> str:
        return f"{self.id}-patroon-{index}"

    def svg(self) -> Markup:
        """The chart as an inline SVG image."""
        plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
        plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
        top, step = nice_scale(max(self._totals, default=0), integer=self.integer)
        tick = self.format_tick or self.format_value
        out: list[str] = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="wki-chart__svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'role="img" aria-labelledby="{self.id}-titel {self.id}-beschrijving" focusable="false" '
            f'font-family="inherit" font-size="12" fill="{TEXT}" data-top="{_num(top)}">',
            f'<title id="{self.id}-titel">{escape(self.title)}</title>',
            f'<desc id="{self.id}-beschrijving">{escape(self.description())}</desc>',
            "<defs>", *(pattern_def(self.pattern_id(i), i) for i in range(len(self.series))), "</defs>",
        ]

        def y_of(value: float) -> float:
            return MARGIN_TOP + plot_h - (value / top) * plot_h

        # Grid lines and the axis's numbers.
        out.append('<g class="wki-chart__grid">')
        n_ticks = round(top / step)
        for k in range(n_ticks + 1):
            value = step * k
            y = y_of(value)
            out.append(f'<line x1="{MARGIN_LEFT}" x2="{MARGIN_LEFT + plot_w}" y1="{_num(y)}" y2="{_num(y)}" '
                       f'stroke="{OUTLINE if k == 0 else GRID}" stroke-width="1"/>')
            label = tick(int(value) if self.integer or value == int(value) else value)
            out.append(f'<text x="{MARGIN_LEFT - 6}" y="{_num(y + 4)}" text-anchor="end">{escape(label)}</text>')
        out.append("</g>")

        n = len(self.categories)
        if self.empty:
            out.append(f'<text x="{_num(MARGIN_LEFT + plot_w / 2)}" y="{_num(MARGIN_TOP + plot_h / 2)}" '
                       f'text-anchor="middle" font-size="14">{escape(self.empty_text)}</text>')
        slot = plot_w / n if n else plot_w
        bar_w = min(40.0, slot * 0.72)
        totals_fit = all(len(self.format_value(t)) * CHAR_WIDTH <= slot + 2 for t in self._totals)
        label_every = max(1, math.ceil(n / 36))
        out.append('<g class="wki-chart__bars">')
        for i in range(n):
            x = MARGIN_LEFT + slot * i + (slot - bar_w) / 2
            total = self._totals[i]
            out.append(f'<g data-category="{escape(self.categories[i])}" data-total="{_num(total)}">')
            base = 0.0
            for j, series in enumerate(self.series):
                value = float(series.values[i])
                if value <= 0:
                    continue
                y_top, y_bottom = y_of(base + value), y_of(base)
                out.append(f'<rect x="{_num(x)}" y="{_num(y_top)}" width="{_num(bar_w)}" '
                           f'height="{_num(y_bottom - y_top)}" fill="url(#{self.pattern_id(j)})" stroke="{OUTLINE}" '
                           f'stroke-width="1" data-series="{escape(series.key)}" '
                           f'data-value="{_num(series.values[i])}"/>')
                base += value
            if total and totals_fit:
                out.append(f'<text x="{_num(x + bar_w / 2)}" y="{_num(y_of(float(total)) - 4)}" '
                           f'text-anchor="middle">{escape(self.format_value(total))}</text>')
            out.append("</g>")
        out.append("</g>")

        # The categories under the bars (each, or every so many when there are very many).
        out.append('<g class="wki-chart__labels">')
        for i, (label, second) in enumerate(self.axis_labels):
            x = MARGIN_LEFT + slot * i + slot / 2
            if i % label_every == 0:
                out.append(f'<text x="{_num(x)}" y="{HEIGHT - MARGIN_BOTTOM + 16}" text-anchor="middle">'
                           f"{escape(label)}</text>")
            if second:
                out.append(f'<text x="{_num(x)}" y="{HEIGHT - MARGIN_BOTTOM + 32}" text-anchor="middle" '
                           f'font-weight="bold">{escape(second)}</text>')
        out.append("</g></svg>")
        return Markup("".join(out))

    def legend(self) -> Markup:
        """The legend as an HTML list: a swatch with the series' pattern, and its name in words."""
        items = []
        for i, series in enumerate(self.series):
            swatch_id = f"{self.id}-legenda-{i}"
            items.append(
                '<li class="wki-chart__legend-item">'
                f'<svg class="wki-chart__swatch" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 18 18" width="18" '
                f'height="18" aria-hidden="true" focusable="false"><defs>{pattern_def(swatch_id, i)}</defs>'
                f'<rect x="0.5" y="0.5" width="17" height="17" fill="url(#{swatch_id})" stroke="{OUTLINE}"/></svg>'
                f"<span>{escape(series.label)}</span></li>")
        return Markup(f'<ul class="wki-chart__legend" aria-label="Legenda: {escape(self.title)}">'
                      + "".join(items) + "</ul>")


def pattern_def(pattern_id: str, index: int) -> str:
    """An SVG ``<pattern>`` for style ``index`` (styles repeat after the last)."""
    kind, fg, bg = STYLES[index % len(STYLES)]
    head = f'<pattern id="{escape(pattern_id)}" patternUnits="userSpaceOnUse" width="8" height="8">'
    background = f'<rect width="8" height="8" fill="{bg}"/>'
    marks = {
        "solid": "",
        "diagonal": f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{fg}" stroke-width="2"/>',
        "backslash": f'<path d="M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4" stroke="{fg}" stroke-width="2"/>',
        "dots": f'<circle cx="2" cy="2" r="1.6" fill="{fg}"/><circle cx="6" cy="6" r="1.6" fill="{fg}"/>',
        "cross": f'<path d="M0,0 l8,8 M8,0 l-8,8" stroke="{fg}" stroke-width="1.5"/>',
        "horizontal": f'<path d="M0,2 h8 M0,6 h8" stroke="{fg}" stroke-width="2"/>',
    }[kind]
    return head + background + marks + "</pattern>"


def _num(value: Number) -> str:
    """A coordinate or value as SVG writes it: no trailing zeros, at most two decimals."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
