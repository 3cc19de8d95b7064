"""One change between two ICP versions: its kind, what it can affect, where, and its words."""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from icpkit.findings import JsonPath

Key = tuple[str, ...]  # a path in which list items are named by their natural key


class Kind(enum.Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class Category(enum.Enum):
    """What a change can affect: scores, the validation gates, where scored accounts go
    (`activation:`: route, SLA, ABM tier), the band a person forced on an account (the
    ICP's overrides file), or only the words."""

    SCORING = "scoring"
    GATE = "gate"
    ROUTING = "routing"
    OVERRIDE = "override"
    CONTENT = "content"

    @property
    def rank(self) -> int:
        return {"scoring": 0, "gate": 1, "routing": 2, "override": 3, "content": 4}[self.value]


@dataclass(frozen=True)
class Change:
    kind: Kind
    category: Category
    where: Key  # natural-key path, e.g. ("triggers", "new-cfo", "weight")
    before: Any
    after: Any
    path: JsonPath  # position in the newer file (the older one for removals), for line numbers
    summary: str = ""
    line: int | None = None
    # Where the line is when it is not the ICP file: the ICP's overrides file.
    file: str | None = None

    @property
    def location(self) -> str:
        """`triggers[new-cfo].weight`: readable, and stable when items are reordered."""
        out = ""
        for part in self.where:
            out += part if is_item(part) else (f".{part}" if out else part)
        return out

    @property
    def fingerprint(self) -> str:
        """Same change, same fingerprint, whatever else changed in the file or its order."""
        blob = json.dumps(
            [self.kind.value, list(self.where), self.before, self.after],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]


def item(name: str) -> str:
    """A list item's part of a path: `[new-cfo]`, so paths stay plain strings."""
    return f"[{name}]"


def is_item(part: str) -> bool:
    return part.startswith("[") and part.endswith("]")
