"""Ranking metrics on scores of won and lost deals.

AUC is computed from counts per distinct score, which makes the bootstrap exact and cheap:
resampling n deals with replacement is a multinomial draw over (score, outcome) cells, so
a thousand resamples of 100k deals cost a thousand draws over a few hundred cells.
"""

from __future__ import annotations

import numpy as np

BOOTSTRAP_SEED = 20261123


def _cells(scores: np.ndarray, won: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    levels, index = np.unique(scores, return_inverse=True)
    wins = np.bincount(index, weights=won.astype(float), minlength=len(levels))
    losses = np.bincount(index, weights=(~won).astype(float), minlength=len(levels))
    return wins, losses


def _auc_from_counts(wins: np.ndarray, losses: np.ndarray) -> np.ndarray:
    """AUC for each row of count matrices (levels ascending); NaN when a side is empty."""
    below = np.cumsum(losses, axis=-1) - losses
    pairs = wins.sum(axis=-1) * losses.sum(axis=-1)
    concordant = (wins * below).sum(axis=-1) + 0.5 * (wins * losses).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(pairs > 0, concordant / np.where(pairs > 0, pairs, 1), np.nan)


def auc(scores: np.ndarray, won: np.ndarray) -> float | None:
    """Probability that a random win outscores a random loss (ties count half)."""
    wins, losses = _cells(np.asarray(scores, dtype=float), np.asarray(won, dtype=bool))
    value = float(_auc_from_counts(wins, losses))
    return None if np.isnan(value) else value


def auc_interval(
    scores: np.ndarray,
    won: np.ndarray,
    *,
    resamples: int = 1000,
    level: float = 0.95,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[float, float] | None:
    """Percentile bootstrap interval of the AUC (seeded, so reports are reproducible)."""
    won = np.asarray(won, dtype=bool)
    if resamples < 1 or won.all() or not won.any():
        return None
    wins, losses = _cells(np.asarray(scores, dtype=float), won)
    cells = np.concatenate([wins, losses])
    draws = np.random.default_rng(seed).multinomial(len(won), cells / cells.sum(), resamples)
    half = len(wins)
    values = _auc_from_counts(draws[:, :half], draws[:, half:])
    values = values[~np.isnan(values)]
    if not len(values):
        return None
    tail = (1 - level) / 2
    low, high = np.quantile(values, [tail, 1 - tail])
    return float(low), float(high)
