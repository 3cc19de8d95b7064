from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import DocContext, Scope, rule
from icpkit.findings import Violation


@rule(
    "ICP003",
    "schema-violation",
    severity="error",
    category="validity",
    added="0.1.0",
    scope=Scope.DOCUMENT,
)
def schema_violation(ctx: DocContext) -> Iterator[Violation]:
    """The file does not match the `icp/1` format.

    ## What it does
    Validates the file against the JSON Schema that `icp schema` prints and reports every
    violation, each at its own line and column: missing required keys, unknown keys (with
    a "did you mean"), wrong types, values outside their allowed set.

    ## Why is this bad?
    Unknown keys are almost always typos, and a typo'd criterion is a criterion nobody
    scores. Required sections are the layers a usable ICP cannot do without: triggers,
    anti-ICP, reachability, budget authority, qualification. Keys starting with `x-` are
    free for your own extensions.

    ## Example
    ```yaml
    status: actve
    ```

    ## Use instead
    ```yaml
    status: active
    ```
    """
    yield from ctx.schema_violations
