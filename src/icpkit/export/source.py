"""The scored rows an export reads: a file `icp score` wrote, or an accounts file scored here.

The columns the exports read beyond `icp score`'s own come from an ICP's `activation:`
(routing and tiers) and its overrides file; a file that lacks one a target needs is refused
with the column named, never exported with the column made up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from icpkit.errors import InputError
from icpkit.project.settings import Config
from icpkit.scorer.contract import (
    ABM_TIER,
    OVERRIDE_COLUMNS,
    ROUTE,
    SLA_HOURS,
)
from icpkit.scorer.tables import TEXT_DTYPE, read_table, table_format

# `icp score`'s columns every export reads (scorer.contract.RESULT_HEAD).
ICP_ID, ICP_VERSION, SCORE, BAND, STATUS, DISQUALIFIER = (
    "icp_id", "icp_version", "score", "band", "status", "disqualifier",
)  # fmt: skip
SCORED_COLUMNS = (ICP_ID, ICP_VERSION, SCORE, BAND, STATUS, DISQUALIFIER)
# The model's band, status and the reason beside an overridden row (scorer.overrides).
MODEL_BAND, MODEL_STATUS, OVERRIDE_REASON = OVERRIDE_COLUMNS[:3]
WHERE_FROM = {
    ROUTE: "routing comes from the ICP's activation routes",
    SLA_HOURS: "routing comes from the ICP's activation routes",
    ABM_TIER: "tiers come from the ICP's activation abm_tiers; icp export computes no tier",
}


@dataclass(frozen=True)
class Scored:
    frame: pd.DataFrame
    path: Path
    notes: tuple[str, ...] = ()
    header_row: int = 1

    def column(self, name: str, what: str) -> str:
        """The frame's column `name` (exact, else the one that matches ignoring case)."""
        if name in self.frame.columns:
            return name
        folded = [c for c in self.frame.columns if str(c).casefold() == name.casefold()]
        if len(folded) == 1:
            return str(folded[0])
        shown = ", ".join(str(c) for c in self.frame.columns if not str(c).startswith("points."))
        raise InputError(f"{self.path}: no column {name!r} ({what}); its columns are: {shown}")

    def require(self, names: Sequence[str], target: str) -> None:
        for name in names:
            if name not in self.frame.columns:
                # Re-scoring adds routing only where the ICP defines it.
                fix = (
                    f"{WHERE_FROM[name]}: give the ICP an `activation:` section and re-score "
                    "the accounts (icp score)"
                    if name in WHERE_FROM
                    else "re-score the accounts with a current icpkit (icp score)"
                )
                needs = f"no {name!r} column, which --to {target} needs"
                raise InputError(f"{self.path}: {needs}; {fix}")

    def row(self, position: int) -> int:
        """The row at `position` as a spreadsheet or editor shows it (as
        `scorer.tables.row_number`)."""
        tabular = table_format(self.path) in ("csv", "excel")
        return position + (self.header_row + 1 if tabular else 1)


def read_scored(
    path: Path,
    icps: Sequence[Path],
    *,
    config: Config,
    progress: Callable[[int, int], None] | None = None,
) -> Scored:
    """`path` as `icp score` wrote it, or, with `icps`, `path` scored against them now."""
    if icps:
        from icpkit.scorer.run import score_file

        run = score_file(icps, path, config=config, progress=progress)
        return Scored(run.frame.reset_index(drop=True), path, run.issues, run.header_row)
    table = read_table(path, config.limits)
    missing = [name for name in SCORED_COLUMNS if name not in table.frame.columns]
    if missing:
        raise InputError(
            f"{path}: not a scored file (no {', '.join(missing)} column): score it with "
            "icp score first, or name its ICPs with --icp to score it here"
        )
    scored = Scored(table.frame.reset_index(drop=True), path, table.notes, table.header_row)
    return Scored(_numeric_scores(scored), path, table.notes, table.header_row)


def _numeric_scores(scored: Scored) -> pd.DataFrame:
    """The score column as numbers (CSV cells are read as text); a cell that is not one is an
    error naming its row."""
    frame = scored.frame.copy()
    raw = frame[SCORE]
    numbers = pd.to_numeric(raw, errors="coerce")
    text = raw.astype(TEXT_DTYPE).str.strip()
    bad = numbers.isna() & text.notna() & (text != "")
    if bad.any():
        position = int(bad.to_numpy(dtype=bool).argmax())
        raise InputError(
            f"{scored.path}: row {scored.row(position)}, column {SCORE!r}: "
            f"{raw.iloc[position]!r} is not a score"
        )
    frame[SCORE] = numbers.astype("float64")
    for name in (ICP_ID, ICP_VERSION, BAND, STATUS, DISQUALIFIER):
        frame[name] = frame[name].astype(TEXT_DTYPE).fillna("")
    return frame
