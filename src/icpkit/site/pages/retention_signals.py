"""The customers section's retained-vs-churned table and values, as the reports show them.

Field values come from the customers file: every one goes through `text`, so a value
written `<b>` shows as those characters."""

from __future__ import annotations

from icpkit.reporters.retention_signals import HEADERS, LEANING, cells, value_text, values_title
from icpkit.scorer.retention import CustomerBacktest
from icpkit.site.markup import bullets, table, text

NOTE = (
    "The wins-vs-losses table's counterpart for the customers: the churn rate of the "
    "customers in fit, in partial fit and out of fit of each attribute and trigger, and how "
    "many of the retained and of the churned customers were in fit. An attribute that "
    "separates wins from losses but not the customers who stay from those who leave wins "
    "deals that do not last."
)


def section(report: CustomerBacktest) -> list[str]:
    """The "Retained vs churned" subsection, or nothing without signals."""
    found = report.signals
    if found is None or not found.signals:
        return []
    rows = [[text(c) for c in cells(s)] for s in found.signals]
    title = values_title(found)
    listed = [
        f"{text(v.field)} {text(v.value)}: {text(LEANING[v.leaning])}; {text(value_text(v))}"
        for v in found.values
    ]
    return [
        "### Retained vs churned by signal\n",
        NOTE + "\n",
        table(list(HEADERS), rows, align="l" + "r" * (len(HEADERS) - 1)),
        f"**{text(title[0].upper() + title[1:])}**\n",
        bullets(listed) if listed else text("None.") + "\n",
    ]
