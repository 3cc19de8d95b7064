from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import DocContext, Scope, rule
from icpkit.findings import Violation

# Values inside these lists are category data (country codes such as NO), not sentences.
_CATEGORY_KEYS = {"in", "any", "all"}


@rule(
    "ICP027",
    "ambiguous-boolean",
    severity="error",
    category="validity",
    added="0.1.0",
    scope=Scope.DOCUMENT,
)
def ambiguous_boolean(ctx: DocContext) -> Iterator[Violation]:
    """A bare `yes`, `no`, `on` or `off` stands where text belongs.

    ## What it does
    icpkit reads YAML the 1.2 way, where only `true` and `false` are booleans, so
    `country: {in: [NO, SE]}` keeps Norway. Outside category lists, a bare yes/no/on/off
    is reported: most YAML tools (and your editor) still read it as a boolean.

    ## Why is this bad?
    The same file would mean different things to different tools: a CRM sync or a script
    using another YAML library would see `false` where the ICP says `no`.

    ## Example
    ```yaml
    alternatives:
      - Spreadsheets kept by a RevOps analyst
      - no
    ```

    ## Use instead
    ```yaml
    alternatives:
      - Spreadsheets kept by a RevOps analyst
      - "No tool at all: pipeline reviews run from memory"
    ```
    """
    reported = {v.path for v in ctx.schema_violations}
    for path, word in ctx.doc.bool_words:
        if _CATEGORY_KEYS.intersection(p for p in path if isinstance(p, str)):
            continue
        if any(isinstance(p, str) and p.startswith("x-") for p in path):
            continue
        if path in reported:
            continue  # where the schema wanted true/false, it already says so
        yield Violation(
            path,
            f"bare {word!r} is read as a boolean by YAML 1.1 tools; quote it or write a sentence",
        )
