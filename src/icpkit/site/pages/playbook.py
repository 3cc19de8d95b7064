"""The sales playbook: what a rep needs on one call, laid out to print on paper."""

from __future__ import annotations

from icpkit.format.model import Icp
from icpkit.site.markup import bullets, table, text
from icpkit.site.pages.activation import OUTCOMES, route_of, sla, tiers
from icpkit.site.pages.common import detection, objection, signal_name
from icpkit.site.project import SiteIcp
from icpkit.text import number

CHECKBOX = '<span class="icp-checkbox" aria-hidden="true"></span>'
_SECTIONS = {
    "personas": "Personas",
    "budget_authority": "Budget authority",
    "jobs_to_be_done": "Jobs to be done",
    "psychographics": "Psychographics",
    "alternatives": "Alternatives",
    "anti_icp": "Anti-ICP",
    "reachability": "Reachability",
}


def _author(cell: str) -> str:
    """A cell for the ICP's authors, not for the rep on the call: hidden in print."""
    return f'<span class="icp-author">{cell}</span>'


def _tested(icp: Icp, target: str) -> str:
    """What a question checks, in words: an attribute's label, a trigger's event."""
    return _SECTIONS.get(target) or signal_name(icp, target)


def _checklist(icp: Icp) -> str:
    q = icp.qualification
    counted = q.counted
    total = len(counted)
    rules = []
    if q.strong_at:
        rules.append(f"**Strong lead: {q.strong_at} or more yes out of {total}.**")
    if q.disqualify_below:
        rules.append(f"**Fewer than {q.disqualify_below} yes: disqualify.**")
    rows = [
        [
            f"{CHECKBOX} {i}",
            text(question.ask),
            text(question.yes_when or ""),
            _author("<br>".join(text(_tested(icp, t)) for t in question.tests)),
        ]
        for i, question in enumerate(counted, 1)
    ]
    intro = "Ask these on the first call and tick each one answered yes. " + " ".join(rules)
    return (
        intro
        + "\n\n"
        + table(["Yes", "Ask", "Yes when", _author("Tests")], rows)
        + f"\nYes answers: ______ of {total}\n"
    )


def _walk_away(icp: Icp) -> list[str]:
    """Knock-out questions, then the answers and signs that end qualification, each once.

    An anti-ICP that a knock-out question already tests is not repeated by its signal."""
    q = icp.qualification
    out = [f"{text(k.ask)} **{text(k.disqualify_when or '')}**" for k in q.knockouts]
    asked = {t for k in q.knockouts for t in k.tests}
    said = list(icp.playbook.disqualifying_answers if icp.playbook else ())
    said += [a.signal for a in icp.anti_icp if a.signal and a.id not in asked]
    seen: set[str] = set()
    for answer in said:
        key = " ".join(answer.casefold().split())
        if key not in seen:
            seen.add(key)
            out.append(text(answer))
    return out


def _routing(icp: Icp) -> str:
    """Each band's score, what happens (the prose) and, with `activation.routes`, its queue
    and SLA: the bands either names, in band order."""
    routing = dict(icp.playbook.routing) if icp.playbook else {}
    items = icp.scoring.bands.items()
    scores = {name: f"{number(floor)}+" for name, floor in items}
    scores["poor"] = f"below {number(items[-1][1])}"
    scores["disqualified"] = "anti-ICP match"
    scores["unknown"] = "too little data"
    routed = bool(icp.activation and icp.activation.routes)
    order = [name for name, _ in items] + list(OUTCOMES)
    shown = [b for b in order if b in routing or route_of(icp, b)]
    headers = ["Band", "Score", "What happens"] if routing else ["Band", "Score"]
    if routed:
        headers += ["Queue", "SLA"]
    rows = []
    for band in shown:
        cells = [text(band), text(scores[band])]
        if routing:
            cells.append(text(routing.get(band, "")))
        found = route_of(icp, band)
        if routed:
            cells += [text(found.queue), text(sla(found.sla_hours))] if found else ["", ""]
        rows.append(cells)
    return table(headers, rows)


def render(entry: SiteIcp) -> str:
    icp = entry.icp
    playbook = icp.playbook
    out = [
        f"# Sales playbook: {text(icp.name)}\n",
        f'<p class="icp-lead">{text(icp.summary)}</p>\n',
        "The essentials on one printed page: [Battle card](card.md)\n",
        "## Qualification checklist\n",
        _checklist(icp),
    ]
    walk_away = _walk_away(icp)
    if walk_away:
        out += [
            "## Disqualifying answers\n",
            "Hearing any of these ends the qualification: close the lead as unqualified, "
            "however many yes answers it has.\n",
            bullets(walk_away),
        ]
    if playbook and playbook.discovery_questions:
        numbered = [f"{i}. {text(q)}" for i, q in enumerate(playbook.discovery_questions, 1)]
        out += ["## Discovery questions\n", "\n".join(numbered) + "\n"]
    if (playbook and playbook.routing) or (icp.activation and icp.activation.routes):
        out += ["## Routing by band\n", _routing(icp)]
    if icp.activation and icp.activation.abm_tiers:
        out += ["## ABM tiers\n", tiers(icp)]
    if playbook and playbook.messaging:
        out += ["## Messaging\n", bullets(text(m) for m in playbook.messaging)]
    if playbook and playbook.proof_points:
        out += ["## Proof points\n", bullets(text(p) for p in playbook.proof_points)]
    out += [
        "## Who you are talking to\n",
        table(
            ["Role", "Cares about", "Will object"],
            [
                [
                    text(p.role)
                    + (
                        f"<br><small>{text(icp.names.value(p.buying_role))}</small>"
                        if p.buying_role
                        else ""
                    ),
                    "<br>".join(text(m) for m in p.motivations),
                    "<br>".join(objection(o) for o in p.objections),
                ]
                for p in icp.personas
            ],
        ),
        "## Buying triggers to watch\n",
        table(
            ["Trigger", "Window", "Where to find it"],
            [
                [
                    text(t.event),
                    text(f"{t.window_days} days" if t.window_days else "-"),
                    detection(t, icp.names),
                ]
                for t in icp.triggers
            ],
        ),
    ]
    return "\n".join(out)
