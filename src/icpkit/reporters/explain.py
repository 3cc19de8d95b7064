"""A score explained for a person: each attribute and trigger with its value and points."""

from __future__ import annotations

from icpkit.model import amount
from icpkit.scorer.explain import Explanation


def render_explanation(item: Explanation) -> str:
    commit = f" @ {item.icp_commit[:12]}" if item.icp_commit else ""
    out = [
        f"{item.account}: {amount(item.score)} points, {item.band} "
        f"({item.icp_id} {item.icp_version}{commit})"
    ]
    if item.disqualifier:
        out.append(f"  disqualified by anti-ICP {item.disqualifier}: {item.disqualifier_reason}")
    if item.status == "insufficient_data":
        out.append(
            f"  insufficient data: {item.unknown_share:.0%} of the weight is on unknown fields"
        )
    width = max([len(line.name) for line in item.lines] + [10])
    for line in item.lines:
        value = line.value or "(unknown)"
        label = line.name if line.kind == "attribute" else f"{line.name} (trigger)"
        out.append(
            f"  {label:<{width + 10}} {_signed(line.points):>6} / {amount(line.weight):<4}"
            f" {line.result:<14} {value[:40]}  [{line.rule[:50]}]"
        )
    if item.others:
        shown = ", ".join(f"{icp} {amount(score)} ({band})" for icp, score, band in item.others)
        out.append(f"  other ICPs: {shown}")
    return "\n".join(out) + "\n"


def _signed(points: float) -> str:
    return amount(round(points, 2))
