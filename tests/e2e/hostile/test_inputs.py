"""Hostile and damaged deal and account tables, through the installed `icp` command.

Each input class must end in one `Error: <file>: ...` line and exit code 2: no
traceback, no "internal error", the earlier output left as it was, and no more of the
file's text in the message than it takes to find the problem.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import ROOT, TODAY

INPUTS = Path(__file__).parent / "inputs" / "inputs"
MIDMARKET = "icps/midmarket-saas-revops.yaml"
DEALS = ROOT / "fixtures" / "deals" / "midmarket-saas-revops.csv"
ENGINES = ("pandas", "duckdb")
SENTINEL = "earlier output\n"


def icp(*args: str) -> subprocess.CompletedProcess[str]:
    found = shutil.which("icp", path=str(Path(sys.executable).parent)) or shutil.which("icp")
    assert found, "icp is not installed"
    env = {**os.environ, "ICP_TODAY": TODAY, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([found, *args], capture_output=True, text=True, env=env, timeout=120)


def refused(done: subprocess.CompletedProcess[str], name: str, *words: str) -> str:
    """The one-line error a user should see for a file they cannot use as it is."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    assert done.stderr.startswith(f"Error: {name}"), done.stderr
    for word in words:
        assert word in done.stderr, done.stderr
    return done.stderr


def settings(root: Path, text: str) -> None:
    """The example settings with top-level [tool.icp] keys added (before its sub-tables)."""
    example = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (root / "pyproject.toml").write_text(
        example.replace("[tool.icp]\n", f"[tool.icp]\n{text}\n", 1), encoding="utf-8"
    )


def score_refuses(root: Path, name: str, *words: str, engines: tuple[str, ...] = ENGINES) -> None:
    out = root / "scored.csv"
    for engine in engines:
        out.write_text(SENTINEL, encoding="utf-8")
        done = icp("score", MIDMARKET, name, "--engine", engine, "-o", str(out))
        refused(done, name, *words)
        assert out.read_text(encoding="utf-8") == SENTINEL, engine


def deals_text(rows: int = 5) -> bytes:
    return b"\n".join(DEALS.read_bytes().splitlines()[: rows + 1]) + b"\n"


# --- Inputs that ended in "internal error" -------------------------------------------


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("header-repeated-after-trim.csv", ("columns 1 and 7", "'employees'")),
        ("header-repeated.csv", ("columns 1 and 7", "'employees'")),
        ("header-repeated-but-for-case.csv", ("columns 1 and 7", "ignoring case")),
        ("nested-object.jsonl", ("record 3", "'industry'", "an object")),
        ("nested-list.jsonl", ("record 2", "'employees'", "a list")),
        ("unterminated-quote.csv", ("quote",)),
    ],
)
def test_damaged_table_is_an_input_error(
    example_repo: Path, name: str, words: tuple[str, ...]
) -> None:
    shutil.copy(INPUTS / name, example_repo / name)
    score_refuses(example_repo, name, *words)
    done = icp("backtest", MIDMARKET, "--deals", name)
    refused(done, name, *words)


def test_a_short_row_reads_alike_in_both_engines(example_repo: Path) -> None:
    # Exporters drop a row's trailing empty cells: pandas pads the row, and so does DuckDB.
    shutil.copy(INPUTS / "ragged-row.csv", example_repo / "ragged-row.csv")
    for engine in ("pandas", "duckdb"):
        done = icp("score", MIDMARKET, "ragged-row.csv", "--engine", engine, "-o", f"{engine}.csv")
        assert done.returncode == 0, done.stderr
    assert (example_repo / "pandas.csv").read_bytes() == (example_repo / "duckdb.csv").read_bytes()


