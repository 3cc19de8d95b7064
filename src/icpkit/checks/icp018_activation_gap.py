from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation


@rule("ICP018", "activation-gap", severity="warning", category="scoring", added="0.1.0")
def activation_gap(ctx: IcpContext) -> Iterator[Violation]:
    """An attribute or trigger is scored but no qualification question tests it.

    ## What it does
    Reports every attribute and trigger that no entry in `qualification.questions` names
    in its `tests`.

    ## Why is this bad?
    An ICP that does not become a discovery question is not activated: the rep has no way
    to confirm the criterion on a call, and the score stays a guess. Every criterion that
    carries weight should have a question that checks it.

    ## Example
    ```yaml
    qualification:
      questions:
        - {ask: Roughly how many people work at the company?, tests: employees}
    ```

    ## Use instead
    ```yaml
    qualification:
      questions:
        - {ask: Roughly how many people work at the company?, tests: employees}
        - {ask: What was your revenue last year?, tests: revenue_usd}
        - {ask: "What do you sell, and to whom?", tests: [industry, country]}
        - {ask: Which CRM does the sales team live in?, tests: tech_stack}
        - {ask: "Who leads sales today, and since when?", tests: new-sales-leader}
        - {ask: How is the company funded?, tests: series-b-plus}
    ```
    """
    tested = {name for q in ctx.icp.qualification.questions for name in q.tests}
    for attr in ctx.icp.attributes:
        if attr.field not in tested:
            yield Violation(
                attr.path,
                f"no qualification question tests `{attr.field}`; "
                "sales cannot confirm it on a call",
            )
    for trigger in ctx.icp.triggers:
        if trigger.id not in tested:
            yield Violation(
                trigger.path,
                f"no qualification question tests trigger `{trigger.id}`; "
                "ask about the event in discovery",
            )
