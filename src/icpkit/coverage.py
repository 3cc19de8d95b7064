"""How much of an account universe an ICP claims: the TAM-equals-ICP check.

An ICP "matches" an account it rates good or better: the accounts sales is told to
pursue. A real ICP is a narrow slice of the market, roughly 5-15% (seeds, anti-pattern
"TAM equals ICP"); wider, and everything scores high, so the score means nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from icpkit.config import Config
from icpkit.scorer.backtest import GOOD_OR_BETTER

NARROW = 0.05


@dataclass(frozen=True)
class Coverage:
    icp_id: str
    icp_version: str
    universe: str
    accounts: int
    bands: dict[str, int]
    limit: float

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
    from icpkit.paths import relative_path
    from icpkit.scorer.run import load_icps

    [(item, _)] = load_icps([icp_path], config)
    if engine == "duckdb":
        from icpkit.sql.engine import band_counts

        bands = band_counts(item, universe, config=config)
    else:
        from icpkit.scorer.run import score_file

        run = score_file([icp_path], universe, config=config)
        bands = {str(k): int(v) for k, v in run.frame["band"].value_counts().items() if v}
    return Coverage(
        item.icp.id,
        item.icp.version,
        relative_path(universe, config.root),
        sum(bands.values()),
        bands,
        config.settings.max_coverage,
    )
