"""A subscriptions export (one row per subscription period) as customers: one per account.

Billing systems (Stripe, Chargebee, Recurly) export subscriptions, not customers. Each
account's periods become one customer: it started on its first period's start, it is
active while any period is open (no end date), otherwise it churned on its last period's
end; its starting MRR is the MRR of the periods that began on its first day, its current
MRR that of its open periods (0 once churned), and its lifetime revenue each period's MRR
times the months it ran (to the latest date in the file for an open one).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from icpkit.errors import InputError
from icpkit.format.model import Icp
from icpkit.project.mapping import TRIGGERS
from icpkit.project.settings import Config
from icpkit.scorer.columns import join_issues
from icpkit.scorer.contract import CATEGORY, LIST, NUMERIC, field_kinds
from icpkit.scorer.customers import CHURNED, Customers, customer_mapping, join_customers
from icpkit.scorer.dates import read_dates
from icpkit.scorer.deals import read_file
from icpkit.scorer.explicit import kept_markers
from icpkit.scorer.prepare import prepare_fields
from icpkit.scorer.tables import TEXT_DTYPE, Table, row_number
from icpkit.text import plural

MONTH_DAYS = 365 / 12
PERIOD = ("account", "started_on", "ended_on", "mrr")


def read_subscriptions(
    path: Path, icps: Sequence[Icp], config: Config, accounts: Path | None = None
) -> Customers:
    """The subscriptions file, one customer per account, the accounts file joined on."""
    table = read_file(path, config)
    other = read_file(accounts, config) if accounts is not None else None
    frame, issues = aggregate_subscriptions(table, icps, config, other)
    notes = (*table.notes, *(other.notes if other is not None else ()))
    return Customers(frame, str(table.path), (*notes, *issues))


def aggregate_subscriptions(
    table: Table, icps: Sequence[Icp], config: Config, accounts: Table | None = None
) -> tuple[pd.DataFrame, list[str]]:
    join = join_customers(table, accounts, config.mapping)
    mapping = customer_mapping(config.mapping)
    frame = join.frame if join is not None else table.frame
    kinds = {**field_kinds(icps), TRIGGERS: LIST, "account": CATEGORY, "mrr": NUMERIC}
    kinds.update(started_on=CATEGORY, ended_on=CATEGORY)
    prepared = prepare_fields(
        table,
        frame,
        kinds,
        mapping,
        required=("account", "started_on", "mrr"),
        optional=frozenset({TRIGGERS, "ended_on"}),
        kept=kept_markers(icps, mapping),
    )
    rows, issues = prepared.frame, list(prepared.issues)
    if join is not None and accounts is not None:
        issues += join_issues(table, accounts, join, rows.index)
    rows["account"] = rows["account"].astype(TEXT_DTYPE).str.strip()
    for name in ("started_on", "ended_on"):
        if name not in rows:
            rows[name] = pd.Series(pd.NaT, index=rows.index, dtype="datetime64[ns]")
            continue
        read = read_dates(rows[name], mapping.date_order)
        rows[name] = read.dates
        if len(read.bad):
            issues.append(f"{table.path}: {name}: {plural(len(read.bad), 'value')} not dates")
    unusable = rows["account"].isna() | rows["started_on"].isna()
    if unusable.all():
        raise InputError(f"{table.path}: no subscription period has both an account and a start")
    if unusable.any():
        shown = ", ".join(str(row_number(table, i)) for i in rows.index[unusable][:5])
        issues.append(
            f"{table.path}: {plural(int(unusable.sum()), 'period')} without an account or a "
            f"start date left out (rows {shown})"
        )
        rows = rows[~unusable]
    return _per_account(rows, [n for n in kinds if n not in PERIOD and n in rows]), issues


def _per_account(rows: pd.DataFrame, fields: list[str]) -> pd.DataFrame:
    latest = pd.concat([rows["started_on"], rows["ended_on"]]).max()
    open_ = rows["ended_on"].isna()
    stop = rows["ended_on"].fillna(latest)
    months = (stop - rows["started_on"]).dt.days.to_numpy(dtype="float64") / MONTH_DAYS
    mrr = rows["mrr"].to_numpy(dtype="float64", na_value=np.nan)
    first = rows.groupby("account")["started_on"].transform("min")
    work = pd.DataFrame(
        {
            "account": rows["account"],
            "started_on": rows["started_on"],
            "ended_on": rows["ended_on"],
            "open": open_,
            # NaN, not 0, outside the periods that count: an unknown MRR stays unknown.
            "starting": np.where(rows["started_on"] == first, mrr, np.nan),
            "current": np.where(open_, mrr, np.nan),
            "lifetime": np.clip(months, 0, None) * mrr,
        },
        index=rows.index,
    )
    group = work.groupby("account", sort=False)
    out = pd.DataFrame(
        {
            CHURNED: ~group["open"].any(),
            "started_on": group["started_on"].min(),
            "ended_on": group["ended_on"].max(),
            "starting_mrr": group["starting"].sum(min_count=1),
            "current_mrr": group["current"].sum(min_count=1),
            "lifetime_revenue": group["lifetime"].sum(min_count=1),
        }
    )
    out["ended_on"] = out["ended_on"].where(out[CHURNED])
    # The account's latest period says what it looks like now.
    attributes = rows.sort_values("started_on", kind="stable").groupby("account", sort=False)
    out = out.join(attributes[fields].last()) if fields else out
    return out.reset_index()
