"""The ICP page: the summary, then every layer as a table a marketer can work from."""

from __future__ import annotations

from icpkit.format.describe import (
    describe_conditions,
    describe_match,
    describe_partial,
    field_label,
)
from icpkit.format.display import Names
from icpkit.format.model import Attribute, Icp
from icpkit.reporters.backtest import auc_text
from icpkit.site import charts
from icpkit.site.markup import bullets, code, join, table, text
from icpkit.site.pages.activation import route_of, route_text, tiers
from icpkit.site.pages.calibration import CHURN_HEADER, churn_interpretation, interpretation
from icpkit.site.pages.common import (
    ICP_PAGES,
    alternative,
    badges,
    detection,
    objection,
    rel,
    rule_page,
    signal_name,
)
from icpkit.site.pages.revenue import target_row
from icpkit.site.pages.status import review_age
from icpkit.site.project import SiteIcp
from icpkit.text import number, percent, short_money

_LAYER_TITLES = (
    ("firmographics", "Firmographics"),
    ("technographics", "Technographics"),
    ("behavioral", "Behavioral signals"),
)


def _attributes(rows: tuple[Attribute, ...], names: Names, *, penalty: bool = False) -> str:
    return table(
        [
            "Attribute",
            "Penalised when" if penalty else "Ideal",
            "Weight",
            "Partial credit",
            "Source",
        ],
        [
            [
                text(field_label(a.field, a.label)),
                text(describe_match(a.field, a.match, names)),
                text(number(a.weight)),
                join(text(p) for p in describe_partial(a, names)),
                text(a.source or ""),
            ]
            for a in rows
        ],
        align="llrll",
    )


def _weights_chart(icp: Icp) -> str:
    bars = [
        charts.Bar(field_label(a.field, a.label), a.weight, kind="attribute")
        for a in icp.attributes
    ] + [charts.Bar(signal_name(icp, t.id), t.weight, kind="trigger") for t in icp.triggers]
    bars.sort(key=lambda b: -(b.value or 0.0))
    total = sum(b.value or 0.0 for b in bars)
    svg = charts.horizontal_bars("weights", f"Score weights of {icp.name}", bars, fmt=number)
    return charts.figure(
        svg,
        f"Points each attribute and trigger adds at full fit ({number(total)} in all).",
        "weights-chart",
    )


def _bands(entry: SiteIcp) -> str:
    icp, result = entry.icp, entry.backtest
    routing = dict(icp.playbook.routing) if icp.playbook else {}
    items = icp.scoring.bands.items()
    rows = []
    for i, (name, floor) in enumerate(items):
        upper = "100" if i == 0 else f"below {number(items[i - 1][1])}"
        rows.append([text(name), text(f"{number(floor)} to {upper}"), text(routing.get(name, ""))])
    rows.append(
        [text("poor"), text(f"below {number(items[-1][1])}"), text(routing.get("poor", ""))]
    )
    rows.append(
        [
            text("disqualified"),
            text("an anti-ICP rule matched"),
            text(routing.get("disqualified", "")),
        ]
    )
    headers = ["Band", "Score", "Routing"]
    names = [*(name for name, _ in items), "poor", "disqualified"]
    if icp.activation and icp.activation.routes:
        headers.append("Queue and SLA")
        for row, band in zip(rows, names, strict=True):
            row.append(route_text(icp, band))
        if route_of(icp, "unknown"):
            rows.append([text("unknown"), text("too little data"), "", route_text(icp, "unknown")])
    if result is not None:
        headers.append("Historically")
        for row, band in zip(rows, names, strict=False):
            row.append(interpretation(result, band))
            if result.customers is not None:
                row.append(churn_interpretation(result, band))
        if result.customers is not None:
            headers.append(CHURN_HEADER)
    # The unknown row has no historical figures: its accounts were never scored.
    rows = [row + [""] * (len(headers) - len(row)) for row in rows]
    return (
        table(headers, rows)
        + (
            f"\nAccounts missing more than {percent(icp.scoring.max_unknown_share)} of the "
            "weighted data are reported as insufficient data instead of being scored low.\n"
        )
        + (f"\n{tiers(icp)}" if icp.activation and icp.activation.abm_tiers else "")
    )


def _anti(icp: Icp) -> str:
    rows = []
    for anti in icp.anti_icp:
        if anti.when:
            how = text(describe_conditions(anti.when, icp.names)) + " (scored automatically)"
        else:
            how = text(anti.signal or "") + " (spotted in conversation)"
        rows.append([code(anti.id), how, text(anti.reason)])
    return table(["ID", "Disqualifies when", "Why"], rows)


def _personas(icp: Icp) -> str:
    rows = [
        [
            text(p.role),
            text(icp.names.value(p.seniority)),
            text(icp.names.value(p.buying_role) if p.buying_role else ""),
            join(text(m) for m in p.motivations),
            join(objection(o) for o in p.objections),
        ]
        for p in icp.personas
    ]
    out = table(["Role", "Seniority", "Buying role", "Motivations", "Objections"], rows)
    anti = [f"**{text(p.role)}**: {text(p.anti_persona)}" for p in icp.personas if p.anti_persona]
    if anti:
        out += "\n### Anti-personas\n\nLook-alike contacts who will not buy:\n\n" + bullets(anti)
    return out


