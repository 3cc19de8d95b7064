"""`icp suggest` as a library call: a deals file in, evidence, a draft ICP and its AUCs out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from icpkit.checks.options import MAX_RANGE_RATIO, SIZE_FIELDS
from icpkit.errors import InputError, UsageError
from icpkit.format.model import Icp
from icpkit.format.valid import read_icp
from icpkit.project.settings import Config, today
from icpkit.scorer.backtest import BacktestResult
from icpkit.scorer.contract import SCORED
from icpkit.scorer.deals import DealFiles, Deals
from icpkit.scorer.explicit import kept_markers
from icpkit.scorer.run import backtest_deals
from icpkit.scorer.score import score_frame
from icpkit.suggest.columns import Columns, Detected, detect_fields, select, separating
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
from icpkit.suggest.leakage import LeftOut
from icpkit.suggest.outcome import DEALS, Outcome
from icpkit.suggest.segments import SEGMENT_FOLDS, Drafting, Segmentation, segment
from icpkit.suggest.source import Source, deal_source

NO_SIGNAL = "no field separates wins from losses; no draft written"
MIN_HOLDOUT = 10
# Below about a hundred closed deals an AUC moves by several points with a handful of deals.
NOISY_BELOW = 100


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
    # Why there is no draft, when there is none.
    no_draft: str = NO_SIGNAL
    # What the draft tells apart: won and lost deals, or the best customers and the rest.
    outcome: Outcome = DEALS
    segments: Segmentation | None = None  # with --segments: one ICP or one per segment

    @property
    def skipped(self) -> tuple[str, ...]:
        return tuple(str(item) for item in self.left_out)


def suggest_file(
    deals: Path | DealFiles | Source,
    *,
    config: Config,
    icp_id: str,
    holdout_since: dt.date | None = None,
    current: Icp | None = None,
    columns: Columns | None = None,
    folds: int | None = None,
    seed: int = FOLD_SEED,
    segments: int | None = None,
) -> Suggestion:
    """Learn from `deals`, with the accounts file joined on when a DealFiles (`deal_files`),
    or from any other Source (the customers: `suggest.customers`)."""
    columns = columns or Columns()
    if not isinstance(deals, Source):
        deals = deal_source(deals if isinstance(deals, DealFiles) else DealFiles(deals), config)
    source, shown, outcome = deals, deals.shown, deals.outcome
    kept = kept_markers([current], config.mapping) if current is not None else {}
    detected = source.detect(source.frame, kept)
    if source.accounts is not None:
        # Account columns are learnt from one row per account, as the accounts file has them.
        extra = source.accounts.frame
        extra = extra[[c for c in extra.columns if c not in source.frame.columns]]
        detected = _beside(detected, detect_fields(extra, config, kept))
    kinds, left_out, named = select(detected, columns, shown, source.guard)
    if not kinds:
        why = "; ".join(str(c) for c in left_out)
        raise InputError(
            f"{shown}: no column beside the {outcome.row} columns to learn from"
            + (f" (left out: {why}; --only COL uses one anyway)" if why else "")
        )
    icps = [current] if current is not None else []
    prepared = source.prepare(icps, kinds)
    if columns.guard:
        kinds, leaky = separating(prepared, kinds, detected.sources, named, outcome.contrast)
        left_out += leaky
    train, test = prepared, None
    if holdout_since is not None:
        train, test = _split(prepared, holdout_since, shown)
    evidence = _gather(train, kinds, config, outcome)
    if not evidence.wins or not evidence.losses:
        raise InputError(f"{shown}: need both won and lost deals to compare, found "
                         f"{evidence.wins:,} won and {evidence.losses:,} lost")  # fmt: skip
    fitted_on = f"{evidence.wins + evidence.losses:,} {outcome.rows}"
    if holdout_since is not None:
        fitted_on += f" closed before {holdout_since.isoformat()}"
    if outcome.definition:
        fitted_on += f";\n# {outcome.definition}"
    separator = config.mapping.list_separator
    known_layers = {a.field: a.layer for a in current.attributes} if current else {}
    layers = {f.field: layer_of(f.field, known_layers) for f in evidence.fields if f.used}
    warnings = (*source.notes, *_small(evidence, outcome))
    joined = source.accounts
    # The project's accounts setting applies to the draft anyway; another file is named in it.
    accounts_file = (
        str(joined.path) if joined is not None and not _is_default(joined.path, config) else None
    )
    drafter = _Drafter(icp_id, shown, fitted_on, separator, known_layers, accounts_file, outcome,
                       dict(source.related))  # fmt: skip
    split = None
    if segments is not None:
        keys = group_keys(train, source.frame, detected.id_column)
        split = _segment(segments, train, keys, kinds, evidence, drafter, config, folds, seed)
    if not weights(evidence):
        return Suggestion(shown, kinds, evidence, None, None, None, None, None, left_out, layers,
                          warnings=warnings, no_draft=_no_signal(outcome),
                          outcome=outcome, segments=split)  # fmt: skip
    if all(layer != "firmographics" for layer, _ in layers.values()):
        # An ICP starts from who the account is; with no such rule the draft would fail
        # the schema, so say what was found instead of writing half a file.
        found = ", ".join(f"{name} ({layer})" for name, (layer, _) in sorted(layers.items()))
        why = (
            f"no firmographic field (size, revenue, industry, place) separates "
            f"{outcome.contrast}, and an ICP needs at least one; what does: {found}; no draft "
            "written"
        )
        return Suggestion(shown, kinds, evidence, None, None, None, None, None, left_out,
                          layers, warnings=warnings, no_draft=why, outcome=outcome,
                          segments=split)  # fmt: skip
    text, draft = drafter.fitted(evidence, train)

    def measure(icp: Icp, frame: pd.DataFrame, resamples: int = 0) -> BacktestResult:
        # The deals are read once and split: each part is backtested as it stands.
        return backtest_deals(icp, Deals(frame, shown, ()), config=config, resamples=resamples)

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
        keys = group_keys(closed, source.frame, detected.id_column)
        _check_folds(folds, keys, shown, outcome)

        def refit(part: pd.DataFrame) -> Icp | None:
            found = _gather(part, kinds, config, outcome)
            if not found.wins or not found.losses or not weights(found):
                return None
            used = {layer_of(f.field, known_layers)[0] for f in found.fields if f.used}
            if "firmographics" not in used:  # no ICP without one: the fold's rows tie
                return None
            return drafter.render(found)[1]

        validation = cross_validate(
            closed, keys, folds=folds, seed=seed, fit=refit, separator=separator
        )
        reference = measure(current, prepared, 1000) if current is not None else None
    elif current is not None:
        reference = measure(current, prepared)
    return Suggestion(shown, kinds, evidence, text, draft, fit, reference, holdout, left_out,
                      layers, validation, warnings, outcome=outcome, segments=split)  # fmt: skip


@dataclass(frozen=True)
class _Drafter:
    icp_id: str
    shown: str
    fitted_on: str
    separator: str
    layers: dict[str, str]
    accounts_file: str | None = None
    outcome: Outcome = DEALS
    related: dict[str, str] = field(default_factory=dict)

    def render(
        self, evidence: Evidence, bands: tuple[float, ...] = (85, 70, 55, 40)
    ) -> tuple[str, Icp]:
        text = render_draft(
            evidence, icp_id=self.icp_id, deals_file=self.shown, today=today(),
            fitted_on=self.fitted_on, bands=bands, layers=self.layers,
            accounts_file=self.accounts_file, outcome=self.outcome, related=self.related,
        )  # fmt: skip
        return text, read_icp(text.encode("utf-8"), f"{self.icp_id}.yaml")[0]

    def fitted(self, evidence: Evidence, train: pd.DataFrame) -> tuple[str, Icp]:
        """Weights first, then band floors from the scores those weights give the wins."""
        _, draft = self.render(evidence)
        scores = score_frame(draft, train, separator=self.separator)
        won = (train["outcome"] == "won").to_numpy(dtype=bool)
        scored = (scores["status"] == SCORED).to_numpy(dtype=bool)
        return self.render(evidence, fit_bands(scores["score"].to_numpy()[won & scored].tolist()))


def _no_signal(outcome: Outcome) -> str:
    return f"no field separates {outcome.contrast}; no draft written"


def _segment(
    asked: int,
    deals: pd.DataFrame,
    keys: pd.Series,
    kinds: dict[str, str],
    evidence: Evidence,
    drafter: _Drafter,
    config: Config,
    folds: int | None,
    seed: int,
) -> Segmentation:
    """The segments' drafts are written, fitted and folded as the one draft is."""
    closed = deals["outcome"].isin(["won", "lost"]).to_numpy(dtype=bool)
    drafting = Drafting(
        gather=lambda frame, fields: _gather(frame, fields, config, drafter.outcome),
        fitted=lambda found, train, icp_id, fitted_on: replace(
            drafter, icp_id=icp_id, fitted_on=fitted_on
        ).fitted(found, train),
        render=lambda found, icp_id: replace(drafter, icp_id=icp_id).render(found)[1],
        layers=drafter.layers,
        separator=drafter.separator,
        source=drafter.shown,
    )
    return segment(deals[closed], keys[closed], kinds, evidence, drafting, asked=asked,
                   icp_id=drafter.icp_id, folds=folds or SEGMENT_FOLDS, seed=seed)  # fmt: skip


