"""The proposed ICP as a YAML file: data-backed sections filled in, human sections marked.

Every text only a person can write (who the buyer is, how they think, how to reach
them, what to say) is a `TODO(author)` placeholder that passes the schema, so the draft
loads, scores and backtests at once, while rule ICP031 (unfinished-draft) keeps `icp
check` red until each placeholder is replaced.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import replace

import yaml

from icpkit.format.model import AUTHOR_MARKER as MARKER
from icpkit.format.model import Form, Match, quarter_of
from icpkit.suggest.evidence import AntiCandidate, Evidence, FieldEvidence, TriggerEvidence
from icpkit.suggest.outcome import DEALS, Outcome
from icpkit.text import percent

_TECH = re.compile(r"stack|erp|crm|tech|tool|platform|software|cloud")
# Signals seen while the deal is worked, or how it came in (the format's behavioral layer).
_BEHAVIOUR = re.compile(
    r"intent|surge|visit|engagement|growth|hiring|signal|usage|competitor|route|channel|"
    r"source|campaign|trial|demo|meeting|webinar|download|referr|inbound|outbound|lead"
)
_FIRM = re.compile(
    r"employee|headcount|revenue|industry|sector|vertical|country|region|state|city|"
    r"location|office|size|founded|established|funding|subsidiary|ownership|client|account"
)
FROM_ICP, FROM_NAME, GUESSED = "current ICP", "name", "guessed"


def layer_of(field: str, known: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The layer an attribute goes in, and how that was decided: from the current ICP,
    from what its name says, or guessed (firmographics by default)."""
    if known and field in known:
        return known[field], FROM_ICP
    if _TECH.search(field):
        return "technographics", FROM_NAME
    if _BEHAVIOUR.search(field):
        return "behavioral", FROM_NAME
    if _FIRM.search(field):
        return "firmographics", FROM_NAME
    return "firmographics", GUESSED


def weights(evidence: Evidence) -> dict[str, int]:
    """Whole-number weights proportional to predictive power, adding up to exactly 100."""
    powers = {f"field:{f.field}": f.power for f in evidence.fields if f.used}
    powers |= {f"trigger:{t.id}": t.power for t in evidence.triggers if t.used}
    total = sum(powers.values())
    if not total:
        return {}
    raw = {key: 100 * power / total for key, power in powers.items()}
    floors = {key: max(1, int(value)) for key, value in raw.items()}
    # Largest remainders get the points rounding down left over.
    order = sorted(raw, key=lambda key: raw[key] - int(raw[key]), reverse=True)
    short = 100 - sum(floors.values())
    for key in order:
        if short <= 0:
            break
        floors[key] += 1
        short -= 1
    while short < 0:  # the 1-point minimums overshot: take from the largest
        biggest = max(floors, key=lambda key: floors[key])
        floors[biggest] -= 1
        short += 1
    return floors


def coverage(field: FieldEvidence) -> str:
    """The share of closed rows whose value is known, never rounded up to 100% while some
    are not: "27%", "all"."""
    if field.known_wins + field.known_losses == field.all_wins + field.all_losses:
        return "all"
    return percent(min(field.known, 0.99))


