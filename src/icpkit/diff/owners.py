"""Which team reviews a change to which ICP section: the seeds' "ICP disagreement between
teams" (sales, marketing and customer success each hold part of the ICP), said in the PR
comment so the right owner is asked. The same three teams `icp init`'s CODEOWNERS names.
"""

from __future__ import annotations

from collections.abc import Iterable

from icpkit.diff.change import Change

SALES, MARKETING, SUCCESS = "sales", "marketing", "customer success"
TEAMS = (SALES, MARKETING, SUCCESS)

# Top-level section -> the teams whose work it changes. Who the ICP rates and how it is
# qualified and routed is sales' pipeline; who it speaks to and where, marketing's; the
# customers it is validated on and the churn it screens out, customer success's.
SECTION_TEAMS: dict[str, tuple[str, ...]] = {
    "name": (MARKETING,),
    "summary": (MARKETING,),
    "status": (SALES, MARKETING, SUCCESS),
    "tier": (SALES, MARKETING),
    "owner": (MARKETING,),
    "display": (MARKETING,),
    "firmographics": (SALES, MARKETING),
    "technographics": (SALES, MARKETING),
    "behavioral": (SALES, MARKETING),
    "psychographics": (MARKETING,),
    "personas": (MARKETING, SALES),
    "jobs_to_be_done": (MARKETING, SUCCESS),
    "alternatives": (MARKETING, SALES),
    "triggers": (SALES, MARKETING),
    "anti_icp": (SALES, SUCCESS),
    "reachability": (MARKETING,),
    "budget_authority": (SALES,),
    "scoring": (SALES,),
    "qualification": (SALES,),
    "playbook": (SALES, MARKETING),
    "validation": (SALES, SUCCESS),
    # Who works which accounts, and how fast: sales operations' call.
    "activation": (SALES, MARKETING),
    "currency": (SALES, SUCCESS),
    # The overrides file: sales' decisions about single accounts (see activate.md).
    "overrides": (SALES,),
}


# Bumped with every change: they say when, not what, so they ask no one.
BOOKKEEPING = frozenset({"format", "id", "version", "last_reviewed"})


def sections(changes: Iterable[Change]) -> list[str]:
    """The top-level sections the changes touch, in the order they first appear."""
    found = [
        str(change.where[0])
        for change in changes
        if change.where and change.where[0] not in BOOKKEEPING
    ]
    return list(dict.fromkeys(found))


def teams(names: Iterable[str]) -> list[str]:
    """The teams to ask about those sections, in TEAMS order; a section the table does not
    name (one added later) asks all three rather than no one."""
    wanted = {team for name in names for team in SECTION_TEAMS.get(name, TEAMS)}
    return [team for team in TEAMS if team in wanted]


def sign_off(changes: Iterable[Change]) -> str | None:
    """`Sections changed: firmographics, playbook → ask sales, marketing`; None: nothing."""
    names = sections(changes)
    if not names:
        return None
    return f"Sections changed: {', '.join(names)} → ask {', '.join(teams(names))}"
