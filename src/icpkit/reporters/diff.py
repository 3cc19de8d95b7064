"""`icp diff` reports: text for a terminal, JSON for tools, Markdown for a pull request.

The Markdown report is a PR comment body: a hidden marker (so CI updates one comment
instead of adding another), a summary table, then each ICP's details folded. GitHub
refuses comments over 65,536 characters, so detail is shed step by step until it fits.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from icpkit.diff.change import Category, Change
from icpkit.diff.impact import GateChange, Impact, Metric, Move
from icpkit.diff.owners import sign_off
from icpkit.diff.retention import AUC_METRICS, PERCENT_METRICS, RATIO_METRICS
from icpkit.diff.run import DiffReport, IcpDiff
from icpkit.diff.wording import count_text
from icpkit.reporters.backtest import gate_text
from icpkit.reporters.markdown import cell, code
from icpkit.reporters.registry import register
from icpkit.text import apart, percent, plural
from icpkit.vcs.sides import Side

COMMENT_MARKER = "<!-- icpkit-diff -->"
GITHUB_COMMENT_LIMIT = 65_536
_PERCENT = (
    frozenset(
        {"Top-band win rate", "Wins captured (good or better)", "Losses screened (below possible)"}
    )
    | PERCENT_METRICS
)
_AUC = frozenset({"AUC"}) | AUC_METRICS


# ---- shared wording ---------------------------------------------------------------------


def side_text(side: Side | None) -> str:
    if side is None:
        return "(none)"
    facts = [f for f in (side.short, side.date and side.date.date().isoformat(), side.author) if f]
    return f"{side.label} ({', '.join(facts)})" if facts else side.label


def counts(item: IcpDiff) -> str:
    if item.status in ("added", "removed"):
        return f"ICP {item.status}"
    return count_text(item.changes)


def figure(metric: Metric, value: float | None) -> str:
    if value is None:
        return "-"
    if metric.name in _PERCENT:
        return percent(value, 1)
    if metric.name in _AUC:
        return f"{value:.{apart(metric.old, metric.new)}f}"
    if metric.name in RATIO_METRICS:
        return f"{value:.2f}x"
    return f"{value:g}"


def delta(metric: Metric) -> str:
    change = metric.delta
    if change is None:
        return "-"
    if metric.same:
        return "="
    if metric.name in _PERCENT:
        text = f"{change * 100:+.1f} pts"
    elif metric.name in _AUC:
        text = f"{change:+.{apart(metric.old, metric.new)}f}"
    elif metric.name in RATIO_METRICS:
        text = f"{change:+.2f}x"
    else:
        text = f"{change:+g}"
    return f"{text} (worse)" if metric.worse else text


def move_text(move: Move) -> str:
    return (
        f"{move.old_band} {move.old_score:g} -> {move.new_band} {move.new_score:g} "
        f"({'up' if move.up else 'down'})"
    )


def impact_line(found: Impact) -> str:
    return (
        f"{len(found.up):,} moved up, {len(found.down):,} moved down, "
        f"{found.unchanged:,} unchanged of {plural(found.deals, 'deal')} in {found.deals_file}"
    )


# ---- text -------------------------------------------------------------------------------


def render_text(report: DiffReport, *, max_moves: int = 20) -> str:
    if not report.diffs:
        return f"No ICP changed since {report.base}.\n" if report.base else "No ICPs to compare.\n"
    return "\n".join(_text_one(item, max_moves) for item in report.diffs)


def _text_one(item: IcpDiff, max_moves: int) -> str:
    out = [
        f"{item.icp_id}: {counts(item)}",
        f"  old: {side_text(item.old)}",
        f"  new: {side_text(item.new)}",
    ]
    if item.changes:
        out.append("")
        width = max(len(c.category.value) for c in item.changes)
        for change in item.changes:
            out.append(f"  {change.category.value:<{width}}  {change.summary}")
            out.append(f"  {'':<{width}}  at {change.location}{_in(change)} [{change.fingerprint}]")
    if item.impact is not None:
        found = item.impact
        out += ["", f"  Impact: {impact_line(found)}", ""]
        rows = [("", _version(item.old), _version(item.new), "change")]
        rows += [(m.name, figure(m, m.old), figure(m, m.new), delta(m)) for m in found.metrics]
        out += _columns(rows, indent="  ")
        out += [f"  {line}" for line in gate_lines(found)]
        out += [f"  Note: {note}" for note in found.blind_spots]
        if found.moves:
            out += ["", "  Deals that changed band (largest score change first):"]
            shown = found.moves[:max_moves]
            out += _columns(
                [(m.deal_id, m.account, m.outcome, move_text(m)) for m in shown], indent="    "
            )
            if len(found.moves) > max_moves:
                out.append(
                    f"    ... and {len(found.moves) - max_moves} more (--format json for all)"
                )
    elif item.note:
        out += ["", f"  Impact: {item.note}"]
    return "\n".join(out) + "\n"


def _columns(rows: Sequence[Sequence[str]], *, indent: str) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        (indent + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))).rstrip()
        for row in rows
    ]


def gate_lines(found: Impact) -> list[str]:
    """Gates that changed result: broken by the change, or fixed by it."""
    lines = []
    for gate in found.gates:
        if gate.after is None:
            continue
        if gate.old and gate.new is False:
            lines.append(f"Gate broken: {gate.name}: {gate_text(gate.after)}")
        elif gate.old is False and gate.new:
            lines.append(f"Gate now passes: {gate.name}: {gate_text(gate.after)}")
    return lines


def _version(side: Side | None) -> str:
    return side.icp.version if side else "-"


# ---- json -------------------------------------------------------------------------------


def render_json(report: DiffReport) -> str:
    return json.dumps(report_data(report), indent=2, ensure_ascii=False) + "\n"


def report_data(report: DiffReport) -> dict[str, Any]:
    return {"base": report.base, "icps": [diff_data(item) for item in report.diffs]}


def diff_data(item: IcpDiff) -> dict[str, Any]:
    return {
        "icp_id": item.icp_id,
        "status": item.status,
        "old": _side_data(item.old),
        "new": _side_data(item.new),
        "changes": [change_data(c) for c in item.changes],
        "impact": _impact_data(item.impact) if item.impact else None,
        "note": item.note,
    }


def change_data(change: Change) -> dict[str, Any]:
    return {
        "fingerprint": change.fingerprint,
        "kind": change.kind.value,
        "category": change.category.value,
        "location": change.location,
        "summary": change.summary,
        "before": change.before,
        "after": change.after,
        "line": change.line,
        # The file the line is in, when it is not the ICP file: its overrides file.
        "file": change.file,
    }


def _side_data(side: Side | None) -> dict[str, Any] | None:
    if side is None:
        return None
    return {
        "label": side.label,
        "version": side.icp.version,
        "commit": side.commit,
        "date": side.date.isoformat() if side.date else None,
        "author": side.author,
    }


def _gate_detail(change: GateChange) -> str | None:
    gate = change.after or change.before
    return gate_text(gate) if gate else None


def _impact_data(found: Impact) -> dict[str, Any]:
    return {
        "deals_file": found.deals_file,
        "deals": found.deals,
        "blind_spots": list(found.blind_spots),
        "moved_up": len(found.up),
        "moved_down": len(found.down),
        "unchanged": found.unchanged,
        "metrics": [
            {"name": m.name, "old": m.old, "new": m.new, "delta": m.delta, "worse": m.worse}
            for m in found.metrics
        ],
        "gates": [
            {
                "name": g.name,
                "old": g.old,
                "new": g.new,
                "detail": _gate_detail(g),
            }
            for g in found.gates
        ],
        "moves": [
            {
                "deal_id": m.deal_id,
                "account": m.account,
                "outcome": m.outcome,
                "old_score": m.old_score,
                "new_score": m.new_score,
                "old_band": m.old_band,
                "new_band": m.new_band,
                "direction": "up" if m.up else "down",
            }
            for m in found.moves
        ],
    }


# ---- markdown ---------------------------------------------------------------------------


def render_markdown(report: DiffReport, *, limit: int = GITHUB_COMMENT_LIMIT) -> str:
    """The fullest report that fits in `limit` characters."""
    for moves, details in ((50, True), (10, True), (0, True), (0, False)):
        text = _markdown(report, moves=moves, details=details)
        if len(text) <= limit:
            return text
    note = "\n\n_Cut to fit GitHub's comment limit; run `icp diff` locally for the rest._\n"
    head = text[: limit - len(note)]
    return head[: head.rfind("\n")] + note


def _markdown(report: DiffReport, *, moves: int, details: bool) -> str:
    title = f"ICP changes against {code(report.base)}" if report.base else "ICP changes"
    out = [COMMENT_MARKER, f"### {title}", ""]
    if not report.diffs:
        out.append("No ICP file changed.")
        return "\n".join(out) + "\n"
    out += [
        "| ICP | Versions | Scoring | Gate | Routing | Override | Content | Deals up "
        "| Deals down | AUC | Gates passed |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    out += [_summary_row(item) for item in report.diffs]
    out += _sign_off(report)
    for item in report.diffs:
        out += ["", *_folded(item, moves=moves, details=details)]
    if not details:
        out += ["", "_Details left out to fit GitHub's comment limit; see the job summary._"]
    return "\n".join(out) + "\n"


def _sign_off(report: DiffReport) -> list[str]:
    """Who should review: each ICP's changed sections and the teams that own them."""
    lines = [
        f"- {code(item.icp_id)}: {cell(found)}"
        for item in report.diffs
        if (found := sign_off(item.changes)) is not None
    ]
    return ["", *lines] if lines else []


