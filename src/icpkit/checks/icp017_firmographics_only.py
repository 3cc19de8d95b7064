from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation


@rule("ICP017", "firmographics-only", severity="error", category="specificity", added="0.1.0")
def firmographics_only(ctx: IcpContext) -> Iterator[Violation]:
    """The ICP says who the customer is, but nothing about how they think.

    ## What it does
    Reports an empty `psychographics` list. (Too few triggers, the other half of a
    firmographic-only ICP, is `too-few-triggers`.)

    ## Why is this bad?
    "Series B SaaS, 100-500 employees" describes thousands of companies, most of which
    will never buy. Psychographic fit (buy over build, how they make decisions, whether a
    champion owns the problem) is often the most predictive layer: firmographic fit
    without it is a hard sell. Add at least one mindset a rep can hear on a call.

    ## Example
    ```yaml
    psychographics: []
    ```

    ## Use instead
    ```yaml
    psychographics:
      - Prefers to buy proven tools over building them in-house
    ```
    """
    if not ctx.icp.psychographics:
        yield Violation(
            ("psychographics",),
            "no psychographics: add at least one mindset that makes these accounts receptive "
            "(buy over build, data-driven decisions, a champion who owns the problem)",
        )
