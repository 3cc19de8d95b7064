from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import OverridesContext, Scope, rule
from icpkit.findings import Violation


@rule(
    "ICP052",
    "expired-override",
    severity="warning",
    category="freshness",
    added="0.1.0",
    scope=Scope.OVERRIDES,
)
def expired_override(ctx: OverridesContext) -> Iterator[Violation]:
    """An override is past its expiry date, so scoring no longer applies it.

    ## What it does
    Reports each override whose `expires` date is before today (or `ICP_TODAY`). An
    override applies up to and including its expiry date.

    ## Why is this bad?
    Exceptions are meant to be revisited: the account signed, churned or was never
    contacted. An expired entry has already stopped changing the account's band, so
    the file no longer says what scoring does; renew it with a new date and a current
    reason, or delete it (its history stays in git).

    ## Example
    ```yaml
    format: icp-overrides/1
    icp: base
    overrides:
      - account: Acme Corp
        band: strong
        reason: Strategic logo in a new vertical
        owner: jane.doe@acme.example
        expires: 2025-06-30
    ```

    ## Use instead
    ```yaml
    format: icp-overrides/1
    icp: base
    overrides:
      - account: Acme Corp
        band: strong
        reason: Strategic logo in a new vertical; renewed after the Q4 review
        owner: jane.doe@acme.example
        expires: 2027-06-30
    ```
    """
    today = ctx.settings.today
    for entry in ctx.overrides.expired(today):
        yield Violation(
            ("overrides", entry.index, "expires"),
            f"override of {entry.account!r} expired on {entry.expires.isoformat()} and is "
            "no longer applied: renew it with a new date and reason, or remove it",
        )