def render_draft(
    evidence: Evidence,
    *,
    icp_id: str,
    deals_file: str,
    today: dt.date,
    fitted_on: str,
    bands: Sequence[float] = (85, 70, 55, 40),
    accounts_file: str | None = None,
    layers: Mapping[str, str] | None = None,
    outcome: Outcome = DEALS,
    related: Mapping[str, str] | None = None,
) -> str:
    """`layers`: the layer each field has in the current ICP, where it has one; `deals_file`
    is named under `outcome.key` (deals, or customers), `related` files beside it (the
    deals of a draft from customers, so it backtests at once)."""
    weight = weights(evidence)
    lifts = outcome
    if evidence.loss_weight != 1:
        # The lifts were read as if a quarter were positives: say so where they are quoted.
        read = f"{outcome.rate} (read as if a quarter were {outcome.positives})"
        lifts = replace(outcome, rate=read)
    used = [f for f in evidence.fields if f.used]
    triggers = [t for t in evidence.triggers if t.used]
    slugs = trigger_slugs([t.id for t in triggers])
    anti = [a for f in evidence.fields for a in f.anti]
    lines = [
        "# yaml-language-server: $schema=https://icpkit.dev/schema/icp.schema.json",
        f"# Drafted by `icp suggest` from {deals_file} on {today.isoformat()}, fitted on",
        f"# {fitted_on}. The scored sections come from the {outcome.key}; every {MARKER}",
        "# is a section only a person can write. `icp check` lists what is left (ICP031).",
        "format: icp/1",
        f"id: {icp_id}",
        f"name: {_q(f'{MARKER}: name the segment in a few words')}",
        f"summary: {_q(f'{MARKER}: who buys, why now, in two sentences')}",
        f"version: {quarter_of(today)}",
        "status: draft",
        "tier: primary",
        f"owner: {_q(f'{MARKER}: the team or person who answers for this ICP')}",
        f"last_reviewed: {today.isoformat()}",
    ]
    for layer in ("firmographics", "technographics", "behavioral"):
        members = [f for f in used if layer_of(f.field, layers)[0] == layer]
        if members or layer == "firmographics":
            lines += ["", f"{layer}:"]
            for f in members:
                guessed = layer_of(f.field, layers)[1] == GUESSED
                lines += _attribute(f, weight[f"field:{f.field}"], guessed=guessed, words=lifts)
            if not members:
                lines[-1] += " {}"
    lines += [
        "",
        "psychographics:",
        f"  - {_q(f'{MARKER}: how the best customers think about the problem')}",
        f"  - {_q(f'{MARKER}: what they value in a vendor')}",
        "",
        "personas:",
        f"  - role: {_q(f'{MARKER}: the economic buyer')}",
        "    seniority: vp",
        "    buying_role: economic-buyer",
        f"    motivations: [{_q(f'{MARKER}: what they want from this purchase')}]",
        f"    objections: [{_q(f'{MARKER}: why they hesitate')}]",
        f"    anti_persona: {_q(f'{MARKER}: who looks like this buyer but is not one')}",
        "",
        f"jobs_to_be_done: [{_q(f'{MARKER}: the job they hire the product for')}]",
        f"alternatives: [{_q(f'{MARKER}: what they do today instead')}]",
        "",
        "triggers:",
    ]
    for trigger in triggers:
        lines += _trigger(trigger, weight[f"trigger:{trigger.id}"], slugs[trigger.id], lifts)
    if not triggers:
        lines[-1] += " []"
    lines += ["", "anti_icp:"]
    for candidate in anti:
        lines += _anti(candidate, evidence.base_rate, outcome)
    if not anti:
        lines[-1] += " []"
    lines += [
        "",
        "reachability:",
        "  - channel: linkedin",
        f"    detail: {_q(f'{MARKER}: the titles, sizes and regions to target')}",
        "",
        "budget_authority:",
        f"  recommends: [{_q(f'{MARKER}: who recommends the purchase')}]",
        "  approves:",
        f"    - role: {_q(f'{MARKER}: who signs')}",
        "",
        "scoring:",
        f"  # Fitted: good or better holds 75% of the fitted {outcome.positives}, strong about "
        "half of them.",
        "  bands: {{strong: {}, good: {}, possible: {}, weak: {}}}".format(*map(_number, bands)),
        "",
        "qualification:",
        "  questions:",
    ]
    tested = [f.field for f in used] + [slugs[t.id] for t in triggers]
    for name in tested:
        lines += [
            f"    - ask: {_q(f'{MARKER}: a discovery question that tests {name}')}",
            f"      tests: {_q(name)}",
        ]
    if not tested:
        lines += [f"    - ask: {_q(f'{MARKER}: a discovery question')}", "      tests: personas"]
    lines += [
        "",
        "playbook:",
        f"  messaging: [{_q(f'{MARKER}: the message that wins these deals')}]",
        f"  proof_points: [{_q(f'{MARKER}: a customer result to cite')}]",
        f"  discovery_questions: [{_q(f'{MARKER}: what to ask on the first call')}]",
        f"  disqualifying_answers: [{_q(f'{MARKER}: an answer that ends the deal')}]",
        "",
        "validation:",
        f"  {outcome.key}: {_q(deals_file)}",
        *(f"  {key}: {_q(path)}" for key, path in (related or {}).items()),
        *([f"  accounts: {_q(accounts_file)}"] if accounts_file else []),
        "",
    ]
    return "\n".join(lines)


