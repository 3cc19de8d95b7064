from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks._helpers import overlaps
from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation


@rule("ICP028", "anti-icp-excludes-ideal", severity="error", category="scoring", added="0.1.0")
def anti_icp_excludes_ideal(ctx: IcpContext) -> Iterator[Violation]:
    """An anti-ICP condition disqualifies accounts the ICP calls ideal.

    ## What it does
    For anti-ICP entries with a single-field `when`, reports a condition that overlaps
    the ideal range or categories of the same field.

    ## Why is this bad?
    A disqualifier scores an account 0 no matter how well it fits. If "too small" is
    written as `max: 499` while the ideal size starts at 200, the best accounts in the
    200-499 band are thrown away, and the backtest will blame the wrong criterion.
    (Conditions on several fields together are left alone: they narrow on purpose.)

    ## Example
    ```yaml
    anti_icp:
      - {id: too-small, when: {employees: {max: 499}},
         reason: No one owns the problem; these accounts churn within a year}
    ```

    ## Use instead
    ```yaml
    anti_icp:
      - {id: too-small, when: {employees: {max: 49}},
         reason: No one owns the problem; these accounts churn within a year}
    ```
    """
    for entry in ctx.icp.anti_icp:
        if len(entry.when) != 1:
            continue
        condition = entry.when[0]
        ideal = ctx.icp.attribute(condition.field)
        if ideal is not None and ideal.weight > 0 and overlaps(condition.match, ideal.match):
            yield Violation(
                condition.path,
                f"anti-ICP `{entry.id}` ({condition.field} {condition.match.describe()}) "
                f"disqualifies accounts inside the ideal {ideal.match.describe()}",
            )
