"""The commands page names every command, its formats and every exit code: it cannot drift."""

from __future__ import annotations

import re

from icpkit.cli.errors import ExitCode
from icpkit.reporters import formats_for
from tests.cli.test_options import ALL, RESULTS
from tests.conftest import ROOT

PAGE = ROOT / "docs" / "guide" / "cli.md"
_ROW = re.compile(r"^\| `icp ([a-z]+)[^|]*\|[^|]*\| ([^|]*) \|$", re.M)


def test_every_command_is_on_the_commands_page() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for name in ALL:
        assert f"`icp {name}" in text, name


def test_the_page_lists_the_formats_each_command_offers() -> None:
    rows = dict(_ROW.findall(PAGE.read_text(encoding="utf-8")))
    for name, result in RESULTS.items():
        assert rows[name] == ", ".join(formats_for(result)), name


def test_the_page_explains_every_exit_code() -> None:
    codes = re.findall(r"^\| (\d+) \|", PAGE.read_text(encoding="utf-8"), re.M)
    assert [int(c) for c in codes] == [int(c) for c in ExitCode]


def test_the_page_is_in_the_site_navigation() -> None:
    assert "guide/cli.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
