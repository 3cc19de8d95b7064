from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, ProjectContext, Scope, rule
from icpkit.findings import Violation


@rule(
    "ICP025",
    "duplicate-id",
    severity="error",
    category="validity",
    added="0.1.0",
    scope=Scope.PROJECT,
)
def duplicate_id(ctx: ProjectContext) -> Iterator[tuple[IcpContext, Violation]]:
    """Two ICP files share an `id`.

    ## What it does
    Reports every file after the first that uses an `id` already taken by another file in
    the same check run.

    ## Why is this bad?
    Scores record the id of the ICP that produced them, and the site and history key on
    it. Two files with one id make both ambiguous. (A copied file whose id was not changed
    is the usual cause.)

    ## Example
    ```yaml
    # file: base.yaml
    id: base
    # file: other/base.yaml
    id: base
    ```

    ## Use instead
    ```yaml
    # file: base.yaml
    id: base
    # file: base-emea.yaml
    id: base-emea
    ```
    """
    first: dict[str, IcpContext] = {}
    for entry in ctx.entries:
        owner = first.setdefault(entry.icp.id, entry)
        if owner is not entry:
            yield (
                entry,
                Violation(
                    ("id",), f"id `{entry.icp.id}` is already used by {owner.doc.path.as_posix()}"
                ),
            )
