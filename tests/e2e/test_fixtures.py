"""The committed deal and customer fixtures, and the example deals `icp init` ships, are
exactly what the seeded generators write."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize("generator", ["generate_deals.py", "generate_customers.py"])
def test_fixtures_match_their_generator(generator: str) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / generator), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
