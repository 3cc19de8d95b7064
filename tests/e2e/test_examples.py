"""The bundled example repository is what users copy: it must be clean and realistic."""

from __future__ import annotations

import pytest

from icpkit.checks.config import load_config
from icpkit.checks.runner import check
from icpkit.format.model import Status, Tier
from icpkit.format.valid import load_icp
from tests.conftest import ROOT


def test_examples_have_no_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    report = check(config=load_config(ROOT))
    assert len(report.files) == 3
    assert report.findings == () and report.suppressed == ()


def test_examples_cover_primary_secondary_and_retired() -> None:
    icps = [load_icp(p) for p in sorted((ROOT / "icps").glob("*.yaml"))]
    kinds = {(i.tier, i.status) for i in icps}
    assert (Tier.PRIMARY, Status.ACTIVE) in kinds
    assert (Tier.SECONDARY, Status.ACTIVE) in kinds
    assert any(i.status is Status.RETIRED for i in icps)
    norway = next(i for i in icps if i.id == "emea-fintech-multicurrency").attribute("country")
    assert norway is not None and "NO" in norway.match.values
