"""Which scored rows go on a list: good or better, never an anti-ICP match, overrides obeyed.

An override (status `overridden`) has already set the row's band: forced in, it is good or
better; forced out, it is `disqualified`. So the final band decides, and the model's own
band (`model_band`, `model_status`, where the file has them) only tells the counts whether
the override changed the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from icpkit.export.source import BAND, MODEL_BAND, MODEL_STATUS, SCORE, STATUS
from icpkit.scorer.contract import DISQUALIFIED as DISQUALIFIED_STATUS
from icpkit.scorer.contract import GOOD_OR_BETTER, INSUFFICIENT, OVERRIDDEN, SCORE_BANDS
from icpkit.scorer.tables import TEXT_DTYPE

BAND_ORDER = {band: place for place, band in enumerate(SCORE_BANDS)}


@dataclass(frozen=True)
class Selection:
    rows: pd.DataFrame  # best first: band, then score, then the file's order
    total: int
    below: int = 0  # scored below good
    unknown: int = 0  # too little data to score
    disqualified: int = 0  # matched an anti-ICP entry
    forced_in: int = 0  # on the list only because of an override
    forced_out: int = 0  # off the list only because of an override
    capped: int = 0  # cut by the target's row limit
    repeated: int = 0  # a company already listed from a better row (with `one_per`)


def good_or_better(
    frame: pd.DataFrame, limit: int | None = None, *, one_per: str | None = None
) -> Selection:
    """The good-or-better rows, best first; with `one_per`, one row per value of that
    column (its best, compared trimmed and case-insensitively), so a deals export with many
    rows per company lists each company once; then at most `limit` rows."""
    band = frame[BAND].astype(str)
    status = frame[STATUS].astype(str)
    overridden = (status == OVERRIDDEN).to_numpy(dtype=bool)
    kept = (band.isin(GOOD_OR_BETTER) & (status != DISQUALIFIED_STATUS)).to_numpy(dtype=bool)
    model = _model_kept(frame, overridden, kept)
    disqualified = (status == DISQUALIFIED_STATUS).to_numpy(dtype=bool)
    forced_in = overridden & kept & ~model
    forced_out = overridden & ~kept & model
    unknown = (status == INSUFFICIENT).to_numpy(dtype=bool) & ~overridden
    below = ~kept & ~disqualified & ~forced_out & ~unknown
    rows = ranked(frame[kept])
    repeated = 0
    if one_per is not None:
        rows, repeated = first_per(rows, one_per)
    capped = 0
    if limit is not None and len(rows) > limit:
        capped = len(rows) - limit
        rows = rows.iloc[:limit]
    return Selection(
        rows,
        len(frame),
        below=int(below.sum()),
        unknown=int(unknown.sum()),
        disqualified=int(disqualified.sum()),
        forced_in=int(forced_in.sum()),
        forced_out=int(forced_out.sum()),
        capped=capped,
        repeated=repeated,
    )


def first_per(rows: pd.DataFrame, column: str) -> tuple[pd.DataFrame, int]:
    """`rows` (best first) with only the first row of each value of `column`, compared
    trimmed and case-insensitively, and how many rows that left out. Rows with no value are
    all kept: two unnamed rows are not known to be one company."""
    key = account_key(rows[column])
    again = (key.duplicated() & key.ne("")).to_numpy(dtype=bool)
    return rows[~again], int(again.sum())


def account_key(names: pd.Series) -> pd.Series:
    """Names as `first_per` compares them: trimmed, case-folded, "" for none."""
    return names.astype(TEXT_DTYPE).str.strip().str.casefold().fillna("")


def _model_kept(frame: pd.DataFrame, overridden: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """Whether the model alone would have put each row on the list. Without the model's
    columns an overridden row counts as changed by its override."""
    if MODEL_BAND in frame.columns:
        band = frame[MODEL_BAND].astype(str).isin(GOOD_OR_BETTER)
        if MODEL_STATUS in frame.columns:
            band &= frame[MODEL_STATUS].astype(str) != DISQUALIFIED_STATUS
        model = band.to_numpy(dtype=bool)
    else:
        model = ~kept
    found: np.ndarray = np.where(overridden, model, kept)
    return found


def ranked(frame: pd.DataFrame) -> pd.DataFrame:
    """Best first: band, then score (highest first), then the file's order."""
    order = frame[BAND].astype(str).map(BAND_ORDER).fillna(len(BAND_ORDER))
    keys = pd.DataFrame({"band": order, "score": -frame[SCORE].astype("float64").fillna(-1.0)})
    return frame.loc[keys.sort_values(["band", "score"], kind="mergesort").index]
