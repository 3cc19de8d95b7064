"""What `icp score` and `icp backtest` do, as library calls: files in, values out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from icpkit.errors import InputError, UsageError
from icpkit.format.model import Icp, Status
from icpkit.format.overrides import Overrides
from icpkit.paths import relative_path
from icpkit.project.overrides import read_overrides
from icpkit.project.settings import Config
from icpkit.scorer.against import Regression
from icpkit.scorer.backtest import BacktestResult, backtest
from icpkit.scorer.calibration import Expected
from icpkit.scorer.contract import Ruler
from icpkit.scorer.deals import DealFiles, Deals, DealTables, deal_files, read_deals
from icpkit.scorer.expected import with_expected
from icpkit.scorer.explicit import reads_alike
from icpkit.scorer.loaded import Loaded, load_icps
from icpkit.scorer.orchestrate import combined, resolved, score_accounts
from icpkit.scorer.override_outcomes import override_outcomes
from icpkit.scorer.overrides import overridden
from icpkit.scorer.prepare import Prepared, prepare_accounts
from icpkit.scorer.retention_gates import with_customers
from icpkit.scorer.retention_run import backtest_customers
from icpkit.scorer.score import score_frame
from icpkit.scorer.surprises import SHOW as SHOW_SURPRISES
from icpkit.scorer.tables import Table, read_table


@dataclass(frozen=True)
class ScoreRun:
    """The accounts with their score columns appended, and what was noticed on the way."""

    frame: pd.DataFrame
    icps: tuple[Loaded, ...]
    issues: tuple[str, ...]
    canonical: pd.DataFrame
    # An ICP's own canonical table, where it reads a marker differently (scorer.explicit).
    own: Mapping[str, pd.DataFrame] = field(default_factory=dict)

    separator: str = ";"
    # The file's row of its header, so that "row 7" names the row an editor shows as 7.
    header_row: int = 1

    def canonical_for(self, icp_id: str) -> pd.DataFrame:
        return self.own.get(icp_id, self.canonical)


@dataclass(frozen=True)
class BacktestRun:
    results: tuple[BacktestResult, ...]
    skipped: tuple[str, ...]
    # What each result was computed from: the ICP file and its deals.
    sources: tuple[tuple[Path, DealFiles], ...] = ()
    against: tuple[Regression, ...] = ()

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results) and all(r.passed for r in self.against)


def score_file(
    icp_paths: Sequence[Path],
    accounts: Path,
    *,
    config: Config,
    keep: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    expected: Expected | None = None,
) -> ScoreRun:
    """Score every account; with several ICPs each account gets its best-fitting one.

    `keep` names the input columns to carry (default: all); see `scorer.carry` for the
    names they get beside the result columns. `expected` adds `expected_win_rate`
    (see `scorer.expected`) with its rates.
    """
    engine = PandasEngine(progress, expected)
    return score_accounts(icp_paths, accounts, config=config, engine=engine, keep=keep)


@dataclass(frozen=True)
class _Source:
    path: Path
    table: Table
    prepared: Prepared | None = None


@dataclass(frozen=True)
class PandasEngine:
    """The pandas engine, as `scorer.orchestrate` runs it: the file read by `scorer.tables`,
    mapped by `scorer.prepare`, scored by `scorer.score`."""

    progress: Callable[[int, int], None] | None = None
    expected: Expected | None = None

    def read(self, accounts: Path, config: Config) -> _Source:
        return _Source(accounts, read_table(accounts, config.limits))

    def resolve(
        self, source: _Source, icps: Sequence[Icp], config: Config, joined: Table | None
    ) -> _Source:
        prepared = prepare_accounts(source.table, icps, config.mapping, joined)
        return replace(source, prepared=prepared)

    def score(
        self,
        source: _Source,
        loaded: Sequence[Loaded],
        *,
        config: Config,
        keep: Sequence[str] | None,
    ) -> ScoreRun:
        table, prepared = source.table, source.prepared
        assert prepared is not None
        icps = [item.icp for item in loaded]
        total = len(prepared.frame) * len(loaded)
        # Markers an ICP names are values for that ICP only (see scorer.explicit).
        own = {
            icp.id: self._prepared(source, [icp], config).frame
            for icp in icps
            if not reads_alike(icp, icps, config.mapping)
        }

        def advance(rows: int) -> None:
            if self.progress is not None:
                self.progress(rows, total)

        scored = [
            score_frame(
                item.icp,
                own.get(item.icp.id, prepared.frame),
                ruler=item.ruler,
                separator=config.mapping.list_separator,
                progress=advance,
            )
            for item in loaded
        ]
        if self.expected is not None:
            rates, churn = self.expected.rates, self.expected.churn
            scored = [
                with_expected(f, rates[item.icp.id], churn[item.icp.id] if churn else None)
                for item, f in zip(loaded, scored, strict=True)
            ]
        frame = combined(loaded, scored, table.frame, keep=keep, source=str(source.path))
        # Overrides after scoring, before anything read from the final band.
        applied = overridden(loaded, frame, table.frame, config, source=str(source.path))
        return ScoreRun(
            applied.frame,
            tuple(loaded),
            (*table.notes, *prepared.issues, *applied.notes),
            prepared.frame,
            own,
            config.mapping.list_separator,
            table.header_row,
        )

    def _prepared(self, source: _Source, icps: Sequence[Icp], config: Config) -> Prepared:
        prepared = resolved(self, source, source.path, icps, config).prepared
        assert prepared is not None
        return prepared


def backtest_paths(
    icp_paths: Sequence[Path],
    *,
    config: Config,
    deals: Path | None = None,
    accounts: Path | None = None,
    since: dt.date | None = None,
    resamples: int = 1000,
    by: str | None = None,
    surprises: int = SHOW_SURPRISES,
) -> BacktestRun:
    """Backtest each ICP against its `validation.deals` (or `deals` for all of them), with
    the accounts file of `deal_files` joined on; `surprises` deals of each kind listed."""
    results: list[BacktestResult] = []
    skipped: list[str] = []
    sources: list[tuple[Path, DealFiles]] = []
    for item, explicit in load_icps(icp_paths, config):
        icp = item.icp
        if icp.status is Status.RETIRED and not explicit:
            skipped.append(f"{relative_path(item.path, config.root)}: retired")
            continue
        files = deal_files(icp, config, deals=deals, accounts=accounts)
        if files is None:
            if explicit:
                raise InputError(
                    f"{item.path}: no deals to backtest: set validation.deals or pass --deals"
                )
            skipped.append(f"{relative_path(item.path, config.root)}: no validation.deals")
            continue
        sources.append((item.path, files))
        results.append(
            backtest_deals(
                icp,
                files,
                config=config,
                ruler=item.ruler,
                since=since,
                resamples=resamples,
                by=by,
                surprises=surprises,
                overrides=read_overrides(icp, item.path, config),
            )
        )
    if not results:
        raise UsageError("nothing to backtest: " + "; ".join(skipped))
    return BacktestRun(tuple(results), tuple(skipped), tuple(sources))


def backtest_against(
    run: BacktestRun,
    rev: str,
    *,
    config: Config,
    tolerance: float,
    since: dt.date | None = None,
) -> BacktestRun:
    """`run` with each ICP's version at `rev` backtested on the same deals beside it."""
    from icpkit.vcs.git import file_exists
    from icpkit.vcs.sides import require_commit, require_repo, revision_side

    regressions = []
    for result, (icp_path, files) in zip(run.results, run.sources, strict=True):
        top = require_repo(icp_path.parent)
        commit = require_commit(icp_path.parent, rev)
        name = relative_path(icp_path, top)
        old: BacktestResult | None = None
        unscorable = None
        if file_exists(top, commit, name):
            side = revision_side(commit, name, top, label=f"{rev}:{name}")
            ruler = Loaded.of(side.icp, icp_path, side.commit).ruler
            try:
                old = backtest_deals(
                    side.icp, files, config=config, ruler=ruler, since=since, resamples=0
                )
            except InputError as exc:
                # A first real export replaces the example ICP and its deals in one change.
                unscorable = str(exc).splitlines()[0]
        regressions.append(Regression(result.icp_id, rev, result, old, tolerance, unscorable))
    return replace(run, against=tuple(regressions))


