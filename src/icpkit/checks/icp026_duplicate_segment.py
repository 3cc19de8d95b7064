from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, ProjectContext, Scope, rule
from icpkit.findings import Violation
from icpkit.format.model import Icp, Status

Segment = frozenset[tuple[str, str, float | None, float | None, frozenset[str]]]


def segment(icp: Icp) -> Segment:
    return frozenset(
        (a.field, a.match.form.value, a.match.min, a.match.max, a.match.folded)
        for a in icp.firmographics
    )


@rule(
    "ICP026",
    "duplicate-segment",
    severity="warning",
    category="specificity",
    added="0.1.0",
    scope=Scope.PROJECT,
)
def duplicate_segment(ctx: ProjectContext) -> Iterator[tuple[IcpContext, Violation]]:
    """Two live ICPs target exactly the same firmographic segment.

    ## What it does
    Compares the firmographic ranges and categories (not weights) of every draft and
    active ICP and reports pairs that are identical. Retired ICPs are left out.

    ## Why is this bad?
    Separate ICPs earn their keep by differing in who they target: another size band,
    another vertical, another buyer. Two ICPs with identical firmographics split the same
    accounts between two scorecards and two playbooks, and reps get two answers to "is this
    a fit?". Merge them, or make the difference explicit.

    ## Example
    ```yaml
    # file: base.yaml
    id: base
    # file: base-copy.yaml
    id: base-copy
    ```

    ## Use instead
    ```yaml
    # file: base.yaml
    id: base
    # file: base-emea.yaml
    id: base-emea
    firmographics:
      employees: {min: 200, max: 2000, weight: 25}
      revenue_usd: {min: 20000000, max: 200000000, weight: 15}
      industry: {in: [saas, fintech], weight: 15}
      country: {in: [DE, FR, NL], weight: 5}
    ```
    """
    seen: dict[Segment, IcpContext] = {}
    for entry in ctx.entries:
        if entry.icp.status is Status.RETIRED:
            continue
        owner = seen.setdefault(segment(entry.icp), entry)
        if owner is not entry:
            yield (
                entry,
                Violation(
                    ("firmographics",),
                    f"firmographics are identical to `{owner.icp.id}` "
                    f"({owner.doc.path.as_posix()}); merge the two or make the segments differ",
                ),
            )
