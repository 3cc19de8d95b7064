"""icpkit: Ideal Customer Profiles as code.

Library entry points (keyword-only options, no printing):

- `icpkit.check(paths) -> Report`: run every rule over ICP files.
- `icpkit.load_icp(path) -> Icp`: load one valid ICP, or raise `InputError`.
- `icpkit.score(icp, frame) -> DataFrame`: score accounts (pandas), explainable per row.
- `icpkit.backtest(icp, deals) -> BacktestResult`: how well the score ranks won and lost deals.
- `icpkit.diff(old, new) -> list[Change]`: the semantic diff of two versions' data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from icpkit.version import __version__

if TYPE_CHECKING:
    from icpkit.checks.runner import Report, check
    from icpkit.diff import diff
    from icpkit.format.valid import load_icp
    from icpkit.scorer.backtest import backtest
    from icpkit.scorer.score import score

__all__ = ["Report", "__version__", "backtest", "check", "diff", "load_icp", "score"]


def __getattr__(name: str) -> Any:
    # Lazy, so `import icpkit` stays cheap for commands that never check.
    if name in ("check", "Report"):
        from icpkit.checks import runner

        return getattr(runner, name)
    if name == "load_icp":
        from icpkit.format.valid import load_icp

        return load_icp
    if name == "diff":
        from icpkit.diff import diff

        return diff
    if name == "score":
        from icpkit.scorer.score import score

        return score
    if name == "backtest":
        from icpkit.scorer.backtest import backtest

        return backtest
    raise AttributeError(name)
