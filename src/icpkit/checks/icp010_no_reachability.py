from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation


@rule("ICP010", "no-reachability", severity="error", category="specificity", added="0.1.0")
def no_reachability(ctx: IcpContext) -> Iterator[Violation]:
    """The ICP names no channel through which we can reach these accounts.

    ## What it does
    Reports an empty `reachability` list.

    ## Why is this bad?
    If marketing cannot target them and sales cannot find them, the ICP is academic. For
    each ICP the team should be able to say where these buyers are: which LinkedIn
    titles, which events, which communities, which partners.

    ## Example
    ```yaml
    reachability: []
    ```

    ## Use instead
    ```yaml
    reachability:
      - {channel: linkedin, detail: VP RevOps and CRO titles at 200-2000 employee SaaS in US/UK}
      - {channel: events, detail: SaaStr Annual and Pavilion CRO Summit}
    ```
    """
    if not ctx.icp.reachability:
        yield Violation(
            ("reachability",),
            "no reachability: list the channels where these buyers can be found and contacted",
        )
