from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation
from icpkit.format.model import Status, quarter_key, quarter_of


@rule("ICP023", "version-behind-review", severity="warning", category="freshness", added="0.1.0")
def version_behind_review(ctx: IcpContext) -> Iterator[Violation]:
    """An active ICP was reviewed in a later quarter than its `version` names.

    ## What it does
    For active ICPs, compares `version` (the quarter it is written for) with the quarter
    of `last_reviewed` and reports a version that is behind.

    ## Why is this bad?
    The version is how people find "the Q3 ICP" in history and diffs. If the file was
    reviewed in Q4 but still says Q3, either the review changed nothing worth a version
    (then say so by bumping it) or the label misleads everyone comparing quarters.

    ## Example
    ```yaml
    version: 2026-Q2
    last_reviewed: 2026-11-02
    ```

    ## Use instead
    ```yaml
    version: 2026-Q4
    last_reviewed: 2026-11-02
    ```
    """
    icp = ctx.icp
    reviewed = quarter_of(icp.last_reviewed)
    if icp.status is Status.ACTIVE and quarter_key(icp.version) < quarter_key(reviewed):
        yield Violation(
            ("version",),
            f"version {icp.version} is older than the quarter of its last review ({reviewed}); "
            f"bump it to {reviewed}",
        )
