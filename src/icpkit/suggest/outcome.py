"""What a draft is fitted to tell apart, and the words its report and draft use for it.

The suggest machinery compares two groups of rows: the positives a good ICP rates highly
and the negatives it does not. For deals they are wins and losses; for customers, the best
customers (by retention, NRR or lifetime revenue) and the rest. Canonical frames code the
groups in their `outcome` column as `won` (positive) and `lost` (negative), so the scorer's
backtest measures either with the same AUC; only the words change.
"""

from __future__ import annotations

from dataclasses import dataclass

POSITIVE, NEGATIVE = "won", "lost"


@dataclass(frozen=True)
class Outcome:
    """`rows`: what is counted ("closed deals"), `row` one of them; `positives` and
    `negatives`: the two groups as a report names them ("wins", "losses"), `positive_one`
    and `negative_one` one of each ("won", "lost"); `rate`: the positives' share ("win
    rate"); `negative_past`: what a negative row did ("were lost"); `key`: the validation
    key the draft names its file under; `target` and `definition`: what the positives are
    and how they were chosen (customers only)."""

    rows: str = "closed deals"
    row: str = "deal"
    positives: str = "wins"
    negatives: str = "losses"
    positive_one: str = "won"
    negative_one: str = "lost"
    rate: str = "win rate"
    negative_past: str = "were lost"
    key: str = "deals"
    target: str | None = None
    definition: str = ""
    # Rates and lifts are read as if this share of rows were positives, when more are
    # (evidence.loss_weight); None: as found, as for deals.
    lift_base: float | None = None

    @property
    def title(self) -> str:
        """ "Wins vs losses", "Best customers vs the rest"."""
        return f"{self.positives[0].upper()}{self.positives[1:]} vs {self.negatives}"

    @property
    def contrast(self) -> str:
        """ "wins from losses": what the draft tells apart."""
        return f"{self.positives} from {self.negatives}"


DEALS = Outcome()
