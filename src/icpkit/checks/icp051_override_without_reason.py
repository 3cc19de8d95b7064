from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import OverridesContext, Scope, rule
from icpkit.findings import Violation
from icpkit.format.overrides import NO_REASON


@rule(
    "ICP051",
    "override-without-reason",
    severity="error",
    category="validity",
    added="0.1.0",
    scope=Scope.OVERRIDES,
)
def override_without_reason(ctx: OverridesContext) -> Iterator[Violation]:
    """An override gives no reason.

    ## What it does
    Reports each entry of the overrides file whose `reason` is missing or blank.

    ## Why is this bad?
    The seeds allow sales to override a score "with justification", and to adjust the
    ICP when the exceptions keep winning. An exception without a reason cannot be
    reviewed, renewed or learned from: nobody can tell a strategic logo from a favour,
    and the backtest of overrides has nothing to teach the next ICP version.

    ## Example
    ```yaml
    format: icp-overrides/1
    icp: base
    overrides:
      - account: Acme Corp
        band: strong
        reason: ""
        owner: jane.doe@acme.example
        expires: 2027-06-30
    ```

    ## Use instead
    ```yaml
    format: icp-overrides/1
    icp: base
    overrides:
      - account: Acme Corp
        band: strong
        reason: The CRO bought from us at her last company and has budget this quarter
        owner: jane.doe@acme.example
        expires: 2027-06-30
    ```
    """
    for kind, violation in ctx.overrides.problems:
        if kind == NO_REASON:
            message = violation.message
            if "required key" in message:
                message = "override has no `reason`: say why a person knows better here"
            else:
                message = "`reason` is empty: say why a person knows better here"
            yield Violation(violation.path, message, violation.mark)
