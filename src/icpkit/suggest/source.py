"""What a draft learns from: a file's columns as read, how to map them, and which outcome.

`icp suggest` learns from closed deals (won against lost) or from customers (the best
against the rest, `suggest.customers`); both reach the same evidence, folds, leakage guard
and draft through a `Source`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from icpkit.format.model import Icp
from icpkit.project.settings import Config
from icpkit.scorer.deals import DealFiles, read_deals, read_tables
from icpkit.scorer.tables import Table
from icpkit.suggest.columns import Detected, detect_fields
from icpkit.suggest.leakage import LeftOut, by_name
from icpkit.suggest.outcome import DEALS, Outcome

Kept = Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class Source:
    """`frame`: the file as read, whose columns are candidates; `detect` picks them (with
    the unknown markers the current ICP keeps); `guard` leaves columns out by name;
    `prepare` maps the file for the ICPs and the fields chosen, coding `outcome` as won
    (positive) or lost (negative), NA for rows outside the comparison."""

    shown: str
    frame: pd.DataFrame
    accounts: Table | None
    detect: Callable[[pd.DataFrame, Kept], Detected]
    prepare: Callable[[Sequence[Icp], dict[str, str]], pd.DataFrame]
    outcome: Outcome = DEALS
    guard: Callable[[str, str], LeftOut | None] = by_name
    notes: tuple[str, ...] = ()  # what defining the outcome noticed: warnings
    # Files the draft names beside its own (validation key -> path as the project has it).
    related: tuple[tuple[str, str], ...] = ()


def deal_source(files: DealFiles, config: Config) -> Source:
    """Closed deals: won against lost, the accounts file joined on."""
    tables = read_tables(files, config)

    def detect(frame: pd.DataFrame, kept: Kept) -> Detected:
        return detect_fields(frame, config, kept)

    def prepare(icps: Sequence[Icp], kinds: dict[str, str]) -> pd.DataFrame:
        return read_deals(tables, icps, config, fields=kinds).frame

    return Source(str(tables.deals.path), tables.deals.frame, tables.accounts, detect, prepare)
