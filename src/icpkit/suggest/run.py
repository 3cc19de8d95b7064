"""`icp suggest` as a library call: a deals file in, evidence, a draft ICP and its AUCs out."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from icpkit.api import read_icp
from icpkit.config import Config, today
from icpkit.errors import InputError
from icpkit.mapping import TRIGGERS
from icpkit.model import Icp
from icpkit.scorer.backtest import BacktestResult, backtest
from icpkit.scorer.deals import DealFiles, read_deals, read_tables
from icpkit.scorer.numbers import parse_numbers
from icpkit.scorer.prepare import CATEGORY, LIST, NUMERIC, column_key
from icpkit.scorer.score import SCORED, score_frame
from icpkit.scorer.tables import TEXT_DTYPE
from icpkit.suggest.draft import fit_bands, render_draft
from icpkit.suggest.evidence import MIN_POWER, Evidence, gather

DEAL_COLUMNS = (
    "deal_id",
    "account",
    "outcome",
    "amount_usd",
    "cycle_days",
    "closed_on",
    "created_on",
)
MIN_HOLDOUT = 10
_FIELD = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Holdout:
    since: dt.date
    draft: BacktestResult
    current: BacktestResult | None


@dataclass(frozen=True)
class Suggestion:
    deals_file: str
    kinds: dict[str, str]
    evidence: Evidence
    draft_text: str
    draft: Icp
    fit: BacktestResult
    current: BacktestResult | None
    holdout: Holdout | None
    skipped: tuple[str, ...]


def suggest_file(
    deals: Path | DealFiles,
    *,
    config: Config,
    icp_id: str,
    holdout_since: dt.date | None = None,
    current: Icp | None = None,
) -> Suggestion:
    """`deals` with the accounts file joined on when a DealFiles (see `deal_files`)."""
    tables = read_tables(deals if isinstance(deals, DealFiles) else DealFiles(deals), config)
    shown = str(tables.deals.path)
    kinds, skipped = detect_fields(tables.deals.frame, config)
    if tables.accounts is not None:
        # Account columns are learnt from one row per account, as the accounts file has them.
        extra = tables.accounts.frame
        extra = extra[[c for c in extra.columns if c not in tables.deals.frame.columns]]
        more, passed = detect_fields(extra, config)
        kinds = {**more, **kinds}
        skipped += passed
    if not kinds:
        raise InputError(f"{shown}: no column beside the deal columns to learn from")
    icps = [current] if current is not None else []
    prepared = read_deals(tables, icps, config, fields=kinds).frame
    train, test = prepared, None
    if holdout_since is not None:
        train, test = _split(prepared, holdout_since, shown)
    evidence = gather(
        train,
        kinds,
        separator=config.mapping.list_separator,
        size_fields=config.settings.size_fields,
        max_range_ratio=config.settings.max_range_ratio,
    )
    if not evidence.wins or not evidence.losses:
        raise InputError(f"{shown}: need both won and lost deals to compare, found "
                         f"{evidence.wins} won and {evidence.losses} lost")  # fmt: skip
    if not any(f.used for f in evidence.fields):
        raise InputError(_no_signal(shown, evidence))
    fitted_on = f"{evidence.wins + evidence.losses} closed deals"
    if holdout_since is not None:
        fitted_on += f" closed before {holdout_since.isoformat()}"
    separator = config.mapping.list_separator
    joined = tables.accounts
    # The project's accounts setting applies to the draft anyway; another file is named in it.
    accounts_file = (
        str(joined.path) if joined is not None and not _is_default(joined.path, config) else None
    )

    def render(bands: tuple[float, ...] = (85, 70, 55, 40)) -> tuple[str, Icp]:
        text = render_draft(
            evidence, icp_id=icp_id, deals_file=shown, today=today(), fitted_on=fitted_on,
            bands=bands, accounts_file=accounts_file,
        )  # fmt: skip
        return text, read_icp(text.encode("utf-8"), f"{icp_id}.yaml")[0]

    # Weights first, then band floors from the scores those weights give the wins.
    text, draft = render()
    scores = score_frame(draft, train, separator=separator)
    won = (train["outcome"] == "won").to_numpy(dtype=bool)
    scored = (scores["status"] == SCORED).to_numpy(dtype=bool)
    text, draft = render(fit_bands(scores["score"].to_numpy()[won & scored].tolist()))

    def measure(icp: Icp, frame: pd.DataFrame) -> BacktestResult:
        return backtest(icp, frame, deals_file=shown, resamples=0, separator=separator)

    fit = measure(draft, train)
    holdout = None
    reference = None
    if test is not None:
        assert holdout_since is not None
        reference = measure(current, test) if current is not None else None
        holdout = Holdout(holdout_since, measure(draft, test), reference)
    elif current is not None:
        reference = measure(current, prepared)
    return Suggestion(shown, kinds, evidence, text, draft, fit, reference, holdout, skipped)


def _no_signal(shown: str, evidence: Evidence) -> str:
    # A draft without a scored attribute would be no ICP at all (and fail the schema).
    best = max(evidence.fields, key=lambda f: f.power, default=None)
    strongest = (
        f"; the strongest, {best.field}, holds {best.win_share:.0%} of wins and "
        f"{best.loss_share:.0%} of losses"
        if best is not None and best.match is not None
        else ""
    )
    return (
        f"{shown}: no column separates won from lost deals by {MIN_POWER:.0%} or more of "
        f"wins over losses{strongest}; there is no ICP to draft from these deals"
    )


def _is_default(shown: Path, config: Config) -> bool:
    default = config.accounts
    return default is not None and (config.root / shown).resolve() == default.resolve()


def detect_fields(frame: pd.DataFrame, config: Config) -> tuple[dict[str, str], tuple[str, ...]]:
    """Which columns to learn from, and how to read each: numbers, categories or lists."""
    mapping = config.mapping
    taken = {mapping.columns.get(name, name) for name in DEAL_COLUMNS}
    by_name = {column_key(column): column for column in frame.columns}
    taken |= {by_name[name] for name in DEAL_COLUMNS if name in by_name}
    markers = set(mapping.unknown_values)
    kinds: dict[str, str] = {}
    skipped: list[str] = []
    renamed = {source: name for name, source in mapping.columns.items()}
    for column in frame.columns:
        name = renamed.get(column, column_key(column))
        if column in taken or name == TRIGGERS:
            continue
        if not _FIELD.match(name):
            skipped.append(f"{column}: not usable as a field name")
            continue
        text = frame[column].astype(TEXT_DTYPE).str.strip()
        text = text[text.notna() & ~text.str.lower().isin(markers)]
        if len(text) < 5:
            skipped.append(f"{column}: fewer than 5 known values")
            continue
        numbers = parse_numbers(text)
        if numbers.notna().mean() >= 0.9:
            kinds[name] = NUMERIC
            continue
        if pd.to_datetime(text, errors="coerce", format="mixed").notna().mean() >= 0.9:
            skipped.append(f"{column}: dates")
            continue
        if text.str.contains(mapping.list_separator, regex=False).mean() >= 0.05:
            kinds[name] = LIST
            continue
        distinct = text.str.lower().nunique()
        if distinct > max(30, len(text) // 2):
            skipped.append(f"{column}: {distinct} distinct values, like names or ids")
            continue
        kinds[name] = CATEGORY
    return kinds, tuple(skipped)


def _split(frame: pd.DataFrame, since: dt.date, shown: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    if "closed_on" not in frame:
        raise InputError(f"{shown}: --holdout-since needs a closed_on column in the deals")
    closed = frame["closed_on"]
    later = (closed >= pd.Timestamp(since)).fillna(False).to_numpy(dtype=bool)
    earlier = (closed < pd.Timestamp(since)).fillna(False).to_numpy(dtype=bool)
    train, test = frame[earlier], frame[later]
    for part, label in ((train, "before"), (test, "on or after")):
        outcomes = part["outcome"]
        if int(outcomes.isin(["won", "lost"]).sum()) < MIN_HOLDOUT or not (
            (outcomes == "won").any() and (outcomes == "lost").any()
        ):
            raise InputError(
                f"{shown}: too few closed deals {label} {since.isoformat()} to "
                f"{'fit' if label == 'before' else 'test'} on (need {MIN_HOLDOUT}, with wins "
                "and losses); pick another --holdout-since date"
            )
    return train, test
