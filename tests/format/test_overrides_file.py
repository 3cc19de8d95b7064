"""The overrides file: its schema (and the editors' copy), and the loader's errors with
file, line and column."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from icpkit.errors import InputError
from icpkit.format.overrides import load_overrides, require_valid
from icpkit.format.schema import OVERRIDES_SCHEMA, schema_text
from tests.conftest import ROOT

GOOD = """\
format: icp-overrides/1
icp: base
overrides:
  - account: "  Acme Corp "
    target: include
    reason: Partner referral
    owner: jane@acme.example
    expires: 2027-06-30
    x-ticket: SALES-12
"""


def test_schema_is_valid_and_the_editor_copy_matches() -> None:
    schema = json.loads(schema_text(OVERRIDES_SCHEMA))
    Draft202012Validator.check_schema(schema)
    committed = (ROOT / "schema" / OVERRIDES_SCHEMA).read_text(encoding="utf-8")
    assert json.loads(committed) == schema


def test_a_valid_file_loads_its_entries(tmp_path: Path) -> None:
    path = tmp_path / "base.overrides.yaml"
    path.write_text(GOOD, encoding="utf-8")
    found = require_valid(load_overrides(path, "base"))
    [entry] = found.entries
    assert (entry.account, entry.target, entry.expires) == (
        "Acme Corp",
        "include",
        dt.date(2027, 6, 30),
    )
    assert entry.forced("poor") == "good" and entry.forced("strong") == "strong"
    assert found.where(entry).line == 4
    assert not entry.expired(dt.date(2027, 6, 30)) and entry.expired(dt.date(2027, 7, 1))


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (("expires: 2027-06-30", "expires: 2027-13-01"), "8:14: `expires` must be an ISO date"),
        (
            ("    reason: Partner referral\n", ""),
            "4:5: `overrides` is missing required key `reason`",
        ),
        (("icp: base", "icp: other"), "2:6: `icp` is 'other'"),
        (
            ("target: include", "target: include\n    band: good"),
            "4:5: `overrides` needs exactly one",
        ),
    ],
)
def test_the_first_problem_is_an_error_at_its_place(
    tmp_path: Path, change: tuple[str, str], where: str
) -> None:
    path = tmp_path / "base.overrides.yaml"
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        require_valid(load_overrides(path, "base"))
    assert str(raised.value).startswith(f"{path}:{where}"), str(raised.value)
