"""icpkit: Ideal Customer Profiles as code.

Library entry points (keyword-only options, no printing):

- `icpkit.check(paths) -> Report`: run every rule over ICP files.
- `icpkit.load_icp(path) -> Icp`: load one valid ICP, or raise `InputError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from icpkit.api import load_icp
    from icpkit.checks.runner import Report, check

__all__ = ["Report", "__version__", "check", "load_icp"]


def __getattr__(name: str) -> Any:
    # Lazy, so `import icpkit` stays cheap for commands that never check.
    if name in ("check", "Report"):
        from icpkit.checks import runner

        return getattr(runner, name)
    if name == "load_icp":
        from icpkit.api import load_icp

        return load_icp
    raise AttributeError(name)
