from __future__ import annotations

import itertools
from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation
from icpkit.text import number


@rule("ICP014", "bands-not-descending", severity="error", category="scoring", added="0.1.0")
def bands_not_descending(ctx: IcpContext) -> Iterator[Violation]:
    """Score bands are not strictly descending within 0-100.

    ## What it does
    Checks that `scoring.bands` runs strong > good > possible > weak, every threshold
    above 0 and at most 100.

    ## Why is this bad?
    Bands are how a score becomes an action: route strong fits to senior reps, recycle
    poor ones. Overlapping or out-of-range thresholds make a band unreachable or make two
    bands mean the same, and routing and the backtest's win-rate-by-band both break.

    ## Example
    ```yaml
    scoring:
      bands: {strong: 85, good: 55, possible: 70, weak: 40}
    ```

    ## Use instead
    ```yaml
    scoring:
      bands: {strong: 85, good: 70, possible: 55, weak: 40}
    ```
    """
    items = ctx.icp.scoring.bands.items()
    for name, value in items:
        if not 0 < value <= 100:
            yield Violation(
                ("scoring", "bands", name),
                f"band `{name}` starts at {number(value)}; "
                "thresholds must be above 0 and at most 100",
            )
    for (upper, high), (lower, low) in itertools.pairwise(items):
        if low >= high:
            yield Violation(
                ("scoring", "bands", lower),
                f"band `{lower}` ({number(low)}) must be below `{upper}` ({number(high)})",
            )
