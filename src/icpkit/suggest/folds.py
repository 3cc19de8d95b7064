"""Out-of-fold AUC: how the draft ranks deals it was not fitted on, for data without dates.

Deals are split into K folds at random (seeded, so the figure is reproducible); each
fold is scored by a draft fitted on the other K-1, and the AUC is taken over all the
out-of-fold scores at once, with the bootstrap interval the backtest uses. Deals of one
account, and rows that are copies of each other apart from their deal id, always fall in
the same fold: otherwise the draft would be tested on deals it has already seen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from icpkit.format.model import Icp
from icpkit.scorer.contract import UNKNOWN_BAND
from icpkit.scorer.metrics import auc, auc_interval
from icpkit.scorer.score import score_frame

FOLD_SEED = 20261201
MIN_FOLDS, MAX_FOLDS = 2, 20


@dataclass(frozen=True)
class CrossValidation:
    folds: int
    seed: int
    groups: int
    closed: int
    scored: int
    auc: float | None
    auc_interval: tuple[float, float] | None
    fold_aucs: tuple[float | None, ...]
    empty_folds: int  # folds whose training part showed no usable rule


def group_keys(prepared: pd.DataFrame, source: pd.DataFrame, id_column: str | None) -> pd.Series:
    """One key per row: its account where known, else its content apart from the deal id."""
    content = source.loc[prepared.index]
    if id_column is not None and id_column in content:
        content = content.drop(columns=[id_column])
    copies = pd.util.hash_pandas_object(content, index=False).astype("string")
    keys = "row:" + copies
    if "account" in prepared:
        account = prepared["account"].astype("string").str.strip().str.casefold()
        keys = ("account:" + account).where(account.notna() & (account != ""), keys)
    return keys


def assign_folds(keys: pd.Series, folds: int, seed: int) -> np.ndarray:
    """Fold number per row; every group of rows sharing a key lands in one fold."""
    codes, uniques = pd.factorize(keys)
    order = np.random.default_rng(seed).permutation(len(uniques))
    return np.asarray((order % folds)[codes])


def cross_validate(
    closed: pd.DataFrame,
    keys: pd.Series,
    *,
    folds: int,
    seed: int,
    fit: Callable[[pd.DataFrame], Icp | None],
    separator: str,
    resamples: int = 1000,
) -> CrossValidation:
    """`fit` drafts an ICP from a training part (None: nothing in it to learn from)."""
    fold = assign_folds(keys, folds, seed)
    won = (closed["outcome"] == "won").to_numpy(dtype=bool)
    scores = np.zeros(len(closed))
    known = np.zeros(len(closed), dtype=bool)
    per_fold: list[float | None] = []
    empty = 0
    for k in range(folds):
        test = fold == k
        draft = fit(closed[~test])
        if draft is None:
            # A draft with no rules ranks nobody above anybody: its deals tie.
            empty += 1
            known[test] = True
            per_fold.append(0.5 if won[test].any() and (~won[test]).any() else None)
            continue
        frame = score_frame(draft, closed[test], separator=separator)
        scores[test] = frame["score"].to_numpy(dtype="float64")
        known[test] = (frame["band"] != UNKNOWN_BAND).to_numpy(dtype=bool)
        inside = test & known
        per_fold.append(auc(scores[inside], won[inside]))
    return CrossValidation(
        folds=folds,
        seed=seed,
        groups=int(keys.nunique()),
        closed=len(closed),
        scored=int(known.sum()),
        auc=auc(scores[known], won[known]),
        auc_interval=auc_interval(scores[known], won[known], resamples=resamples),
        fold_aucs=tuple(per_fold),
        empty_folds=empty,
    )
