"""Backtest reports: text for a terminal, JSON for machines, Markdown for a PR or job summary."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

from icpkit.reporters import calibration, drift, overrides, revenue
from icpkit.reporters.customers import customers_markdown, customers_text, retention_gate_text
from icpkit.reporters.markdown import cell, code
from icpkit.reporters.registry import register
from icpkit.reporters.surprises import markdown_lines as surprises_markdown
from icpkit.reporters.surprises import text_lines as surprises_text
from icpkit.scorer.against import Regression
from icpkit.scorer.backtest import BacktestResult, Gate
from icpkit.scorer.drift import DRIFT_GATES
from icpkit.scorer.run import BacktestRun
from icpkit.text import MISSING, apart, beside, money, percent, plural, rate_cell

JSON_VERSION = 1
SHARE_GATES = frozenset(
    {"min_wins_good_or_better", "min_losses_below_possible", "min_won_revenue_share"}
)


def _shown(template: str) -> Callable[[float | None], str]:
    """A formatter that prints `MISSING` for a figure that cannot be computed."""

    def show(value: float | None) -> str:
        return MISSING if value is None else template.format(value)

    return show


days = _shown("{:.0f} d")
ratio = _shown("{:.2f}x")
number = _shown("{:.2f}")
# Decimals of a gate's figure and threshold; text.beside adds more where rounding would
# hide which side of the threshold the figure falls.
_GATE_DIGITS = {"min_closed_deals": 0, "min_auc": 4}


def pct(value: float | None) -> str:
    """Reports give shares one decimal; the site's pages round most to whole percents."""
    return percent(value, 1)


def auc_text(result: BacktestResult) -> str:
    if result.auc is None:
        return "AUC cannot be computed (needs both wins and losses)"
    interval = result.auc_interval
    ci = f" (95% CI {interval[0]:.2f}-{interval[1]:.2f})" if interval else ""
    return f"AUC {result.auc:.2f}{ci}"


def gate_text(gate: Gate) -> str:
    if gate.threshold is None:
        return gate.detail
    if gate.name in DRIFT_GATES:
        return drift.gate_text(gate)
    retention = retention_gate_text(gate)
    if retention is not None:
        return retention
    share = gate.name in SHARE_GATES
    digits = 1 if share else _GATE_DIGITS.get(gate.name, 2)
    if gate.figure is None:
        return f"{gate.detail} (needs >= {beside(0.0, gate.threshold, digits, share=share)[1]})"
    figure, threshold = beside(gate.figure, gate.threshold, digits, share=share)
    sign = ">=" if gate.passed else "<"
    return f"{gate.detail} {figure} {sign} {threshold}"


def headline(result: BacktestResult) -> str:
    failed = result.failed_gates
    if not failed:
        return f"passed all {plural(len(result.gates), 'gate')}"
    return f"FAILED {len(failed)} of {plural(len(result.gates), 'gate')}"


def deal_counts(result: BacktestResult) -> str:
    text = (
        f"{plural(result.closed, 'closed deal')} ({result.wins:,} won, {result.losses:,} lost, "
        f"base win rate {pct(result.base_win_rate)})"
    )
    if result.open_deals:
        text += f", {result.open_deals:,} open left out"
    if result.since:
        text += f", {result.before_since:,} closed before {result.since} left out"
    return text


