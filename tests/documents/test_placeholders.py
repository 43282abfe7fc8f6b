"""The letter-text language (wki.documents.placeholders): problems with their line and column, the values
one recipient lacks, the HTML a body renders to, and that staff text, values and hostile sources can never
act as Jinja, HTML or Python. Pure Python: no app, no database."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from wki.documents.placeholders import (
    Problem,
    TemplateTextError,
    check,
    check_text,
    compile_source,
    missing_values,
    render_html,
    render_text,
    required_fields,
    sandbox_render,
    used_blocks,
    used_fields,
)

FIELDS = ["naam", "plaats", "iban", "registratienummer", "datum"]


def _where(problems: list[Problem]) -> list[tuple[int, int]]:
    return [(problem.line, problem.column) for problem in problems]


# ---------------------------------------------------------------- syntax problems


class TestSyntaxProblems:
    @pytest.mark.parametrize(
        ("body", "line", "column", "words"),
        [
            ("Beste ((naam,\nmet vriendelijke groet", 1, 7, "'((' op kolom 7 wordt niet gesloten"),
            ("Goed\nBeste naam)) en meer", 2, 11, "'))' op kolom 11 hoort bij geen '(('"),
            ("Eerst\n\nDan (()) hier", 3, 5, "lege plaatshouder (())"),
            ("Dan ((  )) hier", 1, 5, "lege plaatshouder (())"),
            ("Beste ((Naam))", 1, 7, "ongeldige veldnaam ((Naam))"),
            ("Beste ((1naam))", 1, 7, "ongeldige veldnaam ((1naam))"),
            ("Beste ((na me))", 1, 7, "ongeldige veldnaam ((na me))"),
            ("Tekst ((??alleen als)) meer", 1, 7, "'??' zonder veldnaam"),
            ("x\n((iban??a ((naam??b)) c))", 2, 11, "binnen voorwaardelijke tekst kan niet"),
            ("Zie ((blok:boeteberekening)) hierboven", 1, 5, "hoort alleen op een eigen regel"),
            ("* ((blok:boeteberekening))", 1, 3, "hoort alleen op een eigen regel"),
            ("((iban??((blok:boeteberekening))))", 1, 9, "hoort alleen op een eigen regel"),
            ("((blok:))", 1, 1, "blok zonder naam"),
            ("((blok:Boete))", 1, 1, "ongeldige bloknaam ((blok:Boete))"),
            ("((blok:boeteberekening??tekst))", 1, 1, "een blok kan geen voorwaardelijke tekst hebben"),
            ("Open ((iban??tekst zonder einde", 1, 6, "wordt niet gesloten"),
        ],
    )
    def test_each_syntax_error_has_its_line_column_and_a_dutch_message(self, body, line, column, words):
        problems = check(body, fields=FIELDS, blocks=["boeteberekening"])
        assert (line, column) in _where(problems), problems
        found = next(problem for problem in problems if (problem.line, problem.column) == (line, column))
        assert words in found.message
        assert found.message.startswith(f"Regel {line}: ")
        assert str(found) == found.message

    def test_invalid_name_suggests_the_valid_spelling(self):
        [problem] = check("((Plaats))", fields=FIELDS)
        assert "Bedoelt u ((plaats))?" in problem.message

    def test_all_problems_are_reported_in_order(self):
        """Several problems on several lines come back together, sorted by line and column."""
        body = "((naamm)) en (())\nGoed: ((naam))\n)) en ((Fout))\n((blok:tabel))"
        problems = check(body, fields=FIELDS)
        assert _where(problems) == [(1, 1), (1, 14), (3, 1), (3, 7), (4, 1)]

    def test_a_valid_body_has_no_problems(self):
        body = (
            "# Besluit\n\nBeste ((naam)),\nUit (( plaats )) bereikte ons ((iban??uw rekening **((iban))**.))\n\n"
            "((blok:boeteberekening))\n* een\n1. twee"
        )
        assert check(body, fields=FIELDS, blocks=["boeteberekening"]) == []

    def test_single_brackets_and_question_marks_are_just_text(self):
        assert check("Zie (bijlage a) ?? of (b)?", fields=[]) == []


class TestUnknownNames:
    def test_unknown_field_names_the_closest_and_the_known_fields(self):
        [problem] = check("Tekst\n\nRegel ((naamm)) hier", fields=["plaats", "naam"])
        assert (problem.line, problem.column) == (3, 7)
        assert problem.message == "Regel 3: onbekend veld ((naamm)). Bedoelt u ((naam))? Bekende velden: naam, plaats."

    def test_unknown_field_without_a_close_match(self):
        [problem] = check("((xyz))", fields=["naam"])
        assert "Bedoelt" not in problem.message
        assert "Bekende velden: naam." in problem.message

    def test_a_condition_is_a_field_too(self):
        [problem] = check("((ibn??Rekening ((iban)).))", fields=["iban"])
        assert problem.message.startswith("Regel 1: onbekend veld ((ibn)). Bedoelt u ((iban))?")

    def test_no_fields_known(self):
        [problem] = check("((naam))", fields=[])
        assert "Deze tekst kent geen velden." in problem.message

    def test_long_lists_of_known_fields_are_cut_short(self):
        fields = [f"veld_{index:02d}" for index in range(30)]
        [problem] = check("((onbekend))", fields=fields)
        assert problem.message.endswith(", ….")

    def test_unknown_block_with_suggestion(self):
        [problem] = check("Tekst\n((blok:boeteberkening))", fields=[], blocks=["boeteberekening", "checklist"])
        assert (problem.line, problem.column) == (2, 1)
        assert "onbekend blok ((blok:boeteberkening)). Bedoelt u ((blok:boeteberekening))?" in problem.message
        assert "Bekende blokken: boeteberekening, checklist." in problem.message


class TestNames:
    BODY = "((naam)) ((iban??rek ((iban)) bij ((plaats)))) ((naam))\n((blok:tabel))\n((datum??op ((datum))))"

    def test_used_fields_in_order_of_first_use_with_conditions(self):
        assert used_fields(self.BODY) == ["naam", "iban", "plaats", "datum"]

    def test_required_fields_are_those_outside_optional_text(self):
        assert required_fields(self.BODY) == ["naam"]
        assert required_fields("((iban??((plaats))))\n((plaats))") == ["plaats"]

    def test_used_blocks(self):
        assert used_blocks(self.BODY) == ["tabel"]

    def test_invalid_names_are_left_out(self):
        assert used_fields("((Naam)) (()) ((plaats))") == ["plaats"]


# ---------------------------------------------------------------- missing values


class TestMissingValues:
    BODY = "Beste ((naam)),\nUw nummer is ((registratienummer)).\n((iban??Rekening ((iban)) te ((plaats)).))"

    @pytest.mark.parametrize("empty", [None, "", "   ", "\t\n", [], {}])
    def test_empty_values_are_missing(self, empty):
        problems = missing_values(self.BODY, {"naam": "A", "registratienummer": empty})
        assert [problem.message for problem in problems] == ["Regel 2: geen waarde voor ((registratienummer))."]
        assert _where(problems) == [(2, 14)]

    def test_an_absent_key_is_missing(self):
        assert _where(missing_values(self.BODY, {"registratienummer": "R1"})) == [(1, 7)]

    def test_optional_text_with_an_empty_condition_needs_nothing_inside(self):
        data = {"naam": "A", "registratienummer": "R1", "iban": "  "}
        assert missing_values(self.BODY, data) == []

    def test_optional_text_with_a_condition_needs_its_inner_fields(self):
        data = {"naam": "A", "registratienummer": "R1", "iban": "NL91"}
        assert [str(problem) for problem in missing_values(self.BODY, data)] == [
            "Regel 3: geen waarde voor ((plaats))."
        ]

    def test_a_name_is_reported_once(self):
        assert len(missing_values("((naam))\n((naam))", {})) == 1

    def test_zero_and_false_are_values(self):
        assert missing_values("((aantal)) ((akkoord))", {"aantal": 0, "akkoord": False}) == []

    def test_render_refuses_a_half_letter(self):
        with pytest.raises(TemplateTextError) as raised:
            render_html(self.BODY, {"naam": "A"})
        assert [str(problem) for problem in raised.value.problems] == [
            "Regel 2: geen waarde voor ((registratienummer))."
        ]
        assert isinstance(raised.value, ValueError)


# ---------------------------------------------------------------- rendering


class TestRenderHtml:
    def test_headings_paragraphs_and_line_breaks(self):
        body = "# Besluit\n## Over ((naam))\n\nEerste regel\nTweede regel\n\n\nNieuwe alinea"
        assert render_html(body, {"naam": "Incasso B.V."}) == (
            "<h2>Besluit</h2>\n<h3>Over Incasso B.V.</h3>\n<p>Eerste regel<br>\nTweede regel</p>\n<p>Nieuwe alinea</p>"
        )

    def test_bullet_and_numbered_lists(self):
        body = "Lijst:\n* een\n- twee\n\n1. drie\n2. vier\n\n3. vijf\n9. zes\n* zeven"
        assert render_html(body, {}) == (
            "<p>Lijst:</p>\n<ul>\n<li>een</li>\n<li>twee</li>\n</ul>\n<ol>\n<li>drie</li>\n<li>vier</li>\n</ol>\n"
            '<ol start="3">\n<li>vijf</li>\n<li>zes</li>\n</ol>\n<ul>\n<li>zeven</li>\n</ul>'
        )

    def test_markers_without_a_space_or_content_are_text(self):
        assert render_html("#geen kop\n*geen lijst\n1.geen nummer\n# \n- ", {}) == (
            "<p>#geen kop<br>\n*geen lijst<br>\n1.geen nummer<br>\n#<br>\n-</p>"
        )

    def test_bold_also_around_placeholders(self):
        assert render_html("**Beste ((naam))**, dit is **vet** en dit ** niet", {"naam": "A"}) == (
            "<p><strong>Beste A</strong>, dit is <strong>vet</strong> en dit ** niet</p>"
        )

    def test_optional_text_with_bold_and_a_placeholder_inside(self):
        body = "Beste ((naam)).((iban?? **Let op:** uw rekening is ((iban)).))"
        assert render_html(body, {"naam": "A", "iban": "NL91 ABNA"}) == (
            "<p>Beste A. <strong>Let op:</strong> uw rekening is NL91 ABNA.</p>"
        )
        assert render_html(body, {"naam": "A", "iban": None}) == "<p>Beste A.</p>"
        assert render_html(body, {"naam": "A"}) == "<p>Beste A.</p>"

    def test_staff_html_and_jinja_are_literal_text(self):
        body = "{{ 7*7 }} {% if true %}ja{% endif %} {# weg #} <b>vet</b> & <script>alert(1)</script>"
        out = render_html(body, {})
        assert "&lt;b&gt;vet&lt;/b&gt;" in out
        assert "<script>" not in out and "<b>" not in out
        text = html.unescape(str(out))
        assert text == f"<p>{body}</p>"
        assert "49" not in text

    def test_staff_text_never_reaches_jinja_as_syntax(self):
        """The compiled source has no brace from staff text: only the placeholders' own expressions."""
        source = compile_source("{{ v.__class__ }} {%raw%} ((naam)) {#")
        assert source == '<p>&#123;&#123; v.__class__ &#125;&#125; &#123;%raw%&#125; {{ v["naam"] }} &#123;#</p>'

    def test_values_are_escaped(self):
        out = render_html("Beste ((naam))", {"naam": "<script>alert('x')</script> {{ 7*7 }}"})
        assert out == "<p>Beste &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; {{ 7*7 }}</p>"

    def test_a_markup_value_is_text_not_html(self):
        """Only blocks bring HTML: a value that is already Markup is escaped like any other."""
        assert render_html("((naam))", {"naam": Markup("<b>A</b>")}) == "<p>&lt;b&gt;A&lt;/b&gt;</p>"

    def test_values_go_through_str(self):
        data = {"bedrag": Decimal("1250.50"), "datum": date(2026, 3, 1), "aantal": 3, "deel": 0.5, "ja": True}
        out = render_html("((bedrag)) ((datum)) ((aantal)) ((deel)) ((ja))", data)
        assert out == "<p>1250.50 2026-03-01 3 0.5 True</p>"

    def test_blocks_are_inserted_as_trusted_html(self):
        calls = []

        def table() -> str:
            calls.append(1)
            return "<table><tr><td>€ 5.000</td></tr></table>"

        body = "Berekening:\n\n((blok:boeteberekening))\n  (( blok:boeteberekening ))  \nEinde"
        out = render_html(body, {}, blocks={"boeteberekening": table})
        assert out == (
            "<p>Berekening:</p>\n<table><tr><td>€ 5.000</td></tr></table>\n"
            "<table><tr><td>€ 5.000</td></tr></table>\n<p>Einde</p>"
        )
        assert len(calls) == 1

    def test_a_block_the_caller_does_not_supply_is_refused(self):
        with pytest.raises(TemplateTextError) as raised:
            render_html("((blok:checklist))", {}, blocks={"tabel": lambda: ""})
        assert "onbekend blok ((blok:checklist))" in str(raised.value)

    def test_syntax_problems_refuse_rendering(self):
        with pytest.raises(TemplateTextError) as raised:
            render_html("Goed\n((naam", {"naam": "A"})
        assert _where(raised.value.problems) == [(2, 1)]
        with pytest.raises(TemplateTextError):
            compile_source("((naam")

    def test_windows_line_endings_and_a_bom(self):
        body = "\ufeff# Kop\r\n\r\nBeste ((naam)),\r\nregel twee\r"
        assert render_html(body, {"naam": "A"}) == "<h2>Kop</h2>\n<p>Beste A,<br>\nregel twee</p>"
        assert check("\ufeff((naamm))\r\n((x", fields=["naam"])[0].column == 1
        assert _where(check("\ufeffa\r\n((x", fields=["x"])) == [(2, 1)]

    def test_an_empty_body(self):
        assert check("", fields=[]) == []
        assert render_html("", {}) == Markup("")
        assert used_fields("") == required_fields("") == []

    def test_a_very_long_body(self):
        """10,000 lines validate (well under a second; only correctness is asserted) and the problem is found."""
        lines = [f"Regel {index}: ((naam)) ((iban??rek ((iban)))) **vet**" for index in range(10_000)]
        lines[7_000] = "Fout: ((naamm))"
        body = "\n".join(lines)
        problems = check(body, fields=["naam", "iban"])
        assert _where(problems) == [(7_001, 7)]
        # Rendering a thousand of them is enough: Jinja's one-off compile of a 10,000-line source takes seconds.
        out = render_html("\n".join(lines[:1_000]), {"naam": "A", "iban": "NL91"})
        assert out.count("rek NL91") == 1_000


