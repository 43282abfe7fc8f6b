"""The requirement catalogue file: the shipped version 1, every validation problem on a crafted file, the
content hash and the dates between which a requirement applies."""

from __future__ import annotations

import copy
import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wki.supervision.catalogue_file import (
    DEFAULT_CATALOGUE_PATH,
    MAX_FILE_BYTES,
    MAX_PROBLEMS,
    AutomaticCheck,
    CatalogueFileError,
    RequirementData,
    StandardFindings,
    canonical_sha256,
    load_catalogue,
    load_default,
    parse_catalogue,
)

SHIPPED_IDS = [
    "REGISTRATIE_ACTUEEL", "WIJZIGINGEN_MELDEN", "BETROUWBAARHEID_BESTUUR", "VOG_MEDEWERKER",
    "VAKBEKWAAMHEID_KENNIS", "OPLEIDING_MEDEWERKER", "OPLEIDING_LEIDINGGEVENDE_ZZP", "PERMANENTE_EDUCATIE",
    "ETHIEK_BIJEENKOMSTEN", "SPECIFICATIE_VORDERING", "INCASSOKOSTEN_CORRECT", "BENADERING_TRANSPARANT",
    "INFO_RECHTEN_PLICHTEN", "TAALNIVEAU_B1", "TIJDSTIP_BENADERING", "GEEN_ONEIGENLIJKE_DRUK", "BEREIKBAARHEID",
    "SCHULDHULP_SIGNALERING", "BETALINGSREGELING_VASTLEGGEN", "DOSSIER_PER_OPDRACHT", "INZICHT_PER_SCHULDENAAR",
    "PROCESSEN_EN_ROLLEN", "KLACHTENREGELING", "GESCHILLENINSTANTIE", "INFO_SCHULDEISER", "MEDEWERKING_TOEZICHT",
    "DERDENGELDEN",
]

# Rows whose basis the domain brief §3.2 marks [U] (an unverified lid, article number or the duty itself),
# the cumulation cap's article in the amended BIK (§5.4) and DERDENGELDEN, for which no rule was found.
UNCERTAIN_IDS = {
    "REGISTRATIE_ACTUEEL", "WIJZIGINGEN_MELDEN", "VOG_MEDEWERKER", "OPLEIDING_MEDEWERKER",
    "OPLEIDING_LEIDINGGEVENDE_ZZP", "PERMANENTE_EDUCATIE", "ETHIEK_BIJEENKOMSTEN", "SPECIFICATIE_VORDERING",
    "INCASSOKOSTEN_CORRECT", "SCHULDHULP_SIGNALERING", "GESCHILLENINSTANTIE", "INFO_SCHULDEISER", "DERDENGELDEN",
}


def _requirement(code: str = "VOG_MEDEWERKER") -> dict[str, Any]:
    return {
        "id": code,
        "titel": "VOG voor elke incassomedewerker",
        "artikelen": ["Wki art. 13"],
        "artikel_onzeker": True,
        "artikel_toelichting": "Het lid van art. 13 is niet geverifieerd.",
        "verplichting": "Elke incassomedewerker heeft een VOG.",
        "bewijs": ["Personeelslijst met functie, datum in dienst en afgiftedatum VOG"],
        "standaardbevinding": {"voldoet": "Iedereen heeft een VOG.", "voldoet_niet": "Niet iedereen heeft een VOG.",
                               "deels": "Bijna iedereen heeft een VOG."},
        "geldt_vanaf": "2024-04-01",
        "geldt_tot": None,
        "automatische_controle": "personeel",
        "wettelijke_norm": True,
        "bron": "[V] Justis",
    }


def _catalogue(*codes: str) -> dict[str, Any]:
    return {
        "versie": 1,
        "geldig_vanaf": "2024-04-01",
        "omschrijving": "Testcatalogus",
        "bronnen": "Domeinbrief",
        "eisen": [_requirement(code) for code in (codes or ("VOG_MEDEWERKER", "KLACHTENREGELING"))],
    }


