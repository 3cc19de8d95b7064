"""The battle card: the ICP on one printed page, for a rep to keep beside the phone.

Who to call, why now, why us, when to walk away, where a lead goes, what to answer and
what the backtest says, in sections the site's print style (assets/icpkit.css,
`.icp-card`) sets in two columns on one A4 or Letter sheet. Long lists are cut to their
first items, and the card says how many more the playbook holds, so nothing is dropped
without a word.

The card is raw HTML inside the page's Markdown, so it needs no Markdown extension
(`md_in_html`) a project's own `mkdocs.yml` may lack; every text in it comes through
`markup.text`.
"""

from __future__ import annotations

from collections.abc import Sequence

from icpkit.format.describe import describe_conditions, describe_match, field_label
from icpkit.format.display import Names
from icpkit.format.model import AntiIcp, Icp, Objection
from icpkit.scorer.backtest import BacktestResult
from icpkit.scorer.contract import SCORE_BANDS
from icpkit.site.markup import text
from icpkit.site.pages.activation import route_of, route_text, tiers_line
from icpkit.site.pages.common import alternative
from icpkit.site.project import SiteIcp
from icpkit.text import number, percent, short_money

# What fits on the sheet beside everything else; the rest is on the playbook.
MOST = {"triggers": 3, "messaging": 3, "alternatives": 3, "disqualifiers": 5, "objections": 5}
_LEADS = ("champion", "economic-buyer")  # the personas a card names first


