from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import DocContext, Scope, rule
from icpkit.findings import Violation
from icpkit.format.loader import DUPLICATE_KEY


@rule(
    "ICP002",
    "duplicate-key",
    severity="error",
    category="validity",
    added="0.1.0",
    scope=Scope.DOCUMENT,
)
def duplicate_key(ctx: DocContext) -> Iterator[Violation]:
    """A key appears twice in the same map.

    ## What it does
    Reports every repeated key, pointing at the repeat and naming the line of the first.

    ## Why is this bad?
    YAML readers keep only the last value and drop the first without a word. In an ICP
    that is usually a whole criterion lost in a merge: two `industry` entries, of which
    the scorer silently uses one.

    ## Example
    ```yaml
    status: active
    status: draft
    ```

    ## Use instead
    ```yaml
    status: active
    ```
    """
    for kind, violation in ctx.doc.violations:
        if kind == DUPLICATE_KEY:
            yield violation
