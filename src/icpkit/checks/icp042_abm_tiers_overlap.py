from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation
from icpkit.format.model import BAND_NAMES, AbmTier
from icpkit.text import number

_RANKED = (*BAND_NAMES, "poor")


@rule("ICP042", "abm-tiers-overlap", severity="error", category="scoring", added="0.1.0")
def abm_tiers_overlap(ctx: IcpContext) -> Iterator[Violation]:
    """An ABM tier overlaps an earlier one, so it gets next to no accounts or none.

    ## What it does
    Reads `activation.abm_tiers` in order, as `icp score` does: each ranked account takes
    the first tier whose `top` (rank at most) and `min_band` (that band or better) hold.
    Reports a tier whose `top` is not above an earlier tier's `top`, and a tier every
    account of which an earlier tier takes first (a tier after one with neither `top` nor
    `min_band`, or one asking less than an earlier tier with the same or a looser band).

    ## Why is this bad?
    The tiers are the capacity plan for account-based marketing: a handful of accounts get
    1:1 programs, a few hundred 1:few, the rest 1:many. `top` counts ranks from the top
    of the whole list, so a later tier's `top` below an earlier one's is almost always
    meant as "the next N" and silently gives that tier next to nothing; a tier no account
    can reach is a program with a budget and an empty list.

    ## Example
    ```yaml
    activation:
      abm_tiers:
        - {tier: "1:1", top: 50, min_band: good}
        - {tier: "1:few", top: 40}
        - {tier: "1:many"}
        - {tier: "nurture", min_band: weak}
    ```

    ## Use instead
    ```yaml
    activation:
      abm_tiers:
        - {tier: "1:1", top: 50, min_band: good}
        - {tier: "1:few", top: 550}
        - {tier: "1:many", min_band: weak}
    ```
    """
    activation = ctx.icp.activation
    tiers = activation.abm_tiers if activation else ()
    for index, tier in enumerate(tiers):
        earlier = tiers[:index]
        shadow = next((e for e in earlier if _takes_all_of(e, tier)), None)
        if shadow is not None:
            yield Violation(
                tier.path,
                f"tier `{tier.name}` never holds an account: tier `{shadow.name}` before it "
                f"takes every account it would; {_fix(shadow)}",
            )
            continue
        tops = [e for e in earlier if e.top is not None]
        if tier.top is not None and tops and tier.top <= max(e.top or 0 for e in tops):
            above = max(tops, key=lambda e: e.top or 0)
            yield Violation(
                (*tier.path, "top"),
                f"tier `{tier.name}` has top {number(tier.top)}, not above tier "
                f"`{above.name}`'s {number(above.top or 0)}: `top` counts ranks from the top "
                f"of the list, so for the next {number(tier.top)} write "
                f"{number((above.top or 0) + tier.top)}",
            )


def _takes_all_of(earlier: AbmTier, later: AbmTier) -> bool:
    """Whether every account `later` would take is taken by `earlier` first."""
    ranks = earlier.top is None or (later.top is not None and later.top <= earlier.top)
    return ranks and _weakest(earlier) >= _weakest(later)


def _weakest(tier: AbmTier) -> int:
    return _RANKED.index(tier.min_band) if tier.min_band else len(_RANKED) - 1


def _fix(shadow: AbmTier) -> str:
    if shadow.top is None and shadow.min_band is None:
        return "a tier without `top` or `min_band` takes the rest, so list it last"
    return "give it a larger `top` or a looser `min_band`, or remove it"
