"""The throwaway PostgreSQL server (scripts/pgserver.py) and how the tests find it: a real
start and stop, and a missing server failing the engine tests unless told to skip them."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from tests import engines
from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "pgserver.py"


def _alive(pid: int) -> bool:
    # A stopped postmaster may linger as a zombie under a PID 1 that never reaps it.
    stat = Path(f"/proc/{pid}/stat")
    return stat.is_file() and stat.read_text().split(") ")[-1][:1] != "Z"


def test_start_serves_on_loopback_and_stop_leaves_nothing_running() -> None:
    spec = importlib.util.spec_from_file_location("pgserver", SCRIPT)
    assert spec and spec.loader
    pgserver = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pgserver)
    if pgserver.binaries() is None:
        if engines.skipped("postgres"):
            pytest.skip(f"PostgreSQL tests skipped: {engines.SKIP_VAR} names postgres")
        pytest.fail(pgserver.missing_reason())
    started = subprocess.run(
        [sys.executable, str(SCRIPT), "start"], capture_output=True, text=True, check=True
    )
    exports = dict(
        line.removeprefix("export ").split("=", 1) for line in started.stdout.splitlines()
    )
    url, home = (exports[name].strip("'") for name in (engines.URL_VAR, "ICPKIT_POSTGRES_DIR"))
    pid = int((Path(home) / "data" / "postmaster.pid").read_text().split()[0])
    try:
        assert url.startswith("postgresql://postgres@127.0.0.1:")
        import psycopg

        with psycopg.connect(url) as con:
            row = con.execute("SHOW listen_addresses").fetchone()
        assert row == ("127.0.0.1",)
        assert _alive(pid)
    finally:
        stopped = subprocess.run([sys.executable, str(SCRIPT), "stop", home], check=False)
    assert stopped.returncode == 0
    assert not Path(home).exists() and not _alive(pid)
    refused = subprocess.run(
        [sys.executable, str(SCRIPT), "stop", "/tmp"], capture_output=True, text=True
    )
    assert refused.returncode == 2 and "the dir `start` printed" in refused.stderr


def test_without_a_server_the_engine_tests_fail_unless_told_to_skip(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in (engines.URL_VAR, engines.SKIP_VAR, engines.REQUIRE_VAR):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(pytest.fail.Exception, match=r"scripts/dev\.py test.*pgserver\.py start"):
        engines.postgres_url()
    monkeypatch.setenv(engines.SKIP_VAR, "spark, postgres")
    with pytest.raises(pytest.skip.Exception, match="ICPKIT_SKIP_ENGINES names postgres"):
        engines.postgres_url()
    # CI: a skip asked for cannot hide a missing server.
    monkeypatch.setenv(engines.REQUIRE_VAR, "1")
    with pytest.raises(pytest.fail.Exception):
        engines.postgres_url()
    monkeypatch.setenv(engines.URL_VAR, "postgresql://postgres@127.0.0.1:1/postgres")
    assert engines.postgres_url().endswith(":1/postgres")
