"""What `icp score` and `icp backtest` do, as library calls: files in, values out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from icpkit.api import load_icp
from icpkit.config import Config
from icpkit.errors import InputError, UsageError
from icpkit.git import file_commit
from icpkit.model import Icp, Status, Tier
from icpkit.paths import relative_path
from icpkit.scorer.against import Regression
from icpkit.scorer.backtest import BacktestResult, backtest
from icpkit.scorer.prepare import prepare_accounts, prepare_deals
from icpkit.scorer.score import DISQUALIFIED, INSUFFICIENT, SCORED, Ruler, score_frame
from icpkit.scorer.tables import Table, read_table

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
    separator: str = ";"


@dataclass(frozen=True)
class BacktestRun:
    results: tuple[BacktestResult, ...]
    skipped: tuple[str, ...]
    # What each result was computed from: the ICP file and the deals file.
    sources: tuple[tuple[Path, Path], ...] = ()
    against: tuple[Regression, ...] = ()

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results) and all(r.passed for r in self.against)


def load_icps(paths: Sequence[Path], config: Config) -> list[tuple[Loaded, bool]]:
    """Each ICP with whether it was named explicitly (folders hold implicit ones)."""
    from icpkit.checks.runner import discover

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
    return found


def score_file(
    icp_paths: Sequence[Path],
    accounts: Path,
    *,
    config: Config,
    progress: Callable[[int, int], None] | None = None,
) -> ScoreRun:
    """Score every account; with several ICPs each account gets its best-fitting one."""
    loaded = [
        item
        for item, explicit in load_icps(icp_paths, config)
        if explicit or item.icp.status is not Status.RETIRED
    ]
    # Primary ICPs win ties: they are where the team wants its pipeline to come from.
    loaded.sort(key=lambda item: item.icp.tier is not Tier.PRIMARY)
    table = read_table(accounts)
    prepared = prepare_accounts(table, [item.icp for item in loaded], config.mapping)
    total = len(prepared.frame) * len(loaded)

    def advance(rows: int) -> None:
        if progress is not None:
            progress(rows, total)

    scored = [
        score_frame(
            item.icp,
            prepared.frame,
            ruler=item.ruler,
            separator=config.mapping.list_separator,
            progress=advance,
        )
        for item in loaded
    ]
    result = scored[0] if len(scored) == 1 else _best_fit(loaded, scored)
    source = table.frame.drop(columns=[c for c in table.frame.columns if c in result.columns])
    issues = (*table.notes, *prepared.issues)
    frame = pd.concat([source, result], axis=1)
    return ScoreRun(frame, tuple(loaded), issues, prepared.frame, config.mapping.list_separator)


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
    """Backtest each ICP against its `validation.deals` (or `deals` for all of them)."""
    results: list[BacktestResult] = []
    skipped: list[str] = []
    sources: list[tuple[Path, Path]] = []
    accounts_table = read_table(accounts) if accounts else None
    for item, explicit in load_icps(icp_paths, config):
        icp = item.icp
        if icp.status is Status.RETIRED and not explicit:
            skipped.append(f"{relative_path(item.path, config.root)}: retired")
            continue
        source = deals or (config.root / icp.validation.deals if icp.validation.deals else None)
        if source is None:
            if explicit:
                raise InputError(
                    f"{item.path}: no deals to backtest: set validation.deals or pass --deals"
                )
            skipped.append(f"{relative_path(item.path, config.root)}: no validation.deals")
            continue
        sources.append((item.path, source))
        results.append(
            backtest_one(
                item,
                source,
                config=config,
                accounts=accounts_table,
                since=since,
                resamples=resamples,
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
    accounts: Path | None = None,
    since: dt.date | None = None,
) -> BacktestRun:
    """`run` with each ICP's version at `rev` backtested on the same deals beside it."""
    from icpkit.diff.sides import require_commit, require_repo, revision_side
    from icpkit.git import git_bytes

    accounts_table = read_table(accounts) if accounts else None
    regressions = []
    for result, (icp_path, deals) in zip(run.results, run.sources, strict=True):
        top = require_repo(icp_path.parent)
        commit = require_commit(icp_path.parent, rev)
        name = relative_path(icp_path, top)
        old: BacktestResult | None = None
        if git_bytes(top, "cat-file", "-e", f"{commit}:{name}") is not None:
            side = revision_side(commit, name, top, label=f"{rev}:{name}")
            ruler = Ruler(side.icp.id, side.icp.version, side.commit)
            old = backtest_one(
                Loaded(side.icp, icp_path, ruler),
                deals,
                config=config,
                accounts=accounts_table,
                since=since,
                resamples=0,
            )
        regressions.append(Regression(result.icp_id, rev, result, old, tolerance))
    return replace(run, against=tuple(regressions))


def backtest_one(
    item: Loaded,
    deals: Path,
    *,
    config: Config,
    accounts: Table | None = None,
    since: dt.date | None = None,
    resamples: int = 1000,
) -> BacktestResult:
    """Backtest one loaded ICP against one deals file, mapped by the project's config."""
    shown = relative_path(deals, config.root)
    # Messages name the file as the user knows it, not by its absolute path.
    table = replace(read_table(deals), path=Path(shown))
    prepared = prepare_deals(table, [item.icp], config.mapping, accounts)
    return backtest(
        item.icp,
        prepared.frame,
        deals_file=shown,
        ruler=item.ruler,
        since=since,
        resamples=resamples,
        separator=config.mapping.list_separator,
        issues=(*table.notes, *prepared.issues),
    )
