"""The reporters' registry: one renderer per result type and format, found by type."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass

import pytest

from icpkit.checks import RULES, Rule
from icpkit.checks.runner import Report
from icpkit.reporters import registry
from icpkit.reporters.registry import formats_for, register, render, renderer_for
from tests.conftest import ROOT

REPORTERS = ROOT / "src" / "icpkit" / "reporters"


def test_modules_lists_every_module_that_registers_renderers() -> None:
    registering = {
        f"icpkit.reporters.{path.stem}"
        for path in REPORTERS.glob("*.py")
        if re.search(r"^register\(", path.read_text(encoding="utf-8"), re.M)
    }
    # The package registers icp check's formats itself; every other module is listed.
    assert registering - set(registry.MODULES) == {"icpkit.reporters.__init__"}
    assert set(registry.MODULES) <= registering
    assert list(registry.MODULES) == sorted(registry.MODULES)


def test_check_keeps_its_formats_in_order() -> None:
    assert formats_for(Report) == ("text", "json", "github", "sarif", "markdown", "junit")


def test_render_finds_the_renderer_by_the_results_type() -> None:
    rule = RULES[3]
    assert render(rule, "text").startswith("ICP004 too-few-triggers (default severity: error)")
    assert renderer_for(Rule, "json") is renderer_for(type(rule), "json")


@dataclass(frozen=True)
class _Result:
    value: int


class _Special(_Result):
    pass


@pytest.fixture
def empty(monkeypatch: pytest.MonkeyPatch) -> None:
    # Registrations made by a test stay out of the registry the commands use.
    monkeypatch.setattr(registry, "_RENDERERS", {})


def test_a_subclass_is_rendered_as_its_base(empty: None) -> None:
    register(_Result, "plain", lambda r: f"value {r.value}\n")
    assert render(_Special(2), "plain") == "value 2\n"
    assert formats_for(_Result) == ("plain",)


def test_one_renderer_per_type_and_format(empty: None) -> None:
    register(_Special, "plain", lambda r: "special\n")
    with pytest.raises(ValueError, match="_Special already has a 'plain' renderer"):
        register(_Special, "plain", lambda r: "again\n")


def test_an_unknown_format_names_the_ones_there_are() -> None:
    with pytest.raises(LookupError, match=r"no 'yaml' renderer for Rule \(formats: text, json\)"):
        renderer_for(Rule, "yaml")


def test_check_loads_only_its_own_renderers() -> None:
    code = (
        "import sys\n"
        "from icpkit.checks.runner import Report\n"
        "from icpkit.reporters import formats_for\n"
        "assert formats_for(Report)\n"
        "print(sorted(m for m in sys.modules if m.startswith('icpkit.reporters.')))\n"
        "print('pandas' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, check=True
    )
    loaded, pandas = done.stdout.splitlines()
    assert "icpkit.reporters.backtest" not in loaded and "icpkit.reporters.registry" in loaded
    assert pandas == "False"


def test_modules_name_the_result_types_each_module_registers() -> None:
    code = (
        "import importlib\n"
        "from icpkit.reporters import registry\n"
        "for name in registry.MODULES:\n"
        "    before = set(registry._RENDERERS)\n"
        "    importlib.import_module(name)\n"
        "    added = set(registry._RENDERERS) - before\n"
        "    print(name, *sorted(f'{t.__module__}.{t.__qualname__}' for t in added))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, check=True
    )
    found = {line.split()[0]: sorted(line.split()[1:]) for line in done.stdout.splitlines()}
    assert found == {name: sorted(types) for name, types in registry.MODULES.items()}


def test_backtest_loads_only_its_own_renderers() -> None:
    code = (
        "import sys\n"
        "from icpkit.scorer.run import BacktestRun\n"
        "from icpkit.reporters import formats_for\n"
        "assert 'json' in formats_for(BacktestRun)\n"
        "print(sorted(m for m in sys.modules if m.startswith('icpkit.reporters.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, check=True
    )
    assert "'icpkit.reporters.backtest'" in done.stdout
    assert not {"suggest", "diff", "history", "coverage"} & set(
        re.findall(r"reporters\.(\w+)", done.stdout)
    )
