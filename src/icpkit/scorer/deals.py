"""The deals an ICP is measured on: one deals file, and the accounts file joined onto it.

Every command that reads deals (backtest, diff, suggest, the site) finds and reads them
here, so a two-file export set up in the settings works the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from icpkit.format.model import Icp
from icpkit.paths import relative_path
from icpkit.project.settings import Config
from icpkit.scorer.loaded import project_file
from icpkit.scorer.prepare import prepare_deals
from icpkit.scorer.tables import Table, read_table


@dataclass(frozen=True)
class DealFiles:
    deals: Path
    accounts: Path | None = None
    customers: Path | None = None  # validation.customers: what the deals' winners did next
    subscriptions: Path | None = None  # validation.subscriptions: the same, one row a period


@dataclass(frozen=True)
class Deals:
    """Canonical deals (see `prepare_deals`), the deals file as shown, what was noticed."""

    frame: pd.DataFrame
    shown: str
    issues: tuple[str, ...]
    # Canonical name -> the file's column (see `Prepared.columns`).
    columns: Mapping[str, str] = field(default_factory=dict)


def deal_files(
    icp: Icp | None,
    config: Config,
    *,
    deals: Path | None = None,
    accounts: Path | None = None,
) -> DealFiles | None:
    """`deals` or the ICP's validation.deals; `accounts`, else validation.accounts, else the
    `accounts` setting. Paths in the ICP are relative to the project root. None: no deals."""
    validation = icp.validation if icp is not None else None
    source = deals
    if source is None and icp is not None and validation is not None and validation.deals:
        source = project_file(icp, config, "deals", validation.deals)
    if source is None:
        return None
    if accounts is None and icp is not None and validation is not None and validation.accounts:
        accounts = project_file(icp, config, "accounts", validation.accounts)
    customers = subscriptions = None
    if icp is not None and validation is not None and validation.customers:
        customers = project_file(icp, config, "customers", validation.customers)
    if icp is not None and validation is not None and validation.subscriptions:
        subscriptions = project_file(icp, config, "subscriptions", validation.subscriptions)
    return DealFiles(source, accounts or config.accounts, customers, subscriptions)


@dataclass(frozen=True)
class DealTables:
    """The files as read, before mapping: what `icp suggest` looks at to pick its fields."""

    deals: Table
    accounts: Table | None = None


def read_tables(files: DealFiles, config: Config) -> DealTables:
    """Both files, named in messages relative to the project root."""
    accounts = read_file(files.accounts, config) if files.accounts is not None else None
    return DealTables(read_file(files.deals, config), accounts)


def read_deals(
    files: DealFiles | DealTables,
    icps: Sequence[Icp],
    config: Config,
    *,
    fields: Mapping[str, str] | None = None,
) -> Deals:
    """The deals mapped for `icps` (and `fields`), the accounts file joined on."""
    tables = read_tables(files, config) if isinstance(files, DealFiles) else files
    table, accounts = tables.deals, tables.accounts
    prepared = prepare_deals(table, icps, config.mapping, accounts, fields=fields)
    notes = (*table.notes, *(accounts.notes if accounts is not None else ()))
    return Deals(prepared.frame, str(table.path), (*notes, *prepared.issues), prepared.columns)


def read_file(path: Path, config: Config) -> Table:
    """One file as read, named in messages relative to the project root."""
    table = read_table(path, config.limits)
    shown = relative_path(path, config.root)
    # The reader names the file as it was given; messages name it as the project does.
    notes = tuple(note.replace(str(path), shown) for note in table.notes)
    return replace(table, path=Path(shown), notes=notes)