def _summary_row(item: IcpDiff) -> str:
    found = item.impact
    auc = _metric(found, "AUC") if found else None
    gates = _metric(found, "Gates passed") if found else None
    versions = f"{_version(item.old)} → {_version(item.new)}"
    cells = [
        f"{code(item.icp_id)}",
        versions if item.status == "changed" else f"{versions} ({item.status})",
        str(item.count(Category.SCORING)),
        str(item.count(Category.GATE)),
        str(item.count(Category.ROUTING)),
        str(item.count(Category.OVERRIDE)),
        str(item.count(Category.CONTENT)),
        str(len(found.up)) if found else "-",
        str(len(found.down)) if found else "-",
        _pair(auc),
        _pair(gates),
    ]
    return "| " + " | ".join(cells) + " |"


def _pair(metric: Metric | None) -> str:
    if metric is None:
        return "-"
    text = f"{figure(metric, metric.old)} → {figure(metric, metric.new)}"
    return f"{text} ⚠️" if metric.worse else text


def _metric(found: Impact, name: str) -> Metric | None:
    return next((m for m in found.metrics if m.name == name), None)


def _folded(item: IcpDiff, *, moves: int, details: bool) -> list[str]:
    # <summary> sits in an HTML block, where Markdown escapes do not apply: only the id (a
    # slug, by the schema) and counts go there.
    summary = f"<b>{cell(item.icp_id)}</b>: {cell(counts(item))}"
    if item.impact:
        summary += f"; {len(item.impact.up)} deals up, {len(item.impact.down)} down"
    out = ["<details>", f"<summary>{summary}</summary>", ""]
    out += [f"Old: {cell(side_text(item.old))}<br>New: {cell(side_text(item.new))}", ""]
    if details and item.changes:
        out += ["| Class | Change | Where |", "|---|---|---|"]
        out += [
            f"| {c.category.value} | {cell(c.summary)} | {code(c.location)}{_at(c)} |"
            for c in item.changes
        ]
        out.append("")
    if item.impact:
        out += _impact_markdown(item, item.impact, moves)
    elif item.note:
        out += [f"Impact: {cell(item.note)}", ""]
    out.append("</details>")
    return out


