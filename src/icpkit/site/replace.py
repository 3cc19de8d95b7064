"""Putting a new site in place of the old one so that a kill or a second build loses neither.

Every build of a site folder holds a lock file beside it, builds into a staging folder
beside it and swaps that in; what a killed build leaves is named after the folder (and
git-ignored by the `.*.icpkit-*` line `icp init` writes) and cleaned by the next build.
"""

from __future__ import annotations

import ctypes
import glob
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from icpkit.fileio import exclusive_lock

STAGING = ".icpkit-staging-"
ASIDE = ".icpkit-old-"
LOCK = ".icpkit-lock"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@contextmanager
def staging_for(target: Path) -> Iterator[Path]:
    """A fresh staging folder beside `target`, with the build lock held until the block ends.

    A second build of the same folder waits here; leftovers of killed builds are removed
    first (with the lock held, nothing else can be using them). The folder is removed at
    the end unless `swap_in` put it in place.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(target.parent / f".{target.name}{LOCK}"):
        _recover(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING}", dir=target.parent))
        try:
            yield staging
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def swap_in(staging: Path, target: Path) -> None:
    """Replace `target` by `staging`; at every instant one of the two sites is whole.

    Linux exchanges the two folders in one step. Elsewhere the old one is renamed aside,
    the new one renamed in, and only then the old one deleted: a kill between the two
    renames leaves no `target`, and the next build puts the one aside back first.
    """
    if not target.exists():
        staging.rename(target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging)  # it now holds the old site
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}{ASIDE}", dir=target.parent))
    target.rename(aside / target.name)
    staging.rename(target)
    shutil.rmtree(aside)


def _recover(target: Path) -> None:
    """Put back a site a killed build had renamed aside, then delete all leftovers."""
    prefix = f".{glob.escape(target.name)}"
    aside = sorted(
        target.parent.glob(f"{prefix}{ASIDE}*/{glob.escape(target.name)}"),
        key=lambda p: p.stat().st_mtime,
    )
    if aside and not target.exists():
        aside[-1].rename(target)
    for pattern in (f"{prefix}{STAGING}*", f"{prefix}{ASIDE}*"):
        for stale in target.parent.glob(pattern):
            shutil.rmtree(stale, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2; False where that is not available."""
    if sys.platform != "linux":
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except AttributeError:  # a C library older than glibc 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes.append(ctypes.c_uint)
    done = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return bool(done == 0)  # EINVAL or ENOSYS: this file system cannot; rename instead