def _encode(catalogue: object, **dumps: Any) -> bytes:
    return json.dumps(catalogue, ensure_ascii=False, **dumps).encode("utf-8")


def _problems(data: object) -> list[str]:
    raw = data if isinstance(data, bytes) else _encode(data)
    with pytest.raises(CatalogueFileError) as caught:
        parse_catalogue(raw)
    return caught.value.problems


def _with(field: str, value: object, index: int = 0) -> dict[str, Any]:
    catalogue = _catalogue()
    catalogue["eisen"][index][field] = value
    return catalogue


FIRST = "eis VOG_MEDEWERKER (nr. 1)"


# ---------------------------------------------------------------- the shipped catalogue


@pytest.fixture(scope="module")
def shipped() -> Any:
    return load_default()


def test_shipped_catalogue_has_the_27_requirements_in_order(shipped: Any) -> None:
    assert Path(__file__).parents[2] / "wki" / "supervision" / "kwaliteitseisen.json" == DEFAULT_CATALOGUE_PATH
    assert shipped.versie == 1
    assert shipped.geldig_vanaf == date(2024, 4, 1)
    assert shipped.omschrijving and shipped.bronnen
    assert [eis.code for eis in shipped.eisen] == SHIPPED_IDS


def test_shipped_articles_marked_uncertain_in_the_brief_say_so(shipped: Any) -> None:
    by_code = {eis.code: eis for eis in shipped.eisen}
    for code in ("VOG_MEDEWERKER", "WIJZIGINGEN_MELDEN", "OPLEIDING_MEDEWERKER", "SPECIFICATIE_VORDERING"):
        assert by_code[code].artikel_onzeker, code
        assert "niet geverifieerd" in (by_code[code].artikel_toelichting or ""), code
    assert {eis.code for eis in shipped.eisen if eis.artikel_onzeker} == UNCERTAIN_IDS
    assert all(eis.artikel_toelichting for eis in shipped.eisen if eis.artikel_onzeker)
    assert all(eis.artikel_toelichting is None for eis in shipped.eisen if not eis.artikel_onzeker)


def test_shipped_unverified_article_numbers_are_not_invented(shipped: Any) -> None:
    """An '[U number]' in the brief stays a paragraph (Bki §2), and art. 13 Wki carries no lid unless verified."""
    by_code = {eis.code: eis for eis in shipped.eisen}
    for code in ("OPLEIDING_MEDEWERKER", "OPLEIDING_LEIDINGGEVENDE_ZZP", "PERMANENTE_EDUCATIE", "ETHIEK_BIJEENKOMSTEN"):
        assert by_code[code].artikelen == ("Bki §2",), code
    assert by_code["SPECIFICATIE_VORDERING"].artikelen == ("Wki art. 13", "Bki §3")
    for code in ("VOG_MEDEWERKER", "GESCHILLENINSTANTIE", "INFO_SCHULDEISER"):
        assert by_code[code].artikelen == ("Wki art. 13",), code
    # Lid 5 of art. 13 is the one the brief has from a source.
    assert by_code["KLACHTENREGELING"].artikelen == ("Wki art. 13 lid 5",)
    assert not by_code["KLACHTENREGELING"].artikel_onzeker


