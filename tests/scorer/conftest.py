from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from icpkit.api import load_icp
from icpkit.model import Icp
from tests.conftest import merge

IcpFn = Callable[..., Icp]


@pytest.fixture
def make_icp(tmp_path: Path, base_text: str) -> IcpFn:
    """The tests' base ICP (weights: employees 25, revenue 15, industry 15, country 5,
    tech_stack 10, triggers 15 + 15), with top-level sections replaced by `snippet`."""

    def make(snippet: str = "", name: str = "base") -> Icp:
        path = tmp_path / f"{name}.yaml"
        path.write_text(merge(base_text, snippet).replace("id: base", f"id: {name}"))
        return load_icp(path)

    return make
