"""The staff-list check of formats/personeel.md against crafted files: every finding code at its boundary
dates, who is in service on D, the file rules (delimiters, BOM, Windows-1252, Dutch dates), refused files
with every bad row, the proposals and the exact bytes of the result file."""

from __future__ import annotations

from datetime import date

import pytest

from wki.supervision.staff import (
    Proposal,
    StaffFinding,
    StaffListError,
    add_months,
    check_staff_list,
    findings_csv,
)

D = date
HEADER = "naam,functie,datum_in_dienst,datum_uit_dienst,datum_vog,opleidingsniveau,bijscholingen"


def staff(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join((header, *rows)) + "\n").encode()


def codes(data: bytes, as_of: date) -> list[tuple[str, str, str]]:
    return [(f.naam, f.eis, f.bevinding) for f in check_staff_list(data, as_of=as_of).findings]


def only(data: bytes, as_of: date) -> StaffFinding:
    (finding,) = check_staff_list(data, as_of=as_of).findings
    return finding


# A fully compliant incassomedewerker row, for the parts of a test that look at something else.
GOOD = "Ok,incassomedewerker,2023-01-01,,2024-02-01,MBO-3,2025-03-01|2026-03-01"


@pytest.mark.parametrize(("day", "months", "result"), [
    (D(2024, 4, 1), -3, D(2024, 1, 1)),
    (D(2025, 5, 31), -3, D(2025, 2, 28)),
    (D(2024, 5, 31), -3, D(2024, 2, 29)),  # leap year
    (D(2025, 1, 15), -3, D(2024, 10, 15)),  # over the year's end
    (D(2024, 3, 31), -1, D(2024, 2, 29)),
    (D(2024, 12, 31), 2, D(2025, 2, 28)),
    (D(2025, 7, 31), -3, D(2025, 4, 30)),
])
def test_add_months_clamps_to_the_month_end(day, months, result):
    assert add_months(day, months) == result


# --- VOG ---------------------------------------------------------------------------------------------

# In service before 1 April 2024: the reference day is 1 April 2024, the earliest VOG 1 January 2024.
@pytest.mark.parametrize(("vog", "code"), [
    ("", "vog_ontbreekt"),
    ("2023-12-31", "vog_te_oud"),
    ("2024-01-01", None),
    ("2024-03-15", None),
    ("2024-04-01", None),
    ("2024-04-02", "vog_te_laat"),
])
def test_vog_of_staff_in_service_before_1_april_2024(vog, code):
    data = staff(f"Jan,bestuurder,2020-05-01,,{vog},,2025-01-10|2026-01-10")
    assert codes(data, D(2026, 6, 1)) == ([("Jan", "VOG_MEDEWERKER", code)] if code else [])


# Hired on 31 May 2025: three calendar months back is 28 February 2025 (clamped to the month's end).
@pytest.mark.parametrize(("vog", "code"), [
    ("2025-02-27", "vog_te_oud"),
    ("2025-02-28", None),
    ("2025-05-31", None),
    ("2025-06-01", "vog_te_laat"),
])
def test_vog_of_a_new_hire_month_end(vog, code):
    data = staff(f"Piet,incassomedewerker,2025-05-31,,{vog},MBO-3,")
    assert codes(data, D(2025, 12, 31)) == ([("Piet", "VOG_MEDEWERKER", code)] if code else [])


@pytest.mark.parametrize(("hired", "vog", "code"), [
    ("2024-03-31", "2024-01-01", None),  # in service before the duty: reference 1 April 2024
    ("2024-03-31", "2024-04-01", None),
    ("2024-04-01", "2024-01-01", None),  # hired on the first day: the same reference day
    ("2024-04-01", "2023-12-31", "vog_te_oud"),
    ("2024-04-02", "2024-04-02", None),
    ("2024-04-02", "2024-01-01", "vog_te_oud"),  # reference 2 April: earliest 2 January
    ("2024-04-02", "2024-01-02", None),
])
def test_vog_reference_day_around_1_april_2024(hired, vog, code):
    data = staff(f"Kees,bestuurder,{hired},,{vog},,")
    assert codes(data, D(2025, 6, 1)) == ([("Kees", "VOG_MEDEWERKER", code)] if code else [])


