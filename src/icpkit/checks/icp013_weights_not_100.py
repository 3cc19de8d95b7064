from __future__ import annotations

import math
from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation
from icpkit.text import number


@rule("ICP013", "weights-not-100", severity="error", category="scoring", added="0.1.0")
def weights_not_100(ctx: IcpContext) -> Iterator[Violation]:
    """The positive weights of attributes and triggers do not add up to 100.

    ## What it does
    Adds the weights of every firmographic, technographic and behavioral attribute and
    every trigger (negative signals, which take points away, are left out) and reports a
    total other than 100.

    ## Why is this bad?
    Scores are read against fixed bands (85 strong, 70 good, 55 possible, 40 weak). If
    the weights add up to 85, no account can ever be strong; if to 130, weak fits look
    strong. Weights are where the ICP says what matters most, so they must be a budget
    that adds up.

    ## Example
    ```yaml
    firmographics:
      employees: {min: 200, max: 2000, weight: 40}
      revenue_usd: {min: 20000000, max: 200000000, weight: 15}
      industry: {in: [saas, fintech], weight: 15}
      country: {in: [US, GB], weight: 5}
    ```

    ## Use instead
    ```yaml
    firmographics:
      employees: {min: 200, max: 2000, weight: 25}
      revenue_usd: {min: 20000000, max: 200000000, weight: 15}
      industry: {in: [saas, fintech], weight: 15}
      country: {in: [US, GB], weight: 5}
    ```
    """
    attributes = sum(a.weight for a in ctx.icp.attributes if a.weight > 0)
    triggers = sum(t.weight for t in ctx.icp.triggers if t.weight > 0)
    total = attributes + triggers
    if not math.isclose(total, 100, abs_tol=1e-6):
        yield Violation(
            ("firmographics",),
            f"weights add up to {number(total)}, not 100 (attributes {number(attributes)} + "
            f"triggers {number(triggers)}); scores would not read on a 0-100 scale",
        )
