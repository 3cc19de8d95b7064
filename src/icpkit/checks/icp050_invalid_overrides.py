from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import OverridesContext, Scope, rule
from icpkit.findings import Violation
from icpkit.format.overrides import INVALID


@rule(
    "ICP050",
    "invalid-overrides",
    severity="error",
    category="validity",
    added="0.1.0",
    scope=Scope.OVERRIDES,
)
def invalid_overrides(ctx: OverridesContext) -> Iterator[Violation]:
    """The ICP's overrides file cannot be read or breaks its format.

    ## What it does
    Reads the ICP's `<id>.overrides.yaml` (beside it, or in `overrides-dir`) and reports
    invalid YAML, keys the format does not know, a band that is not a band, a date that
    is not a date, an entry with both or neither of `band` and `target`, an `icp` that
    names another ICP and an account overridden twice, each where it is written. A
    missing reason is ICP051's.

    ## Why is this bad?
    `icp score` refuses to apply a broken overrides file (it stops at the first
    problem), so one typo turns every agreed exception back into the model's band, or
    stops the scoring job. Caught in review, it is a one-line fix.

    ## Example
    ```yaml
    format: icp-overrides/1
    icp: base
    overrides:
      - account: Acme Corp
        band: top
        reason: Strategic logo in a new vertical
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
        reason: Strategic logo in a new vertical
        owner: jane.doe@acme.example
        expires: 2027-06-30
    ```
    """
    for kind, violation in ctx.overrides.problems:
        if kind == INVALID:
            yield violation
