from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation


@rule("ICP024", "id-mismatch", severity="error", category="validity", added="0.1.0")
def id_mismatch(ctx: IcpContext) -> Iterator[Violation]:
    """The `id` differs from the file name.

    ## What it does
    Reports an ICP whose `id` is not its file name without the extension
    (`icps/midmarket-saas.yaml` must hold `id: midmarket-saas`).

    ## Why is this bad?
    Ids are how scores, diffs, history and the site refer to an ICP. When the file says
    one thing and its name another, `icp diff midmarket-saas@2026-Q3` and a score's
    recorded ruler point at different files.

    ## Example
    ```yaml
    id: midmarket-revops
    ```

    ## Use instead
    ```yaml
    id: base
    ```
    """
    stem = ctx.doc.path.stem
    if ctx.icp.id != stem:
        yield Violation(("id",), f"id `{ctx.icp.id}` differs from the file name `{stem}`")
