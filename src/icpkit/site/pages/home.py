"""Where the catalogue goes on a hand-written home page: above the page's own links.

Readers come to the home page for the ICPs, so the catalogue follows the page's title and
opening words and comes before its first list, heading, table or other block (the guide
links of a typical `docs/index.md`). A page that wants it elsewhere says where with
`<!-- icpkit:catalogue -->` on a line of its own.
"""

from __future__ import annotations

import re

MARKER = "<!-- icpkit:catalogue -->"
_BLOCKS = re.compile(r"\n[ \t]*\n")
# A block that opens with one of these is not prose: a list, a heading, a table, a quote,
# an admonition, code, HTML, an include or an indented block.
_NOT_PROSE = re.compile(r"^(?:[-*+]\s|\d+[.)]\s|#|\||>|!!!|\?\?\?|```|~~~|<|--8<--|    |\t)")


def place(markdown: str, catalogue: str) -> str:
    """The hand-written `markdown` with `catalogue` at its marker, or after its opening."""
    catalogue = catalogue.strip("\n")
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.strip() == MARKER:
            lines[index] = f"\n{catalogue}\n"
            return "\n".join(lines)
    cut = _opening_end(markdown)
    rest = markdown[cut:].strip("\n")
    if rest and not rest.startswith("#"):
        # Or the page's own text would read as part of the catalogue's last section.
        rest = f"---\n\n{rest}"
    return "\n\n".join(p for p in (markdown[:cut].rstrip(), catalogue, rest) if p) + "\n"


def _opening_end(markdown: str) -> int:
    """Where the title and the prose after it end: the start of the first other block."""
    start, first = 0, True
    for gap in [*_BLOCKS.finditer(markdown), None]:
        block = markdown[start : gap.start() if gap else len(markdown)].lstrip("\n")
        if block:
            if not (first and block.startswith("# ")) and _NOT_PROSE.match(block):
                return start
            first = False
        start = gap.end() if gap else len(markdown)
    return len(markdown)
