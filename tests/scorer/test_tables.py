"""Reading exports as they come: delimiters, encodings, BOMs, quotes, compression, junk."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from icpkit.errors import InputError
from icpkit.scorer.tables import read_table, write_table

ROWS = 'account;employees;industry\n"Acme; Inc";"1,200";SaaS\nZürich AG;300;fintech\n'


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b""), ("utf-16", b"")],
)
def test_sniffs_delimiter_encoding_and_bom(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes(prefix + ROWS.encode(encoding))
    frame = read_table(path).frame
    assert frame.columns.tolist() == ["account", "employees", "industry"]
    assert frame["account"].tolist() == ["Acme; Inc", "Zürich AG"]
    assert frame["employees"].tolist() == ["1,200", "300"]


def test_keeps_ids_as_text_and_none_as_a_value(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("id,competitor\n00123,None\n00124,\n")
    frame = read_table(path).frame
    assert frame["id"].tolist() == ["00123", "00124"]
    assert frame["competitor"].iloc[0] == "None" and pd.isna(frame["competitor"].iloc[1])


def test_reads_compressed_parquet_and_json_lines(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "a.csv.zip", "w") as archive:
        archive.writestr("a.csv", "account,employees\nAcme,10\n")
    with gzip.open(tmp_path / "b.csv.gz", "wt") as handle:
        handle.write("account,employees\nAcme,10\n")
    pd.DataFrame({"account": ["Acme"], "employees": [10]}).to_parquet(tmp_path / "c.parquet")
    (tmp_path / "d.jsonl").write_text('{"account": "Acme", "employees": 10}\n')
    for name in ("a.csv.zip", "b.csv.gz", "c.parquet", "d.jsonl"):
        frame = read_table(tmp_path / name).frame
        assert frame["account"].tolist() == ["Acme"], name


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n", "the file is empty"),
        (b"PAR1\x00\x00junk", "it is a Parquet file"),
        (b"PK\x03\x04rest", "it is a zip archive"),
        (b"\x00\x01\x02\x03binary", "it holds binary data"),
        (b"a,b\n1,2\n3,4,5,6\n", "line 3"),
    ],
)
def test_not_csv_is_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "deals.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        read_table(path)
    assert str(path) in str(caught.value)


def test_write_by_extension_atomically(tmp_path: Path) -> None:
    frame = pd.DataFrame({"account": ["Acme"], "score": [85.0]})
    for suffix in (".csv", ".parquet", ".json", ".jsonl"):
        write_table(frame, tmp_path / f"out{suffix}")
        assert read_table(tmp_path / f"out{suffix}").frame["account"].tolist() == ["Acme"]
    with pytest.raises(InputError, match="cannot tell the output format"):
        write_table(frame, tmp_path / "out.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "out.csv", "out.json", "out.jsonl", "out.parquet",
    ]  # fmt: skip
