"""Options more than one rule reads, or that other features read too (suggest, the site).

An option one rule alone reads is declared in that rule's module.
"""

from __future__ import annotations

from icpkit.project.options import integer, number, words

SIZE_FIELDS = words(
    "size-fields",
    ("employees", "revenue_usd", "arr_usd"),
    "Numeric fields read as company size: each needs a range with both bounds.",
)
MAX_RANGE_RATIO = number(
    "max-range-ratio", 10.0, "Widest allowed max/min of a size range.", exclusiveMinimum=1
)
STALE_AFTER_DAYS = integer(
    "stale-after-days", 120, "Days after last_reviewed when an ICP is stale.", minimum=1
)
