from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation
from icpkit.text import percent


@rule("ICP032", "too-broad", severity="warning", category="specificity", added="0.1.0")
def too_broad(ctx: IcpContext) -> Iterator[Violation]:
    """The ICP rates more of the configured account universe good or better than a real ICP.

    ## What it does
    When `universe` names an account universe in `[tool.icp]`, scores it with the ICP and
    reports a share rated good or better above `max-coverage` (default 0.15). Without a
    universe the rule does nothing.

    ## Why is this bad?
    "Our ICP is every SaaS company with 50+ employees" is the total addressable market,
    not a profile. A real ICP is a narrow slice of the market, roughly 5-15%: where the
    team wins fastest. When a quarter of the market scores high, the score no longer
    tells sales where to spend the week.

    ## Example
    ```yaml
    firmographics:
      employees: {min: 50, max: 500, weight: 25}
      revenue_usd: {min: 1000000, max: 10000000, weight: 15}
      industry: {in: [saas, fintech, retail, healthtech, agency], weight: 15}
      country: {in: [US, GB, DE, FR, CA, IN], weight: 5}
    ```

    ## Use instead
    ```yaml
    firmographics:
      employees: {min: 200, max: 2000, weight: 25}
      revenue_usd: {min: 20000000, max: 200000000, weight: 15}
      industry: {in: [saas, fintech], weight: 15}
      country: {in: [US, GB], weight: 5}
    ```
    """
    universe = ctx.settings.universe
    if universe is None:
        return
    from icpkit.errors import IcpError

    try:
        share, limit = _share(ctx)
    except IcpError as exc:
        yield Violation(("firmographics",), f"cannot measure coverage on {universe.name}: {exc}")
        return
    if share > limit:
        yield Violation(
            ("firmographics",),
            f"rates {percent(share)} of the universe in {universe.name} good or better; a real "
            f"ICP covers roughly 5-15% (max-coverage {percent(limit)}): narrow it",
        )


def _share(ctx: IcpContext) -> tuple[float, float]:
    # Imported here: only projects that configure a universe pay for pandas in `icp check`.
    from icpkit.project.settings import Config
    from icpkit.scorer.coverage import measure
    from icpkit.scorer.loaded import Loaded

    settings = ctx.settings
    assert settings.universe is not None
    config = ctx.config or Config(
        root=Path.cwd(), settings=settings, mapping=settings.mapping, limits=settings.limits
    )
    # The commit is not read: it names the scores, and only their share counts here.
    item = Loaded.of(ctx.icp, ctx.doc.path, None)
    found = measure(item, settings.universe, config=config)
    return found.share, found.limit