def test_shipped_dates_checks_and_norms_follow_the_brief(shipped: Any) -> None:
    by_code = {eis.code: eis for eis in shipped.eisen}
    later = {"OPLEIDING_MEDEWERKER", "OPLEIDING_LEIDINGGEVENDE_ZZP"}
    for eis in shipped.eisen:
        assert eis.geldt_vanaf == (date(2025, 4, 1) if eis.code in later else date(2024, 4, 1)), eis.code
        assert eis.geldt_tot is None
        assert len(eis.titel) <= 80, eis.code
        assert eis.wettelijke_norm == (eis.code != "DERDENGELDEN"), eis.code
        assert eis.bewijs and all(eis.standaardbevinding.__dict__.values()), eis.code
        assert eis.bron.startswith("["), eis.code
    checks = {eis.code: eis.automatische_controle for eis in shipped.eisen if eis.automatische_controle}
    assert checks == {
        "REGISTRATIE_ACTUEEL": AutomaticCheck.REGISTER, "WIJZIGINGEN_MELDEN": AutomaticCheck.REGISTER,
        "INCASSOKOSTEN_CORRECT": AutomaticCheck.SIGNALS, "TIJDSTIP_BENADERING": AutomaticCheck.SIGNALS,
        "VOG_MEDEWERKER": AutomaticCheck.STAFF, "OPLEIDING_MEDEWERKER": AutomaticCheck.STAFF,
        "OPLEIDING_LEIDINGGEVENDE_ZZP": AutomaticCheck.STAFF, "PERMANENTE_EDUCATIE": AutomaticCheck.STAFF,
    }
    assert "1 oktober 2024" in by_code["INCASSOKOSTEN_CORRECT"].verplichting
    assert by_code["DERDENGELDEN"].artikelen == ()


def test_shipped_hash_is_the_canonical_hash_of_the_file(shipped: Any) -> None:
    data = DEFAULT_CATALOGUE_PATH.read_bytes()
    assert shipped.sha256 == canonical_sha256(json.loads(data))
    assert parse_catalogue(data) == shipped
    assert len(shipped.sha256) == 64


# ---------------------------------------------------------------- what a valid file gives


def test_a_valid_file_gives_typed_requirements() -> None:
    catalogue = _catalogue()
    catalogue["eisen"][1].update(artikel_onzeker=False, artikel_toelichting=None, automatische_controle=None,
                                 geldt_tot="2026-01-01")
    parsed = parse_catalogue(_encode(catalogue))
    first, second = parsed.eisen
    assert first == RequirementData(
        code="VOG_MEDEWERKER", titel="VOG voor elke incassomedewerker", artikelen=("Wki art. 13",),
        artikel_onzeker=True, artikel_toelichting="Het lid van art. 13 is niet geverifieerd.",
        verplichting="Elke incassomedewerker heeft een VOG.",
        bewijs=("Personeelslijst met functie, datum in dienst en afgiftedatum VOG",),
        standaardbevinding=StandardFindings(voldoet="Iedereen heeft een VOG.",
                                            voldoet_niet="Niet iedereen heeft een VOG.",
                                            deels="Bijna iedereen heeft een VOG."),
        geldt_vanaf=date(2024, 4, 1), geldt_tot=None, automatische_controle=AutomaticCheck.STAFF,
        wettelijke_norm=True, bron="[V] Justis",
    )
    assert (second.code, second.geldt_tot, second.automatische_controle) == ("KLACHTENREGELING", date(2026, 1, 1), None)
    hash(parsed)  # frozen all the way down: usable as a key or in a set


def test_load_catalogue_reads_a_path(tmp_path: Path) -> None:
    path = tmp_path / "eisen.json"
    path.write_bytes(_encode(_catalogue()))
    assert load_catalogue(path) == parse_catalogue(path.read_bytes())
    assert load_catalogue(str(path)).versie == 1


# ---------------------------------------------------------------- the file as a whole


def test_not_json_names_line_and_column() -> None:
    assert _problems(b'{\n  "versie": 1,\n  "eisen" []\n}') == [
        "Het bestand is geen geldige JSON: regel 3, kolom 11: dubbele punt verwacht."
    ]
    assert _problems(b"") == ["Het bestand is geen geldige JSON: regel 1, kolom 1: waarde verwacht."]


def test_not_utf8() -> None:
    data = _encode(_catalogue()).replace(b"Testcatalogus", "Tëstcatalogus".encode("latin-1"))
    [problem] = _problems(data)
    assert problem.startswith("Het bestand is geen geldige UTF-8: ongeldige byte op positie ")


