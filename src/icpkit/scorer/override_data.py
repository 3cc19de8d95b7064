"""The data `icp check`'s override rules measure: the accounts an ICP's deals and accounts
files name, and its target list with the overrides applied (`OverrideFacts`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from icpkit.errors import InputError
from icpkit.format.model import Icp
from icpkit.paths import relative_path
from icpkit.project.settings import Config
from icpkit.scorer.contract import GOOD_OR_BETTER, OVERRIDDEN
from icpkit.scorer.deals import read_file
from icpkit.scorer.loaded import project_file
from icpkit.scorer.override_facts import OverrideFacts
from icpkit.scorer.overrides import account_keys
from icpkit.scorer.run import score_file


def override_facts(icp: Icp, icp_path: Path, config: Config) -> OverrideFacts:
    """The facts of `icp`'s validation.deals and accounts file (validation.accounts, else
    the `accounts` setting); `failed` says why, when a file cannot be read or scored."""
    deals = (
        project_file(icp, config, "deals", icp.validation.deals) if icp.validation.deals else None
    )
    accounts = (
        project_file(icp, config, "accounts", icp.validation.accounts)
        if icp.validation.accounts
        else config.accounts
    )
    files = [path for path in (deals, accounts) if path is not None]
    if not files:
        return OverrideFacts()
    shown = tuple(relative_path(path, config.root) for path in files)
    try:
        names: set[str] = set()
        for path, name in zip(files, shown, strict=True):
            keys = account_keys(read_file(path, config).frame, config, name)
            if keys is not None:
                names.update(str(k) for k in keys.dropna())
        if accounts is None:
            return OverrideFacts(frozenset(names), shown)
        return _target_list(icp_path, accounts, config, OverrideFacts(frozenset(names), shown))
    except InputError as exc:
        return OverrideFacts(sources=shown, failed=str(exc).splitlines()[0])


def _target_list(
    icp_path: Path, accounts: Path, config: Config, facts: OverrideFacts
) -> OverrideFacts:
    frame = score_file([icp_path], accounts, config=config).frame
    listed = frame["band"].isin(list(GOOD_OR_BETTER)).to_numpy(dtype=bool)
    lifted = listed & (frame["status"] == OVERRIDDEN).to_numpy(dtype=bool)
    if "model_band" in frame:
        lifted &= ~frame["model_band"].isin(list(GOOD_OR_BETTER)).to_numpy(dtype=bool)
    return replace(
        facts,
        accounts_file=relative_path(accounts, config.root),
        target_list=int(listed.sum()),
        lifted=int(lifted.sum()),
    )
