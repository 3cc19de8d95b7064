"""How much of an account universe an ICP claims: the TAM-equals-ICP check.

An ICP "matches" an account it rates good or better: the accounts sales is told to
pursue. A real ICP is a narrow slice of the market, roughly 5-15% (seeds, anti-pattern
"TAM equals ICP"); wider, and everything scores high, so the score means nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from icpkit.format.model import Icp
from icpkit.project.settings import Config
from icpkit.scorer.contract import GOOD_OR_BETTER
from icpkit.scorer.loaded import Loaded

NARROW = 0.05


@dataclass(frozen=True)
class Coverage:
    icp_id: str
    icp_version: str
    universe: str
    accounts: int
    bands: dict[str, int]
    limit: float
    # ICP fields the universe has no column for (a deal's product, say): scored as unknown.
    unmeasured: tuple[str, ...] = ()

    @property
    def matched(self) -> int:
        return sum(self.bands.get(band, 0) for band in GOOD_OR_BETTER)

    @property
    def share(self) -> float:
        return self.matched / self.accounts if self.accounts else 0.0

    @property
    def too_broad(self) -> bool:
        return self.share > self.limit

    @property
    def narrow(self) -> bool:
        return self.share < NARROW


def coverage(icp_path: Path, universe: Path, *, config: Config, engine: str = "pandas") -> Coverage:
    """Score the universe with the ICP (one file) and count accounts per band."""
    from icpkit.scorer.loaded import load_icps

    [(item, _)] = load_icps([icp_path], config)
    return measure(item, universe, config=config, engine=engine)


def measure(item: Loaded, universe: Path, *, config: Config, engine: str = "pandas") -> Coverage:
    """The one coverage computation, for `icp coverage` and rule ICP032 alike."""
    from icpkit.paths import relative_path

    unmeasured = _unmeasured(item.icp, universe, config)
    if unmeasured:
        # A universe of accounts lacks the deal-level fields an ICP may read (the product
        # sold, the route to market): those score as unknown there, and are named.
        mapping = replace(
            config.mapping, absent_fields=(*config.mapping.absent_fields, *unmeasured)
        )
        config = replace(config, mapping=mapping)
    if engine == "duckdb":
        from icpkit.scorer.sql.engine import band_counts

        bands = band_counts(item, universe, config=config)
    else:
        from icpkit.scorer.orchestrate import score_loaded
        from icpkit.scorer.run import PandasEngine

        run = score_loaded([item], universe, config=config, engine=PandasEngine())
        bands = {str(k): int(v) for k, v in run.frame["band"].value_counts().items() if v}
    return Coverage(
        item.icp.id,
        item.icp.version,
        relative_path(universe, config.root),
        sum(bands.values()),
        bands,
        config.settings.max_coverage,
        unmeasured,
    )


def _unmeasured(icp: Icp, universe: Path, config: Config) -> tuple[str, ...]:
    """The ICP's fields the universe holds no column for, when others are there to score;
    with none there, the usual error says what to map."""
    from icpkit.errors import InputError
    from icpkit.scorer.columns import resolve_columns
    from icpkit.scorer.contract import field_kinds
    from icpkit.scorer.orchestrate import joinable_accounts
    from icpkit.scorer.tables import Table, read_header

    names = read_header(universe, config.limits)
    table = Table(pd.DataFrame(columns=names), universe)
    joined = joinable_accounts(universe, [icp], config)
    if joined is not None:  # deals of a two-file export: the accounts file's columns count
        names += [n for n in read_header(joined, config.limits) if n not in names]
        table = Table(pd.DataFrame(columns=names), universe)
    kinds = {n: k for n, k in field_kinds([icp]).items() if n not in config.mapping.absent_fields}
    try:
        resolve_columns(table, table.frame, kinds, config.mapping)
        return ()
    except InputError:
        pass
    try:
        found = resolve_columns(
            table, table.frame, kinds, config.mapping, optional=frozenset(kinds)
        )
    except InputError:  # a mapped column is missing: the usual error says so
        return ()
    scored = {a.field for a in icp.attributes if a.weight > 0}
    if not scored & set(found):
        return ()
    return tuple(n for n in kinds if n not in found)


def universe_for(icp_path: Path, config: Config, universe: Path | None = None) -> Path:
    """The universe to measure: `universe`, else the universe setting, else the accounts
    file of a two-file export (the ICP's validation.accounts or the accounts setting)."""
    from icpkit.errors import UsageError
    from icpkit.format.valid import load_icp

    source = universe or config.settings.universe
    if source is None:
        named = load_icp(icp_path).validation.accounts
        source = config.root / named if named else config.accounts
    if source is None:
        raise UsageError("no universe: pass --universe FILE or set universe in [tool.icp]")
    return source
