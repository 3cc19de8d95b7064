"""Score accounts against an ICP, vectorised over the whole table (no per-row Python).

Semantics (the contract in ICP_FORMAT.md):
- an attribute earns its weight when the value matches its rule, `credit * weight` for the
  best matching `partial`, nothing otherwise; a missing value earns nothing and is unknown;
- ranges include both ends; categories and list items compare case-insensitively;
- a trigger earns its weight when its id is in the `triggers` cell, or, with `when`, when
  all its conditions hold on the row's own columns; a known miss of one condition makes it
  absent, otherwise an unknown value makes it unknown (it earns nothing and its weight
  counts as unknown, as an attribute's does);
- negative weights take points away; the score is clipped to 0-100;
- the first anti-ICP whose `when` conditions all hold disqualifies (score 0); an unknown
  value never disqualifies;
- when attributes carrying more than `max_unknown_share` of the positive weight are
  unknown, the status is `insufficient_data` and the band `unknown`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from icpkit.format.model import Condition, Form, Icp, Match, Partial, Trigger
from icpkit.project.mapping import TRIGGERS, DataMapping
from icpkit.scorer.casing import fold
from icpkit.scorer.contract import (
    ALL_BANDS,
    STATUSES,
    Ruler,
    points_column,
    trigger_column,
)
from icpkit.scorer.tables import TEXT_DTYPE

CHUNK_ROWS = 250_000


@dataclass
class Parts:
    """Per-row credit (0-1, NaN when unknown) of every attribute, and trigger presence."""

    credit: dict[str, np.ndarray] = field(default_factory=dict)
    triggers: dict[str, np.ndarray] = field(default_factory=dict)
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)


def score_frame(
    icp: Icp,
    frame: pd.DataFrame,
    *,
    ruler: Ruler | None = None,
    separator: str = ";",
    progress: Callable[[int], None] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> pd.DataFrame:
    """Score columns for every row of a canonical frame (see `prepare`), same index."""
    if len(frame) <= chunk_rows:
        result = score_parts(icp, frame, ruler=ruler, separator=separator).scores
        if progress:
            progress(len(frame))
        return result
    chunks = []
    for start in range(0, len(frame), chunk_rows):
        part = frame.iloc[start : start + chunk_rows]
        chunks.append(score_parts(icp, part, ruler=ruler, separator=separator).scores)
        if progress:
            progress(len(part))
    return pd.concat(chunks)


def score_parts(
    icp: Icp, frame: pd.DataFrame, *, ruler: Ruler | None = None, separator: str = ";"
) -> Parts:
    columns = _Columns(frame, separator)
    parts = Parts()
    rows = len(frame)
    points: dict[str, np.ndarray] = {}
    unknown_weight = np.zeros(rows)
    unknown_bits = np.zeros(rows, dtype=np.int64)
    unknown_names: list[str] = []
    for attribute in icp.attributes:
        credit = columns.credit(attribute.field, attribute.match, attribute.partial)
        parts.credit[attribute.field] = credit
        points[points_column(attribute.field)] = np.nan_to_num(credit * attribute.weight)
        if attribute.weight > 0:
            unknown = np.isnan(credit)
            unknown_weight += unknown * attribute.weight
            unknown_bits |= unknown.astype(np.int64) << len(unknown_names)
            unknown_names.append(attribute.field)
    for trigger in icp.triggers:
        present = trigger_presence(columns, trigger)
        parts.triggers[trigger.id] = present
        points[trigger_column(trigger.id)] = np.nan_to_num(present * trigger.weight)
        if trigger.weight > 0:
            unknown = np.isnan(present)
            unknown_weight += unknown * trigger.weight
            for name, missing in _unknown_conditions(columns, trigger.when, unknown):
                unknown_bits = _flag(unknown_bits, unknown_names, name, missing)
    if icp.column_triggers and not columns.has(TRIGGERS):
        unknown_bits |= np.int64(1) << len(unknown_names)
        unknown_names.append(TRIGGERS)

    table = pd.DataFrame(points, index=frame.index)
    total = round_half_up(np.clip(sum(points.values(), np.zeros(rows)), 0.0, 100.0), 2)
    positive = sum(a.weight for a in icp.attributes if a.weight > 0)
    positive += sum(t.weight for t in icp.triggers if t.weight > 0)
    share = round_half_up(unknown_weight / positive, 4) if positive else np.zeros(rows)
    which = _disqualifier(icp, columns)
    disqualified = which >= 0
    insufficient = ~disqualified & (share > icp.scoring.max_unknown_share)
    score = np.where(disqualified, 0.0, total)
    band = _bands(icp, score)
    band = np.select([disqualified, insufficient], [len(ALL_BANDS) - 2, len(ALL_BANDS) - 1], band)
    status = np.select([disqualified, insufficient], [1, 2], 0)

    ruler = ruler or Ruler(icp.id, icp.version)
    anti_ids = [a.id for a in icp.anti_icp]
    head = pd.DataFrame(
        {
            "icp_id": _constant(ruler.icp_id, rows),
            "icp_version": _constant(ruler.version, rows),
            "icp_commit": _constant(ruler.commit or "", rows),
            "score": score,
            # Categoricals: a million rows of a few labels cost a million small integers.
            "band": _labels(band, ALL_BANDS),
            "status": _labels(status, STATUSES),
            "disqualifier": _labels(np.where(disqualified, which, len(anti_ids)), (*anti_ids, "")),
            "unknown_share": share,
            "unknown_fields": _names(unknown_bits, unknown_names),
        },
        index=frame.index,
    )
    parts.scores = pd.concat([head, table], axis=1)
    return parts


def round_half_up(values: np.ndarray, digits: int) -> np.ndarray:
    """floor(x * 10^n + 0.5) / 10^n: the same IEEE steps the compiled SQL takes in every
    engine (numpy rounds half to even, SQL engines each their own way)."""
    scale = 10.0**digits
    result: np.ndarray = np.floor(values * scale + 0.5) / scale
    return result


def _labels(codes: np.ndarray, labels: Sequence[str]) -> pd.Categorical[str]:
    return pd.Categorical.from_codes(codes, categories=pd.Index(labels))


def _constant(value: str, rows: int) -> pd.Categorical[str]:
    return _labels(np.zeros(rows, dtype=np.int8), [value])


def _bands(icp: Icp, score: np.ndarray) -> np.ndarray:
    floors = [score >= floor for _, floor in icp.scoring.bands.items()]
    return np.select(floors, list(range(len(floors))), len(floors))


def _names(bits: np.ndarray, names: list[str]) -> pd.Categorical[str]:
    # Few distinct combinations exist, so naming each once beats joining strings per row.
    codes, uniques = pd.factorize(bits)
    labels = [";".join(n for i, n in enumerate(names) if int(u) >> i & 1) for u in uniques]
    return _labels(codes, labels or [""])


def _disqualifier(icp: Icp, columns: _Columns) -> np.ndarray:
    """Index of the first anti-ICP whose conditions all hold, -1 for none."""
    result = np.full(len(columns.frame), -1)
    for index in reversed(range(len(icp.anti_icp))):
        anti = icp.anti_icp[index]
        if not anti.when:
            continue
        hit, _ = conditions_hold(columns, anti.when)
        result = np.where(hit, index, result)
    return result


def conditions_hold(
    columns: _Columns, conditions: Sequence[Condition]
) -> tuple[np.ndarray, np.ndarray]:
    """Rows where every condition holds on known values, and rows where one is known to
    fail. Neither means a value the answer depends on is unknown (a known miss decides,
    whatever else is unknown)."""
    rows = len(columns.frame)
    hit, miss = np.ones(rows, dtype=bool), np.zeros(rows, dtype=bool)
    for condition in conditions:
        matched, known = columns.matches(condition.field, condition.match)
        hit &= matched & known
        miss |= known & ~matched
    return hit, miss


def trigger_presence(columns: _Columns, trigger: Trigger) -> np.ndarray:
    """1.0 present, 0.0 absent, NaN unknown: from `when` on the row's own columns, else
    from the `triggers` column of ids."""
    if not trigger.when:
        return columns.has_trigger(trigger.id)
    hit, miss = conditions_hold(columns, trigger.when)
    return np.where(hit, 1.0, np.where(miss, 0.0, np.nan))


def _unknown_conditions(
    columns: _Columns, conditions: Sequence[Condition], unknown: np.ndarray
) -> list[tuple[str, np.ndarray]]:
    """The fields that leave a trigger unknown, on the rows where it is unknown."""
    out = []
    for condition in conditions:
        _, known = columns.matches(condition.field, condition.match)
        out.append((condition.field, unknown & ~known))
    return out


def _flag(bits: np.ndarray, names: list[str], name: str, rows: np.ndarray) -> np.ndarray:
    # A field a trigger and an attribute both read is named once, where it first appears.
    if name not in names:
        names.append(name)
    flagged: np.ndarray = bits | (rows.astype(np.int64) << names.index(name))
    return flagged


class _Columns:
    """Canonical columns, normalised once per field however many rules read them."""

    def __init__(self, frame: pd.DataFrame, separator: str) -> None:
        self.frame = frame
        self.separator = separator
        self._cache: dict[tuple[str, str], pd.Series] = {}
        self._distinct: dict[str, tuple[pa.Array, np.ndarray]] = {}

    def has(self, name: str) -> bool:
        return name in self.frame.columns

    def credit(self, name: str, match: Match, partial: tuple[Partial, ...]) -> np.ndarray:
        """1.0 for a fit, the best partial credit, 0.0 otherwise; NaN when unknown."""
        full, known = self.matches(name, match)
        credit = full.astype("float64")
        for item in partial:
            hit, _ = self.matches(name, item.match)
            credit = np.where(hit & (credit < item.credit), item.credit, credit)
        return np.where(known, credit, np.nan)

    def matches(self, name: str, match: Match) -> tuple[np.ndarray, np.ndarray]:
        """Whether each row's value matches, and whether the value is known at all."""
        rows = len(self.frame)
        if not self.has(name):
            return np.zeros(rows, dtype=bool), np.zeros(rows, dtype=bool)
        if match.form is Form.RANGE:
            values = self._numbers(name)
            hit = np.ones(rows, dtype=bool)
            with np.errstate(invalid="ignore"):
                if match.min is not None:
                    hit &= values >= match.min
                if match.max is not None:
                    hit &= values <= match.max
            return hit, ~np.isnan(values)
        wanted = sorted({fold(v.strip()) for v in match.values})
        if match.form is Form.IN:
            folded = self._folded(name)
            known = folded.notna().to_numpy()
            return folded.isin(wanted).to_numpy(dtype=bool, na_value=False) & known, known
        known = self._padded(name)[1] >= 0
        tests = [self._contains(name, f";{v};") for v in wanted]
        hit = (
            np.logical_or.reduce(tests) if match.form is Form.ANY else np.logical_and.reduce(tests)
        )
        return hit & known, known

    def has_trigger(self, trigger_id: str) -> np.ndarray:
        """1.0 when present, 0.0 when absent, NaN for every row when there is no column."""
        if not self.has(TRIGGERS):
            return np.full(len(self.frame), np.nan)
        return self._contains(TRIGGERS, f";{trigger_id.lower()};").astype("float64")

    def _numbers(self, name: str) -> np.ndarray:
        values = self.frame[name]
        if not pd.api.types.is_float_dtype(values):
            values = pd.to_numeric(values, errors="coerce")
        return values.to_numpy(dtype="float64", na_value=np.nan)

    def _folded(self, name: str) -> pd.Series:
        key = (name, "folded")
        if key not in self._cache:
            # Prepared text is already stripped (see prepare._convert).
            self._cache[key] = self.frame[name].astype(TEXT_DTYPE).str.lower()
        return self._cache[key]

    def _padded(self, name: str) -> tuple[pa.Array, np.ndarray]:
        """Each distinct cell as `;item;item;`, and each row's cell among them (-1: empty):
        100k deals hold a few hundred distinct cells, so every test runs on those."""
        if name not in self._distinct:
            # Native RE2 passes in Arrow; pandas would run the regex once per row.
            folded = pa.array(self._folded(name))
            if isinstance(folded, pa.ChunkedArray):
                folded = folded.combine_chunks()
            encoded = pc.dictionary_encode(folded)
            cells = encoded.dictionary
            if self.separator != ";":
                cells = pc.replace_substring(cells, self.separator, ";")
            cells = pc.replace_substring_regex(cells, r"\s*;\s*", ";").cast(pa.string())
            padded = pc.binary_join_element_wise(";", cells, ";", "")
            rows = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
            self._distinct[name] = (padded, rows)
        return self._distinct[name]

    def _contains(self, name: str, needle: str) -> np.ndarray:
        """Per row, whether its padded cell holds `needle` (False for an empty cell)."""
        padded, rows = self._padded(name)
        found = pc.match_substring(padded, needle).to_numpy(zero_copy_only=False)
        result: np.ndarray = np.append(found.astype(bool), False)[rows]
        return result


def condition_holds(
    frame: pd.DataFrame, name: str, match: Match, separator: str = ";"
) -> tuple[np.ndarray, np.ndarray]:
    """Per row of a canonical frame: whether `name` matches, and whether its value is known."""
    return _Columns(frame, separator).matches(name, match)


def frame_conditions_hold(
    frame: pd.DataFrame, conditions: Sequence[Condition], separator: str = ";"
) -> tuple[np.ndarray, np.ndarray]:
    """`conditions_hold` on a canonical frame: an anti-ICP or a `when` read as scoring reads it."""
    return conditions_hold(_Columns(frame, separator), conditions)


def score(
    icp: Icp,
    frame: pd.DataFrame,
    *,
    mapping: DataMapping | None = None,
    ruler: Ruler | None = None,
) -> pd.DataFrame:
    """Score every row of `frame`; columns are mapped and values parsed as `icp score` does."""
    from pathlib import Path

    from icpkit.scorer.prepare import prepare_accounts
    from icpkit.scorer.tables import Table

    mapping = mapping or DataMapping()
    prepared = prepare_accounts(Table(frame, Path("<frame>")), [icp], mapping)
    return score_frame(icp, prepared.frame, ruler=ruler, separator=mapping.list_separator)