def _truncated_gz(root: Path) -> str:
    packed = gzip.compress(deals_text(40))
    (root / "deals.csv.gz").write_bytes(packed[: len(packed) // 2])
    return "deals.csv.gz"


def _parquet_named_csv(root: Path) -> str:
    pq.write_table(pa.table({"employees": ["100"]}), root / "deals.csv")
    return "deals.csv"


def _parquet_duplicate_columns(root: Path) -> str:
    table = pa.table([pa.array(["100"]), pa.array(["200"])], names=["employees", "employees"])
    pq.write_table(table, root / "deals.parquet")
    return "deals.parquet"


def _parquet_binary_column(root: Path) -> str:
    frame = pd.read_csv(DEALS, dtype=str).head(5)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    index = table.schema.get_field_index("industry")
    cells = pa.array([b"\x00\xff=cmd"] * 5, type=pa.binary())
    pq.write_table(table.set_column(index, "industry", cells), root / "deals.parquet")
    return "deals.parquet"


def _parquet_nested_column(root: Path) -> str:
    frame = pd.read_csv(DEALS, dtype=str).head(5)
    frame["employees"] = [[100, 200]] * 5
    frame.to_parquet(root / "deals.parquet")
    return "deals.parquet"


def _truncated_parquet(root: Path) -> str:
    buffer = io.BytesIO()
    pd.read_csv(DEALS, dtype=str).to_parquet(buffer)
    (root / "deals.parquet").write_bytes(buffer.getvalue()[:-100])
    return "deals.parquet"


def _binary_named_csv(root: Path) -> str:
    # Valid UTF-8, so DuckDB would read it as text: the first bytes say it is not.
    (root / "deals.csv").write_bytes(deals_text() + b"MID-9,\x00\x00\x00\x01\x02,won\n")
    return "deals.csv"


def _not_utf8_after_the_sample(root: Path) -> str:
    # The sniffed first 64 KB are UTF-8; a cp1252 byte comes later (DuckDB reads it itself).
    head, _, body = DEALS.read_bytes().partition(b"\n")
    text = head + b"\n" + body * 40 + b"MID-9,Caf\xe9,won,1,1,2025-01-01,100,1,saas,US,x,y,1,z,\n"
    (root / "deals.csv").write_bytes(text)
    return "deals.csv"


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_truncated_gz, ("truncated",)),
        (_parquet_named_csv, ("Parquet",)),
        (_binary_named_csv, ("binary data",)),
        (_parquet_duplicate_columns, ("columns 1 and 2", "'employees'")),
        (_parquet_nested_column, ("'employees'", "list<")),
        (_parquet_binary_column, ("'industry'", "binary data, not text")),
        (_truncated_parquet, ("parquet",)),
        (_not_utf8_after_the_sample, ()),
    ],
    ids=lambda v: getattr(v, "__name__", "").strip("_") or None,
)
def test_broken_file_is_an_input_error_in_both_engines(
    example_repo: Path, make: Callable[[Path], str], words: tuple[str, ...]
) -> None:
    name = make(example_repo)
    score_refuses(example_repo, name, *words)


# --- Bounded resources ---------------------------------------------------------------


def _bomb_rows() -> bytes:
    head, _, body = deals_text(640).partition(b"\n")
    return head + b"\n" + body * 8  # 5,120 rows: past a cap of 1,000, tiny on disk


@pytest.mark.slow
@pytest.mark.parametrize(
    ("suffix", "pack"),
    [
        (".csv.gz", gzip.compress),
        (".csv.bz2", bz2.compress),
        (".csv.xz", lzma.compress),
    ],
)
def test_compressed_input_has_a_row_cap(
    example_repo: Path, suffix: str, pack: Callable[[bytes], bytes]
) -> None:
    name = f"deals{suffix}"
    (example_repo / name).write_bytes(pack(_bomb_rows()))
    settings(example_repo, "max-rows = 1000")
    score_refuses(example_repo, name, "more than 1,000 rows", "max-rows")
    settings(example_repo, "max-rows = 100000")
    done = icp("score", MIDMARKET, name, "--engine", "duckdb", "-o", "s.csv")
    assert done.returncode == 0, done.stderr


def test_compressed_input_has_a_size_cap(example_repo: Path) -> None:
    (example_repo / "deals.csv.gz").write_bytes(gzip.compress(_bomb_rows()))
    settings(example_repo, "max-input-bytes = 100000")
    score_refuses(example_repo, "deals.csv.gz", "more than 100,000 bytes", "max-input-bytes")


def test_zip_is_refused_by_its_declared_size(example_repo: Path) -> None:
    with zipfile.ZipFile(example_repo / "deals.csv.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("deals.csv", _bomb_rows())
    settings(example_repo, "max-input-bytes = 100000")
    score_refuses(example_repo, "deals.csv.zip", "more than 100,000 bytes")
    done = icp("backtest", MIDMARKET, "--deals", "deals.csv.zip")
    refused(done, "deals.csv.zip", "max-input-bytes")


def test_gzip_bomb_stops_at_the_cap_with_little_memory(example_repo: Path) -> None:
    """200 MB of rows in a few, read with the address space capped (the machine is shared):
    the cap stops the read at 50 MB, long before the rows are held."""
    line = DEALS.read_bytes().splitlines()[1] + b"\n"
    packer = gzip.GzipFile(example_repo / "bomb.csv.gz", "wb", compresslevel=1)
    with packer:
        packer.write(DEALS.read_bytes().splitlines()[0] + b"\n")
        block = line * (1024 * 1024 // len(line))
        for _ in range(200):
            packer.write(block)
    assert (example_repo / "bomb.csv.gz").stat().st_size < 8_000_000
    settings(example_repo, "max-input-bytes = 50000000")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30));"
            "from icpkit.cli import cli; sys.argv = ['icp', *sys.argv[1:]]; cli()",
            "score",
            MIDMARKET,
            "bomb.csv.gz",
            "-o",
            "s.csv",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "ICP_TODAY": TODAY},
        timeout=120,
    )
    refused(done, "bomb.csv.gz", "more than 50,000,000 bytes")


