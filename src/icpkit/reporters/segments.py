"""`icp suggest --segments` in the report: one ICP or one per segment, and why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from icpkit.format.describe import describe_match
from icpkit.suggest.draft import weights
from icpkit.suggest.folds import CrossValidation
from icpkit.suggest.segments import Dimension, Segment, Segmentation
from icpkit.text import percent


def segments_text(found: Segmentation, files: Mapping[str, str], table: Any) -> list[str]:
    """`table` lays out rows as the suggest report does."""
    out = [
        "",
        f"Segments (--segments {found.asked}), one dimension at a time: {found.method}",
    ]
    if found.dimensions:
        rows: list[Sequence[str]] = [
            ("dimension", "segments", "wins differ most on", "wins misplaced", "adjusted p")
        ]
        rows += [_dimension_row(d) for d in found.dimensions]
        out += table(rows)
    out += ["", found.reason[0].upper() + found.reason[1:] + "."]
    if not found.split:
        return [*out, "The one draft is written as without --segments."]
    assert found.dimension is not None
    out.append(
        "The rules and AUC above are one ICP for all deals, shown to compare; it is not written."
    )
    out.append(
        f"Each draft learns from its segment's deals only; its AUC is out of fold "
        f"({found.folds} folds by account or distinct deal within the segment, seed {found.seed})."
    )
    rows = [("segment", "closed", "won", "win rate", "out-of-fold AUC", "rules", "draft")]
    rows += [_segment_row(s, files) for s in found.segments]
    out += table(rows)
    out += [f"  {s.label}: {s.unmeasured}" for s in found.segments if s.unmeasured]
    out += [f"  {s.label}: no draft, {s.no_draft}" for s in found.segments if s.no_draft]
    if found.unknown:
        out.append(
            f"  {found.unknown:,} closed deals with no known {found.dimension.field} are in no "
            "segment"
        )
    if len(found.segments) < found.asked:
        out.append(
            f"  Asked for up to {found.asked}; {found.dimension.field} has "
            f"{len(found.segments)} segments."
        )
    if files:
        todo = sum(
            (s.draft_text or "").count("TODO(author)") for s in found.segments if s.icp_id in files
        )
        out += [
            "",
            f"Drafts written: {', '.join(files.values())}: write their {todo} TODO(author) "
            "sections (each names its segment), then run `icp check`.",
        ]
    return out


def _dimension_row(dimension: Dimension) -> tuple[str, ...]:
    strongest = dimension.strongest
    if strongest is None:
        return (dimension.field, str(dimension.segments), "-", "-", "-")
    return (
        dimension.field,
        str(dimension.segments),
        strongest.field,
        percent(strongest.misplaced),
        _p(strongest.adjusted),
    )


def _segment_row(segment: Segment, files: Mapping[str, str]) -> tuple[str, ...]:
    rate = percent(segment.wins / segment.closed) if segment.closed else "n/a"
    rules = (
        ", ".join(f.field for f in segment.evidence.fields if f.used)
        if segment.draft_text is not None and segment.evidence is not None
        else "-"
    )
    return (
        segment.label,
        str(segment.closed),
        str(segment.wins),
        rate,
        _figure(segment.folds),
        rules,
        files.get(segment.icp_id, "-"),
    )


def _figure(folds: CrossValidation | None) -> str:
    if folds is None or folds.auc is None:
        return "too small to measure" if folds is None else "n/a"
    if folds.auc_interval is None:
        return f"{folds.auc:.2f} on {folds.scored:,}"
    low, high = folds.auc_interval
    return f"{folds.auc:.2f} (95% CI {low:.2f}-{high:.2f}) on {folds.scored:,}"


def _p(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def segments_json(found: Segmentation, files: Mapping[str, str]) -> dict[str, Any]:
    return {
        "asked": found.asked,
        "split": found.split,
        "decision": found.reason,
        "method": found.method,
        "dimension": None if found.dimension is None else found.dimension.field,
        "folds": found.folds,
        "seed": found.seed,
        "unknown": found.unknown,
        "dimensions": [
            {
                "field": d.field,
                "kind": d.kind,
                "segments": d.segments,
                "strength": d.strength,
                "differences": [asdict(x) | {"holds": x.holds} for x in d.differences],
            }
            for d in found.dimensions
        ],
        "segments": [_segment_json(s, found, files) for s in found.segments],
    }


def _segment_json(
    segment: Segment, found: Segmentation, files: Mapping[str, str]
) -> dict[str, Any]:
    drafted = segment.draft_text is not None and segment.evidence is not None
    field = "" if found.dimension is None else found.dimension.field
    return {
        "id": segment.icp_id,
        "slug": segment.slug,
        "label": segment.label,
        "rule": describe_match(field, segment.match),
        "match": {
            "form": segment.match.form.value,
            "min": segment.match.min,
            "max": segment.match.max,
            "values": list(segment.match.values),
        },
        "closed": segment.closed,
        "wins": segment.wins,
        "losses": segment.losses,
        "win_rate": segment.wins / segment.closed if segment.closed else None,
        "weights": weights(segment.evidence) if drafted and segment.evidence else {},
        "folds": None if segment.folds is None else asdict(segment.folds),
        "auc": None if segment.folds is None else segment.folds.auc,
        "auc_interval": None if segment.folds is None else segment.folds.auc_interval,
        "draft": files.get(segment.icp_id),
        "no_draft": segment.no_draft or None,
        "unmeasured": segment.unmeasured or None,
    }
