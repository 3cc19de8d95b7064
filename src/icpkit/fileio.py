"""Writing files so that a crash or a full disk never leaves half a file behind."""

from __future__ import annotations

import errno
import glob
import os
import stat
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

TEMP_MARK = ".icpkit-tmp-"  # in every temporary file's name, so .gitignore and sweeps know it
# Names of the process's own descriptors: behind them may be a terminal, a pipe or the file
# a shell redirected to, and replacing that file would lose what the shell writes after.
_DESCRIPTORS = (("dev", "stdout"), ("dev", "stderr"), ("dev", "fd"))


def atomic_write_text(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`.

    A device or FIFO (`-o /dev/stdout`) is written as it is, and a symlink stays a symlink:
    the file it points to is the one replaced.
    """
    with named_errors(path):
        final = destination(path)
        if final is None:
            with path.open("w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            return
        with _temporary(final) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())


def atomic_write_all(files: Mapping[Path, str]) -> None:
    """Write several files all or none: each is written in full (and synced) to a temporary
    file beside it, and only once every one is written are they renamed into place. A write
    that fails (a full disk, a folder without permission) leaves none of them."""
    for path in files:
        # A rename onto a folder fails only once others may be renamed: refuse it first.
        final = destination(path)
        if final is not None and final.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    with ExitStack() as stack:
        for path, text in files.items():
            tmp = stack.enter_context(atomic_target(path))
            with named_errors(path), tmp.open("w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())


@contextmanager
def named_errors(path: Path) -> Iterator[None]:
    """An OSError of a write names the file asked for, not a temporary one or none at all
    (`No space left on device` alone does not say which output failed)."""
    try:
        yield
    except OSError as exc:
        if exc.filename is not None and Path(exc.filename) == path:
            raise
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None


@contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` for a writer that wants a file name (Parquet, CSV).

    Renamed over `path` only when the block finishes; removed if it raises. The writer must
    write into that file, not rename another over it. A device or FIFO is given as it is.
    """
    with named_errors(path):
        final = destination(path)
        if final is None:
            yield path
            return
        with _temporary(final) as tmp:
            yield tmp


def destination(path: Path) -> Path | None:
    """The regular file a write to `path` replaces, or None when `path` must be written as is.

    Replacing a device, a FIFO or a descriptor (`/dev/stdout`, `/proc/self/fd/1`) would
    swallow the output, or as root break the device for everyone; replacing a symlink would
    turn it into a copy. So those are written through, and a link's target is replaced.
    """
    hop = _normal(path)
    for _ in range(40):  # the kernel's own limit on links followed
        if hop.parts[1:2] == ("proc",) or hop.parts[1:3] in _DESCRIPTORS:
            return None
        if not hop.is_symlink():
            break
        hop = _normal(hop.parent / hop.readlink())
    try:
        kind = hop.stat().st_mode
    except OSError:
        kind = stat.S_IFREG  # a new file (a dangling link creates its target, as `>` does)
    if stat.S_ISCHR(kind) or stat.S_ISFIFO(kind) or stat.S_ISSOCK(kind) or stat.S_ISBLK(kind):
        return None
    return Path(os.path.realpath(hop))  # never raises on a link loop, unlike resolve()


def _normal(path: Path) -> Path:
    return Path(os.path.normpath(path.absolute()))


def is_stream(path: Path) -> bool:
    """True for outputs written as they are: devices, FIFOs, `/dev/stdout`."""
    return destination(path) is None


@contextmanager
def _temporary(final: Path) -> Iterator[Path]:
    final.parent.mkdir(parents=True, exist_ok=True)
    _sweep(final)
    fd, tmp = _locked_temp(final)
    try:
        yield tmp
        tmp.chmod(target_mode(final))
        tmp.replace(final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)  # releases the lock that told sweeps this file is alive


def _locked_temp(final: Path) -> tuple[int, Path]:
    """A new temporary file, locked for as long as its descriptor stays open."""
    while True:
        fd, name = tempfile.mkstemp(prefix=f".{final.name}{TEMP_MARK}", dir=final.parent)
        lock_exclusive(fd)
        try:
            if os.path.samestat(os.fstat(fd), Path(name).stat()):
                return fd, Path(name)
        except FileNotFoundError:
            pass
        # Another run's sweep locked it in the instant before this one did and removed it.
        os.close(fd)


def _sweep(final: Path) -> None:
    """Remove temporary files beside `final` that killed runs left; live ones are locked."""
    for stale in final.parent.glob(f".{glob.escape(final.name)}{TEMP_MARK}*"):
        try:
            fd = os.open(stale, os.O_RDONLY)
        except OSError:
            continue
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode) and try_lock_exclusive(fd):
                stale.unlink(missing_ok=True)
        finally:
            os.close(fd)


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file `path` (created if missing); others wait for it.

    The file is left in place: removing a lock file lets two runs lock different files.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        lock_exclusive(fd)
        yield
    finally:
        os.close(fd)


if sys.platform == "win32":  # pragma: no cover - icpkit is tested on POSIX only

    def lock_exclusive(fd: int) -> None:
        """Windows has no advisory whole-file lock: runs are not serialised there."""

    def try_lock_exclusive(fd: int) -> bool:
        return False  # so nothing is ever swept: an open file cannot be deleted anyway

else:
    import fcntl

    def lock_exclusive(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def try_lock_exclusive(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


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