def test_a_utf8_byte_order_mark_is_accepted_and_not_content() -> None:
    data = _encode(_catalogue())
    assert parse_catalogue(b"\xef\xbb\xbf" + data) == parse_catalogue(data)


def test_file_size_limit_is_two_megabytes(tmp_path: Path) -> None:
    data = _encode(_catalogue())
    exactly = data + b" " * (MAX_FILE_BYTES - len(data))
    assert len(exactly) == MAX_FILE_BYTES == 2 * 1024 * 1024
    assert parse_catalogue(exactly).versie == 1
    assert _problems(exactly + b" ") == ["Het bestand is groter dan 2 MB."]
    path = tmp_path / "groot.json"
    path.write_bytes(exactly + b" " * 10_000)
    with pytest.raises(CatalogueFileError, match="groter dan 2 MB"):
        load_catalogue(path)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"[]", "catalogus: het bestand moet één JSON-object bevatten, niet een lijst"),
        (b'"tekst"', "catalogus: het bestand moet één JSON-object bevatten, niet 'tekst'"),
        (b"null", "catalogus: het bestand moet één JSON-object bevatten, niet null"),
    ],
)
def test_the_file_must_hold_one_object(data: bytes, problem: str) -> None:
    assert _problems(data) == [problem]


def test_duplicate_keys_nan_and_deep_nesting_are_refused() -> None:
    duplicated = _encode(_catalogue())[:-1] + b', "versie": 2}'
    assert _problems(duplicated) == [
        "Het bestand is geen geldige JSON: de naam 'versie' komt twee keer voor in hetzelfde object."
    ]
    assert _problems(_encode(_catalogue())[:-1] + b', "x": NaN}') == [
        "Het bestand is geen geldige JSON: NaN is geen geldige JSON-waarde."
    ]
    assert _problems(b"[" * 100_000) == ["Het bestand is geen bruikbare JSON: het is te diep genest."]
    [problem] = _problems(b'{"versie": ' + b"9" * 5000 + b"}")
    assert problem.startswith("Het bestand is geen bruikbare JSON: ")


def test_top_level_missing_and_extra_fields() -> None:
    catalogue = _catalogue()
    del catalogue["bronnen"]
    catalogue["auteur"] = "X"
    assert _problems(catalogue) == [
        "catalogus, veld 'bronnen': ontbreekt",
        "catalogus, veld 'auteur': is geen bekend veld",
    ]


@pytest.mark.parametrize("versie", [0, -1, "1", 1.0, True, None])
def test_versie_must_be_a_positive_integer(versie: object) -> None:
    catalogue = _catalogue()
    catalogue["versie"] = versie
    [problem] = _problems(catalogue)
    assert problem.startswith("catalogus, veld 'versie': moet een positief geheel getal zijn, niet ")


def test_a_later_version_number_is_fine() -> None:
    catalogue = _catalogue()
    catalogue["versie"] = 2
    assert parse_catalogue(_encode(catalogue)).versie == 2


def test_eisen_must_be_a_non_empty_list_of_objects() -> None:
    catalogue = _catalogue()
    catalogue["eisen"] = []
    assert _problems(catalogue) == ["catalogus, veld 'eisen': de lijst is leeg; een catalogus heeft ten minste één eis"]
    catalogue["eisen"] = {"id": "VOG_MEDEWERKER"}
    assert _problems(catalogue) == ["catalogus, veld 'eisen': moet een lijst van eisen zijn, niet een object"]
    catalogue["eisen"] = [_requirement(), "VOG"]
    assert _problems(catalogue) == ["eis nr. 2: moet een object zijn, niet 'VOG'"]


def test_top_level_date_and_texts() -> None:
    catalogue = _catalogue()
    catalogue.update(geldig_vanaf="1-4-2024", omschrijving="  ", bronnen=3)
    assert _problems(catalogue) == [
        "catalogus, veld 'geldig_vanaf': moet een bestaande datum zijn als JJJJ-MM-DD, niet '1-4-2024'",
        "catalogus, veld 'omschrijving': is leeg",
        "catalogus, veld 'bronnen': moet een tekst zijn, niet 3",
    ]


