"""The golden-file helper fails on any difference and reports every rewrite."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from tests.goldenfile import Golden, GoldenRewritten

Failed = pytest.fail.Exception


def test_equal_output_passes_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "out.txt").write_bytes(b"one\ntwo\n")
    for update in (False, True):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            Golden(update=update, folder=tmp_path).check("out.txt", "one\ntwo\n")


@pytest.mark.parametrize(
    ("golden", "got", "shown"),
    [
        (b"one\ntwo\n", "one\nthree\n", "+'three\\n'"),
        (b"one\r\ntwo\r\n", "one\ntwo\n", "-'one\\r\\n'"),  # read_text() would hide this one
        (b"one\ntwo\n", "one\ntwo", "+'two'"),
    ],
)
def test_a_difference_fails_with_a_diff(
    tmp_path: Path, golden: bytes, got: str, shown: str
) -> None:
    (tmp_path / "out.txt").write_bytes(golden)
    with pytest.raises(Failed, match=r"differs from golden file out\.txt") as failed:
        Golden(update=False, folder=tmp_path).check("out.txt", got)
    assert shown in str(failed.value)
    assert (tmp_path / "out.txt").read_bytes() == golden


def test_a_missing_golden_file_fails(tmp_path: Path) -> None:
    with pytest.raises(Failed, match=r"golden file new\.txt does not exist"):
        Golden(update=False, folder=tmp_path).check("new.txt", "text\n")
    assert not (tmp_path / "new.txt").exists()


@pytest.mark.parametrize("before", [None, b"old\r\n"])
def test_update_rewrites_byte_for_byte_and_says_so(tmp_path: Path, before: bytes | None) -> None:
    if before is not None:
        (tmp_path / "out.txt").write_bytes(before)
    with pytest.warns(GoldenRewritten, match="rewrote golden file out.txt"):
        Golden(update=True, folder=tmp_path).check("out.txt", "new\r\nlines\n")
    assert (tmp_path / "out.txt").read_bytes() == b"new\r\nlines\n"
