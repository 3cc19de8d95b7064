"""Everything the site shows about each ICP, gathered once per build."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from icpkit.checks.options import STALE_AFTER_DAYS
from icpkit.checks.runner import Report, check
from icpkit.findings import Finding
from icpkit.format.model import Icp, Status, Tier
from icpkit.format.valid import load_icp, unique_ids
from icpkit.project.discovery import discover
from icpkit.project.settings import Config
from icpkit.vcs.history import FileHistory, file_history

if TYPE_CHECKING:
    from icpkit.scorer.backtest import BacktestResult

_STATUS_ORDER = {Status.ACTIVE: 0, Status.DRAFT: 1, Status.RETIRED: 2}


@dataclass(frozen=True)
class SiteIcp:
    icp: Icp
    path: Path
    source: str  # the YAML file relative to the project root, as the edit link needs it
    findings: tuple[Finding, ...]
    backtest: BacktestResult | None
    no_backtest: str  # why there is none, when there is none
    history: FileHistory
    age_days: int
    stale: bool
    stale_after: int = STALE_AFTER_DAYS.default  # days after its review an ICP is stale

    @property
    def id(self) -> str:
        return self.icp.id


@dataclass(frozen=True)
class SiteData:
    icps: tuple[SiteIcp, ...]
    config: Config
    today: dt.date


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def collect(config: Config, *, backtest: bool = True, history: bool = True) -> SiteData:
    """Load, check and backtest every ICP of the project; bad input raises IcpError."""
    paths = discover([config.root / p for p in config.paths], config)
    report = check([config.root / p for p in config.paths], config=config)
    today = config.settings.today
    loaded = [(path, load_icp(path)) for path in paths]
    unique_ids(loaded)  # before the backtests: one id's pages would replace the other's
    entries = []
    for path, icp in loaded:
        result, reason = _backtest(icp, path, config) if backtest else (None, "not run")
        age = (today - icp.last_reviewed).days
        stale_after = config.settings.option(STALE_AFTER_DAYS)
        entries.append(
            SiteIcp(
                icp=icp,
                path=path,
                source=_relative(path, config.root),
                findings=_findings_for(report, path),
                backtest=result,
                no_backtest=reason,
                history=file_history(path) if history else FileHistory((), False, False, False),
                age_days=age,
                stale=icp.status is not Status.RETIRED and age > stale_after,
                stale_after=stale_after,
            )
        )
    entries.sort(
        key=lambda e: (_STATUS_ORDER[e.icp.status], e.icp.tier is not Tier.PRIMARY, e.icp.name)
    )
    return SiteData(tuple(entries), config, today)


def _findings_for(report: Report, path: Path) -> tuple[Finding, ...]:
    target = path.resolve()
    return tuple(f for f in report.findings if Path(f.file).resolve() == target)


def _backtest(icp: Icp, path: Path, config: Config) -> tuple[BacktestResult | None, str]:
    from icpkit.project.overrides import read_overrides
    from icpkit.scorer.deals import deal_files, read_deals

    files = deal_files(icp, config)
    if files is None:
        return None, "This ICP names no deals to backtest against: set `validation.deals`."
    from icpkit.scorer.loaded import Loaded
    from icpkit.scorer.run import backtest_deals
    from icpkit.scorer.surprises import SHOW

    ruler = Loaded.read(path, icp).ruler
    # By quarter: the backtest page draws drift (scorer.drift) when the deals carry dates.
    deals = read_deals(files, [icp], config)
    by = "quarter" if "closed_on" in deals.frame else None
    return (
        backtest_deals(
            icp,
            deals,
            config=config,
            ruler=ruler,
            by=by,
            surprises=SHOW,
            customers_of=files,
            overrides=read_overrides(icp, path, config),
        ),
        "",
    )