# ---------------------------------------------------------------- one requirement's fields


def test_requirement_missing_and_extra_fields_name_the_requirement() -> None:
    catalogue = _catalogue()
    del catalogue["eisen"][0]["bewijs"]
    catalogue["eisen"][1]["opmerking"] = "x"
    assert _problems(catalogue) == [
        f"{FIRST}, veld 'bewijs': ontbreekt",
        "eis KLACHTENREGELING (nr. 2), veld 'opmerking': is geen bekend veld",
    ]


def test_a_requirement_without_an_id_is_named_by_position() -> None:
    catalogue = _catalogue()
    del catalogue["eisen"][1]["id"]
    assert _problems(catalogue) == ["eis nr. 2, veld 'id': ontbreekt"]


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("titel", 5, "veld 'titel': moet een tekst zijn, niet 5"),
        ("artikelen", "Wki art. 13", "veld 'artikelen': moet een lijst van teksten zijn, niet 'Wki art. 13'"),
        ("artikelen", ["Wki art. 13", 13], "veld 'artikelen[1]': moet een tekst zijn, niet 13"),
        ("artikel_onzeker", "ja", "veld 'artikel_onzeker': moet true of false zijn, niet 'ja'"),
        ("artikel_onzeker", 1, "veld 'artikel_onzeker': moet true of false zijn, niet 1"),
        ("artikel_toelichting", [], "veld 'artikel_toelichting': moet een tekst zijn, niet een lijst"),
        ("verplichting", None, "veld 'verplichting': moet een tekst zijn, niet null"),
        ("verplichting", "", "veld 'verplichting': is leeg"),
        ("bewijs", "VOG", "veld 'bewijs': moet een lijst van teksten zijn, niet 'VOG'"),
        ("bewijs", [""], "veld 'bewijs[0]': is leeg"),
        ("standaardbevinding", [], "veld 'standaardbevinding': moet een object zijn met voldoet, voldoet_niet, "
                                   "deels, niet een lijst"),
        ("geldt_vanaf", 20240401, "veld 'geldt_vanaf': moet een bestaande datum zijn als JJJJ-MM-DD, niet 20240401"),
        ("geldt_tot", False, "veld 'geldt_tot': moet een bestaande datum zijn als JJJJ-MM-DD, niet false"),
        ("automatische_controle", 1, "veld 'automatische_controle': moet null zijn of een van register, signalen, "
                                     "personeel, niet 1"),
        ("wettelijke_norm", 1, "veld 'wettelijke_norm': moet true of false zijn, niet 1"),
        ("bron", {"V": "Justis"}, "veld 'bron': moet een tekst zijn, niet een object"),
    ],
)
def test_wrong_types(field: str, value: object, problem: str) -> None:
    assert _problems(_with(field, value)) == [f"{FIRST}, {problem}"]


def test_duplicate_ids() -> None:
    catalogue = _catalogue("VOG_MEDEWERKER", "KLACHTENREGELING", "VOG_MEDEWERKER")
    assert _problems(catalogue) == ["eis VOG_MEDEWERKER (nr. 3), veld 'id': komt al voor bij eis nr. 1"]


@pytest.mark.parametrize("code", ["vog_medewerker", "AB", "A" * 61, "1ABC", "_ABC", "VOG-MEDEWERKER", "VOG MEDEWERKER",
                                  "VOG_MEDEWERKER\n", "VÖG", 7, None])
def test_id_must_match_the_pattern(code: object) -> None:
    [problem] = _problems(_with("id", code))
    assert problem.startswith(
        "eis nr. 1, veld 'id': moet 3 tot 60 tekens lang zijn: een hoofdletter, dan hoofdletters, cijfers of _ "
        "(zoals VOG_MEDEWERKER), niet "
    )
    shown = repr(code) if isinstance(code, str) else json.dumps(code)
    assert problem.endswith(shown if len(shown) <= 60 else "…")


