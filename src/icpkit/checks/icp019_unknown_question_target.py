from __future__ import annotations

import difflib
from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation

# Questions may also test a whole human-judged section of the ICP.
SECTIONS = ("personas", "budget_authority", "psychographics", "jobs_to_be_done", "alternatives")


@rule("ICP019", "unknown-question-target", severity="error", category="scoring", added="0.1.0")
def unknown_question_target(ctx: IcpContext) -> Iterator[Violation]:
    """A qualification question tests something the ICP does not define.

    ## What it does
    Each name in a question's `tests` must be an attribute field, a trigger id, an
    anti-ICP id, or one of the sections `personas`, `budget_authority`, `psychographics`,
    `jobs_to_be_done`, `alternatives`. Reports any other name, with a "did you mean".

    ## Why is this bad?
    The link from question to criterion is what lets the playbook say what a "yes" proves.
    A question pointing at a renamed or misspelt criterion silently tests nothing.

    ## Example
    ```yaml
    qualification:
      questions:
        - {ask: Roughly how many people work at the company?, tests: headcount}
    ```

    ## Use instead
    ```yaml
    qualification:
      questions:
        - {ask: Roughly how many people work at the company?, tests: employees}
    ```
    """
    icp = ctx.icp
    known = [
        *(a.field for a in icp.attributes),
        *(t.id for t in icp.triggers),
        *(a.id for a in icp.anti_icp),
        *SECTIONS,
    ]
    for question in icp.qualification.questions:
        for index, name in enumerate(question.tests):
            if name in known:
                continue
            near = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean `{near[0]}`?" if near else ""
            path = (
                (*question.path, "tests")
                if len(question.tests) == 1 and index == 0
                else (*question.path, "tests", index)
            )
            yield Violation(path, f"question tests `{name}`, which this ICP does not define{hint}")
