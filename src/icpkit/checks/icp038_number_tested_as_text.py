from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation
from icpkit.format import invariants


@rule("ICP038", "number-tested-as-text", severity="error", category="scoring", added="0.1.0")
def number_tested_as_text(ctx: IcpContext) -> Iterator[Violation]:
    """A field read as a number is also tested for values, as text.

    ## What it does
    Reports an `in`, `any` or `all` test on a field that a range elsewhere in the ICP
    reads as a number: in an attribute, its partial credit, a trigger's or an anti-ICP's
    `when`. `icp score`, `icp backtest`, `icp compile` and the site refuse such an ICP.

    ## Why is this bad?
    A range makes the field numeric, so a cell such as `1,000` is read as the number 1000.
    A value test then compares that number's text, and every engine writes it its own
    way: `1000.0` in `icp score`, `1000` in PostgreSQL, `1.0E3` or `8.1873268E7` in
    Spark. `in: [1000]` never matches in one engine and matches in another, and a
    disqualifier that never fires looks like one that found no account. A number is
    tested with a range; a column that holds words as well as numbers is two fields.

    ## Example
    ```yaml
    anti_icp:
      - {id: too-small, when: {employees: {in: ["0", "1"]}},
         reason: No one owns the problem; these accounts churn within a year}
      - {id: build-in-house, signal: Insists on building everything in-house,
         reason: Not a buyer; evaluations end in a build decision}
    ```

    ## Use instead
    ```yaml
    anti_icp:
      - {id: too-small, when: {employees: {min: 0, max: 1}},
         reason: No one owns the problem; these accounts churn within a year}
      - {id: build-in-house, signal: Insists on building everything in-house,
         reason: Not a buyer; evaluations end in a build decision}
    ```
    """
    yield from invariants.numbers_tested_as_text(ctx.icp, ctx.doc)
