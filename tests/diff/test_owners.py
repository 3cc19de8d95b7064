"""The PR comment's sign-off line: the sections a change touches and the teams to ask."""

from __future__ import annotations

from icpkit.diff.change import Category, Change, Kind
from icpkit.diff.owners import SECTION_TEAMS, sign_off
from icpkit.format.schema import icp_schema


def _change(*where: str) -> Change:
    return Change(Kind.CHANGED, Category.CONTENT, where, 1, 2, where)


def test_sections_in_order_and_their_teams() -> None:
    changes = [
        _change("firmographics", "employees", "min"),
        _change("version"),
        _change("playbook", "messaging"),
        _change("firmographics", "country"),
    ]
    assert sign_off(changes) == ("Sections changed: firmographics, playbook → ask sales, marketing")
    assert sign_off([_change("validation", "customers")]) == (
        "Sections changed: validation → ask sales, customer success"
    )


def test_bookkeeping_alone_asks_no_one() -> None:
    assert sign_off([_change("version"), _change("last_reviewed")]) is None


def test_every_section_of_the_format_names_its_teams() -> None:
    sections = set(icp_schema()["properties"]) - {"format", "id", "version", "last_reviewed"}
    # `overrides`: the section the overrides file's changes are listed under.
    assert "overrides" not in sections
    assert sections | {"overrides"} == set(SECTION_TEAMS)
