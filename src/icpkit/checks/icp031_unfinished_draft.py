from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from icpkit.checks.rule import DocContext, Scope, rule
from icpkit.findings import JsonPath, Violation

_PLACEHOLDER = re.compile(r"\bTODO\b")


@rule(
    "ICP031",
    "unfinished-draft",
    severity="error",
    category="validity",
    added="0.1.0",
    scope=Scope.DOCUMENT,
)
def unfinished_draft(ctx: DocContext) -> Iterator[Violation]:
    """A placeholder stands where the author has still to write.

    ## What it does
    Reports every text that still holds `TODO`, such as the `TODO(author)` placeholders
    `icp suggest` leaves in the sections only a person can write.

    ## Why is this bad?
    `icp suggest` drafts the scored sections from won and lost deals, but the data cannot
    say how buyers think, who signs, how to reach them or what to tell them. An ICP with
    placeholders there scores accounts but gives sales nothing to act on, and the site
    would publish the placeholders as the playbook.

    ## Example
    ```yaml
    psychographics:
      - "TODO(author): how the best customers think about the problem"
    ```

    ## Use instead
    ```yaml
    psychographics:
      - Treats the forecast as a board-level number, not a sales-team ritual
    ```
    """
    yield from _walk(ctx.doc.data, ())


def _walk(value: Any, path: JsonPath) -> Iterator[Violation]:
    if isinstance(value, str):
        if _PLACEHOLDER.search(value):
            shown = value if len(value) <= 70 else value[:67] + "..."
            yield Violation(path, f"placeholder still to write: {shown!r}")
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and key.startswith("x-"):
                continue
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))