def test_vog_explanations_are_specific():
    data = staff("A,bestuurder,2020-05-01,,2023-12-03,,", "B,bestuurder,2025-05-31,,2025-06-02,,",
                 "C,bestuurder,2025-05-31,,,,")
    texts = [f.toelichting for f in check_staff_list(data, as_of=D(2025, 12, 1)).findings]
    assert texts == [
        "VOG afgegeven op 03-12-2023, meer dan drie maanden vóór 01-04-2024 (de ingang van de VOG-plicht; "
        "in dienst sinds 01-05-2020); de vroegst toegestane datum is 01-01-2024.",
        "VOG afgegeven op 02-06-2025, na 31-05-2025 (de dag van indiensttreding); de VOG moet er uiterlijk "
        "op die dag zijn.",
        "Geen VOG opgegeven; vereist is een VOG afgegeven tussen 28-02-2025 en 31-05-2025 (de dag van "
        "indiensttreding).",
    ]


def test_no_vog_finding_before_the_duty():
    data = staff("Jan,incassomedewerker,2020-05-01,,,,")
    check = check_staff_list(data, as_of=D(2024, 3, 31))
    assert check.findings == []
    assert check.proposals()["VOG_MEDEWERKER"] == Proposal(
        "voldoet", ("De VOG-plicht geldt pas vanaf 01-04-2024; op 31-03-2024 gold die nog niet.",))
    assert codes(data, D(2024, 4, 1)) == [("Jan", "VOG_MEDEWERKER", "vog_ontbreekt")]


# --- training ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("functie", "niveau", "finding"), [
    ("incassomedewerker", "", ("OPLEIDING_MEDEWERKER", "opleiding_onbekend")),
    ("incassomedewerker", "MBO-2", ("OPLEIDING_MEDEWERKER", "opleiding_te_laag")),
    ("incassomedewerker", "EQF-2", ("OPLEIDING_MEDEWERKER", "opleiding_te_laag")),
    ("incassomedewerker", "MBO-3", None),
    ("incassomedewerker", "EQF-3", None),
    ("incassomedewerker", "HBO", None),
    ("operationeel_leidinggevende", "", ("OPLEIDING_LEIDINGGEVENDE_ZZP", "opleiding_onbekend")),
    ("operationeel_leidinggevende", "MBO-3", ("OPLEIDING_LEIDINGGEVENDE_ZZP", "opleiding_te_laag")),
    ("operationeel_leidinggevende", "MBO-4", None),
    ("operationeel_leidinggevende", "EQF-8", None),
    ("zzp", "EQF-3", ("OPLEIDING_LEIDINGGEVENDE_ZZP", "opleiding_te_laag")),
    ("zzp", "EQF-4", None),
    ("zzp", "WO", None),
    ("bestuurder", "", None),
    ("bestuurder", "MBO-1", None),
])
def test_training_level_per_role(functie, niveau, finding):
    data = staff(f"Els,{functie},2023-01-01,,2024-02-01,{niveau},2025-05-05")
    assert codes(data, D(2026, 1, 15)) == ([("Els", *finding)] if finding else [])


@pytest.mark.parametrize(("as_of", "found"), [(D(2025, 3, 31), False), (D(2025, 4, 1), True)])
def test_training_applies_from_1_april_2025(as_of, found):
    data = staff("Els,incassomedewerker,2023-01-01,,2024-02-01,MBO-2,")
    assert codes(data, as_of) == ([("Els", "OPLEIDING_MEDEWERKER", "opleiding_te_laag")] if found else [])


def test_training_explanations():
    data = staff("A,incassomedewerker,2023-01-01,,2024-02-01,mbo 2,", "B,zzp,2023-01-01,,2024-02-01,,")
    texts = [f.toelichting for f in check_staff_list(data, as_of=D(2025, 4, 1)).findings]
    assert texts == [
        "Opleidingsniveau MBO-2 (niveau 2) is te laag; een incassomedewerker moet ten minste niveau 3 "
        "(MBO-3 of EQF-3) hebben.",
        "Geen opleidingsniveau opgegeven; een zzp'er moet ten minste niveau 4 (MBO-4 of EQF-4) hebben.",
    ]


