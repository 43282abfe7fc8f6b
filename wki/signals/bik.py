"""Extrajudicial collection costs: the most the BIK allows for a principal (Besluit vergoeding voor
buitengerechtelijke incassokosten, art. 2; domain brief §5).

The staffel takes 15% of the first €2,500 of the principal, 10% of the next €2,500, 5% of the next
€5,000, 1% of the next €190,000 and 0.5% of the rest, with a minimum of €40 and a maximum of €6,775.
A creditor that cannot reclaim VAT may add 21% to that amount; since a signal rarely says whether it
can, costs are flagged only when they exceed the maximum *with* VAT (``bik_ceiling``): the flag is then
certain. Amounts are ``Decimal`` and rounded to the cent, half up, at the end of each computation.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["BIK_MAXIMUM", "BIK_MINIMUM", "VAT_FACTOR", "bik_ceiling", "bik_excess", "bik_maximum"]

BIK_MINIMUM = Decimal("40.00")
BIK_MAXIMUM = Decimal("6775.00")
VAT_FACTOR = Decimal("1.21")
CENT = Decimal("0.01")

# (upper bound of the slice, rate); the last slice has no upper bound.
_SLICES: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal(2500), Decimal("0.15")),
    (Decimal(5000), Decimal("0.10")),
    (Decimal(10000), Decimal("0.05")),
    (Decimal(200000), Decimal("0.01")),
    (None, Decimal("0.005")),
)


def _amount(value: Decimal | int | str, what: str) -> Decimal:
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    if not amount.is_finite():
        raise ValueError(f"{what} is geen bedrag: {value}")
    if amount < 0:
        raise ValueError(f"{what} mag niet negatief zijn: {value}")
    return amount


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def bik_maximum(principal: Decimal) -> Decimal:
    """The BIK maximum for a principal, excluding VAT, to the cent. Raises ValueError for a negative principal."""
    principal = _amount(principal, "hoofdsom")
    costs = Decimal(0)
    lower = Decimal(0)
    for upper, rate in _SLICES:
        if upper is None or principal <= upper:
            costs += (principal - lower) * rate
            break
        costs += (upper - lower) * rate
        lower = upper
    return _cents(min(max(costs, BIK_MINIMUM), BIK_MAXIMUM))


def bik_ceiling(principal: Decimal) -> Decimal:
    """The BIK maximum raised by 21% VAT, to the cent: the most a creditor may ever charge."""
    return _cents(bik_maximum(principal) * VAT_FACTOR)


def bik_excess(principal: Decimal, costs: Decimal) -> Decimal:
    """How much the collection costs exceed ``bik_ceiling(principal)``, to the cent; 0.00 when they do not.

    Raises ValueError for a negative principal or negative costs.
    """
    costs = _amount(costs, "incassokosten")
    return _cents(max(Decimal(0), costs - bik_ceiling(principal)))
