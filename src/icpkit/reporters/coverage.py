"""`icp coverage` reports: the share of a universe an ICP claims, and its split by band."""

from __future__ import annotations

import json
from dataclasses import asdict

from icpkit.reporters.registry import register
from icpkit.scorer.contract import ALL_BANDS
from icpkit.scorer.coverage import NARROW, Coverage


def render_json(result: Coverage) -> str:
    data = {**asdict(result), "matched": result.matched, "share": result.share,
            "too_broad": result.too_broad}  # fmt: skip
    return json.dumps(data, indent=2) + "\n"


def render_text(result: Coverage) -> str:
    lines = [
        f"{result.icp_id} {result.icp_version} on {result.universe}: "
        f"{result.matched:,} of {result.accounts:,} accounts good or better ({result.share:.1%})",
        "",
    ]
    for band in ALL_BANDS:
        count = result.bands.get(band, 0)
        share = count / result.accounts if result.accounts else 0.0
        lines.append(f"  {band:<13}{count:>10}  {share:6.1%}")
    lines.append("")
    if result.too_broad:
        lines.append(
            f"Too broad: above max-coverage {result.limit:.0%}. A real ICP is a narrow "
            "slice of the market (roughly 5-15%); narrow the ranges or split the segment."
        )
    elif result.narrow:
        lines.append(
            f"Narrow: under {NARROW:.0%}. Check the backtest: does it still hold most wins?"
        )
    else:
        lines.append(f"Within the usual 5-15% (max-coverage {result.limit:.0%}).")
    return "\n".join(lines) + "\n"


register(Coverage, "text", render_text)
register(Coverage, "json", render_json)
