from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import BaselineContext, Scope, rule
from icpkit.findings import Violation


@rule(
    "ICP900",
    "baseline-expired",
    severity="warning",
    category="suppression",
    added="0.1.0",
    scope=Scope.BASELINE,
)
def baseline_expired(ctx: BaselineContext) -> Iterator[Violation]:
    """A baseline entry has passed its `expires` date.

    ## What it does
    Reports accepted findings whose expiry date is before today. The finding they
    accepted is reported again as well, until someone fixes it or extends the entry.

    ## Why is this bad?
    A baseline is for debts the team agreed to carry for a while ("the Q1 review is booked
    for January"). An expiry that passes silently turns a temporary exception into a
    permanent blind spot.

    ## Example
    ```yaml
    accepted:
      - {rule: ICP021, file: icps/base.yaml, path: $.last_reviewed,
         reason: Review booked with sales leadership, expires: 2020-01-31}
    ```

    ## Use instead
    ```yaml
    accepted:
      - {rule: ICP021, file: icps/base.yaml, path: $.last_reviewed,
         reason: Review booked with sales leadership, expires: 2099-01-31}
    ```
    """
    for entry in ctx.baseline.entries:
        if entry.expires is not None and entry.expires.isoformat() < ctx.today_iso:
            yield Violation(
                (),
                f"accepted {entry.rule} at {entry.file} {entry.path} expired on "
                f"{entry.expires.isoformat()} ({entry.reason})",
                entry.mark,
            )
