"""Preloading a library on a second thread: the main thread gets the same module, and a
module that cannot load fails in the main thread's own import, not silently."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_the_main_thread_gets_the_module_the_preload_loaded() -> None:
    done = _run(
        "import threading\n"
        "from icpkit.cli.preload import preload\n"
        "preload('json')\n"
        "import json\n"
        "assert json.dumps([1]) == '[1]'\n"
        "print(sorted(t.name for t in threading.enumerate() if t.name.startswith('preload')))\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() in ("[]", "['preload json']")


def test_a_module_that_cannot_load_fails_where_it_is_imported() -> None:
    done = _run(
        "from icpkit.cli.preload import preload\n"
        "preload('no_such_module_anywhere')\n"
        "import no_such_module_anywhere\n"
    )
    assert done.returncode == 1
    assert "ModuleNotFoundError: No module named 'no_such_module_anywhere'" in done.stderr
    assert done.stderr.count("Traceback") == 1