class TestRenderText:
    def test_placeholders_and_optional_text_in_a_plain_string(self):
        line = "Besluit ((naam))((kenmerk??, kenmerk ((kenmerk)))) **niet vet** # geen kop"
        assert render_text(line, {"naam": "A & B <bv>", "kenmerk": "W-12"}) == (
            "Besluit A & B <bv>, kenmerk W-12 **niet vet** # geen kop"
        )
        assert render_text(line, {"naam": "A"}) == "Besluit A **niet vet** # geen kop"

    def test_the_first_closing_brackets_close(self):
        """In ``)))`` after a placeholder in optional text, the optional text ends first; the ")" is text."""
        line = "((kenmerk??(kenmerk ((kenmerk)))))"
        assert render_text(line, {"kenmerk": "W-12"}) == "(kenmerk W-12)"
        assert render_text(line, {}) == ")"

    def test_staff_braces_and_entities_come_back_unchanged(self):
        line = "{{ 7*7 }} &amp; &lt; ((naam))"
        assert render_text(line, {"naam": "&#123; {% x %}"}) == "{{ 7*7 }} &amp; &lt; &#123; {% x %}"

    def test_refused_like_a_body(self):
        with pytest.raises(TemplateTextError, match="geen waarde voor \\(\\(naam\\)\\)"):
            render_text("Beste ((naam))", {"naam": " "})
        with pytest.raises(TemplateTextError, match="mag maar één regel"):
            render_text("een\ntwee", {})
        with pytest.raises(TemplateTextError, match="alleen in de tekst van een brief"):
            render_text("((blok:tabel))", {})

    def test_check_text(self):
        assert check_text("Besluit ((naam))\r\n", fields=["naam"]) == []
        assert [str(problem) for problem in check_text("((naamm))", fields=["naam"])] == [
            "Regel 1: onbekend veld ((naamm)). Bedoelt u ((naam))? Bekende velden: naam."
        ]


