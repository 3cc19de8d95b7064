from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation


@rule("ICP020", "missing-anti-persona", severity="error", category="specificity", added="0.1.0")
def missing_anti_persona(ctx: IcpContext) -> Iterator[Violation]:
    """A persona has no anti-persona.

    ## What it does
    Reports each persona without an `anti_persona`: the buyer who looks like this one on
    paper but will not buy, and why.

    ## Why is this bad?
    For every positive persona there is a lookalike who wastes the cycle: the RevOps
    analyst with no budget, the CRO of a 20-person startup. Naming them lets reps spot
    them in the first call, with the same rigour as the persona itself.

    ## Example
    ```yaml
    personas:
      - role: VP Revenue Operations
        seniority: vp
        motivations: [Forecasts the board can trust]
        objections: [Another tool for reps to ignore]
    ```

    ## Use instead
    ```yaml
    personas:
      - role: VP Revenue Operations
        seniority: vp
        motivations: [Forecasts the board can trust]
        objections: [Another tool for reps to ignore]
        anti_persona: RevOps analyst with no budget line who wants a free dashboard
    ```
    """
    for persona in ctx.icp.personas:
        if not persona.anti_persona:
            yield Violation(
                persona.path,
                f"persona `{persona.role}` has no `anti_persona`: describe the lookalike "
                "buyer who will not buy, and why",
            )
