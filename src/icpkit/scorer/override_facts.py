"""What an ICP's data says about its overrides, for `icp check` (pandas-free: the rules
read these figures; `scorer.override_data` reads the files, with pandas, and the command
hands its reader to the check)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from icpkit.format.model import Icp
from icpkit.project.settings import Config


@dataclass(frozen=True)
class OverrideFacts:
    # Accounts the ICP's deals and accounts files name; None: it names no such file.
    names: frozenset[str] | None = None
    sources: tuple[str, ...] = ()
    # The accounts file scored with the overrides applied: accounts on the target list
    # (good or better), and those an override put there from a lower model band.
    accounts_file: str | None = None
    target_list: int = 0
    lifted: int = 0
    # Why the files could not be read (an InputError's first line), when they could not.
    failed: str | None = None


# (the ICP, its file, the project) -> its facts: what `icp check` is given to read data.
FactsReader = Callable[[Icp, Path, Config], OverrideFacts]
