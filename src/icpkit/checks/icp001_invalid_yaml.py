from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import DocContext, Scope, rule
from icpkit.findings import Violation
from icpkit.format.loader import SYNTAX


@rule(
    "ICP001",
    "invalid-yaml",
    severity="error",
    category="validity",
    added="0.1.0",
    scope=Scope.DOCUMENT,
)
def invalid_yaml(ctx: DocContext) -> Iterator[Violation]:
    """The file cannot be read as one YAML document.

    ## What it does
    Reports files that are not valid YAML: tabs used for indentation, unclosed quotes,
    bad indentation, several documents in one file, bytes that are not UTF-8, an empty
    file or one holding only `null`, `~` or `---`, a file too large to be an ICP, aliases
    that expand without bound, a tag icpkit does not read (`!!set`, `!!omap`, `!!binary`,
    your own `!tag`) on a value, map or list, and a number no float holds (`.inf`, `1e400`,
    `!!int 1e999999`).

    ## Why is this bad?
    Nothing else can be checked, scored or published until the file reads. A parser that
    guesses would hide the mistake from the author and from every tool downstream.

    ## Example
    ```yaml
    summary: "US B2B SaaS companies past Series B whose revenue team outgrew spreadsheets
    ```

    ## Use instead
    ```yaml
    summary: "US B2B SaaS companies past Series B whose revenue team outgrew spreadsheets"
    ```
    """
    for kind, violation in ctx.doc.violations:
        if kind == SYNTAX:
            yield violation
