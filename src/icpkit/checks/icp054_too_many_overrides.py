from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks._helpers import facts_missing
from icpkit.checks.rule import OverridesContext, Scope, rule
from icpkit.findings import Violation
from icpkit.project.options import number
from icpkit.text import percent, plural

MAX_SHARE = number(
    "max-override-share",
    0.15,
    "Largest share of the target list (accounts good or better in the accounts file) that "
    "overrides may lift there from a lower model band: the non-ICP capacity.",
    exclusiveMinimum=0,
    maximum=1,
)


@rule(
    "ICP054",
    "too-many-overrides",
    severity="warning",
    category="scoring",
    added="0.1.0",
    scope=Scope.OVERRIDES,
    options=[MAX_SHARE],
)
def too_many_overrides(ctx: OverridesContext) -> Iterator[Violation]:
    """Overrides put more non-ICP accounts on the target list than its capacity share.

    ## What it does
    Scores the ICP's accounts file (`validation.accounts`, else `accounts` in
    `[tool.icp]`) with the overrides applied, and counts the target list (accounts good
    or better) and the accounts on it that an active override lifted from a lower
    model band. Reports when those exceed `max-override-share` of the list (default
    15%). Without an accounts file it reports that the share cannot be measured, when
    an active override could lift an account.

    ## Why is this bad?
    The seeds set aside 10-15% of prospecting capacity for accounts outside the ICP,
    and no more. Past that, the overrides are the targeting: the ICP no longer decides
    where the team spends its week, and the exceptions are a second, unreviewed ICP.
    If they keep winning, change the ICP instead (`icp backtest` reports how the
    overridden deals did against the model).

    ## Example
    ```yaml
    format: icp-overrides/1
    icp: base
    overrides:
      - account: small-0
        target: include
        reason: Partner referral with an executive sponsor
        owner: jane.doe@acme.example
        expires: 2027-06-30
      - account: small-1
        target: include
        reason: Former customer's new company
        owner: jane.doe@acme.example
        expires: 2027-06-30
    ```

    ## Use instead
    ```yaml
    format: icp-overrides/1
    icp: base
    overrides:
      - account: small-0
        target: include
        reason: Partner referral with an executive sponsor
        owner: jane.doe@acme.example
        expires: 2027-06-30
    ```
    """
    today = ctx.settings.today
    if not any(entry.lifts for entry in ctx.overrides.active(today)):
        return
    facts = ctx.facts() if ctx.facts is not None else None
    if facts is None or facts.accounts_file is None or facts.failed:
        why = facts_missing(
            facts,
            "the ICP names no validation.accounts, and [tool.icp] no accounts file: name "
            'your account list (`accounts = "accounts.csv"` in [tool.icp]), or disable '
            "ICP054 until you have one",
        )
        yield Violation(("overrides",), f"cannot measure the overrides' share: {why}")
        return
    limit = ctx.option(MAX_SHARE)
    share = facts.lifted / facts.target_list if facts.target_list else 0.0
    if share > limit:
        yield Violation(
            ("overrides",),
            f"overrides lift {plural(facts.lifted, 'account')} onto the target list of "
            f"{facts.target_list} in {facts.accounts_file} ({percent(share)}), above the "
            f"non-ICP capacity of {percent(limit)} (max-override-share): drop some, or "
            "change the ICP if these exceptions keep winning",
        )
