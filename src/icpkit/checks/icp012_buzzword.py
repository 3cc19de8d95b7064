from __future__ import annotations

import re
from collections.abc import Iterator

from icpkit.checks._helpers import criteria_texts, has_size_range
from icpkit.checks.options import SIZE_FIELDS
from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation
from icpkit.project.options import words

EXTRA_BUZZWORDS = words("extra-buzzwords", (), "More words the buzzword rule flags.")

_ALWAYS = (
    r"innovative",
    r"innovators?",
    r"forward[- ]thinking",
    r"cutting[- ]edge",
    r"visionary",
    r"world[- ]class",
    r"best[- ]in[- ]class",
    r"disruptive",
    r"game[- ]chang\w*",
    r"next[- ]gen\w*",
    r"progressive",
    r"(?:want|wants|looking) to grow",
    r"everyone",
    r"anyone",
    r"(?:all|any) (?:companies|company|businesses|business|organi[sz]ations?)",
)
# Words that stand for a size only count when the ICP gives no numeric size range.
_SIZE_WORDS = (
    r"enterprises?",
    r"mid[- ]?market",
    r"smbs?",
    r"small businesses",
    r"large companies",
)
_GROWING = re.compile(r"\b(?:fast[- ]growing|high[- ]growth|growing)\b", re.I)
_NUMBER = re.compile(r"\d")


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)


@rule(
    "ICP012",
    "buzzword",
    severity="warning",
    category="specificity",
    added="0.1.0",
    options=[EXTRA_BUZZWORDS, SIZE_FIELDS],
)
def buzzword(ctx: IcpContext) -> Iterator[Violation]:
    """A vague word stands in for a criterion.

    ## What it does
    Reports words no data source can check, in the name, summary, psychographics, jobs to
    be done, alternatives, category values and trigger events: "innovative",
    "forward-thinking", "everyone", "companies that want to grow", "growing" with no
    figure, and "enterprise" or "mid-market" when the ICP gives no numeric size range.
    Add your own with `extra-buzzwords`.

    ## Why is this bad?
    "Innovative companies" is meaningless and "companies that want to grow" is everyone.
    The test of a criterion is whether you could send a list of matching companies to a
    rep tomorrow. Replace the word with what you would observe: "growing 20%+ a year",
    "hired a first Head of RevOps in the last 12 months".

    ## Example
    ```yaml
    psychographics:
      - Innovative, forward-thinking leadership team
    ```

    ## Use instead
    ```yaml
    psychographics:
      - Leadership reviews pipeline weekly from CRM data, not from rep spreadsheets
    ```
    """
    words = _ALWAYS + tuple(re.escape(w) for w in ctx.option(EXTRA_BUZZWORDS))
    patterns = [_pattern(words)]
    if not has_size_range(ctx.icp, ctx.option(SIZE_FIELDS)):
        patterns.append(_pattern(_SIZE_WORDS))
    for path, text in criteria_texts(ctx.icp):
        seen: set[str] = set()
        hits = [m.group(0) for p in patterns for m in p.finditer(text)]
        growing = _GROWING.search(text)
        if growing and not _NUMBER.search(text):
            hits.append(growing.group(0))
        for hit in hits:
            if hit.lower() in seen:
                continue
            seen.add(hit.lower())
            yield Violation(
                path,
                f"{hit!r} is not a criterion anyone can check; say what you would observe "
                "(a number, an event, a tool)",
            )
