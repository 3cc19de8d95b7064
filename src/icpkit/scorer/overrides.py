"""Overrides applied to a scored frame: a person's band instead of the model's.

One step after scoring (and before anything computed from the final band, such as
routing), whichever engine scored: the row of an overridden account gets status
`overridden` and the forced band, and keeps the model's band and status beside them
(`model_band`, `model_status`) with `override_reason`, `override_owner` and
`override_expires`. The score, the disqualifier and `expected_win_rate` stay the model's:
they measure the account, not the decision. Expired overrides are not applied, and said.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from icpkit.format.overrides import Override, Overrides
from icpkit.project.overrides import read_overrides
from icpkit.project.settings import Config
from icpkit.scorer.columns import resolve_columns
from icpkit.scorer.contract import CATEGORY, OVERRIDDEN, OVERRIDE_COLUMNS, ROUTING_COLUMNS
from icpkit.scorer.loaded import Loaded
from icpkit.scorer.routing import route_frame
from icpkit.scorer.tables import TEXT_DTYPE, Table
from icpkit.text import plural

SHOW = 3


@dataclass(frozen=True)
class Applied:
    frame: pd.DataFrame
    notes: tuple[str, ...] = ()
    overridden: int = 0


def apply_overrides(
    frame: pd.DataFrame,
    accounts: pd.Series | None,
    overrides: Mapping[str, Overrides],
    today: dt.date,
    *,
    source: str,
) -> Applied:
    """`frame` (with `icp_id`, `band`, `status`) with the active overrides of each row's ICP
    applied to the rows whose account (`accounts`, stripped, same index; None: the file has
    no account column) they name. No overrides files: `frame` as it is, no columns added."""
    if not overrides:
        return Applied(frame)
    out = frame.copy()
    band, status = out["band"], out["status"]
    model = {"model_band": band.copy(), "model_status": status.copy()}
    empty = pd.Series("", index=out.index, dtype="object")
    extra = {name: empty.copy() for name in OVERRIDE_COLUMNS[2:]}
    band = band.astype("object")
    status = status.astype("object")
    notes: list[str] = []
    count = 0
    icp_of = out["icp_id"].astype("object")
    for icp_id, found in overrides.items():
        notes += _expired(found, today)
        active = {entry.account: entry for entry in found.active(today)}
        if not active:
            continue
        if accounts is None:
            notes.append(
                f"{source}: no account column, so the {plural(len(active), 'override')} of "
                f"{found.path} cannot be matched to rows and were not applied"
            )
            continue
        named = accounts.isin(list(active)).to_numpy(dtype=bool)
        rows = named & (icp_of == icp_id).to_numpy(dtype=bool)
        for index in out.index[rows]:
            entry = active[str(accounts.at[index])]
            band.at[index] = entry.forced(str(band.at[index]))
            status.at[index] = OVERRIDDEN
            extra["override_reason"].at[index] = entry.reason
            extra["override_owner"].at[index] = entry.owner
            extra["override_expires"].at[index] = entry.expires.isoformat()
        count += int(rows.sum())
        notes += _elsewhere(found, active, accounts[named & ~rows], icp_of)
        notes += _absent(found, active, accounts[named], source)
    out["band"] = _like(band, frame["band"])
    out["status"] = _like(status, frame["status"], OVERRIDDEN)
    for name in OVERRIDE_COLUMNS:
        out[name] = model[name] if name in model else extra[name]
    return Applied(out, tuple(notes), count)


def _like(values: pd.Series, original: pd.Series, new: str | None = None) -> pd.Series:
    """`values` in the dtype of `original`: a categorical stays one (with `new` added)."""
    if not isinstance(original.dtype, pd.CategoricalDtype):
        return values
    categories = list(original.cat.categories)
    if new is not None and new not in categories:
        categories.append(new)
    return values.astype(pd.CategoricalDtype(categories))


def _expired(found: Overrides, today: dt.date) -> list[str]:
    gone = found.expired(today)
    if not gone:
        return []
    return [
        f"{found.path}: {plural(len(gone), 'override')} expired and "
        f"{'was' if len(gone) == 1 else 'were'} not applied: {_listed(found, gone)}; "
        "renew or remove them (icp check flags them as ICP052)"
    ]


def _listed(found: Overrides, entries: Sequence[Override]) -> str:
    shown = ", ".join(
        f"{e.account!r} (expired {e.expires.isoformat()}, line {found.where(e).line})"
        for e in entries[:SHOW]
    )
    return shown + (" ..." if len(entries) > SHOW else "")


def _elsewhere(
    found: Overrides, active: Mapping[str, Override], names: pd.Series, icp_of: pd.Series
) -> list[str]:
    """Accounts of the file whose best fit is another ICP: its overrides do not apply."""
    if not len(names):
        return []
    pairs = sorted({(str(n), str(icp_of.at[i])) for i, n in names.items()})
    shown = ", ".join(f"{name!r} (best fit {other})" for name, other in pairs[:SHOW])
    return [
        f"{found.path}: {plural(len(pairs), 'override')} not applied: the account's best fit "
        f"is another ICP, whose band it keeps: {shown}{' ...' if len(pairs) > SHOW else ''}"
    ]


def _absent(
    found: Overrides, active: Mapping[str, Override], named: pd.Series, source: str
) -> list[str]:
    """Overrides whose account is on no row (`named`: the rows naming one of them)."""
    present = set(named.astype(str))
    missing = [entry for name, entry in active.items() if name not in present]
    if not missing:
        return []
    shown = ", ".join(repr(e.account) for e in missing[:SHOW])
    return [
        f"{found.path}: {plural(len(missing), 'override names', 'overrides name')} accounts "
        f"not in {source}, "
        f"e.g. {shown}: nothing to apply them to here"
    ]


def overridden(
    loaded: Sequence[Loaded],
    frame: pd.DataFrame,
    rows: pd.DataFrame,
    config: Config,
    *,
    source: str,
) -> Applied:
    """The one call both engines make after scoring (and combining ICPs): each scored ICP's
    overrides file read (an error at its first problem) and applied to `frame`, whose rows
    are those of `rows`, the file as read, where the account column is found as the
    accounts-file join finds it."""
    found = {
        item.icp.id: read
        for item in loaded
        if (read := read_overrides(item.icp, item.path, config)) is not None
    }
    if not found:
        return Applied(frame)
    applied = apply_overrides(
        frame, account_keys(rows, config, source), found, config.settings.today, source=source
    )
    return replace(applied, frame=_rerouted(applied.frame, loaded))


def _rerouted(frame: pd.DataFrame, loaded: Sequence[Loaded]) -> pd.DataFrame:
    """Routes, SLAs and tiers follow the band sales sees: an overridden row's forced band,
    ranked among that band's accounts by the model's score (routing columns stay last)."""
    shown = [c for c in ROUTING_COLUMNS if c in frame]
    if not shown:
        return frame
    return route_frame(frame.drop(columns=shown), [item.icp for item in loaded])


def account_keys(rows: pd.DataFrame, config: Config, source: str) -> pd.Series | None:
    """Each row's account name, stripped (blank: none), read from the column the mapping
    names `account` (or one named like it); None when the file has none."""
    table = Table(rows, Path(source))
    found = resolve_columns(
        table, rows, {"account": CATEGORY}, config.mapping, optional=frozenset({"account"})
    )
    if "account" not in found:
        return None
    keys = rows[found["account"]].astype(TEXT_DTYPE).str.strip()
    return keys.where(keys != "").astype("object")
