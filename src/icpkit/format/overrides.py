"""An ICP's overrides file: accounts whose band a person decides instead of the model.

The seeds let sales override a score "with justification" and keep 10-15% of prospecting
capacity for accounts outside the ICP; this file is where those decisions live, reviewed
like the ICP itself. Each entry names an account, the band forced on it (`band`) or its
place on the target list (`target: include | exclude`), a reason, an owner and an expiry.

Read with the ICP loader (every value keeps its line and column) and checked against
`schema/overrides.schema.json`; nothing here raises for bad content: `icp check` reports
each problem as a finding, and `require_valid` turns the first one into an error for the
commands that apply the overrides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from icpkit.errors import InputError
from icpkit.findings import Mark, Violation
from icpkit.format import schema
from icpkit.format.loader import Document, load_file

SUFFIX = ".overrides.yaml"
FORMAT = "icp-overrides/1"
INCLUDE, EXCLUDE = "include", "exclude"
# What `target: include` lifts an account to: the lowest band on the target list.
INCLUDED_BAND = "good"
ON_TARGET_LIST = frozenset({"strong", "good"})
EXCLUDED_BAND = "disqualified"

# Kinds of problem, as `icp check` sorts them into rules.
INVALID, NO_REASON = "invalid", "no-reason"


@dataclass(frozen=True)
class Override:
    account: str
    reason: str
    owner: str
    expires: dt.date
    index: int  # its place in the `overrides` list
    band: str | None = None
    target: str | None = None

    def forced(self, model_band: str) -> str:
        """The band the account gets: `band`, or what `target` makes of the model's band."""
        if self.band is not None:
            return self.band
        if self.target == EXCLUDE:
            return EXCLUDED_BAND
        return model_band if model_band in ON_TARGET_LIST else INCLUDED_BAND

    def expired(self, today: dt.date) -> bool:
        """Past its expiry date: an override valid through `expires` applies on that day."""
        return self.expires < today

    @property
    def lifts(self) -> bool:
        """Whether it can put an account on the target list (spends non-ICP capacity)."""
        return self.target == INCLUDE or self.band in ON_TARGET_LIST

    @property
    def decision(self) -> str:
        """`band strong`, `target include`: what the entry says, in its own words."""
        return f"band {self.band}" if self.band is not None else f"target {self.target}"


@dataclass(frozen=True)
class Overrides:
    """One overrides file: its valid entries, and every problem found in it."""

    path: Path
    doc: Document
    entries: tuple[Override, ...]
    problems: tuple[tuple[str, Violation], ...] = ()

    def active(self, today: dt.date) -> tuple[Override, ...]:
        return tuple(e for e in self.entries if not e.expired(today))

    def expired(self, today: dt.date) -> tuple[Override, ...]:
        return tuple(e for e in self.entries if e.expired(today))

    def where(self, entry: Override) -> Mark:
        return self.doc.locate(("overrides", entry.index))

    def located(self, violation: Violation) -> str:
        """`path:line:col: message`, as an error names the place."""
        mark = violation.mark or self.doc.locate(violation.path)
        return f"{self.path}:{mark.line}:{mark.column}: {violation.message}"


def load_overrides(path: Path, icp_id: str, *, max_bytes: int | None = None) -> Overrides:
    """Read and check the overrides file of ICP `icp_id`. Never raises for bad content."""
    doc = load_file(path) if max_bytes is None else load_file(path, max_bytes=max_bytes)
    problems: list[tuple[str, Violation]] = [(INVALID, v) for _, v in doc.violations]
    if not doc.readable:
        return Overrides(path, doc, (), tuple(problems))
    found = schema.validate(doc, schema.OVERRIDES_SCHEMA)
    problems += [(NO_REASON if _about_reason(v) else INVALID, v) for v in found]
    data: Any = doc.data
    if not isinstance(data, dict):
        return Overrides(path, doc, (), tuple(problems))
    named = data.get("icp")
    if isinstance(named, str) and named != icp_id:
        problems.append(
            (
                INVALID,
                Violation(
                    ("icp",),
                    f"`icp` is {named!r}, but this file overrides ICP {icp_id!r}: "
                    "overrides apply to one ICP, named here",
                ),
            )
        )
    bad = {v.path[1] for _, v in problems if v.path[:1] == ("overrides",) and len(v.path) > 1}
    entries = _entries(data.get("overrides"), bad)
    problems += _repeated(entries, doc)
    return Overrides(path, doc, entries, tuple(problems))


def _about_reason(violation: Violation) -> bool:
    return violation.path[-1:] == ("reason",) or "required key `reason`" in violation.message


def _entries(items: Any, bad: set[str | int]) -> tuple[Override, ...]:
    if not isinstance(items, list):
        return ()
    return tuple(
        Override(
            account=item["account"].strip(),
            reason=item["reason"].strip(),
            owner=item["owner"].strip(),
            expires=dt.date.fromisoformat(item["expires"]),
            index=index,
            band=item.get("band"),
            target=item.get("target"),
        )
        for index, item in enumerate(items)
        if index not in bad and isinstance(item, dict)
    )


def _repeated(entries: tuple[Override, ...], doc: Document) -> list[tuple[str, Violation]]:
    """An account named twice: which entry applies would be a guess."""
    first: dict[str, Override] = {}
    found = []
    for entry in entries:
        earlier = first.setdefault(entry.account, entry)
        if earlier is not entry:
            line = doc.locate(("overrides", earlier.index)).line
            found.append(
                (
                    INVALID,
                    Violation(
                        ("overrides", entry.index, "account"),
                        f"account {entry.account!r} is overridden twice (first at line {line}); "
                        "keep one entry per account",
                    ),
                )
            )
    return found


def require_valid(overrides: Overrides) -> Overrides:
    """`overrides`, or an InputError naming the first problem's file, line and column."""
    if not overrides.problems:
        return overrides
    ordered = sorted(
        (p for _, p in overrides.problems),
        key=lambda v: v.mark or overrides.doc.locate(v.path),
    )
    more = len(ordered) - 1
    tail = f"\n({more} more; `icp check` lists them all)" if more else ""
    raise InputError(overrides.located(ordered[0]) + tail)
