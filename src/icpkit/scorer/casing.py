"""Case-insensitive comparison, one way in every engine: Unicode's simple lowercase mapping.

The pandas scorer lowercases cells with Arrow, one letter at a time (`İ` becomes `i`, a
capital sigma always a small sigma); DuckDB and PostgreSQL on a UTF-8 libc locale do the same.
Java (Spark) and ICU (Snowflake, BigQuery, a PostgreSQL ICU collation) apply the full,
context-dependent mapping instead: `İ` becomes `i` and a combining dot, a capital sigma at
a word's end `ς`. `fold` is the simple mapping for the values an ICP names; the compiled
SQL maps `İ`, the Kelvin sign and the capital sigma to their simple lowercase before it
lowercases (`sql.values.folded`): LOWER then has no letter left whose mapping depends on
its context, so every engine folds a cell as `icp score` does (run on Spark by the tests).
"""

from __future__ import annotations

# The letters whose lowercase is ASCII only under the simple mapping (Python lowers `İ`
# to two code points), and what that mapping makes of them.
TO_ASCII = {"\u0130": "i", "\u212a": "k"}
# What the SQL maps before LOWER: those, and the capital sigma, which the full mapping
# lowers to `ς` at a word's end (`ΟΔΟΣ` is `οδος` in Java and ICU, `οδοσ` in Arrow).
BEFORE_LOWER = {**TO_ASCII, "\u03a3": "\u03c3"}
# The dialects whose LOWER may use the full mapping (PostgreSQL: under an ICU collation).
FULL_MAPPING = frozenset({"postgres", "spark", "snowflake", "bigquery"})


def fold(text: str) -> str:
    """`text` lowercased letter by letter, as Arrow lowercases a cell."""
    return "".join(TO_ASCII.get(letter) or letter.lower() for letter in text)