@pytest.mark.parametrize("cell", ["MBO-3", "mbo-3", "mbo 3", "MBO3", "Mbo_3", " mbo – 3 ", "EQF-3", "eqf3"])
def test_level_spellings_accepted(cell):
    data = staff(f"Els,incassomedewerker,2023-01-01,,2024-02-01,{cell},2025-05-05")
    assert codes(data, D(2025, 12, 1)) == []


@pytest.mark.parametrize("cell", ["MBO-5", "EQF-9", "EQF-0", "bachelor", "3", "MBO", "HBO-6", "mbo 3 4"])
def test_level_that_is_no_level_refuses_the_row(cell):
    with pytest.raises(StaffListError) as refused:
        check_staff_list(staff(f"Els,incassomedewerker,2023-01-01,,,{cell},"), as_of=D(2025, 12, 1))
    (error,) = refused.value.errors
    assert (error.line, error.column, error.value) == (2, "opleidingsniveau", cell.strip())


# --- refresher courses ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("row", "as_of", "missing"), [
    # in service since before 2025, as of 2027: 2025 and 2026 count
    ("A,incassomedewerker,2020-01-01,,2024-02-01,MBO-3,", D(2027, 3, 1), "2025 en 2026"),
    ("A,incassomedewerker,2020-01-01,,2024-02-01,MBO-3,2025-12-31", D(2027, 3, 1), "2026"),
    ("A,incassomedewerker,2020-01-01,,2024-02-01,MBO-3,2025-01-01|2026-12-31", D(2027, 3, 1), None),
    ("A,incassomedewerker,2020-01-01,,2024-02-01,MBO-3,2024-12-31|2027-01-01", D(2027, 3, 1), "2025 en 2026"),
    # a course in the year of D does not make up for an earlier year
    ("A,incassomedewerker,2020-01-01,,2024-02-01,MBO-3,2025-06-01|2027-01-02", D(2027, 3, 1), "2026"),
    # the year of D is never judged; before 2026 there is no full year to judge
    ("A,incassomedewerker,2020-01-01,,2024-02-01,MBO-3,", D(2025, 12, 31), None),
    ("A,incassomedewerker,2020-01-01,,2024-02-01,MBO-3,", D(2026, 1, 1), "2025"),
    # hired on 1 January: the whole year in service
    ("A,incassomedewerker,2025-01-01,,2024-12-01,MBO-3,", D(2026, 6, 1), "2025"),
    # hired on 2 January: 2025 was no full year
    ("A,incassomedewerker,2025-01-02,,2024-12-02,MBO-3,", D(2026, 6, 1), None),
    ("A,incassomedewerker,2025-01-02,,2024-12-02,MBO-3,", D(2027, 6, 1), "2026"),
    # a bestuurder too
    ("A,bestuurder,2020-01-01,,2024-02-01,,2026-02-02", D(2028, 1, 1), "2025 en 2027"),
    ("A,bestuurder,2020-01-01,,2024-02-01,,", D(2029, 1, 1), "2025, 2026, 2027 en 2028"),
])
def test_refresher_courses_per_full_calendar_year(row, as_of, missing):
    findings = check_staff_list(staff(row), as_of=as_of).findings
    assert [(f.eis, f.bevinding, f.toelichting) for f in findings] == (
        [("PERMANENTE_EDUCATIE", "bijscholing_ontbreekt",
          f"Geen bijscholing in {missing}, {'volledige kalenderjaren' if ' en ' in missing else 'een volledig kalenderjaar'} in dienst.")]
        if missing else [])


# --- who is in service on D ------------------------------------------------------------------------------

@pytest.mark.parametrize(("hired", "left", "counted"), [
    ("2025-06-01", "", True),
    ("2025-06-02", "", False),  # starts the day after D
    ("2024-01-01", "2025-06-01", True),  # the last day counts
    ("2024-01-01", "2025-05-31", False),  # left the day before D
    ("2025-06-01", "2025-06-01", True),  # one day, that day
])
def test_only_people_in_service_on_d(hired, left, counted):
    data = staff(f"X,incassomedewerker,{hired},{left},,,")
    check = check_staff_list(data, as_of=D(2025, 6, 1))
    assert check.people == (1 if counted else 0)
    assert [f.bevinding for f in check.findings] == (["vog_ontbreekt", "opleiding_onbekend"] if counted else [])


