"""Normalisation of names, KvK numbers, IBANs, phone numbers, websites and e-mail domains (one group per rule)."""

from __future__ import annotations

import dataclasses
import math
import random

import pytest

from wki.signals import normalise
from wki.signals.normalise import (
    FREE_MAIL_DOMAINS,
    Iban,
    TokenWeights,
    email_domain,
    fold,
    is_free_mail,
    legal_form,
    name_tokens,
    normalise_iban,
    normalise_kvk,
    normalise_name,
    normalise_phone,
    normalise_vestiging,
    registrable_domain,
)

# ---------------------------------------------------------------- fold


@pytest.mark.parametrize(("text", "folded"), [
    ("ZUIDERLICHT Incasso", "zuiderlicht incasso"),
    ("Straße", "strasse"),
])
def test_fold_case(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(("text", "folded"), [
    ("Café Één", "cafe een"),
    ("Coöperatie Noël", "cooperatie noel"),
    ("Ørsted Æbelø Łódź", "orsted aebelo lodz"),
    ("Ĳsselmeer", "ijsselmeer"),
    ("Ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
])
def test_fold_diacritics(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(("text", "folded"), [
    ("Jansen & Jansen", "jansen en jansen"),
    ("Jansen&Jansen", "jansen en jansen"),
    ("Kees+Co", "kees en co"),
    ("'t Hoekje", "t hoekje"),
    ("\u2019t Hoekje", "t hoekje"),
    ("D\u00b4Arco", "darco"),
    ("Incasso-Bureau, (Noord)/Zuid!", "incasso bureau noord zuid"),
    ("  veel    spaties\t\n", "veel spaties"),
    ("under_score", "under score"),
])
def test_fold_punctuation(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize("text", [None, "", "   ", "...!"])
def test_fold_empty(text):
    assert fold(text) == ""


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(("name", "tokens"), [
    ("Zuiderlicht Incasso", ["zuiderlicht", "incasso"]),
    ("ZUIDERLICHT INCASSO", ["zuiderlicht", "incasso"]),
    ("Zuidérlicht Incassö", ["zuiderlicht", "incasso"]),
    ("Zuiderlicht-Incasso!", ["zuiderlicht", "incasso"]),
    ("De Vries & Zn.", ["de", "vries", "en", "zn"]),
])
def test_name_case_diacritics_punctuation(name, tokens):
    assert name_tokens(name) == tokens


@pytest.mark.parametrize(("name", "form"), [
    ("Zuiderlicht Incasso B.V.", "B.V."),
    ("Zuiderlicht Incasso BV", "B.V."),
    ("Zuiderlicht Incasso B V", "B.V."),
    ("Zuiderlicht Incasso b.v", "B.V."),
    ("Zuiderlicht Incasso B. V.", "B.V."),
    ("Zuiderlicht Incasso bv.", "B.V."),
    ("Zuiderlicht Incasso (B.V.)", "B.V."),
    ("Zuiderlicht Incasso,B.V.", "B.V."),
    ("Zuiderlicht Incasso Besloten Vennootschap", "B.V."),
    ("Zuiderlicht Incasso N.V.", "N.V."),
    ("Zuiderlicht Incasso NV", "N.V."),
    ("Zuiderlicht Incasso Naamloze Vennootschap", "N.V."),
    ("Zuiderlicht Incasso V.O.F.", "V.O.F."),
    ("Zuiderlicht Incasso VOF", "V.O.F."),
    ("Zuiderlicht Incasso v.o.f", "V.O.F."),
    ("Zuiderlicht Incasso C.V.", "C.V."),
    ("Zuiderlicht Incasso CV", "C.V."),
    ("Zuiderlicht Incasso U.A.", "U.A."),
    ("Zuiderlicht Incasso UA", "U.A."),
    ("Zuiderlicht Incasso Eenmanszaak", "Eenmanszaak"),
    ("Zuiderlicht Incasso Ltd", "Ltd"),
    ("Zuiderlicht Incasso Ltd.", "Ltd"),
    ("Zuiderlicht Incasso GmbH", "GmbH"),
])
def test_trailing_legal_form_removed_and_recognised(name, form):
    assert name_tokens(name) == ["zuiderlicht", "incasso"]
    assert legal_form(name) == form


@pytest.mark.parametrize(("name", "form"), [
    ("Stichting Zuiderlicht Incasso", "Stichting"),
    ("Vereniging Zuiderlicht Incasso", "Vereniging"),
    ("Coöperatie Zuiderlicht Incasso U.A.", "Coöperatie"),
    ("Cooperatie Zuiderlicht Incasso UA", "Coöperatie"),
    ("Coöperatieve Zuiderlicht Incasso", "Coöperatie"),
    ("B.V. Zuiderlicht Incasso", "B.V."),
    ("Zuiderlicht B.V. Incasso", "B.V."),
    ("VOF Zuiderlicht Incasso", "V.O.F."),
])
def test_legal_form_removed_wherever_it_stands(name, form):
    assert name_tokens(name) == ["zuiderlicht", "incasso"]
    assert legal_form(name) == form


@pytest.mark.parametrize("name", [
    "Zuiderlicht Incasso B.V. i.o.",
    "Zuiderlicht Incasso B.V. (i.o.)",
    "Zuiderlicht Incasso B.V. in oprichting",
])
def test_in_oprichting_removed_but_not_a_legal_form(name):
    assert name_tokens(name) == ["zuiderlicht", "incasso"]
    assert legal_form(name) == "B.V."
    assert legal_form("Zuiderlicht Incasso i.o.") is None


@pytest.mark.parametrize(("name", "tokens"), [
    ("Bvest Incasso", ["bvest", "incasso"]),
    ("Incasso Bvest BV", ["incasso", "bvest"]),
    ("Novum Incasso", ["novum", "incasso"]),
    ("Stichtingen Beheer", ["stichtingen", "beheer"]),
    ("Ltda Incasso", ["ltda", "incasso"]),
    ("Radio Incasso", ["radio", "incasso"]),
    # with a legal form elsewhere in the name, so that the letters inside words are looked at too
    ("Lua Incasso B.V.", ["lua", "incasso"]),
    ("Ebv Incasso B.V.", ["ebv", "incasso"]),
    ("Incasso Stichtingbv U.A.", ["incasso", "stichtingbv"]),
    ("Bvest Incasso BV", ["bvest", "incasso"]),
])
def test_legal_form_letters_inside_a_word_stay(name, tokens):
    assert name_tokens(name) == tokens


def test_legal_form_of_a_name_without_one():
    assert legal_form("Bvest Incasso") is None
    assert legal_form("") is None
    assert legal_form(None) is None


@pytest.mark.parametrize(("name", "tokens"), [
    ("A.B.C. Incasso", ["abc", "incasso"]),
    ("A B C Incasso", ["abc", "incasso"]),
    ("ABC Incasso", ["abc", "incasso"]),
    ("Incasso A.B.C.", ["incasso", "abc"]),
    ("A.B.C. Incasso B.V.", ["abc", "incasso"]),
    ("A.B.C. B.V.", ["abc"]),
    ("J.B.V. Incasso", ["jbv", "incasso"]),  # initials ending in B.V. are initials, not a legal form
    ("P. de Vries Incasso", ["p", "de", "vries", "incasso"]),
    ("Incasso 4 U", ["incasso", "4", "u"]),
])
def test_single_letters_joined(name, tokens):
    assert name_tokens(name) == tokens


def test_word_order_kept():
    assert name_tokens("Incasso Zuiderlicht") == ["incasso", "zuiderlicht"]
    assert name_tokens("Zuiderlicht Incasso") == ["zuiderlicht", "incasso"]


@pytest.mark.parametrize("name", [None, "", "  ", "B.V.", "Stichting"])
def test_empty_names(name):
    assert name_tokens(name) == []
    assert normalise_name(name) == ""


def test_normalise_name_joins_tokens():
    assert normalise_name("  Zuiderlicht   Incasso-Bureau B.V. ") == "zuiderlicht incasso bureau"
    assert normalise_name("'t Hoekje Incasso V.O.F.") == "t hoekje incasso"


def test_name_tokens_returns_a_fresh_list():
    tokens = name_tokens("Zuiderlicht Incasso")
    tokens.append("changed")
    assert name_tokens("Zuiderlicht Incasso") == ["zuiderlicht", "incasso"]


# ---------------------------------------------------------------- token weights

REGISTER = [
    ["zuiderlicht", "incasso"],
    ["noorderzon", "incasso"],
    ["oosterwind", "incasso"],
    ["westerkim", "incasso", "groep"],
    ["jansen", "incasso"],
    ["jansen", "deurwaarders"],
    ["pietersen", "beheer"],
    ["klaassen"],
]


def test_common_tokens_weigh_less_than_rare_ones():
    weights = TokenWeights.from_token_lists(REGISTER)
    assert weights.names == 8
    assert weights.document_frequency("jansen") == 2
    assert weights.weight("zuiderlicht") > weights.weight("jansen") > weights.weight("incasso")
    assert weights.weight("onbekend") == 1.0
    assert weights.weight("zuiderlicht") < 1.0
    # smoothed IDF divided by its maximum: log((8 + 1) / (1 + 1)) + 1 over log(9) + 1
    assert weights.weight("zuiderlicht") == pytest.approx((math.log(9 / 2) + 1) / (math.log(9) + 1))


def test_token_in_half_of_all_names_weighs_little():
    names = [[f"firma{i}", "gemeenschappelijk" if i % 2 else f"uniek{i}"] for i in range(1000)]
    weights = TokenWeights.from_token_lists(names)
    assert weights.weight("gemeenschappelijk") == pytest.approx((math.log(1001 / 501) + 1) / (math.log(1001) + 1))
    assert weights.weight("gemeenschappelijk") < 0.25
    assert weights.weight("firma1") > 0.9


def test_duplicate_tokens_in_one_name_count_once():
    weights = TokenWeights.from_token_lists([["jansen", "jansen"], ["pietersen"]])
    assert weights.document_frequency("jansen") == 1


def test_noise_words_weigh_little_in_an_empty_register():
    weights = TokenWeights.from_token_lists([])
    assert weights.names == 0
    assert weights.weight("zuiderlicht") == 1.0
    for token in ("incasso", "incassobureau", "bureau", "de", "van", "gerechtsdeurwaarders", "advocaten",
                  "debiteurenbeheer", "nederland", "credit", "management"):
        assert weights.weight(token) <= TokenWeights.COMMON_WEIGHT, token
        assert weights.is_noise(token), token
    assert not weights.is_noise("zuiderlicht")


def test_noise_words_weigh_little_in_a_small_register_that_rarely_has_them():
    weights = TokenWeights.from_token_lists([["zuiderlicht", "incassobureau"], ["noorderzon"], ["oosterwind"]])
    assert weights.weight("incassobureau") <= TokenWeights.COMMON_WEIGHT
    assert weights.weight("incassobureau") < weights.weight("zuiderlicht")


def test_noise_word_floor_never_raises_a_weight():
    names = [["incasso", f"firma{i}"] for i in range(1000)]
    weights = TokenWeights.from_token_lists(names)
    idf = (math.log(1001 / 1001) + 1) / (math.log(1001) + 1)
    assert weights.weight("incasso") == pytest.approx(idf)


def test_tokens_in_many_names_are_noise():
    names = [[f"firma{i}", "veelvoorkomend" if i % 20 == 0 else f"x{i}"] for i in range(10000)]
    weights = TokenWeights.from_token_lists(names)  # veelvoorkomend: in 500 of 10,000 names
    assert weights.noise_df == 100
    assert weights.is_noise("veelvoorkomend")
    assert not weights.is_noise("firma7")
    assert not weights.is_noise("nergens")
    # in a small register nothing is noise by count alone
    assert not TokenWeights.from_token_lists([["jansen"], ["jansen"], ["pietersen"]]).is_noise("jansen")


# ---------------------------------------------------------------- KvK numbers


@pytest.mark.parametrize("raw", [
    "12345678",
    " 12345678 ",
    "KvK 12345678",
    "KVK12345678",
    "kvk: 12345678",
    "KvK-nummer: 12345678",
    "KvK-nummer 12345678",
    "kvk nr. 12345678",
    "KvK nr: 12345678",
    "Kamer van Koophandel 12345678",
    "Kamer van Koophandel: 12345678",
    "KvK #12345678",
    "1234 5678",
    "12 34 56 78",
    "1234.5678",
    "12.34.56.78",
    "1234-5678",
    "KvK: 1234 56 78",
    "K.v.K. 12345678",  # written by partners (issue 9's independent worlds), once refused the whole file
    "K.v.K.-nummer: 1234.5678",
    "12345678 (KvK)",
    "kvk 12345678 (Utrecht)",
    "No. 12345678",
])
def test_kvk_prefixes_and_separators(raw):
    assert normalise_kvk(raw) == "12345678"


@pytest.mark.parametrize(("raw", "number"), [
    ("000012345678", "000012345678"), ("Vestigingsnr. 0000 1234 5678", "000012345678"),
    ("vestigingsnummer: 1234.5678.9012", "123456789012"),
])
def test_a_vestigingsnummer_is_read_as_one(raw, number):
    assert normalise_kvk(raw) is None
    assert normalise_vestiging(raw) == number


@pytest.mark.parametrize("raw", ["12345678", "0000 0000 0000", "12345678901", "１２３４５６７８９０１２", "", None])
def test_not_a_vestigingsnummer(raw):
    assert normalise_vestiging(raw) is None


def test_kvk_leading_zero_kept():
    assert normalise_kvk("KvK 0123 4567") == "01234567"


@pytest.mark.parametrize(("raw", "kvk"), [("1234567", "01234567"), ("KvK 123 4567", "01234567")])
def test_kvk_seven_digits_zero_padded(raw, kvk):
    assert normalise_kvk(raw) == kvk


@pytest.mark.parametrize("raw", [
    "000012345678",  # a 12-digit vestigingsnummer is not a KvK number
    "123456789",
    "123456",
    "abcdefgh",
    "KvK",
    "1234567a",
    "onbekend",
    "00000000",
    "１２３４５６７８",  # full-width digits: not what anyone types for a KvK number
    "",
    None,
])
def test_kvk_rejected(raw):
    assert normalise_kvk(raw) is None


# ---------------------------------------------------------------- IBANs


@pytest.mark.parametrize("raw", [
    "NL91ABNA0417164300",
    "NL91 ABNA 0417 1643 00",
    "nl91abna0417164300",
    "nl91 abna 0417 1643 00",
    "NL91-ABNA-0417-1643-00",
    "NL91.ABNA.0417.1643.00",
    "IBAN: NL91 ABNA 0417 1643 00",
    " NL91ABNA0417164300\t",
])
def test_iban_compacted_and_valid(raw):
    iban = normalise_iban(raw)
    assert iban == Iban(written=raw.strip(), compact="NL91ABNA0417164300", valid=True)


def test_iban_mistyped_digit_kept_as_written_and_invalid():
    iban = normalise_iban("NL91 ABNA 0417 1643 01")
    assert iban.written == "NL91 ABNA 0417 1643 01"
    assert iban.compact == "NL91ABNA0417164301"
    assert iban.valid is False


def test_iban_foreign_valid():
    assert normalise_iban("be68 5390 0754 7034") == Iban("be68 5390 0754 7034", "BE68539007547034", True)


def test_iban_garbage_invalid():
    assert normalise_iban("rekening onbekend").valid is False


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_iban_empty(raw):
    assert normalise_iban(raw) is None


def test_iban_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        normalise_iban("NL91ABNA0417164300").valid = False


# ---------------------------------------------------------------- phone numbers


@pytest.mark.parametrize("raw", [
    "020-1234567",
    "020 1234567",
    "020 123 4567",
    "0201234567",
    "+31 20 123 4567",
    "+31201234567",
    "+31 (0)20 123 4567",
    "+31(0)201234567",
    "0031201234567",
    "0031 20 123 45 67",
    "(020) 123 45 67",
    "(020) 1234567",
    "020/1234567",
    "020.123.45.67",
    "020 1234567 toestel 12",
    "tel. 020-1234567",
])
def test_phone_dutch_landline(raw):
    assert normalise_phone(raw) == "0201234567"


@pytest.mark.parametrize("raw", ["06-12345678", "06 1234 5678", "+31 6 12345678", "+31612345678", "0031612345678",
                                 "+31 (0)6 12 34 56 78"])
def test_phone_dutch_mobile(raw):
    assert normalise_phone(raw) == "0612345678"


@pytest.mark.parametrize(("raw", "national"), [
    ("0800-1234", "08001234"),
    ("0900-1234567", "09001234567"),
    ("088-1234567", "0881234567"),
])
def test_phone_dutch_service_numbers(raw, national):
    assert normalise_phone(raw) == national


@pytest.mark.parametrize(("raw", "e164"), [
    ("+32 2 555 12 34", "+3225551234"),
    ("0032 2 555 12 34", "+3225551234"),
    ("+49 30 1234567", "+49301234567"),
    ("+44 20 7946 0958", "+442079460958"),
])
def test_phone_foreign_to_e164(raw, e164):
    assert normalise_phone(raw) == e164


@pytest.mark.parametrize("raw", [None, "", "   ", "onbekend", "garbage", "123", "12345", "112", "020 123",
                                 "06-1234567890123", "+31 20"])
def test_phone_garbage(raw):
    assert normalise_phone(raw) is None


def test_phone_fast_path_agrees_with_phonenumbers():
    """The regular-expression shortcut for common Dutch forms gives what phonenumbers gives."""
    rng = random.Random(4)
    forms = ["0{a}{b}", "0{a}-{b}", "+31 {a} {b}", "+31{a}{b}", "0031{a}{b}", "+31 (0){a} {b}", "(0{a}) {b}"]
    for _ in range(500):
        digits = f"{rng.randint(1, 9)}{rng.randrange(10**8):08d}"
        split = rng.randint(1, 3)
        raw = rng.choice(forms).format(a=digits[:split], b=digits[split:])
        assert normalise_phone(raw) == normalise._parse_phone(raw) == "0" + digits, raw


# ---------------------------------------------------------------- websites


@pytest.mark.parametrize("raw", [
    "zuiderlicht-incasso.nl",
    "www.zuiderlicht-incasso.nl",
    "http://zuiderlicht-incasso.nl",
    "https://www.zuiderlicht-incasso.nl/",
    "https://WWW.Zuiderlicht-Incasso.nl/betalen?x=1",
    "ZUIDERLICHT-INCASSO.NL",
    "zuiderlicht-incasso.nl/betalen/factuur.html",
    "zuiderlicht-incasso.nl?ref=brief",
    "zuiderlicht-incasso.nl#contact",
    "https://zuiderlicht-incasso.nl:8443/login",
    "zuiderlicht-incasso.nl:8080",
    "https://user:geheim@zuiderlicht-incasso.nl/",
    "zuiderlicht-incasso.nl.",
    "//zuiderlicht-incasso.nl/pad",
    "HTTPS://zuiderlicht-incasso.nl",
    "https:/zuiderlicht-incasso.nl",
    "betalen.portaal.zuiderlicht-incasso.nl",
    "  www.zuiderlicht-incasso.nl  ",
])
def test_website_registrable_domain(raw):
    assert registrable_domain(raw) == "zuiderlicht-incasso.nl"


@pytest.mark.parametrize(("raw", "domain"), [
    ("pay.example.co.uk", "example.co.uk"),
    ("https://www.example.co.uk/pay", "example.co.uk"),
    ("www.firma.com.au", "firma.com.au"),
    ("firma.be", "firma.be"),
    ("firma.co.nl", "firma.co.nl"),  # a private suffix: firms hosted there must not share "co.nl"
    ("https://zuiderlicht.wixsite.com/incasso", "zuiderlicht.wixsite.com"),
    ("bücher.nl", "xn--bcher-kva.nl"),
])
def test_website_public_suffixes(raw, domain):
    assert registrable_domain(raw) == domain


@pytest.mark.parametrize("raw", [
    "http://192.168.1.10/betalen",
    "10.0.0.1",
    "http://[2001:db8::1]/",
    "localhost",
    "http://intranet/",
    "zuiderlicht.invalid",
    "Zuiderlicht Incasso",
    "co.uk",
    "nl",
    "",
    "   ",
    None,
])
def test_website_without_registrable_domain(raw):
    assert registrable_domain(raw) is None


# ---------------------------------------------------------------- e-mail


@pytest.mark.parametrize(("raw", "domain"), [
    ("info@zuiderlicht-incasso.nl", "zuiderlicht-incasso.nl"),
    ("Info@Zuiderlicht-Incasso.NL", "zuiderlicht-incasso.nl"),
    (" info@zuiderlicht-incasso.nl ", "zuiderlicht-incasso.nl"),
    ("info@mail.zuiderlicht-incasso.nl", "zuiderlicht-incasso.nl"),
    ("Zuiderlicht <info@zuiderlicht-incasso.nl>", "zuiderlicht-incasso.nl"),
    ("mailto:info@zuiderlicht-incasso.nl", "zuiderlicht-incasso.nl"),
    ("j.de.vries+incasso@firma.co.uk", "firma.co.uk"),
])
def test_email_company_domain(raw, domain):
    assert email_domain(raw) == domain


@pytest.mark.parametrize("raw", [
    "incasso.zuiderlicht@gmail.com",
    "x@hotmail.com",
    "x@hotmail.nl",
    "x@outlook.com",
    "x@live.nl",
    "x@ziggo.nl",
    "x@kpnmail.nl",
    "x@xs4all.nl",
    "x@proton.me",
    "x@GMAIL.COM",
    "x@mail.hotmail.com",
])
def test_email_free_mail(raw):
    assert email_domain(raw) is None


@pytest.mark.parametrize("raw", [
    "", "  ", None, "info", "info@", "@zuiderlicht-incasso.nl", "info@@zuiderlicht-incasso.nl",
    "info@zuiderlicht", "info@192.168.1.1", "info zuiderlicht-incasso.nl", "info@zuiderlicht incasso.nl",
])
def test_email_invalid(raw):
    assert email_domain(raw) is None


def test_is_free_mail():
    assert is_free_mail("gmail.com")
    assert is_free_mail("Hotmail.NL")
    assert is_free_mail("smtp.ziggo.nl")
    assert not is_free_mail("zuiderlicht-incasso.nl")
    assert not is_free_mail("")
    assert not is_free_mail(None)
    assert {"gmail.com", "hotmail.com", "outlook.com", "xs4all.nl", "proton.me"} <= FREE_MAIL_DOMAINS


@pytest.mark.parametrize("website, identity", [
    ("https://www.facebook.com/mohameddebruin?ref=1", "facebook.com/mohameddebruin"),
    ("https://nl-nl.facebook.com/mohameddebruin", "facebook.com/mohameddebruin"),
    ("https://www.facebook.com/", None),  # the platform itself is everyone's
    ("https://m.facebook.com/people/abc", None),
    ("instagram.com/incasso_x/", "instagram.com/incasso_x"),
    ("amsterdamdebiteure.blogspot.com", "amsterdamdebiteure.blogspot.com"),
    ("https://WWW.Zuiderlicht-Incasso.nl/betalen", "zuiderlicht-incasso.nl"),
])
def test_a_page_on_a_platform_is_its_owners_the_platform_nobodys(website, identity):
    assert registrable_domain(website) == identity