def test_nul_bytes_past_the_first_64_kb(example_repo: Path) -> None:
    head, _, body = DEALS.read_bytes().partition(b"\n")
    text = head + b"\n" + body * 40  # about 100 KB of good rows
    lines = text.count(b"\n")
    (example_repo / "deals.csv").write_bytes(text + b"MID-9,\x00\x00\x00\n" + b"\x00" * 4096)
    error = refused(
        icp("score", MIDMARKET, "deals.csv", "-o", "s.csv"), "deals.csv", "NUL", "binary"
    )
    assert f"line {lines + 1}" in error
    refused(icp("backtest", MIDMARKET, "--deals", "deals.csv"), "deals.csv", "NUL")


def test_sparse_file_is_refused_by_both_engines(example_repo: Path) -> None:
    """Good rows, then a hole of NUL bytes: a copy that did not finish. DuckDB read the
    rows and scored them as if that were the whole file."""
    with (example_repo / "deals.csv").open("wb") as handle:
        handle.write(deals_text(600))
        handle.truncate(8 * 1024 * 1024)
    score_refuses(example_repo, "deals.csv", "NUL")


def test_workbook_is_refused_by_its_declared_size(example_repo: Path) -> None:
    frame = pd.read_csv(DEALS, dtype=str)
    frame.to_excel(example_repo / "deals.xlsx", index=False)
    settings(example_repo, "max-input-bytes = 10000")
    score_refuses(example_repo, "deals.xlsx", "more than 10,000 bytes", engines=("pandas",))


def test_parquet_rows_are_counted_from_its_footer(example_repo: Path) -> None:
    pd.read_csv(DEALS, dtype=str).to_parquet(example_repo / "deals.parquet")
    settings(example_repo, "max-rows = 100")
    score_refuses(example_repo, "deals.parquet", "more than 100 rows", engines=("pandas",))
    # DuckDB streams Parquet: the cap is for readers that hold the file in memory.
    done = icp("score", MIDMARKET, "deals.parquet", "--engine", "duckdb", "-o", "s.csv")
    assert done.returncode == 0, done.stderr


def test_large_plain_file_is_not_capped(example_repo: Path) -> None:
    """The caps are for compressed files; a plain one is as large as it shows on disk."""
    (example_repo / "deals.csv").write_bytes(_bomb_rows())
    settings(example_repo, "max-rows = 1000\nmax-input-bytes = 100000")
    done = icp("score", MIDMARKET, "deals.csv", "-o", "s.csv")
    assert done.returncode == 0, done.stderr
    assert len(pd.read_csv(example_repo / "s.csv")) == 5120


# --- icp compile --table / --view ------------------------------------------------------


@pytest.mark.parametrize("name", ['a"b', "a'b", "", "a..b", "a.b.c.d"])
@pytest.mark.parametrize("option", ["--table", "--view"])
def test_compile_refuses_what_is_not_a_table_name(
    example_repo: Path, option: str, name: str
) -> None:
    done = icp("compile", MIDMARKET, option, name)
    assert done.returncode == 2, done.stdout
    assert done.stderr.startswith(f"Error: {option} "), done.stderr
    assert "is not a table name" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("name", "dialect", "sql"),
    [
        ("my table", "duckdb", '"my table"'),
        ("select", "duckdb", '"select"'),
        ('crm."odd ""name"""', "duckdb", 'crm."odd ""name"""'),
        ("crm.accounts", "duckdb", "crm.accounts"),
        ("x; DROP TABLE y", "duckdb", '"x; DROP TABLE y"'),
        ("my table", "bigquery", "`my table`"),
        ("crm.order", "duckdb", 'crm."order"'),
    ],
)
def test_compile_quotes_table_and_view_names(
    example_repo: Path, name: str, dialect: str, sql: str
) -> None:
    done = icp("compile", MIDMARKET, "--dialect", dialect, "--table", name, "--view", name)
    assert done.returncode == 0, done.stderr
    assert f"FROM {sql} AS src" in done.stdout
    assert f"VIEW {sql} AS" in done.stdout


def test_duckdb_error_keeps_the_line_number_not_the_line(example_repo: Path) -> None:
    """Past DuckDB's sniffing sample, a ragged row is reported by line; DuckDB's message
    quotes the row and its reader options, and neither reaches the user."""
    head, _, body = DEALS.read_bytes().partition(b"\n")
    text = head + b"\n" + body * 40
    (example_repo / "deals.csv").write_bytes(text + b"MID-9,Secret Row,won\n")
    line = text.count(b"\n") + 1
    error = refused(
        icp("score", MIDMARKET, "deals.csv", "--engine", "duckdb", "-o", "s.csv"),
        "deals.csv",
        f"Line: {line}",
        "Expected Number of Columns",
    )
    assert "Secret Row" not in error and "delimiter" not in error


