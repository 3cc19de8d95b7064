from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation
from icpkit.format.model import BAND_NAMES

# Every outcome `icp score` writes a route for (scorer.contract's ALL_BANDS, named here:
# rules never import the scorer).
_OUTCOMES = (*BAND_NAMES, "poor", "disqualified", "unknown")


@rule("ICP040", "band-without-route", severity="error", category="scoring", added="0.1.0")
def band_without_route(ctx: IcpContext) -> Iterator[Violation]:
    """`activation.routes` leaves a band without a route.

    ## What it does
    Once an ICP routes any band, checks that every outcome `icp score` can write has a
    route: the bands `strong`, `good`, `possible`, `weak` and `poor`, a `disqualified`
    account and an `unknown` one (too little data to score).

    ## Why is this bad?
    Routing is how a score turns into work: strong fits to a senior AE within hours, weak
    ones to nurture. An account whose band has no route gets an empty `route` in the CRM
    import, so it lands in no queue and nobody owns it; the disqualified and the
    unmeasured are exactly the accounts that get lost. Say where each goes, even when the
    answer is a nurture track or an enrichment queue.

    ## Example
    ```yaml
    activation:
      routes:
        strong: {queue: senior-ae, sla_hours: 4}
        good: {queue: ae, sla_hours: 24}
    ```

    ## Use instead
    ```yaml
    activation:
      routes:
        strong: {queue: senior-ae, sla_hours: 4}
        good: {queue: ae, sla_hours: 24}
        possible: {queue: sdr, sla_hours: 72}
        weak: {queue: nurture}
        poor: {queue: inbound-only}
        disqualified: {queue: closed-unqualified}
        unknown: {queue: enrichment, sla_hours: 48}
    ```
    """
    activation = ctx.icp.activation
    if activation is None or not activation.routes:
        return
    routed = {r.band for r in activation.routes}
    missing = [band for band in _OUTCOMES if band not in routed]
    if missing:
        named = ", ".join(f"`{band}`" for band in missing)
        yield Violation(
            ("activation", "routes"),
            f"no route for {named}: their accounts get an empty `route` and land in no "
            f"queue; add `{missing[0]}: {{queue: ...}}`",
        )
