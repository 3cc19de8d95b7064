from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import BaselineContext, Scope, rule
from icpkit.findings import Violation


@rule(
    "ICP901",
    "baseline-unused",
    severity="warning",
    category="suppression",
    added="0.1.0",
    scope=Scope.BASELINE,
)
def baseline_unused(ctx: BaselineContext) -> Iterator[Violation]:
    """A baseline entry no longer matches any finding.

    ## What it does
    Reports accepted findings that the current files do not produce any more (fixed,
    moved or renamed), so the baseline can be cleaned up.

    ## Why is this bad?
    A stale entry keeps accepting a problem that is gone, and will silently swallow the
    same problem if it ever comes back at that place.

    ## Example
    ```yaml
    accepted:
      - {rule: ICP004, file: icps/base.yaml, path: $.triggers,
         reason: Second trigger still being researched}
    ```

    ## Use instead
    ```yaml
    accepted: []
    ```
    """
    for index, entry in enumerate(ctx.baseline.entries):
        # a file left out of this run (pre-commit passes only changed files) proves nothing
        if index not in ctx.used and entry.file in ctx.checked:
            yield Violation(
                (),
                f"accepted {entry.rule} at {entry.file} {entry.path} matches no finding any "
                "more; remove it",
                entry.mark,
            )
