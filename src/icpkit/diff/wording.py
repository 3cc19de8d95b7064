"""One line per change, in the reviewer's words: numbers, direction, what it does."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from icpkit.diff.change import Category, Change, Kind, is_item
from icpkit.format.describe import describe_match
from icpkit.format.model import LAYERS, parse_match
from icpkit.text import number, percent, plural

_ITEM_NAMES = {
    "triggers": "trigger",
    "anti_icp": "anti-ICP",
    "personas": "persona",
    "reachability": "channel",
    "approves": "approver",
    "questions": "question",
    "abm_tiers": "ABM tier",
    "overrides": "override for",
}
_SHORT = 80


def count_text(changes: Sequence[Change], *, none: str = "no changes") -> str:
    """`5 changes: 3 scoring, 2 content`: one way everywhere a list of changes is counted."""
    if not changes:
        return none
    parts = [f"{n} {c.value}" for c in Category if (n := sum(x.category is c for x in changes))]
    return f"{plural(len(changes), 'change')}: {', '.join(parts)}"


def summarise(change: Change) -> str:
    try:
        return _summary(change)
    except (TypeError, ValueError, AttributeError, KeyError, IndexError):
        # Old commits need not be schema-valid; an odd value still gets a plain line.
        return f"{'.'.join(change.where)}: {change.kind.value}"


def _summary(change: Change) -> str:
    where = change.where
    if is_item(where[-1]) and where[-2] not in _ITEM_NAMES:
        return _text_item(change)
    subject = subject_of(where)
    if change.kind is Kind.ADDED and not isinstance(change.after, (Mapping, list)):
        return f"{subject}: set to {_show(change.after)}"
    if change.kind is Kind.REMOVED and not isinstance(change.before, (Mapping, list)):
        return f"{subject}: removed (was {_show(change.before)})"
    if change.kind is Kind.ADDED:
        return f"{subject}: added{_detail(where, change.after)}"
    if change.kind is Kind.REMOVED:
        return f"{subject}: removed{_detail(where, change.before)}"
    before, after = change.before, change.after
    last = where[-1]
    if last in ("in", "any", "all", "recommends", "tests") and isinstance(after, list):
        return f"{subject}: {_set_change(last, before, after)}"
    if _number(before) and _number(after):
        return f"{subject} {_num(before)} -> {_num(after)}: {_direction(where, before, after)}"
    if isinstance(before, str) and isinstance(after, str):
        if " " in before or " " in after:
            return f"{subject}: {reworded(before, after)}"
        return f"{subject} {before} -> {after}"
    if last == "partial":
        return f"{subject}: partial credit {_partials(where, before)} -> {_partials(where, after)}"
    return f"{subject}: {_short(before)} -> {_short(after)}"


def _text_item(change: Change) -> str:
    """An entry of a plain-text list: `psychographics: added "Values speed over polish"`."""
    subject = subject_of(change.where[:-1])
    if change.kind is Kind.ADDED:
        return f"{subject}: added {_quote(change.after)}"
    if change.kind is Kind.REMOVED:
        return f"{subject}: removed {_quote(change.before)}"
    return f"{subject}: {_quote(change.before)} {reworded(str(change.before), str(change.after))}"


def _show(value: Any) -> str:
    return (
        _num(value) if _number(value) else _quote(value) if isinstance(value, str) else str(value)
    )


def subject_of(where: tuple[str, ...]) -> str:
    """`trigger new-cfo weight`, `employees min`, `anti-ICP single-currency currencies_count`."""
    head = where[0]
    if head in LAYERS and len(where) >= 2:
        rest = where[2:]
        return " ".join((where[1], *(_plain(p) for p in rest)))
    words: list[str] = []
    for index, part in enumerate(where):
        if is_item(part):
            noun = _ITEM_NAMES.get(where[index - 1], "item")
            if words and words[-1] == where[index - 1]:
                words[-1] = noun
            name = part[1:-1]
            words.append(_quote(name) if " " in name else name)
        elif part != "when" or index == len(where) - 1:
            words.append(part)
    return " ".join(words)


def _plain(part: str) -> str:
    return part[1:-1] if is_item(part) else part


def _quote(text: str) -> str:
    return f'"{_short(text)}"'


def _detail(where: tuple[str, ...], value: Any) -> str:
    head = where[0]
    if head in LAYERS and len(where) == 2 and isinstance(value, Mapping):
        return f" ({_rule(where[1], value)})"
    if head in ("triggers", "anti_icp") and "when" in where and isinstance(value, Mapping):
        # The whole `when` (`...when`) or one field's condition (`...when.rfp`).
        rules = value if where[-1] == "when" else {where[-1]: value}
        verb = "fires when" if head == "triggers" else "disqualifies"
        return f" ({verb} {_conditions(rules)})"
    if head == "triggers" and isinstance(value, Mapping):
        fires = f" when {_conditions(value['when'])}" if value.get("when") else ""
        event = _short(str(value.get("event", "")))
        return f" ({_num(value.get('weight', 0))} points{fires}: {event})"
    if head == "anti_icp" and isinstance(value, Mapping):
        when = value.get("when")
        if isinstance(when, Mapping) and when:
            return f" (disqualifies {_conditions(when)})"
        return f" (signal: {_short(str(value.get('signal', '')))})"
    if head == "overrides" and isinstance(value, Mapping):
        forced = f"band {value['band']}" if "band" in value else f"target {value.get('target')}"
        until = f" until {value['expires']}" if "expires" in value else ""
        owner = f", {value['owner']}" if value.get("owner") else ""
        reason = f": {_short(str(value['reason']))}" if value.get("reason") else ""
        return f" ({forced}{until}{owner}{reason})"
    if head == "reachability" and isinstance(value, Mapping):
        return f" ({_short(str(value.get('detail', '')))})"
    if isinstance(value, str):
        return "" if is_item(where[-1]) else f": {_quote(value)}"
    if _number(value):
        return f": {_num(value)}"
    return ""


def _conditions(when: Mapping[str, Any]) -> str:
    return "; ".join(_rule(name, spec) for name, spec in when.items())


def _rule(field: str, spec: Mapping[str, Any]) -> str:
    text = f"{field} {describe_match(field, parse_match(spec))}"
    if "weight" in spec:
        text += f", weight {_num(spec['weight'])}"
    return text


def _partials(where: tuple[str, ...], value: Any) -> str:
    if not isinstance(value, list) or not value:
        return "none"
    field = where[1] if len(where) > 1 else ""
    return ", ".join(
        f"{describe_match(field, parse_match(p))} at {percent(float(p.get('credit', 0)))}"
        for p in value
        if isinstance(p, Mapping)
    )


def _set_change(form: str, before: Any, after: list[Any]) -> str:
    old = [str(v) for v in before] if isinstance(before, list) else [str(before)]
    new = [str(v) for v in after]
    added = [v for v in new if v.casefold() not in {o.casefold() for o in old}]
    removed = [v for v in old if v.casefold() not in {n.casefold() for n in new}]
    parts = []
    if added:
        parts.append(f"added {', '.join(added)}")
    if removed:
        parts.append(f"removed {', '.join(removed)}")
    if not parts:
        return "reordered"
    if form in ("in", "any") and not (added and removed):
        parts.append("widened" if added else "narrowed")
    elif form == "all" and not (added and removed):
        parts.append("narrowed" if added else "widened")
    return "; ".join(parts)


def _direction(where: tuple[str, ...], before: float, after: float) -> str:
    up = after > before
    last = where[-1]
    delta = after - before
    signed = f"{'+' if delta > 0 else ''}{_num(delta)}"
    if last == "min":
        text = "narrowed" if up else "widened"
    elif last == "max":
        text = "widened" if up else "narrowed"
    elif last == "weight":
        return f"{'raised' if up else 'lowered'} ({signed} points)"
    elif where[:2] == ("scoring", "bands"):
        return (
            f"{'raised' if up else 'lowered'}: the band is {'harder' if up else 'easier'} to reach"
        )
    elif where[0] == "validation" and last.startswith("min_"):
        return "stricter" if up else "looser"
    elif where[0] == "validation" and last.startswith("max_"):
        return "looser" if up else "stricter"
    elif last == "credit":
        return "more credit" if up else "less credit"
    else:
        return f"{'raised' if up else 'lowered'} ({signed})"
    if where[0] == "anti_icp":
        text += ": disqualifies more accounts" if text == "widened" else ": disqualifies fewer"
    elif where[0] == "triggers":
        text += ": fires for more accounts" if text == "widened" else ": fires for fewer"
    return text


def reworded(before: str, after: str) -> str:
    """`reworded: 4 words added, 2 removed` (the texts themselves go in the details)."""
    old, new = _words(before), _words(after)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    added = removed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed += i2 - i1
            added += j2 - j1
    parts = [
        f"{plural(n, 'word')} {what}" for n, what in ((added, "added"), (removed, "removed")) if n
    ]
    return "reworded: " + (", ".join(parts) if parts else "whitespace only")


def _words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _num(value: Any) -> str:
    return number(float(value)) if _number(value) else str(value)


def _short(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= _SHORT else text[: _SHORT - 3].rstrip() + "..."
