"""Score accounts against an ICP, vectorised over the whole table (no per-row Python).

Semantics (the contract in ICP_FORMAT.md):
- an attribute earns its weight when the value matches its rule, `credit * weight` for the
  best matching `partial`, nothing otherwise; a missing value earns nothing and is unknown;
- ranges include both ends; categories and list items compare case-insensitively;
- a trigger earns its weight when its id is in the `triggers` cell;
- negative weights take points away; the score is clipped to 0-100;
- the first anti-ICP whose `when` conditions all hold disqualifies (score 0); an unknown
  value never disqualifies;
- when attributes carrying more than `max_unknown_share` of the positive weight are
  unknown, the status is `insufficient_data` and the band `unknown`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from icpkit.mapping import TRIGGERS
from icpkit.model import Form, Icp, Match, Partial

SCORED, DISQUALIFIED, INSUFFICIENT = "scored", "disqualified", "insufficient_data"
DISQUALIFIED_BAND, UNKNOWN_BAND = "disqualified", "unknown"
CHUNK_ROWS = 250_000


@dataclass(frozen=True)
class Ruler:
    """What a score was measured with: without it a score cannot be compared or trusted."""

    icp_id: str
    version: str
    commit: str | None = None


@dataclass
class Parts:
    """Per-row credit (0-1, NaN when unknown) of every attribute, and trigger presence."""

    credit: dict[str, pd.Series] = field(default_factory=dict)
    triggers: dict[str, pd.Series] = field(default_factory=dict)
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)


def points_column(name: str) -> str:
    return f"points.{name}"


def trigger_column(trigger_id: str) -> str:
    return f"points.triggers.{trigger_id}"


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
    points: dict[str, pd.Series] = {}
    unknown_weight = np.zeros(len(frame))
    unknown_bits = np.zeros(len(frame), dtype=np.int64)
    unknown_names: list[str] = []
    for attribute in icp.attributes:
        credit = columns.credit(attribute.field, attribute.match, attribute.partial)
        parts.credit[attribute.field] = credit
        points[points_column(attribute.field)] = (credit * attribute.weight).fillna(0.0)
        if attribute.weight > 0:
            unknown = credit.isna().to_numpy()
            unknown_weight += unknown * attribute.weight
            unknown_bits |= unknown.astype(np.int64) << len(unknown_names)
            unknown_names.append(attribute.field)
    for trigger in icp.triggers:
        present = columns.has_trigger(trigger.id)
        parts.triggers[trigger.id] = present
        points[trigger_column(trigger.id)] = (present * trigger.weight).fillna(0.0)
        if trigger.weight > 0 and not columns.has(TRIGGERS):
            unknown_weight += trigger.weight
    if icp.triggers and not columns.has(TRIGGERS):
        unknown_bits |= np.int64(1) << len(unknown_names)
        unknown_names.append(TRIGGERS)

    table = pd.DataFrame(points, index=frame.index)
    total = table.sum(axis=1).clip(0.0, 100.0).round(2)
    positive = sum(a.weight for a in icp.attributes if a.weight > 0)
    positive += sum(t.weight for t in icp.triggers if t.weight > 0)
    share = np.round(unknown_weight / positive, 4) if positive else np.zeros(len(frame))
    disqualifier = _disqualifier(icp, columns)
    disqualified = disqualifier.notna().to_numpy()
    insufficient = ~disqualified & (share > icp.scoring.max_unknown_share)
    status = np.select([disqualified, insufficient], [DISQUALIFIED, INSUFFICIENT], SCORED)
    score = total.where(~disqualified, 0.0)
    band = _bands(icp, score.to_numpy())
    band = np.select([disqualified, insufficient], [DISQUALIFIED_BAND, UNKNOWN_BAND], band)

    ruler = ruler or Ruler(icp.id, icp.version)
    head = pd.DataFrame(
        {
            "icp_id": ruler.icp_id,
            "icp_version": ruler.version,
            "icp_commit": ruler.commit or "",
            "score": score,
            "band": band,
            "status": status,
            "disqualifier": disqualifier.fillna(""),
            "unknown_share": share,
            "unknown_fields": _names(unknown_bits, unknown_names),
        },
        index=frame.index,
    )
    for name in ("icp_id", "icp_version", "icp_commit", "band", "status", "unknown_fields"):
        head[name] = head[name].astype("string")
    head["disqualifier"] = head["disqualifier"].astype("string")
    parts.scores = pd.concat([head, table], axis=1)
    return parts


def _bands(icp: Icp, score: np.ndarray) -> np.ndarray:
    names = [name for name, _ in icp.scoring.bands.items()]
    floors = [score >= floor for _, floor in icp.scoring.bands.items()]
    return np.select(floors, names, "poor")


def _names(bits: np.ndarray, names: list[str]) -> pd.Series:
    # Few distinct combinations exist, so naming each once beats joining strings per row.
    codes = pd.Series(bits)
    table = {
        code: ";".join(n for i, n in enumerate(names) if code >> i & 1)
        for code in codes.unique().tolist()
    }
    return codes.map(table).to_numpy()  # type: ignore[return-value]


def _disqualifier(icp: Icp, columns: _Columns) -> pd.Series:
    result = pd.Series(None, index=columns.frame.index, dtype="object")
    for anti in reversed(icp.anti_icp):
        if not anti.when:
            continue
        hit = pd.Series(True, index=columns.frame.index)
        for condition in anti.when:
            hit &= columns.matches(condition.field, condition.match).fillna(False).astype(bool)
        result = result.where(~hit, anti.id)
    return result


class _Columns:
    """Canonical columns, normalised once per field however many rules read them."""

    def __init__(self, frame: pd.DataFrame, separator: str) -> None:
        self.frame = frame
        self.separator = separator
        self._cache: dict[tuple[str, str], pd.Series] = {}

    def has(self, name: str) -> bool:
        return name in self.frame.columns

    def credit(self, name: str, match: Match, partial: tuple[Partial, ...]) -> pd.Series:
        full = self.matches(name, match)
        credit = full.astype("float64")
        for item in partial:
            hit = self.matches(name, item.match).fillna(False).astype(bool)
            better = hit & (credit < item.credit).fillna(False)
            credit = credit.where(~better, item.credit)
        return credit

    def matches(self, name: str, match: Match) -> pd.Series:
        """True/False per row, NA where the value is unknown."""
        if not self.has(name):
            return pd.Series(pd.NA, index=self.frame.index, dtype="boolean")
        if match.form is Form.RANGE:
            values = self.frame[name]
            if not pd.api.types.is_float_dtype(values):
                values = pd.to_numeric(values, errors="coerce")
            hit = pd.Series(True, index=values.index)
            if match.min is not None:
                hit &= values >= match.min
            if match.max is not None:
                hit &= values <= match.max
            return hit.astype("boolean").where(values.notna(), pd.NA)
        if match.form is Form.IN:
            folded = self._folded(name)
            return folded.isin(match.folded).astype("boolean").where(folded.notna(), pd.NA)
        padded = self._padded(name)
        tests = [padded.str.contains(f";{v};", regex=False) for v in sorted(match.folded)]
        hit = tests[0]
        for test in tests[1:]:
            hit = (hit | test) if match.form is Form.ANY else (hit & test)
        return hit.astype("boolean")

    def has_trigger(self, trigger_id: str) -> pd.Series:
        """1.0 when present, 0.0 when absent, NaN for every row when there is no column."""
        if not self.has(TRIGGERS):
            return pd.Series(np.nan, index=self.frame.index)
        padded = self._padded(TRIGGERS).fillna(";;")
        return padded.str.contains(f";{trigger_id.casefold()};", regex=False).astype("float64")

    def _folded(self, name: str) -> pd.Series:
        key = (name, "folded")
        if key not in self._cache:
            self._cache[key] = self.frame[name].astype("string").str.strip().str.casefold()
        return self._cache[key]

    def _padded(self, name: str) -> pd.Series:
        key = (name, "padded")
        if key not in self._cache:
            split = rf"\s*{re.escape(self.separator)}\s*"
            cells = self._folded(name).str.replace(split, ";", regex=True)
            self._cache[key] = ";" + cells + ";"
        return self._cache[key]
