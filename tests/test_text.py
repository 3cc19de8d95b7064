"""The text helpers every message, report and page reads its figures through.

The expected strings are the ones the golden files and the site already show, so a change
here is a change of output everywhere (see tests/golden)."""

from __future__ import annotations

import pytest

from icpkit.format.describe import describe_range
from icpkit.text import MISSING, money, number, percent, plural, rate_cell, short_money


@pytest.mark.parametrize(
    ("count", "word", "many", "expected"),
    [
        (1, "commit", None, "1 commit"),
        (2, "commit", None, "2 commits"),
        (0, "deal", None, "0 deals"),
        (1, "entry", "entries", "1 entry"),
        (3, "entry", "entries", "3 entries"),
        (1, "deal has", "deals have", "1 deal has"),
        (12, "deal has", "deals have", "12 deals have"),
        (1, "ICP", None, "1 ICP"),
        (4, "ICP", None, "4 ICPs"),
    ],
)
def test_plural_agrees_with_the_count(
    count: int, word: str, many: str | None, expected: str
) -> None:
    assert plural(count, word, many) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (200, "200"),
        (2000, "2,000"),
        (2.5, "2.5"),
        (85.0, "85"),
        (0, "0"),
        (-1500, "-1,500"),
        (1_234.5, "1,234.5"),
        (100_000_000, "100,000,000"),
        # A whole number never turns into 1e+21, however large.
        (1e21, "1,000,000,000,000,000,000,000"),
    ],
)
def test_number_groups_thousands_and_drops_a_whole_decimal(value: float, expected: str) -> None:
    assert number(value) == expected


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (0.4, 0, "40%"),
        (0, 0, "0%"),
        (1, 0, "100%"),
        (-0.05, 0, "-5%"),
        (0.7123, 1, "71.2%"),
        (0.0091, 1, "0.9%"),
        (0.0, 1, "0.0%"),
        (None, 0, "-"),
        (None, 1, "-"),
    ],
)
def test_percent(value: float | None, digits: int, expected: str) -> None:
    assert percent(value, digits) == expected


def test_percent_defaults_to_whole_percents() -> None:
    assert percent(0.328) == "33%"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (81_957.3, "$81,957"),
        (101_850, "$101,850"),
        (1_500_000_000, "$1,500,000,000"),
        (0, "$0"),
        # Whole units, rounded as Python rounds: half to even.
        (2.5, "$2"),
        (3.5, "$4"),
        # The sign follows the currency symbol, as it always has.
        (-1_234.6, "$-1,235"),
        (None, "-"),
    ],
)
def test_money_shows_whole_units(value: float | None, expected: str) -> None:
    assert money(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (40_000, "$40K"),
        (2_500_000, "$2.5M"),
        (1_250, "$1.25K"),
        (1_000, "$1K"),
        (100_000_000, "$100M"),
        (1.5e9, "$1.5B"),
        (999, "$999"),
        (999.5, "$999.5"),
        (0, "$0"),
        # Range bounds mean whole units: one below a round figure reads as the figure.
        (19_999_999, "$20M"),
        (999_999, "$1M"),
        (999_999_999, "$1B"),
        (-2_500_000, "$-2.5M"),
        (-999_999, "$-1M"),
        # Billions are the largest scale.
        (1e12, "$1000B"),
    ],
)
def test_short_money_reads_as_people_say_it(value: float, expected: str) -> None:
    assert short_money(value) == expected


def test_the_two_money_forms_keep_their_places() -> None:
    """Range bounds in ICP descriptions are short; deal amounts in reports are exact."""
    assert describe_range("revenue_usd", 20_000_000, 199_999_999) == "$20M-$200M"
    assert describe_range("arr_usd", 1_000_000, None) == "$1M+"
    assert money(20_000_000) == "$20,000,000"


@pytest.mark.parametrize(
    ("count", "rate", "digits", "expected"),
    [
        (243, 0.4609, 1, "243 (46.1%)"),
        (93, 0.0753, 1, "93 (7.5%)"),
        (93, 0.0753, 0, "93 (8%)"),
        # No deals: no rate to give, whatever the rate field holds.
        (0, None, 1, "0"),
        (0, 0.5, 0, "0"),
        (5, None, 1, f"5 ({MISSING})"),
    ],
)
def test_rate_cell(count: int, rate: float | None, digits: int, expected: str) -> None:
    assert rate_cell(count, rate, digits) == expected


@pytest.mark.parametrize(
    ("currency", "expected_short", "expected_full"),
    [
        ("USD", "$2.5M", "$2,500,000"),
        ("EUR", "€2.5M", "€2,500,000"),
        ("GBP", "£2.5M", "£2,500,000"),
        # No symbol of its own in English: the code, then a space, never glued to digits.
        ("SEK", "SEK 2.5M", "SEK 2,500,000"),
    ],
)
def test_money_in_a_currency_uses_its_cldr_symbol(
    currency: str, expected_short: str, expected_full: str
) -> None:
    assert short_money(2_500_000, currency) == expected_short
    assert money(2_500_000, currency) == expected_full
