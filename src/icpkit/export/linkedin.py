"""`--to linkedin-companies`: the good-or-better accounts in LinkedIn Campaign Manager's
company-list template, capped at its row limit, anti-ICP matches left out.

The template's headers are LinkedIn's and are written as its downloadable template spells
them (changing or dropping one fails the upload); only `companyname` must be filled. Each
header is filled from the scored file's column `--map HEADER=COLUMN` names, else from a
column with one of the usual names for it (`account`, `website`, `country` ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from icpkit.errors import InputError, UsageError
from icpkit.export.selection import Selection, good_or_better
from icpkit.export.source import Scored
from icpkit.scorer.tables import TEXT_DTYPE
from icpkit.text import plural

TEMPLATE = (
    "companyname",
    "companywebsite",
    "companyemaildomain",
    "linkedincompanypageurl",
    "stocksymbol",
    "industry",
    "city",
    "state",
    "companycountry",
    "zipcode",
)
# Campaign Manager's list limits: at most 300,000 rows (and 20 MB), at least 300 to serve.
MAX_ROWS = 300_000
MAX_BYTES = 20 * 1024 * 1024
MIN_ROWS = 300
ALIASES: Mapping[str, tuple[str, ...]] = {
    "companyname": ("account", "account name", "company", "company name", "name"),
    "companywebsite": ("website", "company website", "url", "web site"),
    "companyemaildomain": ("domain", "email domain", "company domain"),
    "linkedincompanypageurl": ("linkedin", "linkedin url", "linkedin company page"),
    "stocksymbol": ("ticker", "stock symbol"),
    "industry": ("industry",),
    "city": ("city", "billing city"),
    "state": ("state", "billing state", "region"),
    "companycountry": ("country", "billing country", "hq country"),
    "zipcode": ("zip", "zip code", "postal code", "postcode", "billing zip"),
}


@dataclass(frozen=True)
class CompanyList:
    frame: pd.DataFrame
    selection: Selection
    sources: Mapping[str, str]  # template header -> the scored file's column
    unnamed: int  # good-or-better rows left out for want of a company name
    total: int


def company_list(scored: Scored, mapped: Mapping[str, str], limit: int) -> CompanyList:
    unknown = [h for h in mapped if h not in TEMPLATE]
    if unknown:
        raise UsageError(
            f"--map {unknown[0]!r}: not a header of LinkedIn's company-list template "
            f"({', '.join(TEMPLATE)})"
        )
    sources = _sources(scored, mapped)
    if "companyname" not in sources:
        raise InputError(
            f"{scored.path}: no column to fill companyname, which LinkedIn requires: name "
            "it with --map companyname=COLUMN"
        )
    named = scored.frame[sources["companyname"]].astype(TEXT_DTYPE).str.strip()
    has_name = (named.notna() & (named != "")).to_numpy(dtype=bool)
    chosen = good_or_better(scored.frame[has_name], limit, one_per=sources["companyname"])
    unnamed = int(good_or_better(scored.frame[~has_name]).rows.shape[0])
    out = pd.DataFrame(
        {
            header: chosen.rows[sources[header]].astype(TEXT_DTYPE).str.strip()
            if header in sources
            else pd.Series("", index=chosen.rows.index, dtype="object")
            for header in TEMPLATE
        }
    )
    return CompanyList(out.fillna(""), chosen, sources, unnamed, len(scored.frame))


def _sources(scored: Scored, mapped: Mapping[str, str]) -> dict[str, str]:
    found = {h: scored.column(c, f"--map {h}") for h, c in mapped.items()}
    folded = {str(c).strip().casefold(): str(c) for c in scored.frame.columns}
    for header in TEMPLATE:
        if header in found:
            continue
        column = next((folded[a] for a in (header, *ALIASES[header]) if a in folded), None)
        if column is not None:
            found[header] = column
    return found


def summary(found: CompanyList, limit: int) -> list[str]:
    """What the list holds and what was cut, for stderr."""
    chosen = found.selection
    filled = ", ".join(f"{h} <- {c}" for h, c in found.sources.items())
    lines = [f"columns: {filled}"]
    cut = [
        f"{plural(chosen.below, 'account')} below good",
        f"{plural(chosen.disqualified, 'anti-ICP match', 'anti-ICP matches')} excluded",
        f"{plural(chosen.capped, 'account')} cut by the {limit:,}-row cap",
    ]
    if chosen.unknown:
        cut.insert(1, f"{plural(chosen.unknown, 'account')} with too little data to score")
    if chosen.forced_out or chosen.forced_in:
        cut.append(f"{chosen.forced_in} forced in and {chosen.forced_out} forced out by overrides")
    if chosen.repeated:
        cut.append(f"{plural(chosen.repeated, 'row')} repeating a company listed from a better one")
    if found.unnamed:
        cut.append(f"{plural(found.unnamed, 'account')} with no company name left out")
    lines.append(
        f"{plural(len(found.frame), 'company', 'companies')} of {found.total:,} accounts: "
        + "; ".join(cut)
    )
    return lines
