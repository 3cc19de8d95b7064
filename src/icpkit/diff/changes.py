"""The semantic diff of two ICP versions: what changed, where, and whether it moves scores.

List items are matched by their natural key (trigger id, anti-ICP id, persona role,
channel, approver role) before comparing, so inserting one item reads as one "added"
rather than as every later item changed. Lists of plain text are aligned with difflib,
and value lists (`in`, `any`, `all`, `recommends`, `tests`) are compared as sets.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from icpkit.diff.change import Category, Change, Key, Kind, is_item, item
from icpkit.diff.wording import summarise
from icpkit.findings import JsonPath
from icpkit.format.model import LAYERS

# Lists of mappings whose items have a natural key, by the path of the list.
_KEYED: dict[Key, str] = {
    ("triggers",): "id",
    ("anti_icp",): "id",
    ("personas",): "role",
    ("reachability",): "channel",
    ("budget_authority", "approves"): "role",
    ("activation", "abm_tiers"): "tier",
    # The overrides file's entries (`diff_overrides`): an ICP has no `overrides` key.
    ("overrides",): "account",
}
# Lists of mappings without a key: aligned by this field's text. A text item (an objection
# without a response) is aligned by itself, so giving it an answer reads as one change.
_ALIGNED: dict[Key, str] = {
    ("qualification", "questions"): "ask",
    ("personas", "objections"): "objection",
    ("alternatives",): "alternative",
}
# Lists whose order means nothing: compared as sets of values.
_SETS = frozenset({"in", "any", "all", "recommends", "tests"})
# Compared as one value: a partial-credit list reads better whole than item by item.
_WHOLE = frozenset({"partial"})


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every change from `old` to `new` (schema-valid ICP data), scoring changes first."""
    found = list(_walk(old, new, (), (), ()))
    order = {id(c): i for i, c in enumerate(found)}
    return sorted(found, key=lambda c: (c.category.rank, order[id(c)]))


def diff_overrides(old: Any, new: Any) -> list[Change]:
    """Every change between two versions of an ICP's overrides file (its YAML data, None
    where there is no file), entry by entry: the account names an entry. Old commits need
    not be valid, so anything but a list of entries reads as none."""
    before, after = _entries(old), _entries(new)
    return list(_walk({"overrides": before}, {"overrides": after}, (), (), ()))


def _entries(data: Any) -> list[Any]:
    entries = data.get("overrides") if isinstance(data, Mapping) else None
    return entries if isinstance(entries, list) else []


def _walk(
    old: Any, new: Any, where: Key, old_path: JsonPath, new_path: JsonPath
) -> Iterator[Change]:
    if old == new:
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in [*new, *(k for k in old if k not in new)]:
            name = str(key)
            if key not in old:
                yield _change(Kind.ADDED, (*where, name), None, new[key], (*new_path, key))
            elif key not in new:
                yield _change(Kind.REMOVED, (*where, name), old[key], None, (*old_path, key))
            else:
                yield from _walk(
                    old[key], new[key], (*where, name), (*old_path, key), (*new_path, key)
                )
    elif isinstance(old, list) and isinstance(new, list) and (where and where[-1] not in _WHOLE):
        yield from _walk_list(old, new, where, old_path, new_path)
    else:
        yield _change(Kind.CHANGED, where, old, new, new_path)


def _walk_list(
    old: list[Any], new: list[Any], where: Key, old_path: JsonPath, new_path: JsonPath
) -> Iterator[Change]:
    pattern = _pattern(where)
    if pattern in _KEYED:
        yield from _walk_keyed(old, new, where, _KEYED[pattern], old_path, new_path)
    elif where[-1] in _SETS and _scalars(old) and _scalars(new):
        yield _change(Kind.CHANGED, where, old, new, new_path)
    elif pattern in _ALIGNED:
        field = _ALIGNED[pattern]
        yield from _walk_aligned(
            old,
            new,
            where,
            lambda entry: (
                _one_line(str(entry.get(field))) if isinstance(entry, Mapping) else _identity(entry)
            ),
            old_path,
            new_path,
        )
    else:
        yield from _walk_aligned(old, new, where, _identity, old_path, new_path)