def backtest_deals(
    icp: Icp,
    deals: DealFiles | DealTables | Deals,
    *,
    config: Config,
    ruler: Ruler | None = None,
    since: dt.date | None = None,
    resamples: int = 1000,
    by: str | None = None,
    surprises: int = 0,
    customers_of: DealFiles | None = None,
    overrides: Overrides | None = None,
) -> BacktestResult:
    """The one way a command backtests an ICP: on its deals read and mapped for it alone by
    the project's config (unless given as read), with what the reader noticed among the
    warnings. Its `scores` hold every deal's score, for callers that compare deal by deal;
    `by` (quarter or month) adds its figures per period of closed_on (scorer.drift). The
    customers are those of `deals` when it is a DealFiles, else of `customers_of`. With
    `overrides` (the ICP's file), the overridden accounts' deals are measured against the
    model's prediction for them (scorer.override_outcomes)."""
    read = deals if isinstance(deals, Deals) else read_deals(deals, [icp], config)
    result = backtest(
        icp,
        read.frame,
        deals_file=read.shown,
        ruler=ruler,
        since=since,
        resamples=resamples,
        separator=config.mapping.list_separator,
        issues=read.issues,
        by=by,
        surprises=surprises,
        columns=read.columns,
    )
    if overrides is not None and result.scores is not None:
        outcomes = override_outcomes(
            overrides,
            read.frame.loc[result.scores.index],
            result.scores["band"],
            result.calibration,
            shown=relative_path(overrides.path, config.root),
        )
        result = replace(result, overrides=outcomes)
    files = deals if isinstance(deals, DealFiles) else customers_of
    customers = backtest_customers(icp, files, config=config, ruler=ruler, resamples=resamples)
    return with_customers(result, icp, customers)