def _budget(icp: Icp) -> str:
    budget = icp.budget_authority
    out = []
    if budget.recommends:
        out.append("Recommends: " + text(", ".join(budget.recommends)) + "\n")
    rows = [
        [
            text(a.role),
            text(
                f"up to {short_money(a.up_to, a.currency)}" if a.up_to is not None else "no limit"
            ),
        ]
        for a in budget.approves
    ]
    out.append(table(["Approves", "Up to"], rows, align="lr"))
    if budget.procurement:
        out.append("Procurement: " + text(budget.procurement) + "\n")
    return "\n".join(out)


def _quality(entry: SiteIcp, page: str, rules_dir: str | None) -> str:
    if not entry.findings:
        return "`icp check` finds nothing to fix in this ICP.\n"
    rows = []
    for f in entry.findings:
        rule = f"{f.rule_id} {f.rule_name}"
        link = (
            f"[{text(rule)}]({rel(page, rule_page(rules_dir, f.rule_id))})"
            if rules_dir
            else text(rule)
        )
        rows.append([text(f"{f.line}:{f.column}"), link, text(f.severity.value), text(f.message)])
    return table(["Line", "Rule", "Severity", "Finding"], rows)


def _validation(entry: SiteIcp) -> str:
    v = entry.icp.validation
    rows = [
        [text("Closed deals"), text(f"at least {v.min_closed_deals}")],
        [
            text("Wins scoring good or better"),
            text(f"at least {percent(v.min_wins_good_or_better)}"),
        ],
        [
            text("Losses scoring below possible"),
            text(f"at least {percent(v.min_losses_below_possible)}"),
        ],
        [text("AUC"), text(f"at least {v.min_auc:.2f}")],
        [
            text("Win rate falls band by band"),
            text("required" if v.monotonic_win_rate else "not checked"),
        ],
        *target_row(v.min_won_revenue_share),
    ]
    source = f"Deals: {code(v.deals)}. " if v.deals else ""
    result = entry.backtest
    if result is not None:
        passed = sum(1 for g in result.gates if g.passed)
        source += f"{auc_text(result)}; {passed} of {len(result.gates)} gates pass.\n"
    return table(["Gate", "Target"], rows) + ("\n" + source if source else "")


def render(entry: SiteIcp, page: str, rules_dir: str | None) -> str:
    icp = entry.icp
    links = " · ".join(f"[{title}]({name})" for name, title in ICP_PAGES[1:])
    history = entry.history
    source = code(entry.source)
    if history.revisions:
        source += f" at {code(history.revisions[0].short)}"
    if history.dirty:
        source += " with uncommitted edits"
    facts = [
        text(icp.owner),
        text(icp.version),
        f"{text(icp.last_reviewed.isoformat())} ({review_age(entry)})",
        source,
    ]
    out = [
        f"# {text(icp.name)}\n",
        badges(entry) + "\n",
        text(icp.summary) + "\n",
        links + "\n",
        table(["Owner", "Version", "Last reviewed", "Source"], [facts]),
    ]
    for layer, title in _LAYER_TITLES:
        rows = tuple(a for a in icp.layer(layer) if a.weight >= 0)
        if rows:
            out += [f"## {title}\n", _attributes(rows, icp.names)]
    penalties = tuple(a for a in icp.attributes if a.weight < 0)
    if penalties:
        out += [
            "## Penalties\n",
            "Signs of a worse fit: a match takes its points off the score.\n",
            _attributes(penalties, icp.names, penalty=True),
        ]
    out += [
        "## Buying triggers\n",
        "Events that make an account ready to buy now; each adds its weight while inside its "
        "window.\n",
        table(
            ["Trigger", "Event", "Window", "Detected by", "Weight"],
            [
                [
                    code(t.id),
                    text(t.event),
                    text(f"{t.window_days} days" if t.window_days else "-"),
                    detection(t, icp.names),
                    text(number(t.weight)),
                ]
                for t in icp.triggers
            ],
            align="llrlr",
        ),
        "## Where the score comes from\n",
        _weights_chart(icp),
        "## Score bands\n",
        _bands(entry),
        "## Anti-ICP\n",
        "Accounts that look like a fit but are not: a match disqualifies them, whatever "
        "they score.\n",
        _anti(icp),
        "## Personas\n",
        _personas(icp),
    ]
    for title, items in (
        ("Psychographics", [text(i) for i in icp.psychographics]),
        ("Jobs to be done", [text(i) for i in icp.jobs_to_be_done]),
        ("Alternatives they use today", [alternative(a) for a in icp.alternatives]),
    ):
        if items:
            out += [f"## {title}\n", bullets(items)]
    out += [
        "## Reachability\n",
        table(
            ["Channel", "How we reach them"],
            [[text(icp.names.value(c.channel)), text(c.detail)] for c in icp.reachability],
        ),
        "## Budget authority\n",
        _budget(icp),
        "## Validation targets\n",
        _validation(entry),
        "## Spec quality\n",
        _quality(entry, page, rules_dir),
    ]
    return "\n".join(out)
