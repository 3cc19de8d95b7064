"""`icp suggest --from customers`: a draft ICP from who stays and grows, not only who signs.

The seeds: "build from best customers (highest lifetime value, lowest churn, highest
expansion), not average customers". The customers file (`validation.customers`, mapped as
`icp backtest` maps it, the accounts file joined on by account) is split into the best
customers and the rest, by one target:

- `retention`: the best are the customers still active; the rest, those who churned.
- `nrr`: each customer's net revenue retention is its current over its starting MRR (or
  ARR, the first pair the file has, as the backtest measures NRR); a churned customer
  without a current figure is at 0. The best are those at or above the 75th percentile.
- `ltv`: the best are those whose lifetime revenue is at or above the 75th percentile.

The 75th percentile is numpy's default (linear between the two nearest customers), taken
over the customers with a value; every customer at or above it is best, so customers tied
at the cut are all best and the best can be more than a quarter. Customers without the
value (no starting MRR, a starting MRR of 0 or less, no lifetime revenue) are in neither
group and are counted in a warning. Then the won/lost machinery runs unchanged on best
(won) against the rest (lost): evidence, leakage guard, folds, draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from icpkit.errors import InputError, UsageError
from icpkit.format.model import Icp, Status
from icpkit.project.settings import Config
from icpkit.scorer.customers import (
    CHURNED,
    DATES,
    FIGURES,
    REVENUE_PAIRS,
    customer_mapping,
    prepare_customers,
)
from icpkit.scorer.deals import read_file
from icpkit.scorer.loaded import project_file
from icpkit.suggest.columns import Detected, detect_fields
from icpkit.suggest.evidence import loss_weight
from icpkit.suggest.leakage import MEASURES_OUTCOME, UNUSABLE, LeftOut, by_name
from icpkit.suggest.outcome import NEGATIVE, POSITIVE, Outcome
from icpkit.suggest.source import Kept, Source
from icpkit.text import money, percent, plural

TARGETS = ("retention", "nrr", "ltv")
QUARTILE = 0.75
# A loss weight below this (ties just above a quarter) changes no reading worth a warning.
NOTABLE_WEIGHT = 1.1
# The columns a customers file is read by: the outcome and its figures, never learnt from.
CUSTOMER_COLUMNS = ("account", CHURNED, *DATES, *FIGURES)
# Words in a column's name that say it records what the customer did after signing.
_AFTER_WORDS = frozenset(
    {"churn", "churned", "churns", "cancel", "cancelled", "canceled", "cancellation",
     "cancellations", "renewal", "renewals", "renewed", "downgrade", "downgraded", "upgrade",
     "upgraded", "expansion", "expanded", "contraction", "retention", "retained", "nps",
     "csat", "health", "tenure", "mrr", "arr", "ltv", "lifetime", "refund", "refunds"}
)  # fmt: skip


@dataclass(frozen=True)
class Best:
    """Who the best customers are: how many of each, the cut, and who is in neither group."""

    target: str
    best: int
    rest: int
    unmeasured: int
    cut: float | None  # the 75th percentile, for nrr and ltv

    @property
    def definition(self) -> str:
        if self.target == "retention":
            return "best: still active; the rest: churned"
        assert self.cut is not None
        if self.target == "nrr":
            return (
                f"best: the top quartile by net revenue retention, {self.cut:.2f} or more "
                "(current over starting revenue)"
            )
        return f"best: the top quartile by lifetime revenue, {money(self.cut)} or more"


def customer_source(
    path: Path, accounts: Path | None, config: Config, target: str, deals: str | None = None
) -> tuple[Source, Best]:
    """The customers file as a Source for `suggest_file`, its best customers by `target`;
    `deals`: the deals file the draft names beside it (the compared ICP's)."""
    table = read_file(path, config)
    other = read_file(accounts, config) if accounts is not None else None
    shown = str(table.path)
    figures = prepare_customers(table, (), config.mapping, other).frame
    coded, best = best_customers(figures, target, shown)
    own = replace(config, mapping=customer_mapping(config.mapping))

    def detect(frame: pd.DataFrame, kept: Kept) -> Detected:
        return _outcome_columns(detect_fields(frame, own, kept, CUSTOMER_COLUMNS))

    def prepare(icps: Sequence[Icp], kinds: dict[str, str]) -> pd.DataFrame:
        frame = prepare_customers(table, icps, config.mapping, other, fields=kinds).frame
        frame["outcome"] = coded.reindex(frame.index)
        # Customers outside both groups are not compared, not counted as anything.
        return frame[frame["outcome"].notna()].copy()

    notes = []
    if best.unmeasured:
        notes.append(
            f"{plural(best.unmeasured, 'customer has', 'customers have')} no "
            f"{_value(target)}: left out of both the best and the rest"
        )
    notes += _crowded(best)
    words = outcome_words(best)
    related = (("deals", deals),) if deals else ()
    source = Source(shown, table.frame, other, detect, prepare, words, after_signing,
                    tuple(notes), related)  # fmt: skip
    return source, best


def best_customers(frame: pd.DataFrame, target: str, shown: str) -> tuple[pd.Series, Best]:
    """`outcome` per customer: won for the best, lost for the rest, NA for neither."""
    if target == "retention":
        churned = frame[CHURNED].to_numpy(dtype=bool)
        values = np.where(churned, 0.0, 1.0)
        cut = None
        best_rows = ~churned
    else:
        values = _values(frame, target, shown)
        known = ~np.isnan(values)
        if not known.any():
            raise InputError(f"{shown}: no customer has a {_value(target)}: --target {target} "
                             "has nothing to rank")  # fmt: skip
        cut = float(np.quantile(values[known], QUARTILE))
        best_rows = known & (values >= cut)
    known = ~np.isnan(values)
    best = Best(target, int(best_rows.sum()), int((known & ~best_rows).sum()),
                int((~known).sum()), cut)  # fmt: skip
    _check_groups(best, shown)
    coded = pd.Series(pd.NA, index=frame.index, dtype="string")
    coded[known & best_rows] = POSITIVE
    coded[known & ~best_rows] = NEGATIVE
    return coded, best


def _crowded(best: Best) -> list[str]:
    """Lift is against the base rate (at 83% retained no rule retains 1.15x as often), so
    where more than a quarter are best, rates and lifts are read at a quarter: say so."""
    share = best.best / (best.best + best.rest)
    k = loss_weight(best.best, best.rest, 1 - QUARTILE)
    if k < NOTABLE_WEIGHT:  # ties at a quartile's cut: a few more than a quarter
        return []
    words = outcome_words(best)
    return [
        f"{percent(share)} of the customers are {words.positives}: rates and lifts here are "
        f"read as if a quarter were, as for the top-quartile targets (each of the "
        f"{words.negatives} counts {k:.1f} times); shares and power are as found"
    ]


def outcome_words(best: Best) -> Outcome:
    customers = Outcome(
        rows="customers", row="customer", key="customers", target=best.target,
        definition=best.definition, lift_base=1 - QUARTILE,
    )  # fmt: skip
    if best.target == "retention":
        return replace(
            customers, positives="retained customers", negatives="churned customers",
            positive_one="retained", negative_one="churned", rate="retention rate",
            negative_past="churned",
        )  # fmt: skip
    return replace(
        customers, positives="best customers", negatives="other customers", positive_one="best",
        negative_one="other", rate="best-customer rate", negative_past="were not best customers",
    )  # fmt: skip


def after_signing(column: str, field: str) -> LeftOut | None:
    """Left out when its name says it records what the customer did after signing (churn,
    cancellation, renewal, expansion, MRR): the target itself, or its consequence."""
    words = set(field.split("_")) | set(column.lower().replace("-", " ").split())
    found = sorted(words & _AFTER_WORDS)
    if found:
        return LeftOut(
            column,
            field,
            MEASURES_OUTCOME,
            f"records what the customer did after signing ({', '.join(found)}): known only "
            "once the outcome is",
        )
    return by_name(column, field)


def _outcome_columns(detected: Detected) -> Detected:
    """A column left out as unusable (a churn date, say) whose name records the outcome is
    reported as leakage: it is, and the report should say so."""
    left_out = tuple(
        (after_signing(c.column, c.field) or c) if c.kind == UNUSABLE and _names_outcome(c) else c
        for c in detected.left_out
    )
    return replace(detected, left_out=left_out)


def _names_outcome(column: LeftOut) -> bool:
    found = after_signing(column.column, column.field)
    return found is not None and found.kind == MEASURES_OUTCOME


def _values(frame: pd.DataFrame, target: str, shown: str) -> np.ndarray:
    if target == "ltv":
        if "lifetime_revenue" not in frame:
            raise InputError(
                f"{shown}: --target ltv needs the field lifetime_revenue, and no column is "
                "mapped to it: name it in [tool.icp.customer-columns] (lifetime_revenue = "
                '"Your Column")'
            )
        return frame["lifetime_revenue"].to_numpy(dtype="float64", na_value=np.nan)
    for first, now in REVENUE_PAIRS:
        if first in frame and now in frame:
            starting = frame[first].to_numpy(dtype="float64", na_value=np.nan)
            current = frame[now].to_numpy(dtype="float64", na_value=np.nan)
            # A churned customer pays nothing now, as the backtest reads it.
            current = np.where(frame[CHURNED].to_numpy(dtype=bool) & np.isnan(current), 0.0,
                               current)  # fmt: skip
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.where(starting > 0, current / starting, np.nan)
    found = [name for pair in REVENUE_PAIRS for name in pair if name in frame]
    has = f" (found only {', '.join(found)})" if found else ""
    raise InputError(
        f"{shown}: --target nrr needs the fields starting_mrr and current_mrr (or starting_arr "
        f"and current_arr), and no column is mapped to them{has}: name them in "
        '[tool.icp.customer-columns] (starting_mrr = "Your Column")'
    )


def _value(target: str) -> str:
    return {
        "retention": "churned/active outcome",
        "nrr": "net revenue retention (a starting and a current MRR or ARR, starting above 0)",
        "ltv": "lifetime revenue",
    }[target]


def _check_groups(best: Best, shown: str) -> None:
    if best.target == "retention":
        if not best.best or not best.rest:
            which = "retained (active)" if not best.best else "churned"
            raise InputError(
                f"{shown}: no {which} customer among {plural(best.best + best.rest, 'customer')}: "
                "--target retention needs both to compare"
            )
        return
    if not best.rest:
        raise InputError(
            f"{shown}: all {plural(best.best, 'customer')} with a {_value(best.target)} tie at "
            f"{best.cut:g}: there is no top quartile to learn from"
        )


@dataclass(frozen=True)
class CustomerFiles:
    """The customers file a draft learns from, the accounts joined on, the ICP compared."""

    customers: Path
    accounts: Path | None
    current: Icp | None


def customer_files(
    given: Path | None, accounts: Path | None, current: Icp | None, config: Config
) -> CustomerFiles:
    """--customers, else the compared ICP's validation.customers, else the one project ICP
    that names a customers file; accounts: --accounts, else that ICP's, else the setting."""
    if current is None:
        current = _naming(given, config)
    path = given
    validation = current.validation if current is not None else None
    if path is None and current is not None and validation is not None:
        if validation.customers:
            path = project_file(current, config, "customers", validation.customers)
        elif validation.subscriptions:
            raise UsageError(
                f"ICP {current.id} names a subscriptions file; `icp suggest --from customers` "
                "reads one row per customer: pass --customers FILE"
            )
    if path is None:
        raise UsageError(
            "--from customers needs a customers file: pass --customers FILE, or --current ICP "
            "for an ICP whose validation.customers names one"
        )
    if accounts is None and current is not None and validation is not None and validation.accounts:
        accounts = project_file(current, config, "accounts", validation.accounts)
    return CustomerFiles(path, accounts or config.accounts, current)


def _naming(given: Path | None, config: Config) -> Icp | None:
    """The project's one ICP measured on `given` (any customers file when None), drafts
    (an earlier suggest's, say) only when no other ICP is; with no file given and several
    ICPs naming one, which to read is the user's call."""
    from icpkit.format.valid import load_icp
    from icpkit.project.discovery import discover

    try:
        paths = discover([config.root / p for p in config.paths], config)
    except UsageError:  # no ICP in the project yet
        return None
    found: list[Icp] = []
    for path in paths:
        try:
            icp = load_icp(path)
        except Exception:
            continue
        named = icp.validation.customers
        if named and (given is None or (config.root / named).resolve() == given.resolve()):
            found.append(icp)
    final = [icp for icp in found if icp.status is not Status.DRAFT]
    found = final or found
    if len(found) > 1 and given is None:
        listed = ", ".join(icp.id for icp in found)
        raise UsageError(
            f"several ICPs name a customers file ({listed}): pass --customers FILE or --current ICP"
        )
    return found[0] if len(found) == 1 else None