# --- Files a project names stay inside it ------------------------------------------------

SECRET = "s3cr3t-token-from-outside"


def _point_deals(root: Path, target: str) -> None:
    icp_file = root / MIDMARKET
    text = icp_file.read_text(encoding="utf-8")
    icp_file.write_text(
        text.replace("deals: fixtures/deals/midmarket-saas-revops.csv", f"deals: {target}"),
        encoding="utf-8",
    )


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder beside the project holding a deals file (and a secret) a PR should not read."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "deals.csv").write_bytes(DEALS.read_bytes())
    (folder / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    return folder


def _no_secret(done: subprocess.CompletedProcess[str]) -> None:
    assert SECRET not in done.stdout + done.stderr


@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink"])
def test_validation_deals_outside_the_project_is_refused(
    example_repo: Path, outside: Path, how: str
) -> None:
    if how == "symlink":
        (example_repo / "fixtures" / "link.csv").symlink_to(outside / "secret.txt")
        target = "fixtures/link.csv"
    elif how == "absolute":
        target = str(outside / "secret.txt")
    else:
        target = os.path.relpath(outside / "secret.txt", example_repo)
    _point_deals(example_repo, target)
    done = icp("backtest", MIDMARKET)
    refused(done, "ICP midmarket-saas-revops: validation.deals", "outside the project")
    assert "allow-outside" in done.stderr
    _no_secret(done)


def test_allow_outside_names_a_folder_the_project_may_read(
    example_repo: Path, outside: Path
) -> None:
    _point_deals(example_repo, os.path.relpath(outside / "deals.csv", example_repo))
    settings(example_repo, f'allow-outside = ["{os.path.relpath(outside, example_repo)}"]')
    done = icp("backtest", MIDMARKET)
    assert done.returncode == 0, done.stderr
    assert "passed all 8 gates" in done.stdout  # five on deals, three on customers


def test_deals_named_on_the_command_line_are_the_users_own(
    example_repo: Path, outside: Path
) -> None:
    done = icp("backtest", MIDMARKET, "--deals", str(outside / "deals.csv"))
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("key", ["accounts", "universe"])
def test_settings_naming_a_file_outside_are_refused(
    example_repo: Path, outside: Path, key: str
) -> None:
    settings(example_repo, f'{key} = "{outside / "secret.txt"}"')
    for command in (["check"], ["backtest", MIDMARKET]):
        done = icp(*command)
        refused(done, str(example_repo / "pyproject.toml"), f"{key}:", "outside the project")
        _no_secret(done)


def test_icp_paths_outside_are_refused(example_repo: Path, outside: Path) -> None:
    path = example_repo / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    elsewhere = os.path.relpath(outside, example_repo)
    moved = text.replace('paths = ["icps"]', f'paths = ["{elsewhere}"]')
    assert moved != text
    path.write_text(moved, encoding="utf-8")
    refused(icp("check"), str(example_repo / "pyproject.toml"), "paths:", "outside the project")


def test_icp_file_linked_to_outside_is_refused(example_repo: Path, outside: Path) -> None:
    (outside / "secret.yaml").write_text(f"{SECRET}: [unclosed\n", encoding="utf-8")
    (example_repo / "icps" / "evil.yaml").symlink_to(outside / "secret.yaml")
    for args in ([], ["icps"], ["icps/evil.yaml"]):
        done = icp("check", *args, "--format", "github")
        refused(done, "icps/evil.yaml", "outside the project")
        _no_secret(done)


def test_unknown_outcome_labels_do_not_echo_the_file(example_repo: Path) -> None:
    """A file that is not a deals export (here: lines of prose in the outcome column) is
    described by short, counted labels, and none of its long lines reaches the message."""
    line = "this whole line is private text that must not be echoed back to a PR"
    frame = pd.read_csv(DEALS, dtype=str).head(20)
    frame["outcome"] = [line] * 10 + ["Pending Review"] * 5 + ["won"] * 5
    frame.to_csv(example_repo / "deals.csv", index=False)
    done = icp("backtest", MIDMARKET, "--deals", "deals.csv")
    hint = 'open = ["Pending Review"]'
    error = refused(done, "deals.csv", "unknown outcome labels", "(10)", hint)
    assert line not in error
    assert line[:39] + "\u2026" in error
    frame["outcome"] = [line] * 15 + ["won"] * 5
    frame.to_csv(example_repo / "deals.csv", index=False)
    done = icp("backtest", MIDMARKET, "--deals", "deals.csv")
    error = refused(done, "deals.csv", "is this the outcome column")
    assert line not in error and "[tool.icp.outcomes]" not in error
