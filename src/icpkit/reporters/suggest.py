"""`icp suggest` output: the wins-vs-losses table, the proposed rules and how they score."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from icpkit.format.describe import describe_match
from icpkit.reporters.registry import register
from icpkit.reporters.segments import segments_json, segments_text
from icpkit.scorer.backtest import BacktestResult
from icpkit.suggest.draft import GUESSED, coverage, weights
from icpkit.suggest.evidence import FieldEvidence
from icpkit.suggest.folds import CrossValidation
from icpkit.suggest.outcome import DEALS, Outcome
from icpkit.suggest.run import Suggestion
from icpkit.text import apart, percent

_OUTCOME_LABELS = {"amount_usd": "Deal size (amount_usd)", "cycle_days": "Sales cycle (cycle_days)"}


def render_text(
    suggestion: Suggestion,
    written: str | None = None,
    segment_files: Mapping[str, str] | None = None,
) -> str:
    ev, o = suggestion.evidence, suggestion.outcome
    closed = ev.wins + ev.losses
    out = [
        f"{o.title}: {suggestion.deals_file}, {closed:,} {o.rows} ({ev.wins:,} {o.positive_one}, "
        f"{ev.losses:,} {o.negative_one}; {o.rate} {percent(ev.base_rate)})",
        *([f"Target {o.target}: {o.definition}"] if o.target else []),
        "",
    ]
    rows: list[Sequence[str]] = [("Characteristic", _cap(o.positives), _cap(o.negatives),
                                  "Difference")]  # fmt: skip
    for field in (*ev.fields, *ev.outcomes):
        label = _OUTCOME_LABELS.get(field.field, field.field)
        rows.append((label, field.wins, field.losses, field.difference))
    out += _table(rows)
    if suggestion.draft_text is None:
        out += ["", suggestion.no_draft[0].upper() + suggestion.no_draft[1:] + "."]
        out += _not_used(suggestion)
        out += _left_out(suggestion)
        if suggestion.warnings:
            out += ["", *(f"Warning: {w}" for w in suggestion.warnings)]
        if suggestion.segments is not None:
            out += segments_text(suggestion.segments, segment_files or {}, _table)
        return "\n".join(out) + "\n"
    weight = weights(ev)
    out += [
        "",
        f"Proposed rules (weight in proportion to power: share of {o.positives} matched minus "
        f"share of {o.negatives} matched, of all {o.rows}: an unknown value does not match)",
    ]
    rules: list[Sequence[str]] = [("", "rule", o.positives, o.negatives, "lift", "power",
                                   "weight", "known")]  # fmt: skip
    for field in ev.fields:
        if field.used and field.match is not None:
            rules.append(_rule_row(field, weight[f"field:{field.field}"]))
            rules += [
                (f"  partial credit {p.credit:g}", describe_match(field.field, p.match),
                 percent(p.win_share), percent(p.loss_share), f"{p.lift:.2f}x", "", "", "")
                for p in field.partial
            ]  # fmt: skip
    for trigger in ev.triggers:
        if trigger.used:
            rules.append((
                f"trigger {trigger.id}", "present", percent(trigger.win_share),
                percent(trigger.loss_share), f"{trigger.lift:.2f}x", f"{trigger.power:.2f}",
                str(weight[f"trigger:{trigger.id}"]), "",
            ))  # fmt: skip
    out += _table(rules)
    segments = [f for f in ev.fields if f.used and f.note.startswith("a minority segment")]
    out += [f"  {f.field}: {f.note}" for f in segments]
    anti = [a for f in ev.fields for a in f.anti]
    if anti:
        out += ["", f"Anti-ICP candidates (where {o.negatives} concentrate)"]
        out += _table(
            [("", "when", f"{o.row}s", o.negative_one, f"share of all {o.negatives}")]
            + [
                (a.id, f"{a.field}: {describe_match(a.field, a.match)}", str(a.deals),
                 str(a.losses), percent(a.loss_share))
                for a in anti
            ]
        )  # fmt: skip
    out += _not_used(suggestion)
    out += _layers(suggestion)
    assert suggestion.fit is not None
    places = _places(suggestion)
    out += ["", _auc_line(f"Draft, on the {o.key} it was fitted on (in-sample: optimistic)",
                          suggestion.fit, places, o)]  # fmt: skip
    if suggestion.holdout is not None:
        since = suggestion.holdout.since.isoformat()
        out.append(
            _auc_line(
                f"Draft, on later deals (closed on or after {since})",
                suggestion.holdout.draft,
                places,
            )
        )
        if suggestion.holdout.current is not None:
            current = suggestion.holdout.current
            out.append(
                _auc_line(
                    f"Current ICP {current.icp_id} {current.icp_version}, same later deals",
                    current,
                    places,
                )
            )
    elif suggestion.folds is not None:
        out += _folds(suggestion.folds, suggestion.current, places, o)
    else:
        if suggestion.current is not None:
            current = suggestion.current
            out.append(
                _auc_line(
                    f"Current ICP {current.icp_id} {current.icp_version}, same deals",
                    current,
                    places,
                )
            )
        out.append(
            "For an AUC on deals the draft was not fitted on: --holdout-since DATE, or "
            "--folds 5 when the deals have no dates."
        )
    out += _left_out(suggestion)
    if suggestion.warnings:
        out += ["", *(f"Warning: {w}" for w in suggestion.warnings)]
    if suggestion.segments is not None:
        out += segments_text(suggestion.segments, segment_files or {}, _table)
    if written:
        todo = suggestion.draft_text.count("TODO(author)")
        out += [
            "",
            f"Draft written to {written}: write the {todo} TODO(author) sections "
            "(personas, psychographics, playbook ...), then run `icp check`.",
        ]
    return "\n".join(out) + "\n"


def _not_used(suggestion: Suggestion) -> list[str]:
    ev, o = suggestion.evidence, suggestion.outcome
    unused = [f for f in ev.fields if not f.used]
    unused_triggers = [t for t in ev.triggers if not t.used]
    if not unused and not unused_triggers:
        return []
    out = ["", f"Not used (no reliable difference between {o.positives} and {o.negatives}):"]
    out += [f"  {f.field}{_why_not(f, o)}" for f in unused]
    out += [
        f"  trigger {t.id}: lift {t.lift:.2f}x, in {t.wins:,} {o.positives}"
        for t in unused_triggers
    ]
    return out


def _why_not(field: FieldEvidence, o: Outcome = DEALS) -> str:
    if field.match is None or field.power <= 0:
        return f": {field.note}" if field.note else ""
    rule = describe_match(field.field, field.match)
    return (
        f": {rule} has power {field.power:.2f} at {field.lift:.2f}x, within what chance gives "
        f"on {field.all_wins + field.all_losses:,} {o.row}s"
    )


def _left_out(suggestion: Suggestion) -> list[str]:
    leaky = [c for c in suggestion.left_out if c.leakage]
    other = [c for c in suggestion.left_out if not c.leakage]
    out = []
    if leaky:
        out += ["", "Left out as probable leakage (they describe the sale, not the buyer; "
                "--only COL uses one anyway):"]  # fmt: skip
        out += [f"  {c}" for c in leaky]
    if other:
        out += ["", "Columns left out: " + "; ".join(str(c) for c in other)]
    return out


def _layers(suggestion: Suggestion) -> list[str]:
    guessed = [f for f, (_, how) in suggestion.layers.items() if how == GUESSED]
    if not guessed:
        return []
    return [
        "",
        "Layer guessed (nothing in the name says; firmographics by default, move it in the "
        "draft if wrong): " + ", ".join(guessed),
    ]


def _folds(
    folds: CrossValidation, current: BacktestResult | None, places: int, o: Outcome = DEALS
) -> list[str]:
    spread = [a for a in folds.fold_aucs if a is not None]
    across = f"; folds {min(spread):.{places}f}-{max(spread):.{places}f}" if spread else ""
    target = f" for {o.target} ({o.positives} above {o.negatives})" if o.target else ""
    out = [
        f"Draft, out of fold ({folds.folds} folds by account or distinct {o.row}, seed "
        f"{folds.seed}): AUC {_auc(folds.auc, folds.auc_interval, places)}{target} on "
        f"{folds.scored:,} {o.rows}{across}"
    ]
    if folds.empty_folds:
        out.append(
            f"  {folds.empty_folds} of {folds.folds} folds found no rule in their training part "
            f"and scored their {o.row}s as ties"
        )
    if current is not None:
        out.append(
            _auc_line(
                f"Current ICP {current.icp_id} {current.icp_version}, same {o.key}",
                current,
                places,
                o,
            )
        )
    else:
        out.append("No current ICP to compare with: name one with --current ICP.")
    return out


def _rule_row(field: FieldEvidence, weight: int) -> tuple[str, ...]:
    assert field.match is not None
    return (
        field.field, describe_match(field.field, field.match), percent(field.win_share),
        percent(field.loss_share), f"{field.lift:.2f}x", f"{field.power:.2f}", str(weight),
        coverage(field),
    )  # fmt: skip


def _auc_line(label: str, result: BacktestResult, places: int, o: Outcome = DEALS) -> str:
    auc = _auc(result.auc, result.auc_interval, places)
    return f"{label}: AUC {auc} on {result.closed:,} {o.rows}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _auc(value: float | None, interval: tuple[float, float] | None, places: int = 2) -> str:
    if value is None:
        return "n/a"
    if interval is None:
        return f"{value:.{places}f}"
    return f"{value:.{places}f} (95% CI {interval[0]:.{places}f}-{interval[1]:.{places}f})"


def _places(suggestion: Suggestion) -> int:
    """One number of decimals for every AUC in the report: enough to tell the draft's
    out-of-sample AUC from the current ICP's (see text.apart); the in-sample figure is
    only a reference, so it does not widen them."""
    holdout, folds = suggestion.holdout, suggestion.folds
    results = [suggestion.current]
    if holdout is not None:
        results += [holdout.draft, holdout.current]
    aucs = [r.auc for r in results if r is not None]
    return apart(*aucs, folds.auc if folds else None)


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def render_json(
    suggestion: Suggestion,
    written: str | None = None,
    segment_files: Mapping[str, str] | None = None,
) -> str:
    def result(r: BacktestResult | None) -> dict[str, Any] | None:
        if r is None:
            return None
        return {"icp_id": r.icp_id, "icp_version": r.icp_version, "auc": r.auc, "closed": r.closed,
                "wins_good_or_better": r.wins_good_or_better,
                "losses_below_possible": r.losses_below_possible}  # fmt: skip

    o = suggestion.outcome
    data = {
        "deals_file": suggestion.deals_file,
        "from": o.key,
        "target": o.target,
        "best": o.definition or None,
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
        "folds": None if suggestion.folds is None else asdict(suggestion.folds),
        "out_of_sample": _out_of_sample(suggestion),
        "layers": {
            f: {"layer": layer, "from": how} for f, (layer, how) in suggestion.layers.items()
        },
        "left_out": [
            {
                "column": c.column,
                "field": c.field,
                "kind": c.kind,
                "reason": c.reason,
                "leakage": c.leakage,
            }
            for c in suggestion.left_out
        ],
        "skipped": list(suggestion.skipped),
        "warnings": list(suggestion.warnings),
        "draft": written,
        "message": None if suggestion.draft_text is not None else suggestion.no_draft,
    }
    if suggestion.segments is not None:
        data["segments"] = segments_json(suggestion.segments, segment_files or {})
    return json.dumps(data, indent=2, default=_plain) + "\n"


def _out_of_sample(suggestion: Suggestion) -> dict[str, Any] | None:
    """The draft's AUC on rows it was not fitted on, for the outcome it was fitted to."""
    o = suggestion.outcome
    if suggestion.folds is not None:
        auc, interval, on = suggestion.folds.auc, suggestion.folds.auc_interval, "folds"
    elif suggestion.holdout is not None:
        held = suggestion.holdout.draft
        auc, interval, on = held.auc, held.auc_interval, "holdout"
    else:
        return None
    return {"auc": auc, "auc_interval": interval, "on": on,
            "ranks": f"{o.positives} above {o.negatives}", "target": o.target}  # fmt: skip


def _plain(value: object) -> object:
    if hasattr(value, "value"):
        return value.value
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


register(Suggestion, "text", render_text)
register(Suggestion, "json", render_json)
