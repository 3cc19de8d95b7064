from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation
from icpkit.format import invariants


@rule("ICP034", "duplicate-anti-icp-id", severity="error", category="validity", added="0.1.0")
def duplicate_anti_icp_id(ctx: IcpContext) -> Iterator[Violation]:
    """Two anti-ICP entries share an `id`.

    ## What it does
    Reports every `anti_icp` entry after the first whose `id` another entry already uses.
    `icp score`, `icp backtest`, `icp compile` and the site refuse such an ICP.

    ## Why is this bad?
    When an account is disqualified, its score names the anti-ICP entry that disqualified
    it, and the backtest reports how many deals each entry screened out and how many of
    those were won: that is how a team learns which disqualifiers are worth keeping. Two
    entries with one id make that evidence unreadable, and a qualification question that
    tests the id cannot say which of the two it asks about.

    ## Example
    ```yaml
    anti_icp:
      - {id: too-small, when: {employees: {max: 49}},
         reason: No one owns the problem; these accounts churn within a year}
      - {id: too-small, signal: Insists on building everything in-house,
         reason: Not a buyer; evaluations end in a build decision}
    ```

    ## Use instead
    ```yaml
    anti_icp:
      - {id: too-small, when: {employees: {max: 49}},
         reason: No one owns the problem; these accounts churn within a year}
      - {id: build-in-house, signal: Insists on building everything in-house,
         reason: Not a buyer; evaluations end in a build decision}
    ```
    """
    yield from invariants.duplicate_anti_icp_ids(ctx.icp, ctx.doc)
