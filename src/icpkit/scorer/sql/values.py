"""How a raw cell becomes the value a rule reads, in SQL, exactly as `scorer.prepare` does.

The steps mirror `prepare._convert` and `score._Columns`: trim, map coded values, blank
out unknown markers, then read a number, fold case, or pad a `;` list. Regular
expressions avoid backslashes and non-capturing groups so that every dialect (POSIX
ERE in Snowflake and PostgreSQL, RE2, Java) reads them alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlglot import exp

from icpkit.project.mapping import CodeValue, band_value
from icpkit.scorer.explicit import spellings
from icpkit.scorer.notation import LONGEST_WRITTEN, MAX_FLOAT, SCALES, written

PLAIN = "^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$"
_CURRENCY = "([$€£¥]|usd|eur|gbp)"
WRITTEN = (
    # One sign, before or after the currency, never both (as `scorer.numbers` reads).
    f"^[(]? *([-+] *{_CURRENCY}?|{_CURRENCY}? *[-+]?) *"
    "([0-9]{1,3}([,'_ ][0-9]{3})+([.][0-9]+)?|[0-9]+([.][0-9]+)?|[.][0-9]+) *"
    f"({'|'.join(SCALES)})?[.]? *(usd|eur|gbp|[$€£%])? *[)]? *$"
)
CURRENCY_FIRST = "^(usd|eur|gbp)"
CURRENCY_LAST = "(usd|eur|gbp)$"


def string(value: str) -> exp.Literal:
    return exp.Literal.string(value)


def double(value: float) -> exp.Expr:
    # Typed doubles: a bare 0.5 is DECIMAL in several engines, and decimal arithmetic
    # would round differently from the pandas scorer.
    return exp.cast(exp.Literal.number(repr(float(value))), exp.DataType.Type.DOUBLE)


def trimmed(column: exp.Expr) -> exp.Expr:
    return exp.Trim(this=exp.cast(column, exp.DataType.Type.VARCHAR))


def unknown_markers(markers: Iterable[str]) -> list[str]:
    """The spellings `prepare` treats as unknown: as given, upper case and title case."""
    return sorted(spellings(markers))


def known_text(
    raw: exp.Expr,
    codes: Mapping[str, CodeValue] | None,
    markers: Iterable[str],
    decimal: str = ".",
) -> exp.Expr:
    """The trimmed cell with coded values mapped; NULL for the field's unknown `markers`
    (the mapping's, less those the field's rules name: see `scorer.explicit`). A numeric
    field's codes are written with its `decimal` mark, as `number_of` reads them."""
    return unknown_as_null(coded(raw, codes, decimal), markers)


def coded(raw: exp.Expr, codes: Mapping[str, CodeValue] | None, decimal: str = ".") -> exp.Expr:
    """The trimmed cell with its coded values mapped (`raw` itself for a field with none)."""
    if not codes:
        return raw
    cases = exp.Case(this=exp.Lower(this=raw.copy()))
    for key, code in codes.items():
        cases = cases.when(string(key), string(written(band_value(code), decimal)))
    return cases.else_(raw.copy())


def unknown_as_null(
    text: exp.Expr, markers: Iterable[str], *, spelled_out: bool = False
) -> exp.Expr:
    """`text`, NULL where it is one of the unknown `markers`' spellings: an IN list, or,
    `spelled_out` (for DuckDB), `=` tests grouped by the spelling's length in bytes."""
    spelled = unknown_markers(markers)
    if not spelled:
        return text
    test: exp.Expr = exp.In(this=text.copy(), expressions=[string(m) for m in spelled])
    if spelled_out:
        test = _marker_test(text, spelled)
    return exp.Case().when(test, exp.null()).else_(text)


def _marker_test(text: exp.Expr, spelled: list[str]) -> exp.Expr:
    """DuckDB plans an IN of many constants as a join, which keeps it from writing Parquet
    in parallel; 20 `=` tests per cell cost more than the rest of the query. A cell's length
    in bytes is known without reading it, so each cell is compared with the few spellings
    of its own length only."""
    by_length: dict[int, list[str]] = {}
    for marker in spelled:
        by_length.setdefault(len(marker.encode()), []).append(marker)
    size = exp.Anonymous(this="strlen", expressions=[text.copy()])
    test = exp.Case(this=size)
    for length, group in sorted(by_length.items()):
        equal = [exp.EQ(this=text.copy(), expression=string(m)) for m in group]
        # The only cell of no bytes is the empty one.
        test = test.when(exp.Literal.number(length), exp.or_(*equal) if length else exp.true())
    return test.else_(exp.false())


