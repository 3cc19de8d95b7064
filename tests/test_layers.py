"""The layering contract covers the whole package, and the cheap paths stay cheap for real."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "ibm"


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def test_every_rule_module_is_in_the_independence_contract() -> None:
    [contract] = [c for c in _contracts() if c["type"] == "independence"]
    modules = contract["modules"]
    assert isinstance(modules, list)
    listed = set(modules)
    found = {f"icpkit.checks.{p.stem}" for p in (ROOT / "src/icpkit/checks").glob("icp*.py")}
    assert listed == found


def test_every_package_is_in_a_layer() -> None:
    [contract] = [c for c in _contracts() if c["type"] == "layers"]
    layers = contract["layers"]
    assert isinstance(layers, list)
    named = {m.strip() for line in layers for m in str(line).split("|")}
    src = ROOT / "src" / "icpkit"
    children = {
        f"icpkit.{p.stem if p.is_file() else p.name}"
        for p in src.iterdir()
        if (p.suffix == ".py" and p.stem not in ("__init__", "__main__"))
        or (p.is_dir() and (p / "__init__.py").is_file())
    }
    assert children <= named, sorted(children - named)


def test_compile_never_loads_pandas() -> None:
    icp = next((EXAMPLE / "icps").glob("*.yaml"))
    code = (
        "import sys\n"
        "from icpkit.cli import main\n"
        f"sys.argv = ['icp', 'compile', {str(icp)!r}, '--dialect', 'duckdb', '--keep', 'x']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "heavy = sorted(m for m in ('pandas', 'pyarrow', 'numpy') if m in sys.modules)\n"
        "print('LOADED', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=EXAMPLE)
    assert "SELECT" in done.stdout.upper(), done.stderr
    assert "LOADED []" in done.stderr, done.stderr


def test_a_diff_without_deals_never_loads_scipy_stats() -> None:
    # scipy.stats costs half a second to import: only intervals and curves pay for it.
    icp = str(next((EXAMPLE / "icps").glob("*.yaml")))
    code = (
        "import sys\n"
        "from icpkit.cli import cli\n"
        "try:\n"
        f"    cli.main(['diff', {icp!r}, {icp!r}], prog_name='icp', standalone_mode=False)\n"
        "except SystemExit:\n    pass\n"
        "print('LOADED', 'scipy.stats' in sys.modules, 'pandas' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=EXAMPLE)
    assert "Impact:" in done.stdout, done.stdout + done.stderr
    assert "LOADED False True" in done.stderr, done.stderr
