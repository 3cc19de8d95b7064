from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation


@rule("ICP007", "no-anti-icp", severity="error", category="specificity", added="0.1.0")
def no_anti_icp(ctx: IcpContext) -> Iterator[Violation]:
    """The ICP disqualifies nobody, or only by signs no data can check.

    ## What it does
    Reports an empty `anti_icp`, and an `anti_icp` in which no entry has a `when`
    condition on fields (so the scorer cannot disqualify any account by itself).

    ## Why is this bad?
    An ICP that does not disqualify anyone is not an ICP. Knowing who *not* to chase is
    half the value: reps drop bad-fit deals early and marketing stops paying to reach
    them. At least one disqualifier should be machine-checkable, such as a minimum size,
    so scores and lists apply it without a human.

    ## Example
    ```yaml
    anti_icp:
      - {id: build-in-house, signal: Insists on building everything in-house,
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
    if not ctx.icp.anti_icp:
        yield Violation(
            ("anti_icp",),
            "no anti-ICP: name who to disqualify, with at least one `when` condition on fields",
        )
    elif not any(entry.when for entry in ctx.icp.anti_icp):
        yield Violation(
            ("anti_icp",),
            "no anti-ICP entry has a `when` condition; add one the scorer can apply "
            "(e.g. `when: {employees: {max: 49}}`)",
        )