def render_text(run: BacktestRun) -> str:
    out: list[str] = []
    for result in run.results:
        commit = f" @ {result.icp_commit[:12]}" if result.icp_commit else ""
        out.append(f"{result.icp_id} {result.icp_version}{commit}: {result.deals_file}")
        out.append(f"  {deal_counts(result)}")
        out.append("")
        out.append(
            f"  {'band':<13}{'deals':>8}{'wins':>8}{'win rate':>10}{'lift':>8}"
            f"{'avg won deal':>14}{'median cycle':>14}"
        )
        for row in result.bands:
            if not row.deals and row.band in ("disqualified", "unknown"):
                continue
            out.append(
                f"  {row.band:<13}{row.deals:>8,}{row.wins:>8,}{pct(row.win_rate):>10}"
                f"{ratio(row.lift):>8}{money(row.avg_won_amount, result.currency):>14}"
                f"{days(row.median_won_cycle_days):>14}"
            )
        out += calibration.text_lines(result)
        out += revenue.text_lines(result)
        out.append("")
        out.append(f"  {auc_text(result)}")
        out.append(f"  wins scoring good or better:   {pct(result.wins_good_or_better)}")
        out.append(f"  losses scoring below possible: {pct(result.losses_below_possible)}")
        if result.disqualifiers:
            out.append("")
            out.append("  disqualifiers (a good one screens out deals that rarely win)")
            for d in result.disqualifiers:
                out.append(f"    {d.id:<24}{d.deals:>5,} deals, {d.wins:,} won ({pct(d.win_rate)})")
        out.append("")
        out.append(
            f"  {'wins vs losses':<34}{'fit':>15}{'partial':>15}{'out of fit':>15}"
            f"{'unknown':>9}{'wins in fit':>13}{'losses in fit':>15}"
        )
        for s in result.signals:
            label = f"{s.name} ({s.rule})" if s.kind == "attribute" else f"trigger {s.name}"
            out.append(
                f"  {label[:33]:<34}{rate_cell(s.fit_deals, s.fit_win_rate, 1):>15}"
                f"{rate_cell(s.partial_deals, s.partial_win_rate, 1):>15}"
                f"{rate_cell(s.out_deals, s.out_win_rate, 1):>15}{s.unknown_deals:>9,}"
                f"{pct(s.wins_in_fit):>13}{pct(s.losses_in_fit):>15}"
            )
        if result.drift is not None:
            out += drift.render_text(result.drift)
        out += surprises_text(result.surprises)
        out += customers_text(result)
        out += overrides.text_lines(result)
        out.append("")
        out.append("  gates")
        for gate in result.gates:
            out.append(f"    {'pass' if gate.passed else 'FAIL'}  {gate.name}: {gate_text(gate)}")
        if result.warnings:
            out.append("")
            out.append("  warnings")
            out.extend(f"    - {w}" for w in result.warnings)
        out.append("")
        out.append(f"  {result.icp_id}: {headline(result)}")
        out.append("")
    out.extend(f"skipped {s}" for s in run.skipped)
    if run.against:
        out += ["", f"against {run.against[0].rev}"]
        out += [
            f"  {'pass' if r.passed else 'FAIL'}  {r.icp_id}: {against_text(r)}"
            for r in run.against
        ]
    return "\n".join(out).rstrip() + "\n"


def _auc(result: BacktestResult, places: int) -> str:
    return MISSING if result.auc is None else f"{result.auc:.{places}f}"


def _passed(result: BacktestResult) -> str:
    return f"{sum(g.passed for g in result.gates)}/{len(result.gates)}"


