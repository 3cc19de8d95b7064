"""The backtest page: does a higher score mean a higher win rate? Charts and tables."""

from __future__ import annotations

from icpkit.format.model import Icp
from icpkit.reporters.backtest import auc_text, days, deal_counts, gate_text, headline
from icpkit.scorer.backtest import BacktestResult
from icpkit.scorer.contract import SCORE_BANDS as BANDS
from icpkit.site import charts
from icpkit.site.markup import badge, bullets, code, prose, table, text
from icpkit.site.pages import calibration, customers, drift, overrides, revenue
from icpkit.site.pages.common import count_cell, counted, signal_name, top_band_text
from icpkit.site.pages.figures import deal_window
from icpkit.site.pages.surprises import section as surprises_section
from icpkit.site.project import SiteIcp
from icpkit.text import money, number, percent


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _win_rate_chart(result: BacktestResult) -> str:
    rows = [r for r in result.bands if r.band in BANDS or r.deals]
    bars = [charts.Bar(r.band, r.win_rate, counted(r.deals, "deal"), kind=r.band) for r in rows]
    top = max([r.win_rate or 0.0 for r in rows] + [result.base_win_rate or 0.0, 0.25])
    top = min(1.0, (int(top * 4) + 1) / 4)  # the next quarter up: 25%, 50%, 75% or 100%
    reference = (
        (result.base_win_rate, f"all closed deals {percent(result.base_win_rate, 1)}")
        if result.base_win_rate is not None
        else None
    )
    svg = charts.bar_chart(
        "win-rate",
        "Win rate by score band",
        bars,
        top=top,
        fmt=percent,
        tick=charts.percent_tick,
        reference=reference,
    )
    return charts.figure(
        svg,
        "Share of closed deals won in each band; the dashed line is the win rate of all "
        "closed deals. A useful ICP wins more often the higher the band.",
        "win-rate-chart",
    )


def _lift_chart(result: BacktestResult) -> str:
    rows = [r for r in result.bands if r.band in BANDS]
    bars = [charts.Bar(r.band, r.lift, counted(r.deals, "deal"), kind=r.band) for r in rows]
    top = max([r.lift or 0.0 for r in rows] + [1.5])
    top = float(int(top * 2) + 1) / 2  # the next half up
    svg = charts.bar_chart(
        "lift",
        "Lift by score band",
        bars,
        top=top,
        fmt=lambda v: f"{v:.1f}x",
        tick=charts.times_tick,
        reference=(1.0, "no lift (1.0x)"),
    )
    return charts.figure(
        svg,
        "How many times the overall win rate each band wins at; above 1.0x beats picking "
        "deals at random.",
        "lift-chart",
    )


def _distribution_chart(result: BacktestResult) -> str:
    wins = sum(b.wins for b in result.histogram) or 1
    losses = sum(b.losses for b in result.histogram) or 1
    labels = [f"{b.low}-{b.high}" for b in result.histogram]
    series = [
        charts.Series("wins", "win", [b.wins / wins for b in result.histogram]),
        charts.Series("losses", "loss", [b.losses / losses for b in result.histogram]),
    ]
    top = max([v for s in series for v in s.values] + [0.1])
    top = min(1.0, (int(top * 10) + 1) / 10)
    svg = charts.grouped_bars(
        "distribution",
        "Scores of wins and losses",
        labels,
        series,
        top=top,
        fmt=percent,
        tick=charts.percent_tick,
    )
    return charts.figure(
        svg,
        "Share of scored wins and of scored losses in each 10-point score range: wins "
        "should sit to the right of losses.",
        "distribution-chart",
    )


def _bands_table(result: BacktestResult) -> str:
    rows = [
        [
            text(r.band),
            number(r.deals),
            number(r.wins),
            text(percent(r.win_rate, 1)),
            text(_ratio(r.lift)),
            text(money(r.avg_won_amount, result.currency)),
            text(days(r.median_won_cycle_days)),
        ]
        for r in result.bands
        if r.band in BANDS or r.deals
    ]
    headers = ["Band", "Deals", "Wins", "Win rate", "Lift", "Avg won deal", "Median cycle"]
    return table(headers, rows, align="lrrrrrr")


