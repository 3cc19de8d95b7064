"""Every benchmark script runs to the end at a toy size and prints its figures.

The figures themselves are not checked (they depend on the machine): this catches a
script left behind by a change to the package (a moved schema, a new output column the
hand-written query lacks), which otherwise shows only when someone next measures.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import engines
from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # each script starts the CLI several times

# Script -> toy-size arguments, and a line its report always prints.
SCRIPTS = {
    "backtest_100k.py": (["--deals", "2000", "--customers", "500", "--runs", "1"], "target:"),
    "check_vs_check_jsonschema.py": (["--runs", "1"], "ratio icp / check-jsonschema"),
    "score_10m.py": (["--rows", "20000"], "target:"),
    "score_1m.py": (["--rows", "20000", "--deals", "2000"], "backtest of 2,000 deals"),
    "sql_vs_hand.py": (["--rows", "20000", "--runs", "1"], "compiled / hand:"),
    "score_postgres.py": (["--rows", "2000"], "rows"),
}


def test_every_script_is_listed() -> None:
    assert sorted(p.name for p in (ROOT / "benchmarks").glob("*.py")) == sorted(SCRIPTS)


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_benchmark_runs_at_a_toy_size(
    script: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if script == "score_postgres.py":
        engines.engine(request, "postgres")  # the test server's URL, or a skip when told
    args, says = SCRIPTS[script]
    # Cached inputs go to this test's own temp directory, never a shared one.
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        capture_output=True, text=True, env=env, timeout=600, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert says in done.stdout, done.stdout[-2000:]