def test_a_person_who_left_is_ignored_whatever_their_record():
    data = staff(GOOD, "Weg,zzp,2019-01-01,2026-01-31,,,")
    check = check_staff_list(data, as_of=D(2026, 6, 1))
    assert (check.people, check.findings) == (1, [])


# --- the file ----------------------------------------------------------------------------------------------

def test_semicolons_bom_and_dutch_dates():
    text = ("\ufeffNaam;Functie;Datum_in_dienst;Datum_uit_dienst;Datum_VOG;Opleidingsniveau;Bijscholingen\r\n"
            "Zoë de Vries;incassomedewerker;01-01-2023;;01-02-2024;MBO-3;01-03-2025|01-03-2026\r\n"
            "Ali;Incassomedewerker;15-06-2024;;15-06-2024;mbo 2;\r\n")
    check = check_staff_list(text.encode(), as_of=D(2026, 6, 1))
    assert check.encoding == "UTF-8 (met BOM)"
    assert check.people == 2
    assert [(f.naam, f.bevinding, f.line) for f in check.findings] == [
        ("Ali", "opleiding_te_laag", 3), ("Ali", "bijscholing_ontbreekt", 3)]


def test_windows_1252_is_detected_and_named():
    text = "naam;functie;datum_in_dienst;datum_vog\nRenée Müller;bestuurder;2025-03-01;2025-03-01\n"
    check = check_staff_list(text.encode("cp1252"), as_of=D(2025, 6, 1))
    assert check.encoding == "Windows-1252"
    assert (check.people, check.findings) == (1, [])
    assert check_staff_list(text.encode(), as_of=D(2025, 6, 1)).encoding == "UTF-8"


def test_header_spelling_unknown_and_absent_optional_columns():
    data = staff("Jan,bestuurder,2025-03-01,2025-03-01,nl", header=" NAAM , Functie,datum in dienst,datum_vog,taal")
    check = check_staff_list(data, as_of=D(2025, 6, 1))
    assert check.unknown_columns == ["taal"]
    assert (check.people, check.findings) == (1, [])


@pytest.mark.parametrize("functie", ["Incassomedewerker", " ZZP ", "Operationeel leidinggevende",
                                     "OPERATIONEEL_LEIDINGGEVENDE", "bestuurder"])
def test_functie_spellings_accepted(functie):
    check = check_staff_list(staff(f"Jan,{functie},2025-03-01,,2025-03-01,HBO,"), as_of=D(2025, 6, 1))
    assert check.people == 1


def test_header_only_is_a_valid_empty_list():
    check = check_staff_list(staff(), as_of=D(2026, 6, 1))
    assert (check.people, check.findings, check.encoding) == (0, [], "UTF-8")
    reason = ("Volgens de personeelslijst is op 01-06-2026 niemand in dienst.",)
    assert check.proposals() == {eis: Proposal("niet_beoordeeld", reason) for eis in (
        "VOG_MEDEWERKER", "OPLEIDING_MEDEWERKER", "OPLEIDING_LEIDINGGEVENDE_ZZP", "PERMANENTE_EDUCATIE")}
    assert findings_csv(check) == b"naam,eis,bevinding,toelichting\n"


@pytest.mark.parametrize(("data", "message"), [
    (b"", "Het bestand is leeg"),
    (b"naam,functie\nJan,zzp\n", "Verplichte kolom ontbreekt: datum_in_dienst."),
    (b"naam,functie,datum_in_dienst,naam\n", "Kolom komt meer dan eens voor: naam."),
    (b'naam,functie,datum_in_dienst\n"Jan,zzp,2025-01-01\n', "aanhalingstekens"),
])
def test_unreadable_files_are_refused_with_a_message(data, message):
    with pytest.raises(StaffListError) as refused:
        check_staff_list(data, as_of=D(2026, 6, 1))
    assert refused.value.message.startswith("De personeelslijst is niet ingelezen: ")
    assert message in refused.value.message
    assert refused.value.errors == []


