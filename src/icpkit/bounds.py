"""Input files read within bounds: a compressed export cannot decompress into all memory.

A 3 MB `.csv.gz` can hold gigabytes of text, and a damaged or sparse export can hold
megabytes of NUL bytes after a normal first page. Every text input is read through
`Guard`, which counts what passes while pandas reads it (nothing is read twice and
nothing is held), so the check costs one pass and memory stays what the reader needs.
The caps apply to compressed inputs only (plain files are the size they show on disk);
`max-input-bytes` and `max-rows` in `[tool.icp]` raise them.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from icpkit.errors import InputError

DEFAULT_MAX_INPUT_BYTES = 1024**3
DEFAULT_MAX_ROWS = 10_000_000
COMPRESSED = (".zip", ".gz", ".bz2", ".xz")
# What a damaged archive raises while it is read (gzip.BadGzipFile is an OSError).
DECOMPRESSION_ERRORS = (EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile, OSError)
_CHUNK = 1024 * 1024
_SETTINGS = "[tool.icp] (pyproject.toml or icp.toml)"


@dataclass(frozen=True)
class InputLimits:
    """How much a compressed input may hold once decompressed: bytes, and lines or rows."""

    max_bytes: int = DEFAULT_MAX_INPUT_BYTES
    max_rows: int = DEFAULT_MAX_ROWS

    def too_many_bytes(self, path: Path | str) -> InputError:
        return InputError(
            f"{path}: more than {self.max_bytes:,} bytes once decompressed; if the file is "
            f"genuine, raise max-input-bytes in {_SETTINGS}"
        )

    def too_many_rows(self, path: Path | str) -> InputError:
        return InputError(
            f"{path}: more than {self.max_rows:,} rows once decompressed; if the file is "
            f"genuine, raise max-rows in {_SETTINGS}"
        )


def clip(value: object, limit: int = 40) -> str:
    """A value from an input file as a message quotes it: enough to find it in the file,
    never a whole line of it (a file named by mistake, or on purpose, is not echoed)."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def is_compressed(path: Path) -> bool:
    return path.suffix.lower() in COMPRESSED


class Guard(io.RawIOBase):
    """A readable stream that counts bytes and lines as they pass, refusing NUL bytes
    (text files have none) and, when `limits` is given, more than the limits allow.

    It never raises into its reader: pyarrow reads on its own threads, and an exception
    thrown there aborts the process. A refusal (or a decompression error) is kept in
    `error` and the stream ends; `open_input` raises it once the reader returns."""

    def __init__(
        self, raw: IO[bytes], path: Path, limits: InputLimits | None, *, text: bool = True
    ) -> None:
        super().__init__()
        self._raw = raw
        self._path = path
        self._limits = limits
        self._text = text
        self.bytes = 0
        self.lines = 0
        self.error: BaseException | None = None

    def readable(self) -> bool:
        return True

    # RawIOBase types `buffer` as any writable buffer; io and pyarrow pass a memoryview or
    # a bytearray, the two that take the slice assignment below.
    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self.error is not None:
            return 0
        try:
            data = self._raw.read(len(buffer))
        except DECOMPRESSION_ERRORS as exc:
            self.error = exc
            return 0
        self.error = self._refusal(data)
        if self.error is not None:
            return 0
        buffer[: len(data)] = data
        return len(data)

    def _refusal(self, data: bytes) -> InputError | None:
        if self._text and b"\x00" in data:
            line = self.lines + data.count(b"\n", 0, data.index(b"\x00")) + 1
            return InputError(
                f"{self._path}: line {line} holds a NUL byte: not a text file (binary data "
                "or a damaged export)"
            )
        self.bytes += len(data)
        self.lines += data.count(b"\n")
        if self._limits is not None:
            if self.bytes > self._limits.max_bytes:
                return self._limits.too_many_bytes(self._path)
            if self.lines > self._limits.max_rows:
                return self._limits.too_many_rows(self._path)
        return None


@contextmanager
def open_input(
    path: Path, limits: InputLimits | None = None, *, text: bool = True
) -> Iterator[IO[bytes]]:
    """The file's bytes, decompressed by its extension, through a `Guard`. A refusal, or a
    damaged archive (truncated, bad CRC), is an `InputError` naming the file, raised in
    place of whatever the reader made of the stream's early end."""
    limits = limits or InputLimits()
    try:
        with ExitStack() as stack:
            raw = stack.enter_context(_open_raw(path, limits))
            capped = limits if is_compressed(path) else None
            guard = Guard(raw, path, capped, text=text)
            try:
                yield stack.enter_context(io.BufferedReader(guard, _CHUNK))
            except Exception:
                if guard.error is None:
                    raise
            if guard.error is not None:
                raise guard.error
    except InputError:
        raise
    except DECOMPRESSION_ERRORS as exc:
        what = "decompress" if is_compressed(path) else "read"
        raise InputError(f"{path}: cannot {what} it: {_reason(exc)}") from None


def scan(path: Path, limits: InputLimits | None = None) -> None:
    """Read the file through to its end, for readers that open it themselves (DuckDB)."""
    with open_input(path, limits) as handle:
        while handle.read(_CHUNK):
            pass


@contextmanager
def _open_raw(path: Path, limits: InputLimits) -> Iterator[IO[bytes]]:
    suffix = path.suffix.lower()
    if suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            members = [i for i in archive.infolist() if not i.is_dir()]
            if len(members) != 1:
                raise InputError(f"{path}: a zip must hold exactly one file, not {len(members)}")
            if members[0].file_size > limits.max_bytes:
                raise limits.too_many_bytes(path)
            with archive.open(members[0]) as member:
                yield member
        return
    with ExitStack() as stack:
        if suffix == ".gz":
            # typeshed types gzip.open's result as GzipFile | TextIOWrapper whatever the
            # mode; "rb" gives a GzipFile, a binary file like the others.
            yield stack.enter_context(gzip.open(path, "rb"))  # type: ignore[arg-type]
        elif suffix == ".bz2":
            yield stack.enter_context(bz2.open(path, "rb"))
        elif suffix == ".xz":
            yield stack.enter_context(lzma.open(path, "rb"))
        else:
            yield stack.enter_context(path.open("rb"))


def check_archive(path: Path, limits: InputLimits | None = None) -> None:
    """A zip-based file (an Excel workbook) whose members claim more than the cap."""
    limits = limits or InputLimits()
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: the reader says what it is
    if total > limits.max_bytes:
        raise limits.too_many_bytes(path)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    if isinstance(exc, EOFError) or "end-of-stream" in text:
        return "it is truncated (the download or copy did not finish)"
    return text.splitlines()[0] if text else type(exc).__name__
