"""Reading account and deal tables as CRMs export them, and writing scored tables back.

CSV delimiter and encoding are sniffed (Excel writes `;` and cp1252 in much of Europe),
a BOM is honoured, compressed exports (`.csv.zip`, `.csv.gz`) and Excel workbooks
(`.xlsx`, see `excel`) are read as they come.
Every cell is read as text: the scorer decides what is a number, so an account id such
as `00123` keeps its zeros and a literal `None` stays a value the mapping can name.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from icpkit.bounds import COMPRESSED, InputLimits, check_archive, clip, open_input
from icpkit.errors import InputError
from icpkit.fileio import atomic_target
from icpkit.scorer.excel import is_excel, read_excel, split_sheet

SAMPLE_BYTES = 64 * 1024
# Arrow-backed text with NA: string methods run natively instead of once per row in Python.
TEXT_DTYPE = pd.StringDtype("pyarrow")
WRITE_FORMATS = {".csv": "csv", ".parquet": "parquet", ".json": "json", ".jsonl": "jsonl"}
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
    while suffixes and suffixes[-1] in COMPRESSED:
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


def read_table(path: Path, limits: InputLimits | None = None) -> Table:
    """Read CSV, Excel, Parquet, JSON records or JSON Lines (by extension; CSV otherwise).
    `limits` bound what a compressed input may hold (see `icpkit.bounds`)."""
    if not table_exists(path):
        raise InputError(f"data file not found: {split_sheet(path)[0]}")
    limits = limits or InputLimits()
    fmt = table_format(path)
    header_row = 1
    notes: tuple[str, ...] = ()
    try:
        if fmt == "excel":
            frame, header_row, notes = _read_excel(path, limits)
        elif fmt == "parquet":
            frame = _read_parquet(path, limits)
        elif fmt in ("json", "jsonl"):
            frame = _read_json(path, limits, lines=fmt == "jsonl")
        else:
            frame, notes = _read_csv(path, limits)
    except InputError:
        raise
    except (ValueError, OSError, EOFError, pd.errors.ParserError) as exc:
        raise InputError(f"{path}: cannot read as {fmt}: {_first_line(exc)}") from None
    if frame.empty and not len(frame.columns):
        raise InputError(f"{path}: the file has no columns")
    frame.columns = [str(c).strip() for c in frame.columns]
    check_header(path, list(frame.columns))
    return Table(frame, path, notes, header_row)


def check_header(path: Path, names: Sequence[str]) -> None:
    """Columns are found by name, so two columns with one name (once trimmed: `Name ,Name`)
    leave no way to tell which one a field reads."""
    seen: dict[str, int] = {}
    for number, name in enumerate(names, start=1):
        key = str(name).strip()
        if key in seen:
            raise InputError(
                f"{path}: columns {seen[key]} and {number} are both named {clip(key)!r}; "
                "rename one in the file"
            )
        seen[key] = number


def _read_excel(path: Path, limits: InputLimits) -> tuple[pd.DataFrame, int, tuple[str, ...]]:
    check_archive(split_sheet(path)[0], limits)
    frame, header_row, notes = read_excel(path)
    if len(frame) > limits.max_rows:
        raise limits.too_many_rows(path)
    return frame.astype(TEXT_DTYPE), header_row, notes


def _read_parquet(path: Path, limits: InputLimits) -> pd.DataFrame:
    # The footer says what the file holds before any of it is decompressed.
    parquet_header(path)
    metadata = pq.ParquetFile(path).metadata
    if metadata.num_rows > limits.max_rows:
        raise limits.too_many_rows(path)
    size = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    if size > limits.max_bytes:
        raise limits.too_many_bytes(path)
    return pd.read_parquet(path)


def _read_json(path: Path, limits: InputLimits, *, lines: bool) -> pd.DataFrame:
    with open_input(path, limits) as handle:
        frame = pd.read_json(handle, lines=lines, dtype=False, encoding="utf-8")
    for column in frame.columns:
        if not pd.api.types.is_object_dtype(frame[column]):
            continue
        nested = frame[column].map(lambda cell: isinstance(cell, dict | list))
        if nested.any():
            row = int(nested.to_numpy().argmax()) + 1
            kind = "an object" if isinstance(frame[column].iloc[row - 1], dict) else "a list"
            raise InputError(
                f"{path}: record {row}, field {clip(str(column))!r} holds {kind}: icpkit reads "
                "flat records, one value per field (join a list with the list separator)"
            )
    return frame


def _read_csv(path: Path, limits: InputLimits) -> tuple[pd.DataFrame, tuple[str, ...]]:
    sample = check_sample(path, _sample(path, limits))
    wide = sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    encoding, text = _encoding(sample)
    notes = [] if encoding in ("utf-8", "utf-8-sig") else [f"read as {encoding}"]
    delimiter = _delimiter(text)
    # pandas renames a repeated name (`a`, `a.1`): the header as written says it repeats.
    check_header(path, csv_header(text, delimiter))
    options: dict[str, Any] = {
        "sep": delimiter, "encoding": encoding, "dtype": TEXT_DTYPE, "keep_default_na": False
    }  # fmt: skip
    try:
        with open_input(path, limits, text=not wide) as handle:
            frame = pd.read_csv(handle, na_values=[""], engine="pyarrow", **options)
    except (pd.errors.ParserError, ValueError):
        # The C engine names the line of a ragged row; pyarrow's message does not.
        with open_input(path, limits, text=not wide) as handle:
            frame = pd.read_csv(handle, **options)
    return frame, tuple(notes)


def check_sample(path: Path, sample: bytes) -> bytes:
    """`sample`, the first bytes of a file named as CSV, unless they say it is something else
    (both engines refuse the same files, before either parses one)."""
    if not sample.strip():
        raise InputError(f"{path}: the file is empty")
    if sample.startswith(b"PK\x03\x04") and _is_workbook(path):
        raise InputError(f"{path}: not a CSV file: it is an Excel workbook (name it .xlsx)")
    for magic, what in _MAGIC.items():
        if sample.startswith(magic):
            raise InputError(f"{path}: not a CSV file: it is {what}")
    wide = sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in sample and not wide:
        raise InputError(f"{path}: not a CSV file: it holds binary data")
    return sample


def csv_header(text: str, delimiter: str) -> list[str]:
    """The names in the first line of `text`, as written."""
    return next(csv.reader(io.StringIO(text), delimiter=delimiter), [])


def parquet_header(path: Path) -> None:
    """A Parquet file's columns, read from its footer: named once each, and flat."""
    try:
        schema = pq.read_schema(path)
    except (ValueError, OSError) as exc:
        raise InputError(f"{path}: cannot read as parquet: {_first_line(exc)}") from None
    check_header(path, schema.names)
    for field in schema:
        if pa.types.is_nested(field.type):
            # As in JSON: a list or struct cell has no one value a rule could compare.
            raise InputError(
                f"{path}: column {clip(field.name)!r} holds {field.type}: icpkit reads flat "
                "columns, one value per cell (join a list with the list separator)"
            )


def _is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _sample(path: Path, limits: InputLimits | None = None) -> bytes:
    """The first bytes, decompressed: what the format, encoding and delimiter are told by."""
    with open_input(path, limits, text=False) as handle:
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
    fmt = WRITE_FORMATS.get(path.suffix.lower())
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
