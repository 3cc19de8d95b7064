from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation


@rule("ICP037", "anti-icp-counted-as-yes", severity="error", category="scoring", added="0.1.0")
def anti_icp_counted_as_yes(ctx: IcpContext) -> Iterator[Violation]:
    """A qualification question that tests an anti-ICP counts its answer as a yes.

    ## What it does
    Reports a question in `qualification.questions` whose `tests` names an anti-ICP id
    but which has `yes_when` (or neither) instead of `disqualify_when`.

    ## Why is this bad?
    The rubric adds up yes answers: "5 or more yes is a strong lead". A question about a
    disqualifier counts like any other, so a rep who hears the anti-ICP answer can still
    tick it, and a lead that should be closed as unqualified reaches the strong mark. A
    disqualifier is a knock-out: hearing it ends the qualification whatever the count.
    Ask it as its own question with `disqualify_when`, which never counts as a yes and
    shows on the playbook with the other disqualifying answers.

    ## Example
    ```yaml
    qualification:
      questions:
        - ask: Who signs off a purchase, and would you rather build it in-house?
          tests: [budget_authority, build-in-house]
          yes_when: The CFO, and they want to buy
    ```

    ## Use instead
    ```yaml
    qualification:
      questions:
        - ask: Who signs off a purchase of this size?
          tests: budget_authority
          yes_when: The CFO, already in the conversation
        - ask: Would you rather build this in-house?
          tests: build-in-house
          disqualify_when: Yes, they plan to build it themselves
    ```
    """
    anti = {a.id for a in ctx.icp.anti_icp}
    for question in ctx.icp.qualification.questions:
        if question.knockout:
            continue
        for index, name in enumerate(question.tests):
            if name not in anti:
                continue
            path = (
                (*question.path, "tests")
                if len(question.tests) == 1
                else (*question.path, "tests", index)
            )
            yield Violation(
                path,
                f"question tests anti-ICP `{name}` but counts as a yes toward a strong lead; "
                "ask it as a knock-out question with `disqualify_when`",
            )
