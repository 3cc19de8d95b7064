"""What every browser test of the site shares: a built site served on loopback, the
system's Chromium launched through Playwright, and poppler's tools for printed pages.

The browser is Debian's `chromium` (which `.ci/run` installs), never a downloaded one.
Without it, or without poppler-utils, a test is skipped, unless ICPKIT_REQUIRE_BROWSER=1
(set by `.ci/run`) makes that a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

# As root, Chromium needs --no-sandbox; the rest stop it calling Google's services,
# which a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRED = "ICPKIT_REQUIRE_BROWSER"


def _missing(what: str, install: str) -> None:
    if os.environ.get(REQUIRED) == "1":
        pytest.fail(f"{what} not found, and {REQUIRED}=1 requires it ({install})")
    pytest.skip(f"{what} not installed ({install})")


def chromium() -> str:
    found = os.environ.get("ICPKIT_CHROMIUM") or shutil.which("chromium")
    found = found or shutil.which("chromium-browser")
    if not found:
        _missing("Chromium", "apt-get install chromium")
    assert found is not None
    return found


def poppler(tool: str, *args: str) -> str:
    """What poppler's `tool` (pdfinfo, pdftotext) prints for `args`."""
    found = shutil.which(tool)
    if found is None:
        _missing(tool, "apt-get install poppler-utils")
    assert found is not None
    done = subprocess.run([found, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves files without a log line per request in the test output."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving(folder: Path, handler: type[Quiet] = Quiet) -> Iterator[str]:
    """`folder` served on a free loopback port: its base URL, for as long as the block runs."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@contextmanager
def launched() -> Iterator[Any]:
    """A headless system Chromium, closed when the block ends."""
    executable = chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshots(default: Path, variable: str = "ICPKIT_SCREENSHOTS") -> Path:
    """Where screenshots and PDFs go: $ICPKIT_SCREENSHOTS when set, else `default`."""
    folder = Path(os.environ.get(variable) or default)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
