from __future__ import annotations

import math

import pandas as pd
import pytest

from icpkit.scorer.numbers import parse_numbers

CASES = [
    ("1200", 1200.0),
    ("1,200", 1200.0),
    ("1,200,000.50", 1200000.5),
    ("25 000", 25000.0),
    ("$25M", 25e6),
    ("$1.2 million", 1.2e6),
    ("2.5k", 2500.0),
    ("EUR 1.2bn", 1.2e9),
    ("€40K", 40000.0),
    ("12%", 12.0),
    ("(300)", -300.0),
    ("-$5k", -5000.0),
    ("1.5e6", 1.5e6),
    (" 7 ", 7.0),
    ("3,5", math.nan),  # a decimal comma is ambiguous: unknown, never 35
    ("10-20", math.nan),
    ("lots", math.nan),
    ("", math.nan),
    # Beyond a double: an overflow is unknown, an underflow 0.0; NaN and inf are no numbers.
    ("1e999", math.nan),
    ("9" * 400, math.nan),
    ("1e-400", 0.0),
    ("NaN", math.nan),
    ("inf", math.nan),
    ("\u00a01e3\u00a0", 1000.0),
    # No one writes a thousand digits: not read (PostgreSQL reads the rest exactly).
    ("1." + "0" * 998, 1.0),
    ("1." + "0" * 999, math.nan),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_crm_numbers(text: str, expected: float) -> None:
    value = parse_numbers(pd.Series([text], dtype="string")).iloc[0]
    if math.isnan(expected):
        assert math.isnan(value)
    else:
        assert value == pytest.approx(expected)


def test_numeric_columns_pass_through() -> None:
    assert parse_numbers(pd.Series([1, 2])).tolist() == [1.0, 2.0]