def against_text(regression: Regression) -> str:
    """One line: AUC and gates at the base revision and now, and why it fails if it does."""
    old, new = regression.old, regression.new
    if old is None and regression.unscorable:
        return (
            f"the version at {regression.rev} cannot be scored on these deals "
            f"({regression.unscorable}): nothing to compare"
        )
    if old is None:
        return f"new since {regression.rev}: nothing to compare"
    drop = regression.auc_drop
    places = apart(old.auc, new.auc)
    # `+ 0.0` turns a rounded -0.000 into 0.000.
    change = (
        ""
        if drop is None
        else f" ({round(-drop, 3) + 0.0:+.3f}, tolerance {regression.tolerance:g})"
    )
    text = (
        f"AUC {_auc(old, places)} ({old.icp_version}) -> {_auc(new, places)} ({new.icp_version})"
        f"{change}; gates {_passed(old)} -> {_passed(new)}"
    )
    reasons = regression.reasons()
    return f"{text}: {'; '.join(reasons)}" if reasons else text


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def render_json(run: BacktestRun) -> str:
    results = []
    for result in run.results:
        data = dataclasses.asdict(dataclasses.replace(result, scores=None))
        del data["scores"]  # per deal: the figures are the report
        if result.overrides is None:
            del data["overrides"]  # the ICP has no overrides file
        if result.drift is None:
            del data["drift"]  # asked for with --by
        else:
            data["drift"] = drift.render_json(result.drift)
        data["passed"] = result.passed
        results.append(data)
    payload: dict[str, Any] = {
        "version": JSON_VERSION,
        "passed": run.passed,
        "results": _rounded(results),
        "skipped": list(run.skipped),
    }
    if run.against:
        payload["against"] = [
            _rounded(
                {
                    "icp_id": r.icp_id,
                    "rev": r.rev,
                    "old_version": r.old.icp_version if r.old else None,
                    "old_auc": r.old.auc if r.old else None,
                    "new_auc": r.new.auc,
                    "auc_drop": r.auc_drop,
                    "tolerance": r.tolerance,
                    "broken_gates": list(r.broken_gates),
                    "passed": r.passed,
                    "unscorable": r.unscorable,
                }
            )
            for r in run.against
        ]
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def render_markdown(run: BacktestRun) -> str:
    mark = "passed" if run.passed else "failed"
    out = [f"### icp backtest: {mark}", ""]
    if run.against:
        out += [f"Compared with {code(run.against[0].rev)}:", ""]
        out += [
            f"- {'✅' if r.passed else '❌'} {code(r.icp_id)}: {cell(against_text(r))}"
            for r in run.against
        ]
        out.append("")
    out.append("| ICP | Closed deals | AUC | Wins good+ | Losses below possible | Gates |")
    out.append("|---|---:|---:|---:|---:|---|")
    for r in run.results:
        out.append(
            f"| {code(r.icp_id)} {cell(r.icp_version)} | {r.closed} | {number(r.auc)} | "
            f"{pct(r.wins_good_or_better)} | {pct(r.losses_below_possible)} | {headline(r)} |"
        )
    for r in run.results:
        out += ["", f"#### {code(r.icp_id)} {cell(r.icp_version)}", ""]
        out.append(f"{cell(deal_counts(r))}. {cell(auc_text(r))}.")
        out += ["", "| Gate | Result | Figure |", "|---|---|---|"]
        for gate in r.gates:
            result = "pass" if gate.passed else "**FAIL**"
            out.append(f"| {gate.name} | {result} | {cell(gate_text(gate))} |")
        out += ["", "| Band | Deals | Wins | Win rate | Lift | Avg won deal | Median cycle |"]
        out.append("|---|---:|---:|---:|---:|---:|---:|")
        for row in r.bands:
            if row.deals or row.band not in ("disqualified", "unknown"):
                out.append(
                    f"| {row.band} | {row.deals:,} | {row.wins:,} | {pct(row.win_rate)} | "
                    f"{ratio(row.lift)} | {money(row.avg_won_amount, r.currency)} | "
                    f"{days(row.median_won_cycle_days)} |"
                )
        out += calibration.markdown_lines(r)
        out += revenue.markdown_lines(r)
        out += ["", "<details><summary>Wins vs losses by attribute and trigger</summary>", ""]
        out.append(
            "| Signal | Fit (win rate) | Partial | Out of fit | Unknown | Wins in fit "
            "| Losses in fit |"
        )
        out.append("|---|---:|---:|---:|---:|---:|---:|")
        for s in r.signals:
            label = f"{s.name} ({s.rule})" if s.kind == "attribute" else f"trigger {s.name}"
            out.append(
                f"| {cell(label)} | {rate_cell(s.fit_deals, s.fit_win_rate, 1)} | "
                f"{rate_cell(s.partial_deals, s.partial_win_rate, 1)} | "
                f"{rate_cell(s.out_deals, s.out_win_rate, 1)} | {s.unknown_deals:,} | "
                f"{pct(s.wins_in_fit)} | {pct(s.losses_in_fit)} |"
            )
        out += ["", "</details>"]
        if r.drift is not None:
            out += drift.render_markdown(r.drift)
        out += surprises_markdown(r.surprises)
        out += customers_markdown(r)
        out += overrides.markdown_lines(r)
        if r.warnings:
            out += ["", *(f"- {cell(w)}" for w in r.warnings)]
    return "\n".join(out) + "\n"


register(BacktestRun, "text", render_text)
register(BacktestRun, "json", render_json)
register(BacktestRun, "markdown", render_markdown)