def fit_bands(win_scores: Sequence[float]) -> tuple[float, float, float, float]:
    """Band floors on a 5-point grid from the scores the draft gives the fitted wins."""
    ordered = sorted(win_scores)
    if not ordered:
        return (85.0, 70.0, 55.0, 40.0)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    good = max(20.0, 5 * (at(0.25) // 5))
    strong = min(100.0, max(good + 5, 5 * (at(0.5) // 5)))
    possible = max(10.0, good - 15)
    weak = max(5.0, possible - 15)
    return (strong, good, possible, weak)


def _attribute(
    field: FieldEvidence, weight: int, *, guessed: bool = False, words: Outcome = DEALS
) -> list[str]:
    assert field.match is not None
    spec = _match(field.match)
    lines = [
        f"  # {percent(field.win_share)} of {words.positives} and {percent(field.loss_share)} of "
        f"{words.negatives} match; {words.rate} {field.lift:.2f}x the average"
    ]
    if field.known_wins + field.known_losses < field.all_wins + field.all_losses:
        lines.append(
            f"  # {field.field} is known for {coverage(field)} of the {words.rows}: the others "
            "score as not matching"
        )
    if field.note.startswith("a minority segment"):
        lines.append(f"  # {field.note}")
    if guessed:
        lines.append(
            "  # layer guessed (nothing in the name says): move it if it is not firmographic"
        )
    partial = ""
    if field.partial:
        parts = ", ".join(
            f"{{{_match(p.match)}, credit: {_number(p.credit)}}}" for p in field.partial
        )
        lines += [
            f"  # partial: {percent(p.win_share)} of {words.positives}, {words.rate} "
            f"{p.lift:.2f}x the average"
            for p in field.partial
        ]
        partial = f", partial: [{parts}]"
    return [*lines, f"  {field.field}: {{{spec}, weight: {weight}{partial}}}"]


def _match(match: Match) -> str:
    if match.form is Form.RANGE:
        parts = []
        if match.min is not None:
            parts.append(f"min: {_number(match.min)}")
        if match.max is not None:
            parts.append(f"max: {_number(match.max)}")
        return ", ".join(parts)
    return f"{match.form.value}: [{', '.join(_q(v) for v in match.values)}]"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def trigger_slugs(labels: Sequence[str]) -> dict[str, str]:
    """Each triggers-column label's trigger id: the label itself when it is a slug, else
    a slug made from it ("Funding Round!" -> funding-round), unique among them."""
    out: dict[str, str] = {}
    taken = {label for label in labels if _SLUG.match(label)}
    for label in labels:
        if label in taken:
            out[label] = label
            continue
        ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
        base = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "trigger"
        slug, count = base, 1
        while slug in taken:
            count += 1
            slug = f"{base}-{count}"
        taken.add(slug)
        out[label] = slug
    return out


def _trigger(trigger: TriggerEvidence, weight: int, slug: str, words: Outcome = DEALS) -> list[str]:
    # A label that is not a slug cannot be the id the triggers column is matched by, so
    # the trigger reads the column itself, with the label exactly as written there.
    when = [] if slug == trigger.id else [f"    when: {{triggers: {{any: [{_q(trigger.id)}]}}}}"]
    return [
        f"  # in {percent(trigger.win_share)} of {words.positives} and "
        f"{percent(trigger.loss_share)} of {words.negatives}; {words.rate} {trigger.lift:.2f}x "
        "the average",
        f"  - id: {_q(slug)}",
        *when,
        f"    event: {_q(f'{MARKER}: the event behind {slug}, as sales would spot it')}",
        "    window_days: 90",
        f"    detect: {_q(f'{MARKER}: the data source or alert that shows it')}",
        f"    weight: {weight}",
    ]


def _anti(candidate: AntiCandidate, base: float, words: Outcome = DEALS) -> list[str]:
    return [
        f"  # {percent(candidate.loss_share)} of all {words.negatives}",
        f"  - id: {candidate.id}",
        f"    when: {{{candidate.field}: {{{_match(candidate.match)}}}}}",
        f"    reason: {_q(candidate.reason(base, words))}",
    ]


_YAML12_SPECIAL = re.compile(r"(?i)true|false|null|yes|no|on|off|y|n|~|\.inf|\.nan")


def _q(value: str) -> str:
    """`value` as one YAML flow scalar that reads back as exactly `value`."""
    # Line breaks and tabs would be folded over several lines: escape them in double quotes.
    # PyYAML resolves plain scalars by YAML 1.1 and icpkit reads them by 1.2, where `2e7`
    # is a number: anything that is not plainly a word is quoted.
    plain = value[:1].isalpha() and not _YAML12_SPECIAL.fullmatch(value)
    style = '"' if any(not ch.isprintable() for ch in value) else None if plain else "'"
    dumped: str = yaml.safe_dump(
        value, default_flow_style=True, default_style=style, width=10_000, allow_unicode=True
    )
    return dumped.strip().removesuffix("...").strip()
