"""`icp backtest --against REV`: did this change make the ICP worse than it was at REV?

Both versions are backtested on the same deals (today's file), so only the ICP differs.
The change fails when AUC drops by more than the tolerance, or when a gate that passed
at REV fails now. An ICP that did not exist at REV has nothing to regress from.
"""

from __future__ import annotations

from dataclasses import dataclass

from icpkit.scorer.backtest import BacktestResult


@dataclass(frozen=True)
class Regression:
    """One ICP's backtest now, beside the same backtest of its version at `rev`."""

    icp_id: str
    rev: str
    new: BacktestResult
    old: BacktestResult | None  # None: the file did not exist at `rev`, or see `unscorable`
    tolerance: float
    # Why the version at `rev` could not be scored on today's deals (it reads columns they
    # lack): the change replaced the data as well as the ICP, so there is no baseline.
    unscorable: str | None = None

    @property
    def auc_drop(self) -> float | None:
        if self.old is None or self.old.auc is None or self.new.auc is None:
            return None
        return self.old.auc - self.new.auc

    @property
    def auc_failed(self) -> bool:
        drop = self.auc_drop
        # Rounding noise must not fail a build that sits exactly on the tolerance.
        return drop is not None and drop > self.tolerance + 1e-9

    @property
    def broken_gates(self) -> tuple[str, ...]:
        if self.old is None:
            return ()
        before = {g.name for g in self.old.gates if g.passed}
        return tuple(g.name for g in self.new.gates if not g.passed and g.name in before)

    @property
    def passed(self) -> bool:
        return not self.auc_failed and not self.broken_gates

    def reasons(self) -> tuple[str, ...]:
        out = []
        if self.auc_failed and self.old is not None:
            out.append(
                f"AUC fell from {self.old.auc:.3f} to {self.new.auc:.3f} "
                f"(-{self.auc_drop:.3f}, tolerance {self.tolerance:g})"
            )
        out += [f"gate {name} passed at {self.rev} and fails now" for name in self.broken_gates]
        return tuple(out)