@pytest.mark.parametrize("code", ["ABC", "A" * 60, "X_1_", "B12"])
def test_id_pattern_boundaries(code: str) -> None:
    """Three characters and sixty are the shortest and the longest id."""
    assert parse_catalogue(_encode(_with("id", code))).eisen[0].code == code


def test_titel_of_120_characters_is_the_longest() -> None:
    assert parse_catalogue(_encode(_with("titel", "T" * 120))).eisen[0].titel == "T" * 120
    assert _problems(_with("titel", "T" * 121)) == [f"{FIRST}, veld 'titel': is 121 tekens lang; het maximum is 120"]


@pytest.mark.parametrize("titel", ["", "   ", "\t\n"])
def test_titel_empty(titel: str) -> None:
    assert _problems(_with("titel", titel)) == [f"{FIRST}, veld 'titel': is leeg"]


def test_control_characters_and_lone_surrogates_in_texts() -> None:
    assert _problems(_with("titel", "VOG\x00")) == [
        f"{FIRST}, veld 'titel': bevat ongeldige tekens (stuurtekens of een losse surrogaat)"
    ]
    data = _encode(_catalogue()).replace(b"VOG voor elke", b"VOG \\ud800 voor elke", 1)
    assert _problems(data) == [f"{FIRST}, veld 'titel': bevat ongeldige tekens (stuurtekens of een losse surrogaat)"]
    # A line break in a longer text is allowed.
    assert parse_catalogue(_encode(_with("verplichting", "Eerste regel.\nTweede regel."))).eisen[0].verplichting


@pytest.mark.parametrize("value", ["01-04-2024", "2024-4-1", "2024-02-30", "20240401", "2024-04-01T00:00",
                                   "2024-04-01 ", "２０２４-04-01"])
def test_dates_must_be_iso(value: str) -> None:
    assert _problems(_with("geldt_vanaf", value)) == [
        f"{FIRST}, veld 'geldt_vanaf': moet een bestaande datum zijn als JJJJ-MM-DD, niet {value!r}"
    ]


def test_geldt_tot_must_lie_after_geldt_vanaf() -> None:
    assert _problems(_with("geldt_tot", "2024-04-01")) == [
        f"{FIRST}, veld 'geldt_tot': 2024-04-01 ligt niet na geldt_vanaf 2024-04-01"
    ]
    assert _problems(_with("geldt_tot", "2024-03-31")) == [
        f"{FIRST}, veld 'geldt_tot': 2024-03-31 ligt niet na geldt_vanaf 2024-04-01"
    ]
    assert parse_catalogue(_encode(_with("geldt_tot", "2024-04-02"))).eisen[0].geldt_tot == date(2024, 4, 2)


@pytest.mark.parametrize("value", ["Register", "kvk", "", "personeel "])
def test_unknown_automatic_check(value: str) -> None:
    assert _problems(_with("automatische_controle", value)) == [
        f"{FIRST}, veld 'automatische_controle': moet null zijn of een van register, signalen, personeel, "
        f"niet {value!r}"
    ]


def test_automatic_check_values_compare_as_their_text() -> None:
    parsed = parse_catalogue(_encode(_with("automatische_controle", "signalen")))
    assert parsed.eisen[0].automatische_controle == "signalen"
    assert parse_catalogue(_encode(_with("automatische_controle", None))).eisen[0].automatische_controle is None


def test_empty_evidence_is_refused_only_for_a_statutory_norm() -> None:
    assert _problems(_with("bewijs", [])) == [
        f"{FIRST}, veld 'bewijs': is leeg; bij een wettelijke norm hoort bewijs om op te vragen"
    ]
    catalogue = _with("bewijs", [])
    catalogue["eisen"][0]["wettelijke_norm"] = False
    assert parse_catalogue(_encode(catalogue)).eisen[0].bewijs == ()


