"""Every renderer, keyed by the result type it renders and the format's name.

A reporter module registers its renderers when it is imported; a command offers
`--format` choices from `formats_for(ResultType)`, so it offers exactly the formats its
result has, and `render(result, fmt)` finds the renderer by the result's type.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

Renderer = Callable[..., str]

# The reporter modules besides the package's own (which registers `icp check`'s Report),
# each with the result types it renders. A module is imported the first time one of its
# types is asked for, so that `icp check` never loads the backtest's renderers (or
# pandas), nor the backtest those of suggest; a test keeps the types equal to what each
# module registers. A type named by none loads them all.
MODULES = {
    "icpkit.reporters.backtest": ("icpkit.scorer.run.BacktestRun",),
    "icpkit.reporters.coverage": ("icpkit.scorer.coverage.Coverage",),
    "icpkit.reporters.diff": ("icpkit.diff.run.DiffReport",),
    "icpkit.reporters.explain": ("icpkit.scorer.explain.Explanation",),
    "icpkit.reporters.history": ("icpkit.diff.history.HistoryView",),
    "icpkit.reporters.rules": ("icpkit.reporters.rules.RuleCatalogue", "icpkit.checks.rule.Rule"),
    "icpkit.reporters.suggest": ("icpkit.suggest.run.Suggestion",),
}

_RENDERERS: dict[type, dict[str, Renderer]] = {}


def register(result: type, fmt: str, renderer: Renderer) -> None:
    """Render `result` values in format `fmt` with `renderer(value, **options) -> str`."""
    formats = _RENDERERS.setdefault(result, {})
    if fmt in formats:
        raise ValueError(f"{result.__name__} already has a {fmt!r} renderer")
    formats[fmt] = renderer


def formats_for(result: type) -> tuple[str, ...]:
    """The format names `result` values can be rendered in, in registration order (a
    subclass offers its own formats and those of the types it extends, as it renders them)."""
    _load(result)
    names: dict[str, None] = {}
    for kind in result.__mro__:
        names.update(dict.fromkeys(_RENDERERS.get(kind, {})))
    return tuple(names)


def renderer_for(result: type, fmt: str) -> Renderer:
    _load(result)
    for kind in result.__mro__:
        if fmt in _RENDERERS.get(kind, {}):
            return _RENDERERS[kind][fmt]
    choices = ", ".join(formats_for(result)) or "none"
    raise LookupError(f"no {fmt!r} renderer for {result.__name__} (formats: {choices})")


def render(result: object, fmt: str, **options: Any) -> str:
    return renderer_for(type(result), fmt)(result, **options)


def _load(result: type) -> None:
    if not any(kind in _RENDERERS for kind in result.__mro__):
        kinds = {f"{kind.__module__}.{kind.__qualname__}" for kind in result.__mro__}
        named = [name for name, types in MODULES.items() if kinds.intersection(types)]
        for name in named or MODULES:
            importlib.import_module(name)