def _beside(deals: Detected, accounts: Detected) -> Detected:
    """The deals file's columns with the accounts file's beside them (the deals' win ties)."""
    return Detected(
        {**accounts.kinds, **deals.kinds},
        {**accounts.sources, **deals.sources},
        (*deals.left_out, *accounts.left_out),
        deals.id_column,
    )


def _is_default(shown: Path, config: Config) -> bool:
    default = config.accounts
    return default is not None and (config.root / shown).resolve() == default.resolve()


def _gather(
    frame: pd.DataFrame, kinds: dict[str, str], config: Config, outcome: Outcome = DEALS
) -> Evidence:
    size_fields: tuple[str, ...] = config.settings.option(SIZE_FIELDS)
    return gather(
        frame,
        kinds,
        separator=config.mapping.list_separator,
        size_fields=size_fields,
        max_range_ratio=config.settings.option(MAX_RANGE_RATIO),
        outcome=outcome,
    )


def _small(evidence: Evidence, outcome: Outcome = DEALS) -> tuple[str, ...]:
    closed = evidence.wins + evidence.losses
    if closed >= NOISY_BELOW:
        return ()
    return (
        f"only {closed} {outcome.rows}: every AUC here is noisy (a few deals either way move "
        "it a lot); read the interval, not the figure",
    )


def _check_folds(folds: int, keys: pd.Series, shown: str, outcome: Outcome = DEALS) -> None:
    if not MIN_FOLDS <= folds <= MAX_FOLDS:
        raise UsageError(f"--folds must be between {MIN_FOLDS} and {MAX_FOLDS}, not {folds}")
    groups = int(keys.nunique())
    if groups < folds:
        raise InputError(
            f"{shown}: {groups} accounts or distinct {outcome.row}s cannot fill {folds} folds; "
            "pass a smaller --folds"
        )


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
