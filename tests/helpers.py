"""Helpers every feature's tests share (the rows themselves: ``tests/factories.py``)."""

from __future__ import annotations

from wki.core.iban import nl_iban


def make_iban(account: int, bank: str = "ABNA") -> str:
    """A Dutch IBAN with correct check digits for an account number of up to 10 digits."""
    return nl_iban(bank, account)
