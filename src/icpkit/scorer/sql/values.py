"""How a raw cell becomes the value a rule reads, in SQL, exactly as `scorer.prepare` does.

The steps mirror `prepare._convert` and `score._Columns`: trim, map coded values, blank
out unknown markers, then read a number, fold case, or pad a `;` list. Regular
expressions avoid backslashes and non-capturing groups so that every dialect (POSIX
ERE in Snowflake and PostgreSQL, RE2, Java) reads them alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlglot import exp

from icpkit.project.mapping import CodeValue, band_value, code_spellings
from icpkit.scorer.casing import BEFORE_LOWER, FULL_MAPPING
from icpkit.scorer.explicit import spellings
from icpkit.scorer.notation import LONGEST_PLAIN, LONGEST_WRITTEN, MAX_FLOAT, SCALES, written

PLAIN = "^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$"
_CURRENCY = "([$€£¥]|usd|eur|gbp)"
# What Python's `str.strip()` trims, and so the pandas scorer (Arrow trims the same set):
# NBSP and the other Unicode spaces too, where a plain TRIM strips ASCII spaces only.
EDGE_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# `scorer.numbers` reads `\s*` between the parts with Python's `re`, whose `\s` is every
# Unicode space `str.strip()` trims: a tab or an NBSP between "0" and "K" is a gap there
# too (both found by the property test).
_GAP = f"[{EDGE_SPACES}]*"
WRITTEN = (
    # One sign, before or after the currency, never both (as `scorer.numbers` reads).
    f"^[(]?{_GAP}([-+]{_GAP}{_CURRENCY}?|{_CURRENCY}?{_GAP}[-+]?){_GAP}"
    "([0-9]{1,3}([,'_ ][0-9]{3})+([.][0-9]+)?|[0-9]+([.][0-9]+)?|[.][0-9]+)"
    + _GAP
    + f"({'|'.join(SCALES)})?[.]?{_GAP}(usd|eur|gbp|[$€£%])?{_GAP}[)]?{_GAP}$"
)
CURRENCY_FIRST = "^(usd|eur|gbp)"
CURRENCY_LAST = "(usd|eur|gbp)$"
# What the pandas scorer's `\s*;\s*` removes around a list separator (RE2's ASCII `\s`),
# written out: a backslash class means something else in each dialect's strings.
LIST_SPACES = " \t\n\x0c\r"
_AROUND = f"[{LIST_SPACES}]*;[{LIST_SPACES}]*"
# A plain number in PostgreSQL, which has no safe cast: at most this long and without an
# exponent, it is within a double's range ("0.000...1" of 300 characters is 1e-298).
_SHORT_PLAIN = 300
_ZERO = "^[-+]?[0.]*[eE]"
_HUGE_EXPONENT = "[eE][-+]?0*[1-9][0-9]{4,}$"
# Beyond these a double overflows (1.797...e308 and a half-step, rounded) or is 0.0.
_OVERFLOW = "1.7976931348623158e308"
_UNDERFLOW = "2.4703282292062328e-324"


def string(value: str) -> exp.Literal:
    return exp.Literal.string(value)


def double(value: float) -> exp.Expr:
    # Typed doubles: a bare 0.5 is DECIMAL in several engines, and decimal arithmetic
    # would round differently from the pandas scorer.
    return exp.cast(exp.Literal.number(repr(float(value))), exp.DataType.Type.DOUBLE)


def trimmed(column: exp.Expr, *, flat: bool = True) -> exp.Expr:
    """The cell as text without the spaces `str.strip()` removes at its edges.

    Unless `flat` (a column DuckDB reads as a dictionary: `scorer.sql.dictionary`), one
    TRIM of the set, which DuckDB then runs once per distinct value."""
    text = exp.cast(column, exp.DataType.Type.VARCHAR)
    if not flat:
        return exp.Trim(this=text, expression=string(EDGE_SPACES))
    # Trimming a set of characters costs ten times a plain TRIM in DuckDB: only a cell
    # that starts or ends with one of them pays it (an empty one would match '' there).
    edges = [
        exp.GT(
            this=exp.StrPosition(this=string(EDGE_SPACES), substr=end),
            expression=exp.Literal.number(0),
        )
        for end in (
            exp.Left(this=text.copy(), expression=exp.Literal.number(1)),
            exp.Right(this=text.copy(), expression=exp.Literal.number(1)),
        )
    ]
    stripped = exp.Trim(this=text.copy(), expression=string(EDGE_SPACES))
    filled = exp.NEQ(this=text.copy(), expression=string(""))
    return exp.Case().when(exp.and_(filled, exp.paren(exp.or_(*edges))), stripped).else_(text)


def unknown_markers(markers: Iterable[str]) -> list[str]:
    """The spellings `prepare` treats as unknown: as given, upper case and title case."""
    return sorted(spellings(markers))


def known_text(
    raw: exp.Expr,
    codes: Mapping[str, CodeValue] | None,
    markers: Iterable[str],
    decimal: str = ".",
    dialect: str = "duckdb",
) -> exp.Expr:
    """The trimmed cell with coded values mapped; NULL for the field's unknown `markers`
    (the mapping's, less those the field's rules name: see `scorer.explicit`). A numeric
    field's codes are written with its `decimal` mark, as `number_of` reads them."""
    return unknown_as_null(
        coded(raw, codes, decimal, dialect), markers, spelled_out=dialect == "duckdb"
    )


