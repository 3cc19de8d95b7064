from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation


@rule("ICP030", "unreachable-rubric", severity="error", category="scoring", added="0.1.0")
def unreachable_rubric(ctx: IcpContext) -> Iterator[Violation]:
    """The yes/no qualification rubric cannot work as written.

    ## What it does
    Reports a `strong_at` larger than the number of questions that count a yes (knock-out
    questions, with `disqualify_when`, never do), and a `disqualify_below` that is not
    below `strong_at`.

    ## Why is this bad?
    The rubric turns discovery answers into a decision (for example "5 or more yes is a
    strong lead, fewer than 3 disqualifies"). If it needs more yes answers than there are
    questions, no lead is ever strong; if the two thresholds cross, one lead is both.

    ## Example
    ```yaml
    qualification:
      strong_at: 9
      questions:
        - {ask: Roughly how many people work at the company?, tests: employees}
    ```

    ## Use instead
    ```yaml
    qualification:
      strong_at: 1
      questions:
        - {ask: Roughly how many people work at the company?, tests: employees}
    ```
    """
    rubric = ctx.icp.qualification
    count = len(rubric.counted)
    if rubric.strong_at is not None and rubric.strong_at > count:
        knockouts = len(rubric.knockouts)
        besides = f" (besides {knockouts} knock-out)" if knockouts else ""
        yield Violation(
            ("qualification", "strong_at"),
            f"strong_at {rubric.strong_at} needs more yes answers than the {count} "
            f"questions{besides}",
        )
    if (
        rubric.strong_at is not None
        and rubric.disqualify_below is not None
        and rubric.disqualify_below > rubric.strong_at
    ):
        yield Violation(
            ("qualification", "disqualify_below"),
            f"disqualify_below {rubric.disqualify_below} is above strong_at {rubric.strong_at}",
        )
