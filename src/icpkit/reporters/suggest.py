"""`icp suggest` output: the wins-vs-losses table, the proposed rules and how they score."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from icpkit.describe import describe_match
from icpkit.scorer.backtest import BacktestResult
from icpkit.suggest.draft import weights
from icpkit.suggest.evidence import FieldEvidence
from icpkit.suggest.run import Suggestion

_OUTCOME_LABELS = {"amount_usd": "Deal size (amount_usd)", "cycle_days": "Sales cycle (cycle_days)"}


def render_text(suggestion: Suggestion, written: str | None = None) -> str:
    ev = suggestion.evidence
    closed = ev.wins + ev.losses
    out = [
        f"Wins vs losses: {suggestion.deals_file}, {closed} closed deals ({ev.wins} won, "
        f"{ev.losses} lost; win rate {ev.base_rate:.0%})",
        "",
    ]
    rows: list[Sequence[str]] = [("Characteristic", "Wins", "Losses", "Difference")]
    for field in (*ev.fields, *ev.outcomes):
        label = _OUTCOME_LABELS.get(field.field, field.field)
        rows.append((label, field.wins, field.losses, field.difference))
    out += _table(rows)
    weight = weights(ev)
    out += [
        "",
        "Proposed rules (weight in proportion to power: share of wins matched minus share of "
        "losses matched)",
    ]
    rules: list[Sequence[str]] = [("", "rule", "wins", "losses", "lift", "power", "weight")]
    for field in ev.fields:
        if field.used and field.match is not None:
            rules.append(_rule_row(field, weight[f"field:{field.field}"]))
    for trigger in ev.triggers:
        if trigger.used:
            rules.append((
                f"trigger {trigger.id}", "present", f"{trigger.win_share:.0%}",
                f"{trigger.loss_share:.0%}", f"{trigger.lift:.2f}x", f"{trigger.power:.2f}",
                str(weight[f"trigger:{trigger.id}"]),
            ))  # fmt: skip
    out += _table(rules)
    anti = [a for f in ev.fields for a in f.anti]
    if anti:
        out += ["", "Anti-ICP candidates (where losses concentrate)"]
        out += _table(
            [("", "when", "deals", "lost", "share of all losses")]
            + [
                (a.id, f"{a.field}: {describe_match(a.field, a.match)}", str(a.deals),
                 str(a.losses), f"{a.loss_share:.0%}")
                for a in anti
            ]
        )  # fmt: skip
    unused = [f for f in ev.fields if not f.used]
    unused_triggers = [t for t in ev.triggers if not t.used]
    if unused or unused_triggers:
        out += ["", "Not used (no reliable difference between wins and losses):"]
        out += [f"  {f.field}{f': {f.note}' if f.note else ''}" for f in unused]
        out += [f"  trigger {t.id}: lift {t.lift:.2f}x, in {t.wins} wins" for t in unused_triggers]
    out += ["", _auc_line("Draft, on the deals it was fitted on", suggestion.fit)]
    if suggestion.holdout is not None:
        since = suggestion.holdout.since.isoformat()
        out.append(
            _auc_line(
                f"Draft, on later deals (closed on or after {since})", suggestion.holdout.draft
            )
        )
        if suggestion.holdout.current is not None:
            current = suggestion.holdout.current
            out.append(
                _auc_line(
                    f"Current ICP {current.icp_id} {current.icp_version}, same later deals", current
                )
            )
    elif suggestion.current is not None:
        current = suggestion.current
        out.append(
            _auc_line(f"Current ICP {current.icp_id} {current.icp_version}, same deals", current)
        )
    if suggestion.skipped:
        out += ["", "Columns left out: " + "; ".join(suggestion.skipped)]
    if written:
        todo = suggestion.draft_text.count("TODO(author)")
        out += [
            "",
            f"Draft written to {written}: write the {todo} TODO(author) sections "
            "(personas, psychographics, playbook ...), then run `icp check`.",
        ]
    return "\n".join(out) + "\n"


def _rule_row(field: FieldEvidence, weight: int) -> tuple[str, ...]:
    assert field.match is not None
    return (
        field.field, describe_match(field.field, field.match), f"{field.win_share:.0%}",
        f"{field.loss_share:.0%}", f"{field.lift:.2f}x", f"{field.power:.2f}", str(weight),
    )  # fmt: skip


def _auc_line(label: str, result: BacktestResult) -> str:
    auc = "n/a" if result.auc is None else f"{result.auc:.3f}"
    return f"{label}: AUC {auc} on {result.closed} closed deals"


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def render_json(suggestion: Suggestion, written: str | None = None) -> str:
    def result(r: BacktestResult | None) -> dict[str, Any] | None:
        if r is None:
            return None
        return {"icp_id": r.icp_id, "icp_version": r.icp_version, "auc": r.auc, "closed": r.closed,
                "wins_good_or_better": r.wins_good_or_better,
                "losses_below_possible": r.losses_below_possible}  # fmt: skip

    data = {
        "deals_file": suggestion.deals_file,
        "fields": suggestion.kinds,
        "evidence": asdict(suggestion.evidence),
        "weights": weights(suggestion.evidence),
        "fit": result(suggestion.fit),
        "current": result(suggestion.current),
        "holdout": None
        if suggestion.holdout is None
        else {
            "since": suggestion.holdout.since.isoformat(),
            "draft": result(suggestion.holdout.draft),
            "current": result(suggestion.holdout.current),
        },
        "skipped": list(suggestion.skipped),
        "draft": written,
    }
    return json.dumps(data, indent=2, default=_plain) + "\n"


def _plain(value: object) -> object:
    if hasattr(value, "value"):
        return value.value
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