def _signals_table(icp: Icp, result: BacktestResult) -> str:
    rows = [
        [
            text(signal_name(icp, s.name)),
            text(count_cell(s.fit_deals, s.fit_win_rate)),
            text(count_cell(s.partial_deals, s.partial_win_rate)),
            text(count_cell(s.out_deals, s.out_win_rate)),
            number(s.unknown_deals),
            text(percent(s.wins_in_fit)),
            text(percent(s.losses_in_fit)),
        ]
        for s in result.signals
    ]
    headers = ["Signal", "Fit", "Partial", "Out of fit", "Unknown", "Wins in fit", "Losses in fit"]
    return table(headers, rows, align="lrrrrrr")


def _gates(result: BacktestResult) -> str:
    rows = [
        [
            badge("pass", "pass") if g.passed else badge("fail", "fail"),
            code(g.name),
            text(gate_text(g)),
        ]
        for g in result.gates
    ]
    return table(["", "Gate", "Result"], rows)


def render(entry: SiteIcp) -> str:
    icp = entry.icp
    out = [f"# Backtest: {text(icp.name)}\n"]
    result = entry.backtest
    if result is None:
        out.append(entry.no_backtest + "\n")
        return "\n".join(out)
    verdict = badge(headline(result), "pass" if result.passed else "fail")
    out += [
        f"{verdict}\n",
        f"Version {text(result.icp_version)} scored against {code(result.deals_file)}: "
        f"{text(deal_counts(result))}; {text(deal_window(result))}.\n",
        table(
            ["Measure", "Value"],
            [
                [text("Ranking quality"), text(auc_text(result))],
                [text("Top-band win rate"), text(top_band_text(result))],
                [text("Wins scoring good or better"), text(percent(result.wins_good_or_better, 1))],
                [
                    text("Losses scoring below possible"),
                    text(percent(result.losses_below_possible, 1)),
                ],
            ],
        ),
        "An AUC of 0.5 ranks deals no better than a coin; 1.0 puts every win above every loss.\n",
        "## Gates\n",
        "The bars `validation` sets for this ICP: when one fails, `icp backtest` fails the "
        "pull request that caused it.\n",
        _gates(result),
        "## Win rate by band\n",
        _win_rate_chart(result),
        _bands_table(result),
        *calibration.section(result),
        *revenue.section(result),
        *customers.section(result),
        "## Scores of wins and losses\n",
        _distribution_chart(result),
        "## Lift by band\n",
        "Lift is a band's win rate over the win rate of all closed deals: 2.0x wins twice as "
        "often as the average deal, 1.0x no better.\n",
        _lift_chart(result),
        *drift.section(icp, result.drift),
    ]
    if result.disqualifiers:
        out += [
            "## Disqualifiers\n",
            "A good anti-ICP rule screens out deals that rarely win.\n",
            table(
                ["Anti-ICP", "Deals", "Won", "Win rate", "Why"],
                [
                    [
                        code(d.id),
                        number(d.deals),
                        number(d.wins),
                        text(percent(d.win_rate, 1)),
                        text(d.reason),
                    ]
                    for d in result.disqualifiers
                ],
                align="lrrrl",
            ),
        ]
    out += [
        "## Wins and losses by signal\n",
        "For each attribute and trigger: deals that fit fully, partly or not at all, with "
        "their win rates, and the share of all wins and of all losses that fit.\n",
        _signals_table(entry.icp, result),
    ]
    out += surprises_section(result.surprises)
    out += overrides.section(result)
    if result.warnings:
        out += ["## Warnings\n", bullets(prose(w) for w in result.warnings)]
    return "\n".join(out)
