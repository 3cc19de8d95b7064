"""Every rule is documented, and its documented examples behave as documented."""

from __future__ import annotations

import pytest

from icpkit.checks import RULES, AnyRule, Scope
from icpkit.checks.rule import Category
from icpkit.checks.rule import rule as declare
from icpkit.version import __version__
from tests.conftest import CheckFn, merge, split_files

SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_documents_every_section(rule: AnyRule) -> None:
    assert rule.summary.endswith("."), rule.summary
    for heading in SECTIONS:
        assert rule.section(heading), f"{rule.id} has no '## {heading}'"
    assert rule.example("Example") and rule.example("Use instead")


def _run_example(rule: AnyRule, snippet: str, base_text: str, run_check: CheckFn) -> set[str]:
    if rule.scope is Scope.BASELINE:
        files = {"icps/base.yaml": base_text, "icp-baseline.yaml": snippet}
        report = run_check(files, toml='paths = ["icps"]\n', paths=("icps",))
    elif rule.scope is Scope.OVERRIDES:
        # The accounts the overrides name and the target list they join: the universe.
        files = {
            "icps/base.yaml": base_text,
            "icps/base.overrides.yaml": snippet,
            "accounts.csv": _universe(),
        }
        report = run_check(files, toml='accounts = "accounts.csv"\n')
    elif rule.scope is Scope.ORPHAN_OVERRIDES:
        # The example is an overrides file, named by its `# file:` line, beside the ICP.
        files = {f"icps/{n}": t for n, t in split_files(snippet, "base.overrides.yaml").items()}
        files["icps/base.yaml"] = base_text
        files["accounts.csv"] = _universe()
        report = run_check(files, toml='accounts = "accounts.csv"\n', paths=("icps",))
    else:
        files = {
            f"icps/{name}": merge(base_text, text)
            for name, text in split_files(snippet, "base.yaml").items()
        }
        toml = ""
        if rule.id == "ICP032":  # coverage needs a market to measure
            files["universe.csv"] = _universe()
            toml = 'universe = "universe.csv"\n'
        report = run_check(files, toml=toml)
    return {f.rule_id for f in report.findings}


def _universe() -> str:
    """100 accounts: 30 small retailers, 10 ideal SaaS companies, 60 large manufacturers."""
    rows = ["account,employees,revenue_usd,industry,country,tech_stack,triggers"]
    rows += [f"small-{i},100,5000000,retail,DE,salesforce,new-sales-leader" for i in range(30)]
    rows += [f"ideal-{i},500,50000000,saas,US,salesforce,new-sales-leader" for i in range(10)]
    rows += [f"large-{i},10000,1e9,manufacturing,JP,salesforce,new-sales-leader" for i in range(60)]
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_example_fires(rule: AnyRule, base_text: str, run_check: CheckFn) -> None:
    assert rule.id in _run_example(rule, rule.example("Example"), base_text, run_check)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_use_instead_passes(rule: AnyRule, base_text: str, run_check: CheckFn) -> None:
    assert rule.id not in _run_example(rule, rule.example("Use instead"), base_text, run_check)


def test_base_fixture_is_clean(base_text: str, run_check: CheckFn) -> None:
    report = run_check({"icps/base.yaml": base_text})
    assert report.findings == ()


def test_ids_and_names_are_unique() -> None:
    assert len({r.id for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)
    assert [r.id for r in RULES] == sorted(r.id for r in RULES)


def test_every_rule_says_its_category_and_a_released_version() -> None:
    released = tuple(int(p) for p in __version__.split(".")[:3])
    for rule in RULES:
        assert isinstance(rule.category, Category), rule.id
        assert tuple(int(p) for p in rule.added.split(".")) <= released, rule.id
    # Every category the index groups by has rules: a category nobody uses is a typo.
    assert {r.category for r in RULES} == set(Category)


@pytest.mark.parametrize("bad", [{"category": "style"}, {"added": "next"}])
def test_a_rule_without_a_known_category_or_version_is_refused(bad: dict[str, str]) -> None:
    meta = {"severity": "error", "category": "validity", "added": "0.1.0", **bad}
    with pytest.raises(ValueError):
        declare(
            "ICP999",
            "made-up",
            severity=meta["severity"],
            category=meta["category"],
            added=meta["added"],
        )
