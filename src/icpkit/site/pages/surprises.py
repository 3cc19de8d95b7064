"""The backtest page's surprises: wins the ICP did not predict, losses it expected to win.

Deal ids, accounts and values come from the deals file: every one goes through `text` or
`code`, so a deal named `<script>` shows as those characters.
"""

from __future__ import annotations

from icpkit.reporters.surprises import lists, shared_cells, threshold_text, why
from icpkit.scorer.surprises import Surprises
from icpkit.site.markup import code, table, text
from icpkit.text import money, number


def section(found: Surprises | None) -> list[str]:
    """Markdown blocks for the page; none when the backtest listed no surprises."""
    if found is None:
        return []
    out = [
        "## Surprises\n",
        "Wins the ICP did not predict (scored weak or poor, or disqualified) and losses it "
        "expected to win (scored strong), each with what drove its score. What they have in "
        "common is what the ICP is missing.\n",
    ]
    for heading, deals in lists(found):
        if not deals and "disqualified" in heading:
            continue
        out.append(f"**{text(heading)}**\n")
        if deals:
            rows = [
                [
                    code(s.deal),
                    text(s.account),
                    number(s.score),
                    text(s.band),
                    text(money(s.amount_usd, found.currency)),
                    text(why(s)),
                ]
                for s in deals
            ]
            headers = ["Deal", "Account", "Score", "Band", "Amount", "What drove the score"]
            out.append(table(headers, rows, align="llrlrl"))
    out.append(f"### What the surprises share\n\nValues {text(threshold_text(found))}.\n")
    if found.shared:
        rows = [[text(c) for c in shared_cells(r)] for r in found.shared]
        headers = ["Group", "Field", "Value", "Surprises", "Closed deals", "Ratio"]
        out.append(table(headers, rows, align="lllrrr"))
    else:
        out.append("No value is held that much more often.\n")
    return out
