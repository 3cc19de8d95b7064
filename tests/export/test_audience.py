"""The ICP as targeting facets, in process: LinkedIn's size buckets against ICP ranges, and
which anti-ICP entries one facet can exclude."""

from __future__ import annotations

import pytest

from icpkit.export.audience import BUCKETS, audience, overlapping
from icpkit.format.valid import load_icp
from tests.conftest import ROOT


def shown(low: float | None, high: float | None) -> list[tuple[str, str | None]]:
    found = overlapping(low, high)
    return [(b.bucket.label, None if b.covered is None else f"{b.covered}") for b in found]


def test_the_nine_buckets_are_linkedins() -> None:
    assert [b.label for b in BUCKETS] == [
        "1", "2-10", "11-50", "51-200", "201-500", "501-1,000", "1,001-5,000", "5,001-10,000",
        "10,001+",
    ]  # fmt: skip
    assert BUCKETS[-1].urn == "urn:li:staffCountRange:(10001,2147483647)"


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (201, 1000, [("201-500", None), ("501-1,000", None)]),
        (200, 2000, [("51-200", "(200, 200)"), ("201-500", None), ("501-1,000", None),
                     ("1,001-5,000", "(1001, 2000)")]),
        (None, 79, [("1", None), ("2-10", None), ("11-50", None), ("51-200", "(51, 79)")]),
        (5000, None, [("1,001-5,000", "(5000, 5000)"), ("5,001-10,000", None),
                      ("10,001+", None)]),
        (120.5, 199.5, [("51-200", "(121, 199)")]),
    ],
)  # fmt: skip
def test_a_range_takes_every_bucket_it_overlaps_and_says_which_in_part(
    low: float | None, high: float | None, expected: list[tuple[str, str | None]]
) -> None:
    assert shown(low, high) == expected


def test_only_single_facet_anti_icp_entries_are_excluded() -> None:
    icp = load_icp(ROOT / "icps" / "emea-fintech-multicurrency.yaml")
    found = audience(icp, {"central-bank": ["Banking"], "public-sector": ["Government"]})
    expressed = {e.anti.id: e.facets is not None for e in found.anti_icp}
    # currencies_count is no targeting facet; parent-decides is a signal.
    assert expressed == {"single-currency": False, "public-sector-bank": True,
                         "parent-decides": False}  # fmt: skip
    excluded = next(e.facets for e in found.anti_icp if e.facets is not None)
    assert excluded is not None
    assert [i.linkedin for i in excluded.industries] == [("Banking",), ("Government",)]
    assert any("single-currency is not excluded" in w for w in found.warnings)
