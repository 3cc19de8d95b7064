"""A figure beside its threshold reads on the side it falls (text.beside)."""

from __future__ import annotations

import random

import pytest

from icpkit.reporters.backtest import gate_text
from icpkit.scorer.gate import Gate
from icpkit.text import beside


@pytest.mark.parametrize(
    ("value", "threshold", "digits", "share", "expected"),
    [
        (0.6999, 0.7, 2, False, ("0.6999", "0.70")),
        (0.7, 0.7, 2, False, ("0.70", "0.70")),
        (0.9196, 0.92, 2, False, ("0.9196", "0.92")),
        (0.7049, 0.7, 2, False, ("0.705", "0.70")),
        (0.71, 0.7, 2, False, ("0.71", "0.70")),
        (0.9, 0.725, 2, False, ("0.90", "0.725")),
        (0.6996, 0.7, 1, True, ("69.96%", "70.0%")),
        (0.712, 0.7, 1, True, ("71.2%", "70.0%")),
        (402.0, 20.0, 0, False, ("402", "20")),
    ],
)
def test_extra_digits_only_where_rounding_hides_the_side(
    value: float, threshold: float, digits: int, share: bool, expected: tuple[str, str]
) -> None:
    assert beside(value, threshold, digits, share=share) == expected


def test_the_shown_figures_compare_as_the_true_ones() -> None:
    draw = random.Random(17)
    for _ in range(2000):
        threshold = round(draw.uniform(0.5, 0.95), draw.choice([1, 2, 3]))
        value = threshold + draw.choice([-1, 1]) * 10 ** -draw.uniform(1, 5)
        for share in (False, True):
            figure, limit = beside(value, threshold, 1 if share else 2, share=share)
            shown, bound = (float(s.rstrip("%")) for s in (figure, limit))
            true = (value > threshold) - (value < threshold)
            assert (shown > bound) - (shown < bound) == true, (value, threshold, figure, limit)


def test_gate_lines_show_the_digits_that_tell_the_figure_from_its_threshold() -> None:
    share = Gate("min_wins_good_or_better", False, 0.6996, 0.7, "share of wins")
    assert gate_text(share) == "share of wins 69.96% < 70.0%"
    lift = Gate("min_retention_lift", False, 1.0199, 1.02, "retention lift")
    assert gate_text(lift) == "retention lift 1.0199x < 1.02x"
    auc = Gate("min_auc", True, 0.9047, 0.7, "AUC")
    assert gate_text(auc) == "AUC 0.9047 >= 0.7000"  # as reports always printed it
