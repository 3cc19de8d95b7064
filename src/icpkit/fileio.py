"""Writing files so that a crash or a full disk never leaves half a file behind."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def atomic_write_text(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(target_mode(path))
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` for a writer that wants a file name (Parquet, CSV).

    Renamed over `path` only when the block finishes; removed if it raises.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        Path(tmp).chmod(target_mode(path))
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def target_mode(path: Path, *, directory: bool = False) -> int:
    """The mode `path` should get: its own when it exists, else what open() would give.

    mkstemp and mkdtemp create 0600 files and 0700 folders (right for secrets, wrong for a
    scored table or a site that a team or a web server reads), so the rename must not carry
    that mode over the file it replaces.
    """
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return (0o777 if directory else 0o666) & ~_umask()


def _umask() -> int:
    # The only portable way to read the umask is to set it; restore it at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
