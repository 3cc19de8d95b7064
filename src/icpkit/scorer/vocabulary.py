"""Values an ICP names that never occur in the deals: a typo scores as a quiet zero.

`segment: {in: [Strategic acount]}` matches no deal whose segment is "Strategic Account";
the backtest then reports the attribute as out of fit everywhere, which reads like
evidence. Each category and list value a rule names (and each trigger id) is looked up
among the values the deals hold, case-insensitively as the scorer compares them, and a
miss is reported with the closest spelling that does occur.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from icpkit.format.model import Form, Icp, Match
from icpkit.project.mapping import TRIGGERS
from icpkit.scorer.tables import TEXT_DTYPE

# Suggestions come from the most frequent spellings: enough for typos, bounded in time.
SUGGEST_FROM = 2000


@dataclass(frozen=True)
class Unseen:
    """A value named at `where` (e.g. "attribute `segment`") that no deal holds."""

    field: str
    value: str
    where: str
    closest: str | None

    def describe(self, effect: str = "") -> str:
        hint = f"; did you mean `{self.closest}`?" if self.closest else ""
        return (
            f"{self.field} value `{self.value}` ({self.where}) never occurs in these deals"
            f"{effect}{hint}"
        )


def unseen_values(icp: Icp, deals: pd.DataFrame, *, separator: str = ";") -> tuple[Unseen, ...]:
    """Every named value no deal holds; fields the deals lack are left to `measurable`."""
    found: list[Unseen] = []
    vocabularies: dict[tuple[str, bool], _Vocabulary] = {}
    for name, match, where in _named(icp):
        # A range names no values: its column (numbers) needs no vocabulary.
        if not match.values or name not in deals.columns or not deals[name].notna().any():
            continue
        items = match.form is not Form.IN
        key = (name, items)
        if key not in vocabularies:
            vocabularies[key] = _Vocabulary(deals[name], separator if items else None)
        vocabulary = vocabularies[key]
        for value in match.values:
            if value.strip().lower() not in vocabulary.folded:
                found.append(Unseen(name, value.strip(), where, vocabulary.closest(value)))
    return tuple(found)


def _named(icp: Icp) -> Iterator[tuple[str, Match, str]]:
    for attribute in icp.attributes:
        yield attribute.field, attribute.match, f"attribute `{attribute.field}`"
        for partial in attribute.partial:
            yield attribute.field, partial.match, f"partial credit of `{attribute.field}`"
    for anti in icp.anti_icp:
        for condition in anti.when:
            yield condition.field, condition.match, f"anti-ICP `{anti.id}`"
    for trigger in icp.triggers:
        for condition in trigger.when:
            yield condition.field, condition.match, f"trigger `{trigger.id}`"
    if icp.column_triggers:
        ids = tuple(t.id for t in icp.column_triggers)
        yield TRIGGERS, Match(Form.ANY, values=ids), "trigger id"


class _Vocabulary:
    """The distinct values of a column (or of its list items), folded, with a spelling each."""

    def __init__(self, column: pd.Series, separator: str | None) -> None:
        # Each distinct cell once, weighted by the deals holding it: a column of 100k deals
        # holds a few hundred spellings.
        codes, distinct = pd.factorize(column.dropna())
        weight = np.bincount(codes, minlength=len(distinct))
        text = pd.Series(distinct).astype(TEXT_DTYPE).str.strip()
        if separator is not None:
            # Split in Arrow: pandas splits an Arrow string column one cell at a time.
            split = pc.split_pattern(pa.array(text.str.replace(separator, ";", regex=False)), ";")
            weight = weight[pc.list_parent_indices(split).to_numpy()]
            text = pd.Series(pd.array(pc.list_flatten(split), dtype=TEXT_DTYPE)).str.strip()
        held = (text != "").to_numpy(dtype=bool, na_value=False)
        counts: dict[str, int] = {}
        for value, n in zip(text[held].tolist(), weight[held].tolist(), strict=True):
            counts[value] = counts.get(value, 0) + n
        self.spelling: dict[str, str] = {}
        # The most common first; equally common ones in the order the deals hold them.
        for value in sorted(counts, key=lambda v: -counts[v]):
            self.spelling.setdefault(value.lower(), value)
        self.folded = frozenset(self.spelling)
        self._common = list(self.spelling)[:SUGGEST_FROM]

    def closest(self, value: str) -> str | None:
        number = _plain_number(value)
        if number is not None:
            # `2` against a float column's `2.0`: too far apart as text for difflib.
            for folded in self._common:
                if _plain_number(folded) == number:
                    return self.spelling[folded]
        near = difflib.get_close_matches(value.strip().lower(), self._common, n=1, cutoff=0.6)
        return self.spelling[near[0]] if near else None


def _plain_number(text: str) -> float | None:
    stripped = text.strip()
    return float(stripped) if _PLAIN_NUMBER.fullmatch(stripped) else None


_PLAIN_NUMBER = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?")