def _impact_markdown(item: IcpDiff, found: Impact, moves: int) -> list[str]:
    out = [
        f"**Impact:** {cell(impact_line(found))}",
        "",
        f"| Metric | {cell(_version(item.old))} | {cell(_version(item.new))} | Change |",
        "|---|--:|--:|--:|",
    ]
    out += [
        f"| {m.name} | {figure(m, m.old)} | {figure(m, m.new)} | {delta(m)} |"
        for m in found.metrics
    ]
    out.append("")
    for line in gate_lines(found):
        out += [f"{'⚠️ ' if line.startswith('Gate broken') else '✅ '}{cell(line)}", ""]
    for note in found.blind_spots:
        out += [f"⚠️ {cell(note)}", ""]
    shown = found.moves[:moves]
    if shown:
        out += ["| Deal | Account | Outcome | Band | Score |", "|---|---|---|---|--:|"]
        out += [_move_row(m) for m in shown]
        if len(found.moves) > len(shown):
            out.append(f"\n_... and {len(found.moves) - len(shown)} more deals._")
        out.append("")
    return out


def _move_row(move: Move) -> str:
    arrow = "⬆️" if move.up else "⬇️"
    return (
        f"| {cell(move.deal_id)} | {cell(move.account)} | {move.outcome} | "
        f"{arrow} {move.old_band} → {move.new_band} | {move.old_score:g} → {move.new_score:g} |"
    )


def _at(change: Change) -> str:
    where = f" in {code(change.file)}" if change.file else ""
    return f"{where} line {change.line}" if change.line else where


def _in(change: Change) -> str:
    """` in icps/acme.overrides.yaml:5`: said for a change outside the ICP file."""
    return f" in {change.file}:{change.line}" if change.file else ""


register(DiffReport, "text", render_text)
register(DiffReport, "json", render_json)
register(DiffReport, "markdown", render_markdown)