def coded(
    raw: exp.Expr,
    codes: Mapping[str, CodeValue] | None,
    decimal: str = ".",
    dialect: str = "duckdb",
) -> exp.Expr:
    """The trimmed cell with its coded values mapped (`raw` itself for a field with none)."""
    if not codes:
        return raw
    cases = exp.Case(this=folded(raw.copy(), dialect))
    for key, code in code_spellings(codes, decimal).items():
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


def number_of(text: exp.Expr, decimal: str = ".", dialect: str = "duckdb") -> exp.Expr:
    """A number as CRMs write it ("1,200", "$25M", "(300)", "12%"), NULL otherwise; with
    `decimal` "," the marks swap roles first. Infinities (an overflow) are NULL, a number
    too small for a double is 0.0, as in `scorer.numbers`; no cell aborts the query."""
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
    # The regex admits at most 250 digits here: a plain cast cannot fail, even in PostgreSQL.
    magnitude = exp.Mul(this=_try_double(digits), expression=exp.paren(scale, copy=False))
    plain = exp.and_(
        exp.LTE(this=exp.Length(this=text.copy()), expression=exp.Literal.number(LONGEST_PLAIN)),
        exp.RegexpLike(this=text.copy(), expression=string(PLAIN)),
    )
    cases = exp.Case()
    if dialect == "postgres":
        cases = cases.when(plain, _postgres_plain(text))
    else:
        cast = _try_double(text.copy())
        cases = cases.when(exp.and_(plain, _finite(cast)), cast.copy())
    return cases.when(
        exp.and_(
            exp.LTE(this=exp.Length(this=lowered.copy()), expression=_longest()),
            exp.RegexpLike(this=lowered, expression=string(WRITTEN)),
        ),
        exp.Mul(this=magnitude, expression=exp.paren(sign, copy=False)),
    )


def _try_double(text: exp.Expr) -> exp.Expr:
    """TRY_CAST (BigQuery's SAFE_CAST) to a double: NULL, not an error, for a bad cell.
    sqlglot writes Spark's TRY_CAST only when told it is `safe`, Snowflake's only when told
    the value is text; PostgreSQL has none, and its numbers go through `_postgres_plain`."""
    return exp.TryCast(this=text, to=exp.DataType.build("double"), safe=True, requires_string=True)


