from __future__ import annotations

import re
from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation

_PLACEHOLDER = re.compile(r"\b(tbd|todo|various|etc|misc|general|n/?a|to be defined)\b", re.I)
MIN_WORDS = 3


@rule("ICP011", "vague-channel", severity="error", category="specificity", added="0.1.0")
def vague_channel(ctx: IcpContext) -> Iterator[Violation]:
    """A reachability channel has no concrete audience, event, list or partner.

    ## What it does
    Reports channels whose `detail` is missing, shorter than three words, or a
    placeholder such as "TBD" or "various".

    ## Why is this bad?
    "LinkedIn" is not a plan. Reachability is tested by naming the audience (titles and
    company filters), the event, the list or the partner; if nobody can name them, the
    channel does not exist yet.

    ## Example
    ```yaml
    reachability:
      - {channel: linkedin, detail: ads}
    ```

    ## Use instead
    ```yaml
    reachability:
      - {channel: linkedin, detail: VP RevOps and CRO titles at 200-2000 employee SaaS in US/UK}
    ```
    """
    for channel in ctx.icp.reachability:
        detail = channel.detail.strip()
        if not detail:
            problem = "has no `detail`"
        elif len(detail.split()) < MIN_WORDS or _PLACEHOLDER.search(detail):
            problem = f"detail {detail!r} is not concrete"
        else:
            continue
        yield Violation(
            (*channel.path, "detail"),
            f"channel `{channel.channel}` {problem}: name the audience, event, list or partner",
        )
