"""What every engine's output means, without any engine: pandas-free, so `icp compile`,
the SQL engine, reporters and the site can name statuses, bands and columns cheaply.

The pandas scorer and the compiled SQL both write exactly these names; a change here is
a change to the output contract of `icp score` and `icp compile`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from icpkit.format.model import BAND_NAMES, Form, Icp

# Statuses, in the order their codes are written.
SCORED, DISQUALIFIED, INSUFFICIENT = "scored", "disqualified", "insufficient_data"
STATUSES = (SCORED, DISQUALIFIED, INSUFFICIENT)
# A person's band instead of the model's (an ICP's overrides file, `scorer.overrides`): the
# model's own band and status are kept beside it, with who decided, why and until when.
OVERRIDDEN = "overridden"
OVERRIDE_COLUMNS = (
    "model_band", "model_status", "override_reason", "override_owner", "override_expires",
)  # fmt: skip

# Bands. A score falls in one of the SCORE_BANDS (the ICP's thresholds, then `poor`); a
# disqualified or unmeasurable row gets one of the two outcome bands instead.
DISQUALIFIED_BAND, UNKNOWN_BAND = "disqualified", "unknown"
SCORE_BANDS = (*BAND_NAMES, "poor")
ALL_BANDS = (*SCORE_BANDS, DISQUALIFIED_BAND, UNKNOWN_BAND)
GOOD_OR_BETTER = frozenset({"strong", "good"})
BELOW_POSSIBLE = frozenset({"weak", "poor", DISQUALIFIED_BAND})

# How a field's cells are read, decided by the rules that test it.
NUMERIC, CATEGORY, LIST = "numeric", "category", "list"

# Result columns, in the order they are written, before the per-rule points columns.
RESULT_HEAD = (
    "icp_id",
    "icp_version",
    "icp_commit",
    "score",
    "band",
    "status",
    "disqualifier",
    "unknown_share",
    "unknown_fields",
)
# Written last, where the ICP has `activation:` (scorer.routing, scorer.sql.routing): the
# route and SLA of the row's band, its ABM tier, and its rank in the ABM list (1: best).
ROUTE, SLA_HOURS, ABM_TIER, ABM_RANK = "route", "sla_hours", "abm_tier", "abm_rank"
ROUTING_COLUMNS = (ROUTE, SLA_HOURS, ABM_TIER, ABM_RANK)
# Written after an ICP's result columns by `icp score --expected` (scorer.expected).
EXPECTED_WIN_RATE = "expected_win_rate"
# ... and after it where the ICP names customers (scorer.churn_calibration).
EXPECTED_CHURN_RATE = "expected_churn_rate"


@dataclass(frozen=True)
class Ruler:
    """What a score was measured with: without it a score cannot be compared or trusted."""

    icp_id: str
    version: str
    commit: str | None = None


def points_column(name: str) -> str:
    return f"points.{name}"


def trigger_column(trigger_id: str) -> str:
    return f"points.triggers.{trigger_id}"


def field_kinds(icps: Iterable[Icp]) -> dict[str, str]:
    """Every field the ICPs read, and how to read it. A range anywhere makes it numeric."""
    kinds: dict[str, str] = {}
    for icp in icps:
        uses = [(a.field, a.match.form) for a in icp.attributes]
        uses += [(c.field, c.match.form) for anti in icp.anti_icp for c in anti.when]
        uses += [(c.field, c.match.form) for trigger in icp.triggers for c in trigger.when]
        for name, form in uses:
            kind = NUMERIC if form is Form.RANGE else CATEGORY if form is Form.IN else LIST
            if kinds.get(name) != NUMERIC:
                kinds[name] = kind
    return kinds


def reads_trigger_ids(icps: Iterable[Icp]) -> bool:
    """Whether a trigger is read from the `triggers` column (one without `when`)."""
    return any(icp.column_triggers for icp in icps)


def routing_columns(icps: Iterable[Icp]) -> tuple[str, ...]:
    """The routing columns a result ends with: all four when an ICP has `activation:`."""
    return ROUTING_COLUMNS if any(icp.activation is not None for icp in icps) else ()


def band_rank(band: str) -> int | None:
    """A score band's place in the ABM list (0: strong); None for an outcome band, which is
    never ranked or tiered."""
    return SCORE_BANDS.index(band) if band in SCORE_BANDS else None
