"""One export, files in and text out: what `icp export` does as a library call."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from icpkit.errors import UsageError
from icpkit.export import (
    AUDIENCE_JSON,
    CRM,
    FROM_ICP,
    LINKEDIN_COMPANIES,
    LINKEDIN_TARGETING,
    TARGET_ACCOUNTS,
)
from icpkit.export.accounts import repeats_note, target_accounts
from icpkit.export.audience import FacetFields, audience
from icpkit.export.crm import crm_frame, data_loader_mapping
from icpkit.export.industries import read_industries
from icpkit.export.labels import labelled
from icpkit.export.linkedin import MAX_BYTES, MAX_ROWS, MIN_ROWS, company_list, summary
from icpkit.export.source import Scored, read_scored
from icpkit.export.targeting import audience_json, targeting_sheet
from icpkit.format.model import Icp
from icpkit.project.settings import Config
from icpkit.scorer.contract import ABM_TIER
from icpkit.scorer.csvcells import csv_text
from icpkit.scorer.loaded import load_icps
from icpkit.text import plural


@dataclass(frozen=True)
class Request:
    target: str
    source: Path | None = None
    icps: tuple[Path, ...] = ()
    id_column: str | None = None
    fields: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    mapped: Mapping[str, str] = field(default_factory=dict)  # linkedin-companies' --map
    limit: int | None = None
    industries: Path | None = None
    facets: FacetFields = field(default_factory=FacetFields)


@dataclass(frozen=True)
class Export:
    text: str
    warnings: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()
    # A Salesforce Data Loader field mapping for the CRM file's columns.
    data_loader: str | None = None


def export(
    request: Request, config: Config, progress: Callable[[int, int], None] | None = None
) -> Export:
    if request.target in FROM_ICP:
        return _from_icp(request, config)
    if request.source is None:
        raise UsageError(f"--to {request.target} reads scored accounts: name the scored file")
    _refuse_ignored_options(request)
    scored = read_scored(request.source, request.icps, config=config, progress=progress)
    if request.target == CRM:
        return _crm(request, scored, config)
    if request.target == LINKEDIN_COMPANIES:
        return _companies(request, scored, config)
    if request.target == TARGET_ACCOUNTS:
        return _targets(request, scored, config)
    raise UsageError(f"unknown export target {request.target!r}")


def _refuse_ignored_options(request: Request) -> None:
    """Options another target would quietly ignore are refused instead."""
    if request.target != LINKEDIN_COMPANIES and (request.mapped or request.limit):
        raise UsageError("--map and --limit are for --to linkedin-companies")
    if request.industries is not None or request.facets != FacetFields():
        raise UsageError(
            "--industries and the --*-field options are for --to linkedin-targeting and "
            "audience-json"
        )


def _crm(request: Request, scored: Scored, config: Config) -> Export:
    key = request.id_column or config.export.id_column
    if key is None:
        raise UsageError(
            "--to crm needs --id-column: the scored file's column holding the CRM's record "
            "id (or id-column in [tool.icp.export])"
        )
    frame, notes = crm_frame(scored, key, request.fields)
    frame = labelled(frame, request.labels, config.export.labels)
    lines = (f"{plural(len(frame), 'account')} for the CRM import",)
    mapping = data_loader_mapping([str(c) for c in frame.columns])
    return Export(csv_text(frame, raw=config.csv_raw), (*scored.notes, *notes), lines, mapping)


def _targets(request: Request, scored: Scored, config: Config) -> Export:
    key = request.id_column or config.export.id_column
    found = target_accounts(scored, key, request.fields)
    tiers = found.frame[ABM_TIER].astype(str).value_counts(sort=False)
    frame = labelled(found.frame, request.labels, config.export.labels)
    split = ", ".join(f"{tier} {count}" for tier, count in tiers.items())
    parts = [f"{plural(len(frame), 'target account')} ({split or 'none'})"]
    if found.repeated:
        repeated = plural(found.repeated, "row")
        parts.append(f"{repeated} repeating an account listed from a better one left out")
    parts.append(f"{plural(found.untiered, 'account')} with no ABM tier left off")
    note = repeats_note(scored, found)
    warnings = (*scored.notes, *((note,) if note else ()))
    return Export(csv_text(frame, raw=config.csv_raw), warnings, ("; ".join(parts),))


def _companies(request: Request, scored: Scored, config: Config) -> Export:
    if request.labels:
        raise UsageError("--label: LinkedIn's template headers cannot be renamed")
    limit = request.limit or MAX_ROWS
    found = company_list(scored, request.mapped, limit)
    text = csv_text(found.frame, raw=config.csv_raw)
    warnings = list(scored.notes)
    if len(found.frame) < MIN_ROWS:
        warnings.append(
            f"{plural(len(found.frame), 'company', 'companies')}: LinkedIn needs a list of at "
            f"least {MIN_ROWS} for a campaign to serve"
        )
    if len(text.encode("utf-8")) > MAX_BYTES:
        warnings.append("the file is over LinkedIn's 20 MB upload limit: lower --limit")
    return Export(text, tuple(warnings), tuple(summary(found, limit)))


def _from_icp(request: Request, config: Config) -> Export:
    if request.source is not None:
        raise UsageError(
            f"--to {request.target} reads the ICP's criteria, not accounts: give only --icp"
        )
    if request.fields or request.labels or request.mapped or request.id_column:
        raise UsageError(f"--to {request.target} takes no --field, --label, --map or --id-column")
    icp = _one_icp(request, config)
    industries = read_industries(request.industries or config.export.industries)
    found = audience(icp, industries, request.facets)
    if request.target == AUDIENCE_JSON:
        return Export(audience_json(found), found.warnings)
    assert request.target == LINKEDIN_TARGETING
    sheet = targeting_sheet(found)
    return Export(csv_text(sheet, raw=config.csv_raw), found.warnings)


def _one_icp(request: Request, config: Config) -> Icp:
    if len(request.icps) != 1:
        raise UsageError(f"--to {request.target} reads one ICP: name its file with --icp")
    found = load_icps(request.icps, config)
    if len(found) != 1:
        raise UsageError(
            f"--to {request.target} reads one ICP, and {request.icps[0]} holds {len(found)}: "
            "name one ICP file"
        )
    return found[0][0].icp
