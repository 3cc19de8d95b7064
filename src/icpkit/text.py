"""How figures read in every message, report and page: counts, numbers, shares, money.

A leaf, so the format layer's descriptions, the rule messages, the reporters and the site
all say "2 deals", "2,000", "40%" and "$40K" the same way. A figure that cannot be
computed (None) reads as `MISSING` wherever a helper accepts one.
"""

from __future__ import annotations

import itertools

MISSING = "-"
_SCALES = ((1e9, "B"), (1e6, "M"), (1e3, "K"))


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 deal`, `2 deals`, `1,350 deals`; `many` spells an irregular plural (`entries`) or
    carries the verb along (`plural(n, "deal has", "deals have")`)."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def count(value: int) -> str:
    """A count as people read it: 1350 -> `1,350`."""
    return f"{value:,}"


def number(value: float) -> str:
    """200 -> `200`, 2000 -> `2,000`, 2.5 -> `2.5`: whole values without a decimal point."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


def percent(value: float | None, digits: int = 0) -> str:
    """A share as a percentage: 0.4 -> `40%`, with `digits=1` -> `40.0%`."""
    return MISSING if value is None else f"{value:.{digits}%}"


def currency_symbol(code: str = "USD") -> str:
    """How an amount in `code` starts: `$`, `€`, `£`; a code with no symbol of its own
    reads as itself and a space (`SEK 40K`). Symbols come from CLDR through Babel."""
    if code == "USD":
        return "$"  # the default, without loading the locale data
    from babel.numbers import get_currency_symbol  # CLDR data is loaded on first use

    symbol = str(get_currency_symbol(code, locale="en"))
    return symbol if symbol != code else f"{code} "


def money(value: float | None, currency: str = "USD") -> str:
    """An amount to the whole unit, as a table of deals shows it: 40000.4 -> `$40,000`."""
    return MISSING if value is None else f"{currency_symbol(currency)}{number(round(value))}"


def short_money(value: float, currency: str = "USD") -> str:
    """A bound as a person says it: 40000 -> `$40K`, 2500000 -> `$2.5M`, 19999999 -> `$20M`
    (ranges mean whole units, so 999,999 reads `$1M`, not `$1000K`)."""
    sign = currency_symbol(currency)
    for index, (scale, suffix) in enumerate(_SCALES):
        if abs(value) >= scale:
            short = f"{value / scale:.2f}".rstrip("0").rstrip(".")
            if short.lstrip("-") == "1000" and index:
                return f"{sign}{short[:-3]}{_SCALES[index - 1][1]}"
            return f"{sign}{short}{suffix}"
    return f"{sign}{number(value)}"


def rate_cell(count: int, rate: float | None, digits: int = 0) -> str:
    """A table cell of deals and their win rate: `12 (40%)`; `0` alone when there are none."""
    return f"{count:,} ({percent(rate, digits)})" if count else "0"


def beside(
    value: float, threshold: float, digits: int = 2, *, share: bool = False, most: int = 6
) -> tuple[str, str]:
    """A figure and the threshold it is judged by, as text: each with `digits` decimals (as
    a percentage with `share`), and more where rounding would hide which side of the
    threshold the figure falls. 0.6999 beside 0.7 reads `0.6999` and `0.70`, never `0.70`
    beside `0.70`; 0.7 itself reads `0.70`. A threshold written with more decimals keeps them.
    """
    scale = 100.0 if share else 1.0
    limit = _decimals(threshold * scale, digits, most)
    shown = round(threshold * scale, limit)
    side = (value > threshold) - (value < threshold)
    places = next(
        (
            d
            for d in range(digits, most + 1)
            if (round(value * scale, d) > shown) - (round(value * scale, d) < shown) == side
        ),
        most,
    )

    def show(figure: float, decimals: int) -> str:
        return percent(figure, decimals) if share else f"{figure:,.{decimals}f}"

    return show(value, places), show(threshold, limit)


def apart(*figures: float | None, digits: int = 2, most: int = 4) -> int:
    """The decimals that show figures of one measure side by side: `digits`, or more where
    rounding would hide that two of them differ (0.812 and 0.815 need three, 0.81 and 0.85
    two), so a change never reads `0.81 -> 0.81`."""
    known = sorted({f for f in figures if f is not None})
    return next(
        (
            d
            for d in range(digits, most)
            if all(round(a, d) != round(b, d) for a, b in itertools.pairwise(known))
        ),
        most,
    )


def _decimals(value: float, digits: int, most: int) -> int:
    """The fewest decimals, at least `digits`, that write `value` exactly (up to `most`)."""
    return next((d for d in range(digits, most) if abs(round(value, d) - value) < 1e-9), most)
