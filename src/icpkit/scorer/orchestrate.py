"""One score run, whichever engine scores it: which ICPs score, the project's accounts file
joined on when the scored file lacks a field, and several ICPs' results combined into each
account's best fit with the input columns carried beside it.

An engine (the pandas one in `scorer.run`, DuckDB in `scorer.sql.engine`) only reads the
file, resolves its columns and scores; everything the two must do alike is done here once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Protocol, TypeVar

import numpy as np
import pandas as pd

from icpkit.errors import InputError
from icpkit.format.model import Icp
from icpkit.paths import relative_path
from icpkit.project.settings import Config
from icpkit.scorer.carry import carried_frame
from icpkit.scorer.contract import (
    DISQUALIFIED,
    EXPECTED_CHURN_RATE,
    EXPECTED_WIN_RATE,
    INSUFFICIENT,
    SCORED,
)
from icpkit.scorer.loaded import Loaded, project_file, scoring_icps
from icpkit.scorer.routing import route_frame
from icpkit.scorer.tables import Table, read_table

S = TypeVar("S")
R = TypeVar("R", covariant=True)
T = TypeVar("T")
RULER_COLUMNS = ("icp_id", "icp_version", "icp_commit")


class Engine(Protocol[S, R]):
    """What scores: the file as the engine holds it (S), and what a run gives back (R)."""

    def read(self, accounts: Path, config: Config) -> S:
        """The file, read or registered, before any column is resolved."""
        ...

    def resolve(self, source: S, icps: Sequence[Icp], config: Config, joined: Table | None) -> S:
        """`source` with each ICP field's column found, `joined` joined on when given;
        InputError when a field has no column (the run then joins the accounts file)."""
        ...

    def score(
        self, source: S, loaded: Sequence[Loaded], *, config: Config, keep: Sequence[str] | None
    ) -> R: ...


def score_accounts(
    icp_paths: Sequence[Path],
    accounts: Path,
    *,
    config: Config,
    engine: Engine[S, R],
    keep: Sequence[str] | None = None,
) -> R:
    """Score every account of `accounts` with `engine`; with several ICPs each account gets
    its best-fitting one (see `best_fit`)."""
    loaded = scoring_icps(icp_paths, config)
    return score_loaded(loaded, accounts, config=config, engine=engine, keep=keep)


def score_loaded(
    loaded: Sequence[Loaded],
    accounts: Path,
    *,
    config: Config,
    engine: Engine[S, R],
    keep: Sequence[str] | None = None,
) -> R:
    """`score_accounts` with the ICPs already loaded, in the order they win ties."""
    source = engine.read(accounts, config)
    source = resolved(engine, source, accounts, [item.icp for item in loaded], config)
    return engine.score(source, loaded, config=config, keep=keep)


def resolved(
    engine: Engine[S, R], source: S, accounts: Path, icps: Sequence[Icp], config: Config
) -> S:
    """The source resolved for `icps`; when it lacks a field, with the project's accounts
    file joined on (deals of a two-file export), as `with_accounts` says."""
    try:
        return engine.resolve(source, icps, config, None)
    except InputError as missing:
        return with_accounts(
            accounts, icps, config, missing, lambda other: engine.resolve(
                source, icps, config, other
            ),
        )  # fmt: skip


def with_accounts(
    scored: Path,
    icps: Sequence[Icp],
    config: Config,
    missing: InputError,
    use: Callable[[Table], T],
) -> T:
    """`use` of the joinable accounts file (see `joinable_accounts`), read as the project
    names it, after `missing` said the scored file lacks a field: `missing` again when
    there is no such file, and both reasons when joining it does not help either."""
    joined = joinable_accounts(scored, icps, config)
    if joined is None:
        raise missing
    shown = Path(relative_path(joined, config.root))
    try:
        return use(replace(read_table(joined, config.limits), path=shown))
    except InputError as failed:
        raise InputError(f"{missing}\nJoining {shown} did not help: {failed}") from None


def joinable_accounts(scored: Path, icps: Sequence[Icp], config: Config) -> Path | None:
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
    if joined is None or joined.resolve() == scored.resolve():
        return None
    return joined


def combined(
    loaded: Sequence[Loaded],
    scored: Sequence[pd.DataFrame],
    rows: pd.DataFrame,
    *,
    keep: Sequence[str] | None,
    source: str,
) -> pd.DataFrame:
    """The input `rows` (their carried columns) beside the result: the one ICP's, or each
    account's best fit of several, routed and tiered from its final band (scorer.routing)."""
    result = scored[0] if len(scored) == 1 else best_fit(loaded, scored)
    result = route_frame(result, [item.icp for item in loaded])
    carried = carried_frame(rows, result.columns, keep=keep, source=source)
    return pd.concat([carried, result], axis=1)


def best_fit(loaded: Sequence[Loaded], scored: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Each row's best-scoring ICP (scored beats insufficient data beats disqualified; the
    first maximum wins: tier order, then the order given), then every ICP's own columns."""
    rank = {SCORED: 0.0, INSUFFICIENT: -1.0, DISQUALIFIED: -2.0}
    keys = np.column_stack(
        [
            np.where(f["status"] == SCORED, f["score"], f["status"].map(rank).astype(float))
            for f in scored
        ]
    )
    best = keys.argmax(axis=1)
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
    for rate in (EXPECTED_WIN_RATE, EXPECTED_CHURN_RATE):
        if rate in picked:
            picked[rate] = picked[rate].astype("float64")
    per_icp = [
        f.drop(columns=list(RULER_COLUMNS)).add_prefix(f"{item.icp.id}.")
        for item, f in zip(loaded, scored, strict=True)
    ]
    return pd.concat([picked, *per_icp], axis=1)