# ---------------------------------------------------------------- the sandbox and plain data


class TestSandbox:
    @pytest.mark.parametrize(
        "source",
        [
            "{{ v.__class__.__mro__ }}",
            "{{ ''.__class__ }}",
            "{{ ''.__class__.__mro__[1].__subclasses__() }}",
            "{{ v.items.__globals__ }}",
            "{{ v['naam'].__class__ }}",
            "{{ v.update({'x': 1}) }}",
            "{{ v.clear() }}",
            "{{ b.__init__.__globals__ }}",
            "{{ range(10) }}",
            "{{ lipsum.__globals__ }}",
            "{{ cycler.__init__.__globals__.os }}",
            "{{ self.__init__.__globals__ }}",
            "{{ config }}",
            "{{ '{0.__class__}'.format(v) }}",
        ],
    )
    def test_python_internals_are_out_of_reach(self, source):
        """Even a hostile source that somehow got through cannot reach Python: the sandbox refuses it."""
        with pytest.raises((jinja2.exceptions.SecurityError, jinja2.exceptions.UndefinedError)):
            sandbox_render(source, {"naam": "A"})

    @pytest.mark.parametrize("source", ["{{ v|attr('__class__') }}", "{{ v|map('upper')|list }}", "{{ v is mapping }}"])
    def test_no_filters_or_tests_are_in_reach(self, source):
        """Compiled sources need neither, so the sandbox has none: fewer doors to watch."""
        with pytest.raises(jinja2.exceptions.TemplateAssertionError):
            sandbox_render(source, {"naam": "A"})

    def test_a_compiled_source_renders_in_the_sandbox(self):
        assert sandbox_render('{% if v["a"] %}<i>{{ v["a"] }}</i>{% endif %}', {"a": "<x>"}) == "<i>&lt;x&gt;</i>"