def _walk_keyed(
    old: list[Any], new: list[Any], where: Key, field: str, old_path: JsonPath, new_path: JsonPath
) -> Iterator[Change]:
    before, after = _keyed(old, field), _keyed(new, field)
    for name, (index, entry) in after.items():
        if name not in before:
            yield _change(Kind.ADDED, (*where, item(name)), None, entry, (*new_path, index))
        else:
            old_index, old_item = before[name]
            yield from _walk(
                old_item, entry, (*where, item(name)), (*old_path, old_index), (*new_path, index)
            )
    for name, (index, entry) in before.items():
        if name not in after:
            yield _change(Kind.REMOVED, (*where, item(name)), entry, None, (*old_path, index))


def _keyed(items: Sequence[Any], field: str) -> dict[str, tuple[int, Any]]:
    """Items by key; a repeated key (two `linkedin` channels) gets `#2`, `#3` ..."""
    out: dict[str, tuple[int, Any]] = {}
    for index, entry in enumerate(items):
        base = _key_of(entry, field)
        name, n = base, 1
        while name in out:
            n += 1
            name = f"{base}#{n}"
        out[name] = (index, entry)
    return out


def _key_of(entry: Any, field: str) -> str:
    """The item's name on one line: `(no account)` when the key is missing (a typo in an
    old commit), control characters escaped so a text report keeps a line per change."""
    if not isinstance(entry, Mapping):
        return _identity(entry)
    value = entry.get(field)
    if value is None or value == "":
        return f"(no {field})"
    return _one_line(str(value))


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _walk_aligned(
    old: list[Any],
    new: list[Any],
    where: Key,
    label: Callable[[Any], str],
    old_path: JsonPath,
    new_path: JsonPath,
) -> Iterator[Change]:
    matcher = difflib.SequenceMatcher(None, [label(x) for x in old], [label(x) for x in new], False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                # Same label, other fields may differ (a question's `tests`).
                yield from _walk(
                    old[i], new[j], (*where, item(label(new[j]))), (*old_path, i), (*new_path, j)
                )
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            i, j = i1 + k, j1 + k
            if isinstance(old[i], Mapping) and isinstance(new[j], Mapping):
                yield from _walk(
                    old[i], new[j], (*where, item(label(new[j]))), (*old_path, i), (*new_path, j)
                )
            else:
                yield _change(
                    Kind.CHANGED, (*where, item(label(new[j]))), old[i], new[j], (*new_path, j)
                )
        for i in range(i1 + pairs, i2):
            yield _change(Kind.REMOVED, (*where, item(label(old[i]))), old[i], None, (*old_path, i))
        for j in range(j1 + pairs, j2):
            yield _change(Kind.ADDED, (*where, item(label(new[j]))), None, new[j], (*new_path, j))


def _identity(item: Any) -> str:
    if isinstance(item, str):
        return _one_line(item)
    return json.dumps(item, sort_keys=True, default=str)


def _one_line(text: str) -> str:
    """Control characters escaped (`\\n`), so a text report keeps one line per change."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def _scalars(items: list[Any]) -> bool:
    return all(not isinstance(x, (list, Mapping)) for x in items)


def _change(kind: Kind, where: Key, before: Any, after: Any, path: JsonPath) -> Change:
    category = categorise(where, before if after is None else after)
    change = Change(kind, category, where, before, after, path)
    return replace(change, summary=summarise(change))


def categorise(where: Key, value: Any = None) -> Category:
    """`scoring` when scores can move, `gate` for validation, `routing` for what `icp score`
    routes and tiers (activation), `override` for the overrides file, else `content`."""
    if any(part.startswith("x-") for part in where):
        return Category.CONTENT
    head = where[0] if where else ""
    if head in LAYERS:
        return (
            Category.CONTENT
            if where[-1] in ("label", "source") and len(where) == 3
            else Category.SCORING
        )
    if head == "scoring":
        return Category.SCORING
    if head == "validation":
        return Category.GATE
    if head == "activation":
        return Category.ROUTING
    if head == "overrides":
        return Category.OVERRIDE
    if head == "triggers":
        scored = len(where) <= 2 or where[2] in ("weight", "when")
        return Category.SCORING if scored else Category.CONTENT
    if head == "anti_icp":
        if len(where) == 2:
            entry = value if isinstance(value, Mapping) else {}
            return Category.SCORING if entry.get("when") else Category.CONTENT
        return Category.SCORING if where[2] == "when" else Category.CONTENT
    return Category.CONTENT


def _pattern(where: Key) -> Key:
    """The path with item keys dropped, to look up how a list is matched."""
    return tuple(p for p in where if not is_item(p))
