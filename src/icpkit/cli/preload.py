"""Load a heavy library on a second thread while the command reads its files.

`icp backtest` always needs scipy.stats (Wilson intervals, Kaplan-Meier), whose import
costs about half a second of pure Python. Reading and parsing the CSV files happens in
pyarrow's C++ with the interpreter lock released, so the two overlap instead of adding up.
The import lock makes the main thread wait for a half-done import, never run it twice.
"""

from __future__ import annotations

import contextlib
import importlib
import threading


def preload(name: str) -> None:
    """Start importing module `name` in the background; a failure is left for the main
    thread's own import to raise, with its real traceback."""
    threading.Thread(target=_load, args=(name,), name=f"preload {name}", daemon=True).start()


def _load(name: str) -> None:
    with contextlib.suppress(Exception):
        importlib.import_module(name)
