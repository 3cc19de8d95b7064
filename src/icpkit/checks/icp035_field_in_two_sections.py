from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation
from icpkit.format import invariants


@rule("ICP035", "field-in-two-sections", severity="error", category="scoring", added="0.1.0")
def field_in_two_sections(ctx: IcpContext) -> Iterator[Violation]:
    """One field is scored in two sections.

    ## What it does
    Reports a field of `firmographics`, `technographics` or `behavioral` that another of
    those sections already scores. `icp score`, `icp backtest`, `icp compile` and the
    site refuse such an ICP.

    ## Why is this bad?
    Each field is one column of your data and one line of the scorecard: its weight is
    what the ICP says that fact is worth. Scored twice it is worth two different amounts
    at once, the weights no longer say what matters, and the scorers cannot agree on
    which rule to apply (pandas scored such an account 45 where DuckDB said 85). Decide
    which layer the field belongs to, and put every condition on it there.

    ## Example
    ```yaml
    behavioral:
      employees: {min: 100, max: 1000, weight: 0}
    ```

    ## Use instead
    ```yaml
    behavioral:
      competitor_contract_months_left: {min: 12, max: 36, weight: -10}
    ```
    """
    yield from invariants.fields_in_two_sections(ctx.icp, ctx.doc)