def test_empty_articles_are_refused_only_for_a_statutory_norm() -> None:
    assert _problems(_with("artikelen", [])) == [
        f"{FIRST}, veld 'artikelen': is leeg; een wettelijke norm noemt ten minste één artikel"
    ]
    catalogue = _with("artikelen", [])
    catalogue["eisen"][0]["wettelijke_norm"] = False
    assert parse_catalogue(_encode(catalogue)).eisen[0].artikelen == ()


def test_an_uncertain_article_needs_its_explanation() -> None:
    assert _problems(_with("artikel_toelichting", None)) == [
        f"{FIRST}, veld 'artikel_toelichting': ontbreekt; een onzeker artikel krijgt een toelichting"
    ]
    catalogue = _with("artikel_toelichting", None)
    catalogue["eisen"][0]["artikel_onzeker"] = False
    assert parse_catalogue(_encode(catalogue)).eisen[0].artikel_toelichting is None


@pytest.mark.parametrize("missing", ["voldoet", "voldoet_niet", "deels"])
def test_standard_finding_missing_a_key(missing: str) -> None:
    catalogue = _catalogue()
    del catalogue["eisen"][0]["standaardbevinding"][missing]
    assert _problems(catalogue) == [f"{FIRST}, veld 'standaardbevinding.{missing}': ontbreekt"]


def test_standard_finding_unknown_key_and_empty_text() -> None:
    catalogue = _catalogue()
    catalogue["eisen"][0]["standaardbevinding"].update(niet_beoordeeld="x", deels="")
    assert _problems(catalogue) == [
        f"{FIRST}, veld 'standaardbevinding.niet_beoordeeld': is geen bekende beoordeling (voldoet, voldoet_niet, "
        "deels)",
        f"{FIRST}, veld 'standaardbevinding.deels': is leeg",
    ]


def test_every_problem_is_reported_at_once() -> None:
    catalogue = _catalogue("VOG_MEDEWERKER", "KLACHTENREGELING", "KLACHTENREGELING")
    catalogue["versie"] = 0
    catalogue["eisen"][0]["titel"] = ""
    catalogue["eisen"][1]["geldt_vanaf"] = "morgen"
    problems = _problems(catalogue)
    assert problems == [
        "catalogus, veld 'versie': moet een positief geheel getal zijn, niet 0",
        f"{FIRST}, veld 'titel': is leeg",
        "eis KLACHTENREGELING (nr. 2), veld 'geldt_vanaf': moet een bestaande datum zijn als JJJJ-MM-DD, "
        "niet 'morgen'",
        "eis KLACHTENREGELING (nr. 3), veld 'id': komt al voor bij eis nr. 2",
    ]
    with pytest.raises(CatalogueFileError) as caught:
        parse_catalogue(_encode(catalogue))
    assert str(caught.value) == "\n".join(problems)


def test_a_flood_of_problems_is_cut_short() -> None:
    catalogue = _catalogue()
    catalogue["eisen"] = [dict(_requirement(f"EIS_{n:04d}"), titel="") for n in range(MAX_PROBLEMS + 30)]
    problems = _problems(catalogue)
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1] == "… en nog 30 problemen."


# ---------------------------------------------------------------- the content hash