class _Registration:
    """Stands in for an ORM object."""

    naam = "A"


class TestPlainData:
    @pytest.mark.parametrize(
        "value",
        [_Registration(), lambda: "A", object(), {"a": _Registration()}, [1, [print]], b"bytes", {1: "a"}, {"x"}],
    )
    def test_anything_but_plain_data_is_refused(self, value):
        with pytest.raises(TypeError):
            render_html("((naam))", {"naam": "A", "extra": value})
        with pytest.raises(TypeError):
            render_text("((naam))", {"naam": "A", "extra": value})
        with pytest.raises(TypeError):
            sandbox_render("x", {"extra": value})

    def test_type_error_comes_before_content_problems(self):
        with pytest.raises(TypeError):
            render_html("((naam", {"x": _Registration()})

    def test_plain_data_of_every_kind_is_accepted(self):
        data = {
            "naam": "A",
            "n": 1,
            "f": 1.5,
            "d": Decimal("2"),
            "datum": date(2026, 1, 1),
            "b": False,
            "leeg": None,
            "lijst": [1, "a", [None]],
            "dict": {"a": {"b": [date(2026, 1, 2)]}},
        }
        assert render_html("((naam))", data) == "<p>A</p>"


# ---------------------------------------------------------------- a property


def _words_of_body(text: str) -> list[str]:
    """The words staff wrote, without the markers that markup consumes (no "*" in the alphabet below)."""
    words: list[str] = []
    for line in text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        content = line.strip()
        marker = re.match(r"(##?|-|[0-9]{1,9}\.) ", content)
        words.extend((content[marker.end() :] if marker else content).split())
    return words


ALPHABET = st.characters(blacklist_categories=("Cs",), blacklist_characters="*")
MARKUP_PIECES = ["\n", "\n\n", " ", "# ", "## ", "- ", "1. ", "(", ")", "?", "??"]
HOSTILE_PIECES = ["<", ">", "&", "&amp;", '"', "'", "{{", "}}", "{%", "%}", "{#", "#", "<script>", "&#123;"]
PIECES = st.sampled_from(MARKUP_PIECES + HOSTILE_PIECES)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(ALPHABET, max_size=8) | PIECES, max_size=30).map("".join))
def test_text_without_placeholders_loses_or_gains_no_character(text):
    """Any text without "((" / "))" renders to HTML whose text content has exactly the words written."""
    while "((" in text or "))" in text:
        text = text.replace("((", "( (").replace("))", ") )")
    out = render_html(text, {})
    content = html.unescape(re.sub(r"<[^>]*>", " ", str(out)))
    assert content.split() == _words_of_body(text)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",))).filter(str.strip))
def test_a_value_comes_back_unchanged_from_render_text(value):
    """render_text escapes inside the sandbox and unescapes at the end: that round trip changes no value."""
    assert render_text("((x))", {"x": value}) == value