def test_a_file_with_bad_rows_is_refused_listing_every_bad_row():
    data = staff(
        GOOD,
        ",stagiair,2025-13-01,,,,",  # line 3: three problems
        "Jan,zzp,,,31-02-2024,MBO-4,",  # line 4: two problems
        GOOD,
        "Piet,incassomedewerker,2025-06-01,2025-05-31,,,2025-01-01|1-1-2025|",  # line 6: two problems
        "Kees,bestuurder,2025-01-01,,,,,extra",  # line 7: too many cells
        "Els,incassomedewerker,2025-01-01,,,,",  # a good row after the bad ones
    )
    with pytest.raises(StaffListError) as refused:
        check_staff_list(data, as_of=D(2026, 6, 1))
    assert refused.value.message == ("De personeelslijst is niet ingelezen: 4 regels bevatten fouten. "
                                     "Verbeter ze en lever het bestand opnieuw aan.")
    assert [(e.line, e.column, e.value, e.reason) for e in refused.value.errors] == [
        (3, "naam", "", "is verplicht"),
        (3, "functie", "stagiair", "moet incassomedewerker, operationeel_leidinggevende, bestuurder of zzp zijn"),
        (3, "datum_in_dienst", "2025-13-01", "bestaat niet als datum"),
        (4, "datum_in_dienst", "", "is verplicht"),
        (4, "datum_vog", "31-02-2024", "bestaat niet als datum"),
        (6, "datum_uit_dienst", "2025-05-31", "ligt vóór datum_in_dienst"),
        (6, "bijscholingen", "1-1-2025", "is geen datum (gebruik JJJJ-MM-DD of DD-MM-JJJJ)"),
        (7, None, None, "de regel heeft meer cellen dan de kopregel kolommen heeft"),
    ]
    assert refused.value.report()[1] == "regel 3, kolom naam: is verplicht"


def test_one_bad_row_is_named_in_the_singular():
    with pytest.raises(StaffListError, match="1 regel bevat fouten"):
        check_staff_list(staff(GOOD, "Jan,zzp,gisteren,,,,"), as_of=D(2026, 6, 1))


def test_a_long_name_is_refused():
    with pytest.raises(StaffListError) as refused:
        check_staff_list(staff(f"{'x' * 301},zzp,2025-01-01,,,,"), as_of=D(2026, 6, 1))
    assert refused.value.errors[0].reason == "is langer dan 300 tekens"
    assert check_staff_list(staff(f"{'x' * 300},zzp,2025-01-01,,2025-01-01,MBO-4,"), as_of=D(2025, 6, 1)).people == 1


# --- proposals --------------------------------------------------------------------------------------------

def test_proposals_when_all_is_well():
    rows = [GOOD] * 11 + ["Baas,operationeel_leidinggevende,2023-01-01,,2024-01-01,HBO,2025-01-01|2026-01-01"]
    check = check_staff_list(staff(*rows), as_of=D(2027, 6, 1))
    assert check.findings == []
    assert check.proposals() == {
        "VOG_MEDEWERKER": Proposal("voldoet", ("Alle 12 medewerkers in dienst op 01-06-2027 hebben een tijdige VOG.",)),
        "OPLEIDING_MEDEWERKER": Proposal("voldoet", (
            "Alle 11 incassomedewerkers in dienst op 01-06-2027 hebben ten minste niveau 3 (MBO-3 of EQF-3).",)),
        "OPLEIDING_LEIDINGGEVENDE_ZZP": Proposal("voldoet", (
            "De enige operationeel leidinggevende of zzp'er in dienst op 01-06-2027 heeft ten minste niveau 4 "
            "(MBO-4 of EQF-4).",)),
        "PERMANENTE_EDUCATIE": Proposal("voldoet", (
            "Alle 12 medewerkers in dienst op 01-06-2027 hebben in elk volledig kalenderjaar in dienst sinds 2025 "
            "ten minste één bijscholing gevolgd.",)),
    }


