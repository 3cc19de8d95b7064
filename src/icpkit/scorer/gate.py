"""A validation gate's verdict, shared by the backtest and the gates measured beside it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Gate:
    name: str
    passed: bool
    figure: float | None
    threshold: float | None
    detail: str
