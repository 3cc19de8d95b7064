"""Case-insensitive comparison, one way in every engine: Unicode's simple lowercase mapping.

The pandas scorer lowercases cells with Arrow, one letter at a time (`İ` becomes `i`, a
capital sigma always a small sigma); DuckDB and PostgreSQL on a UTF-8 libc locale do the same.
Java (Spark) and ICU (Snowflake, BigQuery, a PostgreSQL ICU collation) apply the full,
context-dependent mapping instead: `İ` becomes `i` and a combining dot, a capital sigma at
a word's end `ς`. `fold` is the simple mapping for the values an ICP names; the compiled
SQL maps `İ` (and the Kelvin sign) before it lowercases (`sql.values.folded`). The final
sigma has no such cheap fix, so `icp compile` warns where it could decide a match.
"""

from __future__ import annotations

from collections.abc import Iterator

from icpkit.format.model import Form, Icp, Match
from icpkit.project.mapping import DataMapping

# The letters whose lowercase is ASCII only under the simple mapping (Python lowers `İ`
# to two code points), and what that mapping makes of them.
TO_ASCII = {"\u0130": "i", "\u212a": "k"}
# Engines disagree on a sigma's lowercase: `ΟΔΟΣ` is `οδοσ` in Arrow, `οδος` in Java.
SIGMAS = frozenset("\u03a3\u03c3\u03c2")
# The dialects whose LOWER may use the full mapping (PostgreSQL: under an ICU collation).
FULL_MAPPING = frozenset({"postgres", "spark", "snowflake", "bigquery"})


def fold(text: str) -> str:
    """`text` lowercased letter by letter, as Arrow lowercases a cell."""
    return "".join(TO_ASCII.get(letter) or letter.lower() for letter in text)


def casing_warnings(icp: Icp, mapping: DataMapping, dialect: str) -> list[str]:
    """What `dialect` may match differently from `icp score` because of a letter's case."""
    if dialect not in FULL_MAPPING:
        return []
    named = {(field, value) for field, match in _matches(icp) for value in match.values}
    named |= {(field, key) for field, codes in mapping.values.items() for key in codes}
    held = sorted(f"{field} `{value}`" for field, value in named if SIGMAS & set(value))
    if not held:
        return []
    return [
        f"{', '.join(held)}: a Greek sigma is lowercased differently by {dialect} "
        "(a capital sigma ending a word becomes ς there, σ in icp score), so a cell "
        "written in capitals may match in one and not the other; see 'Same results as "
        "icp score' in the warehouse guide"
    ]


def _matches(icp: Icp) -> Iterator[tuple[str, Match]]:
    for attribute in icp.attributes:
        yield attribute.field, attribute.match
        for partial in attribute.partial:
            yield attribute.field, partial.match
    conditions = [c for a in icp.anti_icp for c in a.when]
    conditions += [c for t in icp.triggers for c in t.when]
    for condition in conditions:
        if condition.match.form is not Form.RANGE:
            yield condition.field, condition.match
