"""Reading account and deal tables as CRMs export them, and writing scored tables back.

CSV delimiter and encoding are sniffed (Excel writes `;` and cp1252 in much of Europe),
a BOM is honoured, compressed exports (`.csv.zip`, `.csv.gz`) and Excel workbooks
(`.xlsx`, see `excel`) are read as they come.
Every cell is read as text: the scorer decides what is a number, so an account id such
as `00123` keeps its zeros and a literal `None` stays a value the mapping can name.
"""

from __future__ import annotations

import bz2
import codecs
import csv
import gzip
import lzma
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from icpkit.errors import InputError
from icpkit.fileio import atomic_target, is_stream
from icpkit.scorer.excel import is_excel, read_excel, split_sheet

SAMPLE_BYTES = 64 * 1024
# Arrow-backed text with NA: string methods run natively instead of once per row in Python.
TEXT_DTYPE = pd.StringDtype("pyarrow")
WRITE_FORMATS = {".csv": "csv", ".parquet": "parquet", ".json": "json", ".jsonl": "jsonl"}
_COMPRESSED = {".zip", ".gz", ".bz2", ".xz"}
_MAGIC = {
    b"PAR1": "a Parquet file (name it .parquet)",
    b"PK\x03\x04": "a zip archive (name it .csv.zip if it holds one CSV)",
    b"\x1f\x8b": "a gzip file (name it .csv.gz)",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (save it as CSV)",
    b"SQLite format 3": "an SQLite database",
}


@dataclass(frozen=True)
class Table:
    frame: pd.DataFrame
    path: Path
    notes: tuple[str, ...] = ()
    # The row the header is on, as a spreadsheet numbers it (reports put a title above).
    header_row: int = 1


def table_format(path: Path) -> str:
    if is_excel(path):
        return "excel"
    suffixes = [s.lower() for s in path.suffixes]
    while suffixes and suffixes[-1] in _COMPRESSED:
        suffixes.pop()
    last = suffixes[-1] if suffixes else ""
    if last == ".parquet":
        return "parquet"
    if last in (".jsonl", ".ndjson"):
        return "jsonl"
    if last == ".json":
        return "json"
    return "csv"


def table_exists(path: Path) -> bool:
    """Whether the file is there (`deals.xlsx#Closed` names a sheet of `deals.xlsx`)."""
    return split_sheet(path)[0].is_file()


def read_table(path: Path) -> Table:
    """Read CSV, Excel, Parquet, JSON records or JSON Lines (by extension; CSV otherwise)."""
    if not table_exists(path):
        raise InputError(f"data file not found: {split_sheet(path)[0]}")
    fmt = table_format(path)
    header_row = 1
    notes: tuple[str, ...] = ()
    try:
        if fmt == "excel":
            frame, header_row, notes = read_excel(path)
            frame = frame.astype(TEXT_DTYPE)
        elif fmt == "parquet":
            frame = pd.read_parquet(path)
        elif fmt in ("json", "jsonl"):
            frame = pd.read_json(path, lines=fmt == "jsonl", dtype=False)
        else:
            frame, notes = _read_csv(path)
    except InputError:
        raise
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise InputError(f"{path}: cannot read as {fmt}: {_first_line(exc)}") from None
    if frame.empty and not len(frame.columns):
        raise InputError(f"{path}: the file has no columns")
    frame.columns = [str(c).strip() for c in frame.columns]
    return Table(frame, path, notes, header_row)


def _read_csv(path: Path) -> tuple[pd.DataFrame, tuple[str, ...]]:
    sample = _sample(path)
    if not sample.strip():
        raise InputError(f"{path}: the file is empty")
    if sample.startswith(b"PK\x03\x04") and _is_workbook(path):
        raise InputError(f"{path}: not a CSV file: it is an Excel workbook (name it .xlsx)")
    for magic, what in _MAGIC.items():
        if sample.startswith(magic):
            raise InputError(f"{path}: not a CSV file: it is {what}")
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{path}: not a CSV file: it holds binary data")
    encoding, text = _encoding(sample)
    notes = [] if encoding in ("utf-8", "utf-8-sig") else [f"read as {encoding}"]
    delimiter = _delimiter(text)
    try:
        frame = pd.read_csv(
            path,
            sep=delimiter,
            encoding=encoding,
            dtype=TEXT_DTYPE,
            keep_default_na=False,
            na_values=[""],
            engine="pyarrow",
        )
    except (pd.errors.ParserError, ValueError):
        # The C engine names the line of a ragged row; pyarrow's message does not.
        frame = pd.read_csv(
            path, sep=delimiter, encoding=encoding, dtype=TEXT_DTYPE, keep_default_na=False
        )
    return frame, tuple(notes)


def _is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _sample(path: Path) -> bytes:
    suffix = path.suffix.lower()
    if suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
            if len(names) != 1:
                raise InputError(f"{path}: a zip must hold exactly one file, not {len(names)}")
            with archive.open(names[0]) as handle:
                return handle.read(SAMPLE_BYTES)
    if suffix == ".gz":
        with gzip.open(path, "rb") as handle:
            return handle.read(SAMPLE_BYTES)
    if suffix == ".bz2":
        with bz2.open(path, "rb") as handle:
            return handle.read(SAMPLE_BYTES)
    if suffix == ".xz":
        with lzma.open(path, "rb") as handle:
            return handle.read(SAMPLE_BYTES)
    with path.open("rb") as handle:
        return handle.read(SAMPLE_BYTES)


def _encoding(sample: bytes) -> tuple[str, str]:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", sample[3:].decode("utf-8", errors="replace")
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", sample.decode("utf-16", errors="replace")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        # final=False: the sample may end inside a multi-byte character.
        return "utf-8", decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        pass
    try:
        return "cp1252", sample.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1", sample.decode("latin-1")


def _delimiter(text: str) -> str:
    lines = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(lines, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def plain_arrow(frame: pd.DataFrame) -> pa.Table:
    """`frame` with the column types the DuckDB engine writes: text as `string` (not pandas'
    categoricals or `large_string`) and no pandas metadata, so either engine's Parquet
    reads back the same in any tool."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    fields = []
    for column in table.schema:
        kind = column.type
        if pa.types.is_dictionary(kind):
            kind = kind.value_type
        if pa.types.is_large_string(kind):
            kind = pa.string()
        fields.append(pa.field(column.name, kind))
    return table.cast(pa.schema(fields))


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write by extension (.csv, .parquet, .json, .jsonl), atomically."""
    fmt = WRITE_FORMATS.get(path.suffix.lower()) or ("csv" if is_stream(path) else None)
    if fmt is None:
        choices = ", ".join(WRITE_FORMATS)
        raise InputError(f"{path}: cannot tell the output format; use one of {choices}")
    with atomic_target(path) as tmp:
        if fmt == "csv":
            frame.to_csv(tmp, index=False)
        elif fmt == "parquet":
            pq.write_table(plain_arrow(frame), tmp)
        elif fmt == "json":
            frame.to_json(tmp, orient="records", indent=1, force_ascii=False)
        else:
            frame.to_json(tmp, orient="records", lines=True, force_ascii=False)
