"""Rules declare the options they read; the loader validates them like every other key."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from icpkit.checks import RULES, AnyRule
from icpkit.checks.config import declared, load_config
from icpkit.checks.options import MAX_RANGE_RATIO, SIZE_FIELDS
from icpkit.errors import ConfigError
from icpkit.project.options import Option
from tests.conftest import invoke

_READS = re.compile(r"\bctx\.option\((\w+)\)")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_a_rule_reads_only_the_options_it_declares(rule: AnyRule) -> None:
    module = inspect.getmodule(rule.func)
    assert module is not None
    read = {getattr(module, name) for name in _READS.findall(inspect.getsource(module))}
    assert read == set(rule.options), rule.id


@pytest.mark.parametrize("option", declared(), ids=lambda o: o.key)
def test_a_bad_value_names_the_key(option: Option[object], project: Path) -> None:
    wrong = "'ten'" if option.schema["type"] != "string" else "10"
    (project / "icp.toml").write_text(f"{option.key} = {wrong}\n")
    with pytest.raises(ConfigError, match=f"icp.toml: icp.toml key '{option.key}': "):
        load_config(project)


def test_a_misspelt_option_is_named_with_the_right_spelling(project: Path) -> None:
    (project / "icp.toml").write_text("min-trigger = 3\n")
    with pytest.raises(ConfigError, match="unknown key 'min-trigger'; did you mean 'min-triggers'"):
        load_config(project)


def test_set_options_are_parsed_and_unset_ones_default(project: Path) -> None:
    (project / "icp.toml").write_text('size-fields = ["seats"]\n')
    settings = load_config(project).settings
    assert settings.option(SIZE_FIELDS) == ("seats",)
    assert settings.option(MAX_RANGE_RATIO) == 10.0


def test_rule_docs_list_each_option_with_type_and_default() -> None:
    shown = invoke("rules", "ICP004")
    assert shown.exit_code == 0, shown.output
    assert "## Options" in shown.output
    assert "- `min-triggers` (integer, default `2`): " in shown.output
    ratio = invoke("rules", "range-too-wide").output
    assert "- `max-range-ratio` (number, default `10`): " in ratio
    assert '- `size-fields` (list of strings, default `["employees", ' in ratio
    assert "## Options" not in invoke("rules", "ICP005").output


def test_compile_accepts_a_project_that_sets_rule_options(example_repo: Path) -> None:
    # icp compile reads the settings without importing the rules, which reach pandas.
    toml = example_repo / "pyproject.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("[tool.icp]\n", "[tool.icp]\nmin-triggers = 3\n", 1))
    assert "min-triggers = 3" in toml.read_text(encoding="utf-8")
    result = invoke("compile", "icps/midmarket-saas-revops.yaml", "--dialect", "duckdb")
    assert result.exit_code == 0, result.output
    assert "SELECT" in result.stdout.upper()
