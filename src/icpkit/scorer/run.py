"""What `icp score` and `icp backtest` do, as library calls: files in, values out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from icpkit.errors import InputError, UsageError
from icpkit.format.model import Icp, Status, Tier
from icpkit.format.valid import load_icp, unique_ids
from icpkit.paths import relative_path
from icpkit.project.settings import Config
from icpkit.scorer.against import Regression
from icpkit.scorer.backtest import BacktestResult, backtest
from icpkit.scorer.carry import carried_frame
from icpkit.scorer.contract import DISQUALIFIED, INSUFFICIENT, SCORED, Ruler
from icpkit.scorer.deals import DealFiles, deal_files, project_file, read_deals
from icpkit.scorer.explicit import reads_alike
from icpkit.scorer.prepare import Prepared, prepare_accounts
from icpkit.scorer.score import score_frame
from icpkit.scorer.tables import Table, read_table
from icpkit.vcs.git import file_commit

T = TypeVar("T")
RULER_COLUMNS = ("icp_id", "icp_version", "icp_commit")


@dataclass(frozen=True)
class Loaded:
    icp: Icp
    path: Path
    ruler: Ruler


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


def load_icps(paths: Sequence[Path], config: Config) -> list[tuple[Loaded, bool]]:
    """Each ICP with whether it was named explicitly (folders hold implicit ones)."""
    from icpkit.project.discovery import discover

    found: list[tuple[Loaded, bool]] = []
    sources = list(paths) or [config.root / p for p in config.paths]
    for source in sources:
        explicit = source.is_file()
        for path in discover([source], config):
            icp = load_icp(path)
            found.append(
                (Loaded(icp, path, Ruler(icp.id, icp.version, file_commit(path))), explicit)
            )
    if not found:
        raise UsageError(f"no ICP files found in {', '.join(str(s) for s in sources)}")
    unique_ids((item.path, item.icp) for item, _ in found)
    return found


def score_file(
    icp_paths: Sequence[Path],
    accounts: Path,
    *,
    config: Config,
    keep: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScoreRun:
    """Score every account; with several ICPs each account gets its best-fitting one.

    `keep` names the input columns to carry (default: all); see `scorer.carry` for the
    names they get beside the result columns.
    """
    loaded = [
        item
        for item, explicit in load_icps(icp_paths, config)
        if explicit or item.icp.status is not Status.RETIRED
    ]
    # Primary ICPs win ties: they are where the team wants its pipeline to come from.
    loaded.sort(key=lambda item: item.icp.tier is not Tier.PRIMARY)
    table = read_table(accounts, config.limits)
    icps = [item.icp for item in loaded]
    prepared = _prepare_scored(table, icps, config)
    total = len(prepared.frame) * len(loaded)

    # Markers an ICP names are values for that ICP only (see scorer.explicit).
    own = {
        icp.id: _prepare_scored(table, [icp], config).frame
        for icp in icps
        if not reads_alike(icp, icps, config.mapping)
    }

    def advance(rows: int) -> None:
        if progress is not None:
            progress(rows, total)

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
    result = scored[0] if len(scored) == 1 else _best_fit(loaded, scored)
    source = carried_frame(table.frame, result.columns, keep=keep, source=str(accounts))
    issues = (*table.notes, *prepared.issues)
    frame = pd.concat([source, result], axis=1)
    return ScoreRun(
        frame,
        tuple(loaded),
        issues,
        prepared.frame,
        own,
        config.mapping.list_separator,
        table.header_row,
    )


def _prepare_scored(table: Table, icps: Sequence[Icp], config: Config) -> Prepared:
    """The file's accounts; when it lacks an ICP field, joined with the project's accounts
    file (validation.accounts, else the accounts setting): deals of a two-file export."""
    try:
        return prepare_accounts(table, icps, config.mapping)
    except InputError as missing:
        return with_accounts(
            table, icps, config, missing, lambda other: prepare_accounts(
                table, icps, config.mapping, other
            ),
        )  # fmt: skip


def with_accounts(
    table: Table,
    icps: Sequence[Icp],
    config: Config,
    missing: InputError,
    use: Callable[[Table], T],
) -> T:
    """`use` of the joinable accounts file (see `joinable_accounts`), read as the project
    names it, after `missing` said the scored file lacks a field: `missing` again when
    there is no such file, and both reasons when joining it does not help either."""
    joined = joinable_accounts(table, icps, config)
    if joined is None:
        raise missing
    shown = Path(relative_path(joined, config.root))
    try:
        return use(replace(read_table(joined, config.limits), path=shown))
    except InputError as failed:
        raise InputError(f"{missing}\nJoining {shown} did not help: {failed}") from None


def joinable_accounts(table: Table, icps: Sequence[Icp], config: Config) -> Path | None:
    """The accounts file to join onto a scored file that lacks an ICP field: the ICPs'
    validation.accounts, else the accounts setting; None when that is the file itself."""
    joined = next(
        (
            project_file(i, config, "accounts", i.validation.accounts)
            for i in icps
            if i.validation.accounts
        ),
        config.accounts,
    )
    if joined is None or joined.resolve() == table.path.resolve():
        return None
    return joined


def _best_fit(loaded: Sequence[Loaded], scored: Sequence[pd.DataFrame]) -> pd.DataFrame:
    rank = {SCORED: 0.0, INSUFFICIENT: -1.0, DISQUALIFIED: -2.0}
    keys = np.column_stack(
        [
            np.where(f["status"] == SCORED, f["score"], f["status"].map(rank).astype(float))
            for f in scored
        ]
    )
    best = keys.argmax(axis=1)  # the first maximum: tier order, then the order given
    head = [c for c in scored[0].columns if not c.startswith("points.")]
    picked = pd.DataFrame(
        {
            column: np.choose(best, [f[column].to_numpy(dtype=object) for f in scored])
            for column in head
        },
        index=scored[0].index,
    )
    picked["score"] = picked["score"].astype("float64")
    picked["unknown_share"] = picked["unknown_share"].astype("float64")
    per_icp = [
        f.drop(columns=list(RULER_COLUMNS)).add_prefix(f"{item.icp.id}.")
        for item, f in zip(loaded, scored, strict=True)
    ]
    return pd.concat([picked, *per_icp], axis=1)


def backtest_paths(
    icp_paths: Sequence[Path],
    *,
    config: Config,
    deals: Path | None = None,
    accounts: Path | None = None,
    since: dt.date | None = None,
    resamples: int = 1000,
) -> BacktestRun:
    """Backtest each ICP against its `validation.deals` (or `deals` for all of them), with
    the accounts file of `deal_files` joined on."""
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
        results.append(backtest_one(item, files, config=config, since=since, resamples=resamples))
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
    from icpkit.vcs.git import git_bytes
    from icpkit.vcs.sides import require_commit, require_repo, revision_side

    regressions = []
    for result, (icp_path, files) in zip(run.results, run.sources, strict=True):
        top = require_repo(icp_path.parent)
        commit = require_commit(icp_path.parent, rev)
        name = relative_path(icp_path, top)
        old: BacktestResult | None = None
        unscorable = None
        if git_bytes(top, "cat-file", "-e", f"{commit}:{name}") is not None:
            side = revision_side(commit, name, top, label=f"{rev}:{name}")
            ruler = Ruler(side.icp.id, side.icp.version, side.commit)
            try:
                old = backtest_one(
                    Loaded(side.icp, icp_path, ruler), files, config=config, since=since,
                    resamples=0,
                )  # fmt: skip
            except InputError as exc:
                # A first real export replaces the example ICP and its deals in one change.
                unscorable = str(exc).splitlines()[0]
        regressions.append(Regression(result.icp_id, rev, result, old, tolerance, unscorable))
    return replace(run, against=tuple(regressions))


def backtest_one(
    item: Loaded,
    files: DealFiles,
    *,
    config: Config,
    since: dt.date | None = None,
    resamples: int = 1000,
) -> BacktestResult:
    """Backtest one loaded ICP against its deals, mapped by the project's config."""
    deals = read_deals(files, [item.icp], config)
    return backtest(
        item.icp,
        deals.frame,
        deals_file=deals.shown,
        ruler=item.ruler,
        since=since,
        resamples=resamples,
        separator=config.mapping.list_separator,
        issues=deals.issues,
    )
