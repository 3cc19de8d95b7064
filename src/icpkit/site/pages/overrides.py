"""The backtest page's overrides section: the overridden accounts' deals against the
model's prediction for them (scorer.override_outcomes)."""

from __future__ import annotations

from icpkit.reporters.overrides import NOTE, summary
from icpkit.scorer.backtest import BacktestResult
from icpkit.site.markup import bullets, code, prose


def section(result: BacktestResult) -> list[str]:
    found = result.overrides
    if found is None:
        return []
    return [
        "## Overrides against the model\n",
        f"{prose(NOTE)} File: {code(found.file)}.\n",
        bullets(prose(line) for line in summary(found)),
    ]