def _postgres_plain(text: exp.Expr) -> exp.Expr:
    """A plain number in PostgreSQL, where casting "1e999" or "1e-400" to a double is an
    error: short numbers are cast as they are; the rest go through NUMERIC, which holds any
    number of at most 1,000 characters with an exponent of up to four digits, and is
    compared with a double's range before the cast. CASE, unlike AND, evaluates in order."""
    exact = exp.cast(text.copy(), exp.DataType.Type.DECIMAL)
    size = exp.Abs(this=exact)
    ranged = (
        exp.Case()
        .when(exp.GTE(this=size, expression=exp.Literal.number(_OVERFLOW)), _null_double())
        .when(exp.LTE(this=size.copy(), expression=exp.Literal.number(_UNDERFLOW)), double(0.0))
        .else_(exp.cast(exact.copy(), exp.DataType.Type.DOUBLE))
    )
    short = exp.and_(
        exp.LTE(this=exp.Length(this=text.copy()), expression=exp.Literal.number(_SHORT_PLAIN)),
        *[
            exp.EQ(
                this=exp.StrPosition(this=text.copy(), substr=string(e)),
                expression=exp.Literal.number(0),
            )
            for e in "eE"
        ],
    )
    # Ten thousand decimal orders or more: 0.0 below, an overflow above (unless it is 0).
    huge = exp.RegexpLike(this=text.copy(), expression=string(_HUGE_EXPONENT))
    tiny = exp.or_(
        exp.RegexpLike(this=text.copy(), expression=string(_ZERO)),
        exp.GT(
            this=exp.StrPosition(this=exp.Lower(this=text.copy()), substr=string("e-")),
            expression=exp.Literal.number(0),
        ),
    )
    extreme = exp.Case().when(tiny, double(0.0)).else_(_null_double())
    return (
        exp.Case()
        .when(short, exp.cast(text.copy(), exp.DataType.Type.DOUBLE))
        .when(huge, extreme)
        .else_(ranged)
    )


def _null_double() -> exp.Expr:
    return exp.cast(exp.null(), exp.DataType.Type.DOUBLE)


def _longest() -> exp.Expr:
    # A written number this short cannot overflow, whatever its scale word.
    return exp.Literal.number(LONGEST_WRITTEN)


def _finite(number: exp.Expr) -> exp.Expr:
    # "1e309" casts to infinity in most engines: not a number anyone wrote on purpose.
    return exp.LTE(this=exp.Abs(this=number.copy()), expression=double(MAX_FLOAT))


def _replace(value: exp.Expr, pattern: str) -> exp.Expr:
    """Every match of `pattern` removed (sqlglot adds the 'g' flag where an engine needs it)."""
    return exp.RegexpReplace(this=value, expression=string(pattern), replacement=string(""))


def folded(text: exp.Expr, dialect: str = "duckdb") -> exp.Expr:
    """The cell in lower case as the pandas scorer folds it (see `scorer.casing`): where
    LOWER may use the full Unicode mapping, `İ`, the Kelvin sign and `Σ` are mapped first."""
    if dialect not in FULL_MAPPING:
        return exp.Lower(this=text)
    mapped = exp.Translate(
        this=text, from_=string("".join(BEFORE_LOWER)), to=string("".join(BEFORE_LOWER.values()))
    )
    return exp.Lower(this=mapped)


def padded(text: exp.Expr, separator: str, dialect: str = "duckdb") -> exp.Expr:
    """`;a;b;` from "A ;\tb": list items compare by `;item;` substrings, the ASCII spaces
    around each separator removed as the pandas scorer removes them."""
    cells: exp.Expr = folded(text, dialect)
    if separator != ";":
        cells = exp.Replace(this=cells, expression=string(separator), replacement=string(";"))
    # The edges are trimmed already: only a cell with a separator and a space needs the
    # regex, and most hold neither; skipping it for them halves the cost. The tests read
    # the cell before it is lowercased, which changes neither.
    spaced = exp.and_(
        _holds(text, separator), exp.paren(exp.or_(*[_holds(text, c) for c in LIST_SPACES]))
    )
    joined = (
        exp.Case()
        .when(
            spaced,
            exp.RegexpReplace(
                this=cells.copy(), expression=string(_AROUND), replacement=string(";")
            ),
        )
        .else_(cells)
    )
    # `||`, not CONCAT: CONCAT reads NULL as '' in some engines, and an unknown list
    # must stay unknown.
    return exp.DPipe(this=exp.DPipe(this=string(";"), expression=joined), expression=string(";"))


def _holds(text: exp.Expr, part: str) -> exp.Expr:
    found = exp.StrPosition(this=text.copy(), substr=string(part))
    return exp.GT(this=found, expression=exp.Literal.number(0))