def test_hash_is_stable_under_reformatting() -> None:
    catalogue = _catalogue()
    original = parse_catalogue(_encode(catalogue)).sha256
    reordered = {key: catalogue[key] for key in reversed(list(catalogue))}
    reordered["eisen"] = [{key: eis[key] for key in reversed(list(eis))} for eis in catalogue["eisen"]]
    variants = [
        _encode(catalogue, indent=4),
        _encode(catalogue, separators=(",", ":")),
        _encode(reordered, indent="\t"),
        json.dumps(catalogue).encode("ascii"),  # non-ASCII written as \u escapes
        b"\xef\xbb\xbf\n\n" + _encode(catalogue, indent=1) + b"\n",
    ]
    assert {parse_catalogue(data).sha256 for data in variants} == {original}


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["eisen"][0].update(titel=c["eisen"][0]["titel"] + "."),
        lambda c: c.update(versie=2),
        lambda c: c["eisen"][0]["bewijs"].append("Nog een stuk"),
        lambda c: c["eisen"].reverse(),  # the order of requirements is content
        lambda c: c["eisen"][1].update(geldt_tot="2030-01-01"),
    ],
)
def test_hash_changes_with_content(change: Any) -> None:
    catalogue = _catalogue()
    before = parse_catalogue(_encode(catalogue)).sha256
    changed = copy.deepcopy(catalogue)
    change(changed)
    assert parse_catalogue(_encode(changed)).sha256 != before


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), indent=st.one_of(st.none(), st.integers(0, 8)))
def test_hash_ignores_any_key_order_and_indentation(seed: int, indent: int | None) -> None:
    catalogue = _catalogue()
    rng = random.Random(seed)

    def shuffled(value: Any) -> Any:
        if isinstance(value, dict):
            items = list(value.items())
            rng.shuffle(items)
            return {key: shuffled(item) for key, item in items}
        if isinstance(value, list):
            return [shuffled(item) for item in value]
        return value

    assert parse_catalogue(_encode(shuffled(catalogue), indent=indent)).sha256 == \
        parse_catalogue(_encode(catalogue)).sha256


# ---------------------------------------------------------------- nothing but CatalogueFileError comes out

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_a_catalogue_or_a_catalogue_file_error(data: bytes) -> None:
    try:
        parse_catalogue(data)
    except CatalogueFileError as exc:
        assert exc.problems and all(isinstance(problem, str) and problem for problem in exc.problems)


@settings(max_examples=200, deadline=None)
@given(field=st.sampled_from(["id", "titel", "artikelen", "artikel_onzeker", "artikel_toelichting", "bewijs",
                              "standaardbevinding", "geldt_vanaf", "geldt_tot", "automatische_controle",
                              "wettelijke_norm", "bron"]),
       value=_json_values)
def test_any_json_value_in_any_field_is_accepted_or_reported(field: str, value: object) -> None:
    try:
        parsed = parse_catalogue(_encode(_with(field, value)))
    except CatalogueFileError as exc:
        assert exc.problems
    else:
        assert len(parsed.eisen) == 2


# ---------------------------------------------------------------- the dates between which a requirement applies


def test_applies_on_boundaries() -> None:
    catalogue = _with("geldt_vanaf", "2025-04-01")
    catalogue["eisen"][0]["geldt_tot"] = "2026-01-01"
    eis = parse_catalogue(_encode(catalogue)).eisen[0]
    assert not eis.applies_on(date(2025, 3, 31))
    assert eis.applies_on(date(2025, 4, 1))
    assert eis.applies_on(date(2025, 12, 31))
    assert not eis.applies_on(date(2026, 1, 1))


def test_applies_on_without_end_date() -> None:
    eis = parse_catalogue(_encode(_catalogue())).eisen[0]
    assert not eis.applies_on(date(2024, 3, 31))
    assert eis.applies_on(date(2024, 4, 1))
    assert eis.applies_on(date(9999, 12, 31))


def test_shipped_training_requirements_start_on_1_april_2025(shipped: Any) -> None:
    by_code = {eis.code: eis for eis in shipped.eisen}
    start = date(2025, 4, 1)
    for code in ("OPLEIDING_MEDEWERKER", "OPLEIDING_LEIDINGGEVENDE_ZZP"):
        assert not by_code[code].applies_on(start - timedelta(days=1))
        assert by_code[code].applies_on(start)
    assert by_code["VOG_MEDEWERKER"].applies_on(date(2024, 4, 1))
    assert not by_code["VOG_MEDEWERKER"].applies_on(date(2024, 3, 31))
