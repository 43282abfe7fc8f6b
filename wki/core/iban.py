"""The IBAN check (ISO 13616 mod-97), one for the register's validation and the signals' normaliser, and Dutch
IBANs with their check digits for demo data and tests."""

from __future__ import annotations

# Letters to their IBAN digit values (A=10 ... Z=35), for the mod-97 check.
_IBAN_DIGITS = str.maketrans({chr(c): str(c - 55) for c in range(ord("A"), ord("Z") + 1)})


# Digit strings of the letter groups seen so far (country codes, bank codes): a dictionary lookup is
# several times cheaper than str.translate with a table of two-character values.
_DIGITS_OF: dict[str, str] = {}


def _as_digits(part: str) -> str:
    digits = _DIGITS_OF.get(part)
    if digits is None:
        digits = part.translate(_IBAN_DIGITS)
        if len(_DIGITS_OF) < 10000:
            _DIGITS_OF[part] = digits
    return digits


def iban_is_valid(iban: str) -> bool:
    """ISO 13616 mod-97 check on a compact, upper-case IBAN.

    The form is checked with string methods (a regular expression call costs more than the rest):
    two letters, two digits, 11-30 letters or digits.
    """
    if not (15 <= len(iban) <= 34 and iban.isascii() and iban.isalnum() and iban[:2].isalpha()
            and iban[:2].isupper() and iban[2:4].isdigit() and (iban.isupper() or iban[4:].isdigit())):
        return False
    bank, rest = iban[4:8], iban[8:]
    number = (bank if bank.isdigit() else _as_digits(bank)) + (rest if rest.isdigit() else rest.translate(_IBAN_DIGITS))
    return int(number + _as_digits(iban[:2]) + iban[2:4]) % 97 == 1


def nl_iban(bank: str, account: int) -> str:
    """The Dutch IBAN of ``account`` (up to 10 digits) at ``bank`` (4 letters), with its check digits
    (ISO 13616 mod 97): for the demo data and the tests, which need IBANs that pass ``iban_is_valid``."""
    bban = f"{bank}{account:010d}"
    digits = "".join(str(int(ch, 36)) for ch in bban + "NL00")
    return f"NL{98 - int(digits) % 97:02d}{bban}"
