"""The backtest's overrides section: how the overridden accounts' deals did against the
model's prediction for them (scorer.override_outcomes), as text and Markdown."""

from __future__ import annotations

from icpkit.reporters.markdown import cell, code
from icpkit.scorer.backtest import BacktestResult
from icpkit.scorer.override_outcomes import MIN_DEALS, OverrideOutcomes
from icpkit.text import plural

TITLE = "overridden accounts against the model"


def summary(found: OverrideOutcomes) -> list[str]:
    """One sentence per group, then what was counted but not tested."""
    lines = [group.describe() for group in found.groups]
    if not found.groups:
        lines.append(
            f"none of the {plural(found.overrides, 'override')} names an account with a "
            "closed deal whose band it changes: nothing to compare yet"
        )
    if found.unrated:
        lines.append(
            f"{plural(found.unrated, 'closed deal')} left out: the model's band held no "
            "closed deals, so it predicts no rate"
        )
    if found.unchanged:
        lines.append(
            f"{plural(found.unchanged, 'closed deal')} left out: the override kept the model's band"
        )
    return lines


NOTE = (
    "Closed deals of the accounts the overrides file names (expired entries too), against "
    "the win rate of the band the model gave them; a one-sided binomial test says whether "
    f"the difference is more than chance, below {MIN_DEALS} deals it cannot tell."
)


def text_lines(result: BacktestResult) -> list[str]:
    found = result.overrides
    if found is None:
        return []
    out = ["", f"  {TITLE} ({found.file})"]
    out += [f"    {line}" for line in summary(found)]
    return out


def markdown_lines(result: BacktestResult) -> list[str]:
    found = result.overrides
    if found is None:
        return []
    out = ["", f"**Overrides** ({code(found.file)}): {cell(NOTE)}", ""]
    out += [f"- {cell(line)}" for line in summary(found)]
    return out
