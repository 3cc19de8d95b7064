"""The committed deal fixtures, and the example deals `icp init` ships, are exactly what the
seeded generator writes."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_deal_fixtures_match_their_generator() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_deals.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
