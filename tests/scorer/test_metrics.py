"""AUC checked against the Mann-Whitney definition computed pair by pair."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from icpkit.scorer.metrics import auc, auc_interval


def mann_whitney_auc(scores: list[float], won: list[bool]) -> float:
    wins = [s for s, w in zip(scores, won, strict=True) if w]
    losses = [s for s, w in zip(scores, won, strict=True) if not w]
    pairs = list(itertools.product(wins, losses))
    return sum(1.0 if a > b else 0.5 if a == b else 0.0 for a, b in pairs) / len(pairs)


@pytest.mark.parametrize("seed", range(25))
def test_auc_equals_mann_whitney_on_small_tables(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(2, 40)
    # Few distinct values, so ties are common, as with band-like scores.
    scores = [float(rng.choice([0, 10, 25, 40, 55, 70, 85, 100])) for _ in range(n)]
    won = [rng.random() < 0.4 for _ in range(n)]
    won[0], won[1] = True, False
    assert auc(np.array(scores), np.array(won)) == pytest.approx(mann_whitney_auc(scores, won))


def test_auc_edges() -> None:
    assert auc(np.array([1.0, 2.0]), np.array([False, True])) == 1.0
    assert auc(np.array([2.0, 1.0]), np.array([False, True])) == 0.0
    assert auc(np.array([5.0, 5.0]), np.array([False, True])) == 0.5
    assert auc(np.array([1.0, 2.0]), np.array([True, True])) is None


def test_bootstrap_interval_is_seeded_and_brackets_the_estimate() -> None:
    rng = np.random.default_rng(3)
    won = rng.random(500) < 0.3
    scores = np.round(rng.normal(50, 15, 500) + won * 12)
    point = auc(scores, won)
    low, high = auc_interval(scores, won) or (0.0, 0.0)
    assert point is not None and low < point < high
    assert high - low < 0.15
    assert auc_interval(scores, won) == (low, high)
    assert auc_interval(scores, won, resamples=0) is None
    assert auc_interval(scores, np.ones(500, dtype=bool)) is None


def test_bootstrap_matches_resampling_rows() -> None:
    # The multinomial shortcut must agree with the textbook bootstrap over rows.
    rng = np.random.default_rng(5)
    won = rng.random(300) < 0.4
    scores = np.round(rng.normal(50, 20, 300) + won * 10, -1)
    slow = []
    for _ in range(2000):
        pick = rng.integers(0, 300, 300)
        value = auc(scores[pick], won[pick])
        if value is not None:
            slow.append(value)
    low, high = auc_interval(scores, won, resamples=2000) or (0.0, 0.0)
    assert low == pytest.approx(np.quantile(slow, 0.025), abs=0.015)
    assert high == pytest.approx(np.quantile(slow, 0.975), abs=0.015)
