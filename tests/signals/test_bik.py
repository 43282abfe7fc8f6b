"""The BIK staffel against the worked examples of the domain brief §5.2, its limits and slice boundaries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wki.signals.bik import VAT_FACTOR, bik_ceiling, bik_excess, bik_maximum

D = Decimal

# Domain brief §5.2: principal, costs without VAT, costs including 21% VAT.
WORKED_EXAMPLES = [
    ("180.00", "40.00", "48.40"),
    ("266.67", "40.00", "48.40"),
    ("1250.00", "187.50", "226.88"),
    ("3200.00", "445.00", "538.45"),
    ("7800.00", "765.00", "925.65"),
    ("12500.00", "900.00", "1089.00"),
    ("250000.00", "3025.00", "3660.25"),
    ("1500000.00", "6775.00", "8197.75"),
]


@pytest.mark.parametrize(("principal", "maximum", "_"), WORKED_EXAMPLES)
def test_worked_examples_without_vat(principal, maximum, _):
    assert bik_maximum(D(principal)) == D(maximum)


@pytest.mark.parametrize(("principal", "_", "with_vat"), WORKED_EXAMPLES)
def test_worked_examples_including_vat(principal, _, with_vat):
    assert bik_ceiling(D(principal)) == D(with_vat)


def test_vat_factor_is_21_percent():
    assert D("1.21") == VAT_FACTOR


@pytest.mark.parametrize(("principal", "maximum"), [
    ("0.00", "40.00"),
    ("100.00", "40.00"),
    ("266.66", "40.00"),  # 15% is 39.999: still the minimum
    ("266.67", "40.00"),  # 15% is 40.0005: rounds to the minimum
    ("266.70", "40.01"),  # 15% is 40.005: first amount above the minimum, rounded half up
    ("266.80", "40.02"),
])
def test_minimum(principal, maximum):
    assert bik_maximum(D(principal)) == D(maximum)


@pytest.mark.parametrize(("principal", "maximum"), [
    ("999999.99", "6775.00"),  # 2,775 + 0.5% x 799,999.99 = 6,774.99995, rounds up to the cap
    ("999998.00", "6774.99"),
    ("1000000.00", "6775.00"),
    ("1000000.01", "6775.00"),
    ("50000000.00", "6775.00"),
])
def test_cap(principal, maximum):
    assert bik_maximum(D(principal)) == D(maximum)


@pytest.mark.parametrize(("principal", "maximum"), [
    ("2499.99", "375.00"),  # 374.9985
    ("2500.00", "375.00"),
    ("2500.10", "375.01"),
    ("4999.90", "624.99"),
    ("5000.00", "625.00"),
    ("5000.20", "625.01"),
    ("9999.80", "874.99"),
    ("10000.00", "875.00"),
    ("10001.00", "875.01"),
    ("199999.00", "2774.99"),
    ("200000.00", "2775.00"),
    ("200002.00", "2775.01"),
])
def test_slice_boundaries(principal, maximum):
    assert bik_maximum(D(principal)) == D(maximum)


def test_rounds_half_up_to_the_cent():
    # 15% of 1,250.30 = 187.545: half up gives 187.55, banker's rounding would give 187.54.
    assert bik_maximum(D("1250.30")) == D("187.55")
    assert bik_maximum(D("1250.30")).as_tuple().exponent == -2


def test_integer_principal_is_accepted():
    assert bik_maximum(3200) == D("445.00")


@pytest.mark.parametrize("principal", [D("-0.01"), D("-100"), -1])
def test_negative_principal_is_refused(principal):
    with pytest.raises(ValueError, match="negatief"):
        bik_maximum(principal)
    with pytest.raises(ValueError):
        bik_ceiling(principal)
    with pytest.raises(ValueError):
        bik_excess(principal, D("10.00"))


def test_not_a_number_is_refused():
    with pytest.raises(ValueError):
        bik_maximum(D("NaN"))


@pytest.mark.parametrize(("principal", "costs", "excess"), [
    # ceiling 538.45 for 3,200.00
    ("3200.00", "400.00", "0.00"),  # below the maximum without VAT
    ("3200.00", "445.00", "0.00"),  # the maximum without VAT: allowed
    ("3200.00", "538.44", "0.00"),  # below the ceiling
    ("3200.00", "538.45", "0.00"),  # at the ceiling
    ("3200.00", "538.46", "0.01"),  # a cent above
    ("3200.00", "600.00", "61.55"),
    # minimum: ceiling 48.40
    ("180.00", "48.40", "0.00"),
    ("180.00", "75.00", "26.60"),
    # cap: ceiling 8,197.75
    ("1500000.00", "8197.75", "0.00"),
    ("1500000.00", "10000.00", "1802.25"),
    # 226.875 rounds to a ceiling of 226.88
    ("1250.00", "226.88", "0.00"),
    ("1250.00", "226.89", "0.01"),
    ("1250.00", "0.00", "0.00"),
])
def test_excess_over_the_ceiling(principal, costs, excess):
    result = bik_excess(D(principal), D(costs))
    assert result == D(excess)
    assert result.as_tuple().exponent == -2


def test_negative_costs_are_refused():
    with pytest.raises(ValueError, match="incassokosten"):
        bik_excess(D("1000.00"), D("-1.00"))