def test_proposals_with_findings_give_the_reasons_per_person():
    data = staff(GOOD, "Jan,incassomedewerker,2025-05-31,,2025-02-27,MBO-2,", "Piet,zzp,2023-01-01,,,MBO-4,2025-05-05")
    proposals = check_staff_list(data, as_of=D(2026, 1, 5)).proposals()
    assert proposals["VOG_MEDEWERKER"] == Proposal("voldoet_niet", (
        "Jan: VOG afgegeven op 27-02-2025, meer dan drie maanden vóór 31-05-2025 (de dag van indiensttreding); "
        "de vroegst toegestane datum is 28-02-2025.",
        "Piet: Geen VOG opgegeven; vereist is een VOG afgegeven tussen 01-01-2024 en 01-04-2024 (de ingang van "
        "de VOG-plicht; in dienst sinds 01-01-2023).",
    ))
    assert proposals["OPLEIDING_MEDEWERKER"].judgement == "voldoet_niet"
    assert proposals["OPLEIDING_MEDEWERKER"].reasons == (
        "Jan: Opleidingsniveau MBO-2 (niveau 2) is te laag; een incassomedewerker moet ten minste niveau 3 "
        "(MBO-3 of EQF-3) hebben.",)
    assert proposals["OPLEIDING_LEIDINGGEVENDE_ZZP"].judgement == "voldoet"
    assert proposals["PERMANENTE_EDUCATIE"] == Proposal("voldoet", (
        "Alle 3 medewerkers in dienst op 05-01-2026 hebben in elk volledig kalenderjaar in dienst sinds 2025 "
        "ten minste één bijscholing gevolgd.",))


def test_training_proposals_before_1_april_2025_and_without_the_role():
    check = check_staff_list(staff(GOOD), as_of=D(2025, 3, 31))
    proposals = check.proposals()
    assert proposals["OPLEIDING_MEDEWERKER"] == Proposal("voldoet", (
        "De opleidingseis geldt pas vanaf 01-04-2025; op 31-03-2025 gold die nog niet.",))
    assert proposals["OPLEIDING_LEIDINGGEVENDE_ZZP"] == Proposal("niet_van_toepassing", (
        "Volgens de personeelslijst is op 31-03-2025 geen operationeel leidinggevende of zzp'er in dienst.",))
    assert proposals["PERMANENTE_EDUCATIE"] == Proposal("voldoet", (
        "Bijscholing wordt per volledig kalenderjaar vanaf 2025 beoordeeld; op 31-03-2025 is nog geen zo'n "
        "jaar voorbij.",))
    assert proposals["VOG_MEDEWERKER"].judgement == "voldoet"


def test_a_sole_zzp_has_no_incassomedewerker_requirement():
    check = check_staff_list(staff("Zelf,zzp,2023-01-01,,2024-02-01,MBO-4,2025-02-02"), as_of=D(2026, 2, 1))
    proposals = check.proposals()
    assert proposals["OPLEIDING_MEDEWERKER"] == Proposal("niet_van_toepassing", (
        "Volgens de personeelslijst is op 01-02-2026 geen incassomedewerker in dienst.",))
    assert proposals["OPLEIDING_LEIDINGGEVENDE_ZZP"].judgement == "voldoet"
    assert proposals["VOG_MEDEWERKER"] == Proposal("voldoet", (
        "De enige medewerker in dienst op 01-02-2026 heeft een tijdige VOG.",))


# --- the result file ---------------------------------------------------------------------------------------

def test_findings_csv_bytes_exactly():
    data = staff('"Jansen, J. ""Jan""",incassomedewerker,2023-01-01,,,MBO-3,2025-01-01',
                 "=Bakker,bestuurder,2025-05-31,,2025-06-01,,")
    check = check_staff_list(data, as_of=D(2026, 6, 1))
    assert findings_csv(check) == (
        b"naam,eis,bevinding,toelichting\n"
        b'"Jansen, J. ""Jan""",VOG_MEDEWERKER,vog_ontbreekt,Geen VOG opgegeven; vereist is een VOG afgegeven '
        b"tussen 01-01-2024 en 01-04-2024 (de ingang van de VOG-plicht; in dienst sinds 01-01-2023).\n"
        b"=Bakker,VOG_MEDEWERKER,vog_te_laat,\"VOG afgegeven op 01-06-2025, na 31-05-2025 (de dag van "
        b'indiensttreding); de VOG moet er uiterlijk op die dag zijn."\n'
    )
    assert not findings_csv(check).startswith(b"\xef\xbb\xbf")


def test_findings_csv_is_utf8():
    check = check_staff_list(staff("Zoë,bestuurder,2025-05-31,,,,"), as_of=D(2026, 6, 1))
    assert findings_csv(check).splitlines()[1].startswith("Zoë,VOG_MEDEWERKER,vog_ontbreekt,".encode())
