"""`--to crm`: each account's fit as a Salesforce Data Loader or HubSpot import.

Only the columns an import updates: the record's external id, score, band, route, ABM tier,
the ICP id and version it was scored with, and the disqualifier (`--field` adds more). Every
row needs an id and no id may appear twice: an upsert cannot place a row without one, and
two rows for one record would update it twice in one job.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from icpkit.errors import InputError
from icpkit.export.source import BAND, DISQUALIFIER, ICP_ID, ICP_VERSION, SCORE, Scored
from icpkit.scorer.contract import ABM_TIER, ROUTE
from icpkit.scorer.tables import TEXT_DTYPE
from icpkit.text import plural

CRM_COLUMNS = (SCORE, BAND, ROUTE, ABM_TIER, ICP_ID, ICP_VERSION, DISQUALIFIER)


def crm_frame(
    scored: Scored, id_column: str, fields: Sequence[str]
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The import rows, and what was left out on the way."""
    scored.require((ROUTE, ABM_TIER), "crm")
    key = scored.column(id_column, "--id-column, the CRM's external id")
    extra = [scored.column(name, "--field") for name in fields]
    columns = list(dict.fromkeys([key, *CRM_COLUMNS, *extra]))
    frame = scored.frame[columns]
    ids = frame[key].astype(TEXT_DTYPE).str.strip()
    empty = (ids.isna() | (ids == "")).to_numpy(dtype=bool)
    notes: tuple[str, ...] = ()
    if empty.any():
        notes = (
            f"{scored.path}: left out {plural(int(empty.sum()), 'row')} with no {key!r}: an "
            "import cannot tell which record they are",
        )
    frame = frame[~empty]
    _unique(scored, ids[~empty], key)
    return frame, notes


def _unique(scored: Scored, ids: pd.Series, key: str) -> None:
    twice = ids[ids.duplicated(keep=False)]
    if twice.empty:
        return
    first = twice.iloc[0]
    rows = [scored.row(int(p)) for p in twice.index[twice == first][:2]]
    raise InputError(
        f"{scored.path}: {key} {first!r} is on rows {rows[0]} and {rows[1]}: an import "
        "would update that record twice; keep one row per account"
    )


def data_loader_mapping(columns: Sequence[str]) -> str:
    """A Salesforce Data Loader field mapping (.sdl): each column onto the field its label
    names, for Data Loader's batch mode (process-conf.xml's sfdc.mappingFile)."""
    lines = ["# Salesforce Data Loader field mapping, written by icp export --to crm"]
    lines += [f"{_key(name)}={name}" for name in columns]
    return "\n".join(lines) + "\n"


def _key(name: str) -> str:
    """A Java properties key: space, `:`, `=`, `#` and `!` escaped."""
    return "".join("\\" + c if c in " :=#!\\" else c for c in name)