def number_of(text: exp.Expr, decimal: str = ".") -> exp.Expr:
    """A number as CRMs write it ("1,200", "$25M", "(300)", "12%"), NULL otherwise; with
    `decimal` "," the marks swap roles first. Infinities (an overflow) are NULL."""
    if decimal == ",":
        text = exp.Translate(this=text, from_=string(".,"), to=string(",."))
    lowered = exp.Lower(this=text.copy())
    digits = exp.Trim(
        this=_replace(lowered.copy(), "[^0-9.]"), expression=string("."), position="TRAILING"
    )
    scale_word = _replace(
        _replace(_replace(lowered.copy(), "[^a-z]"), CURRENCY_FIRST), CURRENCY_LAST
    )
    scale = exp.Case(this=scale_word).when(string(""), double(1.0))
    for word, factor in SCALES.items():
        scale = scale.when(string(word), double(factor))
    negative = exp.or_(
        exp.Like(this=lowered.copy(), expression=string("(%")),
        exp.GT(
            this=exp.StrPosition(this=lowered.copy(), substr=string("-")),
            expression=exp.Literal.number(0),
        ),
    )
    sign = exp.Case().when(negative, double(-1.0)).else_(double(1.0))
    magnitude = exp.Mul(
        this=exp.TryCast(this=digits, to=exp.DataType.build("double")),
        expression=exp.paren(scale, copy=False),
    )
    plain = exp.TryCast(this=text.copy(), to=exp.DataType.build("double"))
    return (
        exp.Case()
        .when(
            exp.and_(exp.RegexpLike(this=text.copy(), expression=string(PLAIN)), _finite(plain)),
            plain.copy(),
        )
        .when(
            exp.and_(
                exp.LTE(this=exp.Length(this=lowered.copy()), expression=_longest()),
                exp.RegexpLike(this=lowered, expression=string(WRITTEN)),
            ),
            exp.Mul(this=magnitude, expression=exp.paren(sign, copy=False)),
        )
    )


def _longest() -> exp.Expr:
    # A written number this short cannot overflow, whatever its scale word.
    return exp.Literal.number(LONGEST_WRITTEN)


def _finite(number: exp.Expr) -> exp.Expr:
    # "1e309" casts to infinity in most engines: not a number anyone wrote on purpose.
    return exp.LTE(this=exp.Abs(this=number.copy()), expression=double(MAX_FLOAT))


def _replace(value: exp.Expr, pattern: str) -> exp.Expr:
    """Every match of `pattern` removed (sqlglot adds the 'g' flag where an engine needs it)."""
    return exp.RegexpReplace(this=value, expression=string(pattern), replacement=string(""))


def folded(text: exp.Expr) -> exp.Expr:
    return exp.Lower(this=text)


def padded(text: exp.Expr, separator: str) -> exp.Expr:
    """`;a;b;` from "A ; b": list items compare by `;item;` substrings."""
    cells: exp.Expr = exp.Lower(this=text)
    if separator != ";":
        cells = exp.Replace(this=cells, expression=string(separator), replacement=string(";"))
    spaced = exp.GT(
        this=exp.StrPosition(this=cells.copy(), substr=string(" ")),
        expression=exp.Literal.number(0),
    )
    # Most cells hold no space at all; skipping the regex for them halves the cost.
    joined = (
        exp.Case()
        .when(
            spaced,
            exp.RegexpReplace(
                this=cells.copy(), expression=string(" *; *"), replacement=string(";")
            ),
        )
        .else_(cells)
    )
    # `||`, not CONCAT: CONCAT reads NULL as '' in some engines, and an unknown list
    # must stay unknown.
    return exp.DPipe(this=exp.DPipe(this=string(";"), expression=joined), expression=string(";"))