def _list(items: Sequence[str], *, ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"


def _first(items: Sequence[str], kind: str) -> tuple[list[str], str]:
    """The first items that fit, and a note naming how many more the playbook holds."""
    most = MOST[kind]
    rest = len(items) - most
    note = (
        f'<p class="icp-card__more">{text(f"{rest} more on the playbook")}</p>' if rest > 0 else ""
    )
    return list(items[:most]), note


def _section(kind: str, title: str, body: str) -> str:
    return f'<section class="icp-card__{kind}"><h2>{text(title)}</h2>{body}</section>'


def _who(icp: Icp) -> str:
    rows = [
        f"<dt>{text(field_label(a.field, a.label))}</dt>"
        f"<dd>{text(describe_match(a.field, a.match, icp.names))}</dd>"
        for a in icp.firmographics
    ]
    leads = [p for p in icp.personas if p.buying_role in _LEADS] or list(icp.personas)
    people = "; ".join(
        p.role + (f" ({icp.names.value(p.buying_role)})" if p.buying_role else "") for p in leads
    )
    rows.append(f"<dt>Talk to</dt><dd>{text(people)}</dd>")
    return _section("who", "Who", f"<dl>{''.join(rows)}</dl>")


def _why_now(icp: Icp) -> str:
    ranked = sorted(icp.triggers, key=lambda t: -t.weight)  # stable: file order breaks ties
    lines = [
        text(t.event)
        + (
            f' <span class="icp-card__hint">{text(f"act within {t.window_days} days")}</span>'
            if t.window_days
            else ""
        )
        for t in ranked
    ]
    shown, more = _first(lines, "triggers")
    return _section("why-now", "Why now", _list(shown, ordered=True) + more)


def _why_us(icp: Icp) -> str:
    playbook = icp.playbook
    said, more = _first([text(m) for m in (playbook.messaging if playbook else ())], "messaging")
    body = _list(said) + more if said else ""
    # Those sales has an answer to first, as with objections.
    used = sorted(icp.alternatives, key=lambda a: a.how_we_win is None)
    instead, rest = _first([alternative(a) for a in used], "alternatives")
    body += "<p><strong>They use today</strong></p>" + _list(instead) + rest
    if playbook and playbook.proof_points:
        body += (
            f'<p class="icp-card__proof"><strong>Proof:</strong> '
            f"{text(playbook.proof_points[0])}</p>"
        )
    return _section("why-us", "Why us", body)


def _anti(anti: AntiIcp, names: Names) -> str:
    said = describe_conditions(anti.when, names) if anti.when else anti.signal or ""
    return f'{text(said)} <span class="icp-card__hint">{text(anti.reason)}</span>'


def _disqualifiers(icp: Icp) -> str:
    """Knock-out questions first, then the anti-ICPs none of them already asks about."""
    knockouts = icp.qualification.knockouts
    asked = {t for k in knockouts for t in k.tests}
    lines = [
        f"{text(k.ask)} <strong>{text(k.disqualify_when or '')}</strong>" for k in knockouts
    ] + [_anti(a, icp.names) for a in icp.anti_icp if a.id not in asked]
    shown, more = _first(lines, "disqualifiers")
    return _section("disqualifiers", "Walk away when", _list(shown) + more)


def _routing(icp: Icp) -> str:
    routing = dict(icp.playbook.routing) if icp.playbook else {}
    items = icp.scoring.bands.items()
    scores = {name: f"{number(floor)}+" for name, floor in items}
    scores["poor"] = f"below {number(items[-1][1])}"
    scores["disqualified"] = "anti-ICP"
    scores["unknown"] = "no data"
    rows = [
        f'<tr><th>{text(band)}</th><td class="icp-card__score">{text(score)}</td>'
        f"<td>{_route(routing.get(band), icp, band)}</td></tr>"
        for band, score in scores.items()
        if band in routing or route_of(icp, band)
    ]
    if not rows:
        return ""
    line = tiers_line(icp)
    abm = f'<p class="icp-card__abm">{text(f"ABM: {line}")}</p>' if line else ""
    return _section("routing", "Routing by score", f"<table>{''.join(rows)}</table>{abm}")


def _route(prose: str | None, icp: Icp, band: str) -> str:
    """The playbook's words, then the queue and SLA in small type."""
    queue = route_text(icp, band)
    said = text(prose) if prose else ""
    if not queue:
        return said
    return f"{said}<br><small>{queue}</small>" if said else queue


def _objection(role: str, said: Objection) -> str:
    out = f'<strong>{text(said.text)}</strong> <span class="icp-card__hint">{text(role)}</span>'
    return out + (f"<br>{text(said.response)}" if said.response else "")


def _objections(icp: Icp) -> str:
    said = [(p.role, o) for p in icp.personas for o in p.objections]
    # Those sales has an answer for first: a card is for answering.
    said.sort(key=lambda pair: pair[1].response is None)
    shown, more = _first([_objection(role, o) for role, o in said], "objections")
    return _section("objections", "Objections", _list(shown) + more)


def _budget(icp: Icp) -> str:
    budget = icp.budget_authority
    lines = []
    if budget.recommends:
        lines.append(f"<strong>Recommends:</strong> {text(', '.join(budget.recommends))}")
    approves = "; ".join(
        a.role
        + (f" up to {short_money(a.up_to, a.currency)}" if a.up_to is not None else ", no limit")
        for a in budget.approves
    )
    lines.append(f"<strong>Approves:</strong> {text(approves)}")
    if budget.procurement:
        lines.append(f"<strong>Procurement:</strong> {text(budget.procurement)}")
    return _section("budget", "Budget authority", "".join(f"<p>{line}</p>" for line in lines))


def _evidence_lines(result: BacktestResult) -> list[str]:
    """Each score band's record in words: "strong leads won 90% of 93 deals"."""
    return [
        f"{row.band.capitalize()} leads won {percent(row.win_rate)} of "
        f"{number(row.deals)} {'deal' if row.deals == 1 else 'deals'}"
        for row in result.bands
        if row.band in SCORE_BANDS and row.deals
    ]


def _evidence(entry: SiteIcp) -> str:
    result = entry.backtest
    if result is None:
        # No figure rather than a made-up one; the reason is the author's to fix.
        return _section("evidence", "Evidence", "<p>Not backtested against closed deals yet.</p>")
    failed = len(result.failed_gates)
    verdict = (
        f"passes all {len(result.gates)} validation gates"
        if not failed
        else f"FAILS {failed} of {len(result.gates)} validation gates: trust it with care"
    )
    head = f"<p>{text(f'Backtest on {number(result.closed)} closed deals {verdict}.')}</p>"
    return _section(
        "evidence", "Evidence", head + _list([text(s) for s in _evidence_lines(result)])
    )


def render(entry: SiteIcp) -> str:
    icp = entry.icp
    sections = [
        _who(icp),
        _why_now(icp),
        _why_us(icp),
        _disqualifiers(icp),
        _routing(icp),
        _objections(icp),
        _budget(icp),
        _evidence(entry),
    ]
    return (
        f"# Battle card: {text(icp.name)}\n\n"
        f'<div class="icp-card">{"".join(s for s in sections if s)}</div>\n\n'
        "Full detail: [sales playbook](playbook.md) · [profile](index.md)\n"
    )
