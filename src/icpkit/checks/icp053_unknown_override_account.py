from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks._helpers import facts_missing
from icpkit.checks.rule import OverridesContext, Scope, rule
from icpkit.findings import Violation
from icpkit.text import plural


@rule(
    "ICP053",
    "unknown-override-account",
    severity="warning",
    category="validity",
    added="0.1.0",
    scope=Scope.OVERRIDES,
)
def unknown_override_account(ctx: OverridesContext) -> Iterator[Violation]:
    """An override names an account that none of the ICP's data files holds.

    ## What it does
    Reads the account column of the ICP's `validation.deals` and of its accounts file
    (`validation.accounts`, else `accounts` in `[tool.icp]`), matched as the accounts
    file is joined onto deals (spaces trimmed, case kept), and reports each override
    whose account is in neither. When the ICP names no such file, or a file cannot be
    read, it reports once that the accounts cannot be checked, rather than pass in
    silence.

    ## Why is this bad?
    An override matches the account column letter for letter. "Acme Corp." or "ACME
    Corp" overrides nothing: the account keeps the model's band while the file says a
    person decided otherwise, and the exception is never routed or measured.

    ## Example
    ```yaml
    format: icp-overrides/1
    icp: base
    overrides:
      - account: ideal-zero
        band: strong
        reason: Strategic logo in a new vertical
        owner: jane.doe@acme.example
        expires: 2027-06-30
    ```

    ## Use instead
    ```yaml
    format: icp-overrides/1
    icp: base
    overrides:
      - account: ideal-0
        band: strong
        reason: Strategic logo in a new vertical
        owner: jane.doe@acme.example
        expires: 2027-06-30
    ```
    """
    entries = ctx.overrides.entries
    if not entries:
        return
    facts = ctx.facts() if ctx.facts is not None else None
    if facts is None or facts.names is None or facts.failed:
        why = facts_missing(
            facts,
            "the ICP names no validation.deals or validation.accounts, and "
            "[tool.icp] no accounts file",
        )
        yield Violation(
            ("overrides",),
            f"cannot check {plural(len(entries), 'overridden account')} against the data: {why}",
        )
        return
    sources = " or ".join(facts.sources)
    for entry in entries:
        if entry.account not in facts.names:
            yield Violation(
                ("overrides", entry.index, "account"),
                f"account {entry.account!r} is not in {sources}: the override matches the "
                "account column exactly (spaces trimmed) and would apply to no row",
            )
