"""`icp suggest` as a library call: a deals file in, evidence, a draft ICP and its AUCs out."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from icpkit.api import read_icp
from icpkit.config import Config, today
from icpkit.errors import InputError, UsageError
from icpkit.mapping import TRIGGERS
from icpkit.model import Icp
from icpkit.paths import relative_path
from icpkit.scorer.backtest import BacktestResult, backtest
from icpkit.scorer.numbers import parse_numbers
from icpkit.scorer.prepare import CATEGORY, LIST, NUMERIC, column_key, prepare_deals
from icpkit.scorer.score import SCORED, score_frame
from icpkit.scorer.tables import TEXT_DTYPE, read_table
from icpkit.suggest.draft import fit_bands, layer_of, render_draft, weights
from icpkit.suggest.evidence import Evidence, gather
from icpkit.suggest.folds import (
    FOLD_SEED,
    MAX_FOLDS,
    MIN_FOLDS,
    CrossValidation,
    cross_validate,
    group_keys,
)
from icpkit.suggest.leakage import (
    EXCLUDED,
    NOT_ONLY,
    SEPARATION,
    UNUSABLE,
    LeftOut,
    by_data,
    by_name,
    separation,
)

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
# Below about a hundred closed deals an AUC moves by several points with a handful of deals.
NOISY_BELOW = 100
_FIELD = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Holdout:
    since: dt.date
    draft: BacktestResult
    current: BacktestResult | None


@dataclass(frozen=True)
class Suggestion:
    """What `icp suggest` found. With no field that separates wins from losses there is
    no draft: `draft_text`, `draft` and `fit` are None."""

    deals_file: str
    kinds: dict[str, str]
    evidence: Evidence
    draft_text: str | None
    draft: Icp | None
    fit: BacktestResult | None
    current: BacktestResult | None
    holdout: Holdout | None
    left_out: tuple[LeftOut, ...]
    layers: dict[str, tuple[str, str]] = field(default_factory=dict)
    folds: CrossValidation | None = None
    warnings: tuple[str, ...] = ()

    @property
    def skipped(self) -> tuple[str, ...]:
        return tuple(str(item) for item in self.left_out)


@dataclass(frozen=True)
class Columns:
    """Which columns to learn from: by default every usable one past the leakage guard."""

    only: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    guard: bool = True


def suggest_file(
    deals: Path,
    *,
    config: Config,
    icp_id: str,
    holdout_since: dt.date | None = None,
    current: Icp | None = None,
    columns: Columns = Columns(),
    folds: int | None = None,
    seed: int = FOLD_SEED,
) -> Suggestion:
    shown = relative_path(deals, config.root)
    table = replace(read_table(deals), path=Path(shown))
    detected = detect_fields(table.frame, config)
    kinds, left_out, named = select(detected, columns, shown)
    if not kinds:
        raise InputError(f"{shown}: no column beside the deal columns to learn from")
    icps = [current] if current is not None else []
    prepared = prepare_deals(table, icps, config.mapping, fields=kinds).frame
    if columns.guard:
        kinds, leaky = _separating(prepared, kinds, detected.sources, named)
        left_out += leaky
    train, test = prepared, None
    if holdout_since is not None:
        train, test = _split(prepared, holdout_since, shown)
    evidence = _gather(train, kinds, config)
    if not evidence.wins or not evidence.losses:
        raise InputError(f"{shown}: need both won and lost deals to compare, found "
                         f"{evidence.wins} won and {evidence.losses} lost")  # fmt: skip
    fitted_on = f"{evidence.wins + evidence.losses} closed deals"
    if holdout_since is not None:
        fitted_on += f" closed before {holdout_since.isoformat()}"
    separator = config.mapping.list_separator
    known_layers = {a.field: a.layer for a in current.attributes} if current else {}
    layers = {f.field: layer_of(f.field, known_layers) for f in evidence.fields if f.used}
    warnings = _small(evidence)
    if not weights(evidence):
        return Suggestion(shown, kinds, evidence, None, None, None, None, None, left_out,
                          layers, warnings=warnings)  # fmt: skip
    drafter = _Drafter(icp_id, shown, fitted_on, separator, known_layers)
    text, draft = drafter.fitted(evidence, train)

    def measure(icp: Icp, frame: pd.DataFrame, resamples: int = 0) -> BacktestResult:
        return backtest(icp, frame, deals_file=shown, resamples=resamples, separator=separator)

    fit = measure(draft, train)
    holdout = None
    reference = None
    validation = None
    if test is not None:
        assert holdout_since is not None
        reference = measure(current, test) if current is not None else None
        holdout = Holdout(holdout_since, measure(draft, test), reference)
    elif folds is not None:
        closed = prepared[prepared["outcome"].isin(["won", "lost"])]
        keys = group_keys(closed, table.frame, detected.id_column)
        _check_folds(folds, keys, shown)

        def refit(part: pd.DataFrame) -> Icp | None:
            found = _gather(part, kinds, config)
            if not found.wins or not found.losses or not weights(found):
                return None
            return drafter.render(found)[1]

        validation = cross_validate(
            closed, keys, folds=folds, seed=seed, fit=refit, separator=separator
        )
        reference = measure(current, prepared, 1000) if current is not None else None
    elif current is not None:
        reference = measure(current, prepared)
    return Suggestion(shown, kinds, evidence, text, draft, fit, reference, holdout, left_out,
                      layers, validation, warnings)  # fmt: skip


@dataclass(frozen=True)
class _Drafter:
    icp_id: str
    shown: str
    fitted_on: str
    separator: str
    layers: dict[str, str]

    def render(
        self, evidence: Evidence, bands: tuple[float, ...] = (85, 70, 55, 40)
    ) -> tuple[str, Icp]:
        text = render_draft(
            evidence, icp_id=self.icp_id, deals_file=self.shown, today=today(),
            fitted_on=self.fitted_on, bands=bands, layers=self.layers,
        )  # fmt: skip
        return text, read_icp(text.encode("utf-8"), f"{self.icp_id}.yaml")[0]

    def fitted(self, evidence: Evidence, train: pd.DataFrame) -> tuple[str, Icp]:
        """Weights first, then band floors from the scores those weights give the wins."""
        _, draft = self.render(evidence)
        scores = score_frame(draft, train, separator=self.separator)
        won = (train["outcome"] == "won").to_numpy(dtype=bool)
        scored = (scores["status"] == SCORED).to_numpy(dtype=bool)
        return self.render(evidence, fit_bands(scores["score"].to_numpy()[won & scored].tolist()))


def _gather(frame: pd.DataFrame, kinds: dict[str, str], config: Config) -> Evidence:
    return gather(
        frame,
        kinds,
        separator=config.mapping.list_separator,
        size_fields=config.settings.size_fields,
        max_range_ratio=config.settings.max_range_ratio,
    )


def _small(evidence: Evidence) -> tuple[str, ...]:
    closed = evidence.wins + evidence.losses
    if closed >= NOISY_BELOW:
        return ()
    return (
        f"only {closed} closed deals: every AUC here is noisy (a few deals either way move "
        "it a lot); read the interval, not the figure",
    )


def _check_folds(folds: int, keys: pd.Series, shown: str) -> None:
    if not MIN_FOLDS <= folds <= MAX_FOLDS:
        raise UsageError(f"--folds must be between {MIN_FOLDS} and {MAX_FOLDS}, not {folds}")
    groups = int(keys.nunique())
    if groups < folds:
        raise InputError(
            f"{shown}: {groups} accounts or distinct deals cannot fill {folds} folds; "
            "pass a smaller --folds"
        )


@dataclass(frozen=True)
class Detected:
    kinds: dict[str, str]
    sources: dict[str, str]  # field -> the column it is read from
    left_out: tuple[LeftOut, ...]
    id_column: str | None


def detect_fields(frame: pd.DataFrame, config: Config) -> Detected:
    """Which columns to learn from, and how to read each: numbers, categories or lists."""
    mapping = config.mapping
    taken = {mapping.columns.get(name, name) for name in DEAL_COLUMNS}
    by_name = {column_key(column): column for column in frame.columns}
    taken |= {by_name[name] for name in DEAL_COLUMNS if name in by_name}
    id_column = mapping.columns.get("deal_id", by_name.get("deal_id"))
    markers = set(mapping.unknown_values)
    kinds: dict[str, str] = {}
    sources: dict[str, str] = {}
    skipped: list[LeftOut] = []
    renamed = {source: name for name, source in mapping.columns.items()}
    for column in frame.columns:
        name = renamed.get(column, column_key(column))

        def skip(reason: str, column: str = column, name: str = name) -> None:
            skipped.append(LeftOut(column, name, UNUSABLE, reason))

        if column in taken or name == TRIGGERS:
            continue
        if not _FIELD.match(name):
            skip("not usable as a field name")
            continue
        text = frame[column].astype(TEXT_DTYPE).str.strip()
        text = text[text.notna() & ~text.str.lower().isin(markers)]
        if len(text) < 5:
            skip("fewer than 5 known values")
            continue
        sources[name] = column
        numbers = parse_numbers(text)
        if numbers.notna().mean() >= 0.9:
            kinds[name] = NUMERIC
            continue
        if pd.to_datetime(text, errors="coerce", format="mixed").notna().mean() >= 0.9:
            skip("dates")
            continue
        if text.str.contains(mapping.list_separator, regex=False).mean() >= 0.05:
            kinds[name] = LIST
            continue
        distinct = text.str.lower().nunique()
        if distinct > max(30, len(text) // 2):
            skip(f"{distinct} distinct values, like names or ids")
            continue
        kinds[name] = CATEGORY
    return Detected(kinds, sources, tuple(skipped), id_column)


def select(
    detected: Detected, columns: Columns, shown: str
) -> tuple[dict[str, str], tuple[LeftOut, ...], frozenset[str]]:
    """The fields to learn from after --only, --exclude and the guard on column names, and
    the fields --only names."""
    only = {_resolve(name, detected, shown, "--only") for name in columns.only}
    exclude = {_resolve(name, detected, shown, "--exclude") for name in columns.exclude}
    both = only & exclude
    if both:
        raise UsageError(f"{', '.join(sorted(both))}: named in both --only and --exclude")
    kinds: dict[str, str] = {}
    left_out = list(detected.left_out)
    for name, kind in detected.kinds.items():
        column = detected.sources[name]
        leak = by_name(column, name) if columns.guard else None
        if name in exclude:
            left_out.append(LeftOut(column, name, EXCLUDED, "left out by --exclude"))
        elif only and name not in only:
            left_out.append(LeftOut(column, name, NOT_ONLY, "not named in --only"))
        elif leak is not None and name not in only:
            left_out.append(leak)
        else:
            kinds[name] = kind
    return kinds, tuple(left_out), frozenset(only)


def _resolve(given: str, detected: Detected, shown: str, option: str) -> str:
    """A field from a column header or field name, as the user typed it."""
    for name, column in detected.sources.items():
        if given in (name, column) or column_key(given) in (name, column_key(column)):
            if name in detected.kinds:
                return name
            raise UsageError(f"{option} {given}: {shown} column {column!r} cannot be learned from")
    known = ", ".join(repr(c) for c in detected.sources.values())
    raise UsageError(
        f"{option} {given}: no such column to learn from in {shown} (deal columns such as "
        f"the outcome are never learned from); columns: {known}"
    )


def _separating(
    prepared: pd.DataFrame, kinds: dict[str, str], sources: dict[str, str], named: frozenset[str]
) -> tuple[dict[str, str], tuple[LeftOut, ...]]:
    """Fields that alone tell wins from losses almost perfectly, unless --only names them."""
    closed = prepared[prepared["outcome"].isin(["won", "lost"])]
    won = (closed["outcome"] == "won").to_numpy(dtype=bool)
    kept: dict[str, str] = {}
    leaky: list[LeftOut] = []
    for name, kind in kinds.items():
        value = separation(closed[name], kind, won) if name in closed else None
        if value is not None and value >= SEPARATION and name not in named:
            leaky.append(by_data(sources.get(name, name), name, value))
        else:
            kept[name] = kind
    return kept, tuple(leaky)


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
