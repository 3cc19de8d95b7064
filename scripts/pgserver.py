#!/usr/bin/env python3
"""A throwaway PostgreSQL server for the tests: in a temp dir, on 127.0.0.1, trust auth.

    eval "$(python3 scripts/pgserver.py start)"   # exports ICPKIT_POSTGRES_URL and _DIR
    python3 scripts/pgserver.py stop              # stops it, removes its temp dir

`scripts/dev.py test` imports `running()` instead, which stops the server however the
tests end. Standard library only: it runs before the venv exists. The binaries are
Debian's (`apt-get install postgresql`, /usr/lib/postgresql/<version>/bin, newest
version first) or whatever `pg_ctl` is on PATH. PostgreSQL refuses to run as root, so
under root the server runs as the `postgres` system user the package creates.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypedDict

URL_VAR = "ICPKIT_POSTGRES_URL"
DIR_VAR = "ICPKIT_POSTGRES_DIR"
DEBIAN = Path("/usr/lib/postgresql")
SYSTEM_USER = "postgres"
# A throwaway cluster: durability buys nothing and costs seconds per test run.
SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class ServerError(RuntimeError):
    """The server could not be found or started; the message says why."""


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, or None where PostgreSQL is not installed."""
    versions = sorted(
        (p for p in DEBIAN.glob("*/bin") if (p / "pg_ctl").is_file()),
        key=lambda p: _version(p.parent.name),
        reverse=True,
    )
    if versions:
        return versions[0]
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and (Path(found).parent / "initdb").is_file() else None


def missing_reason() -> str:
    return (
        f"no PostgreSQL server binaries (initdb, pg_ctl) in {DEBIAN}/*/bin or on PATH; "
        "install Debian's `postgresql` package"
    )


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


class _User(TypedDict, total=False):
    """subprocess.run's options for the user a child runs as."""

    user: str
    group: str
    extra_groups: list[str]


def _as_server_user() -> _User:
    """subprocess options that drop root to the postgres user (nothing when not root)."""
    if os.geteuid() != 0:
        return {}
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        raise ServerError(
            f"running as root, and PostgreSQL refuses root: no {SYSTEM_USER!r} system user "
            "to run it as (Debian's postgresql package creates one)"
        ) from None
    return {"user": SYSTEM_USER, "group": SYSTEM_USER, "extra_groups": []}


def _run(bin_dir: Path, tool: str, *args: str, cwd: Path) -> None:
    done = subprocess.run(
        [str(bin_dir / tool), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        **_as_server_user(),
    )
    if done.returncode != 0:
        raise ServerError(f"{tool} failed: {(done.stderr or done.stdout).strip()[-800:]}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start() -> tuple[str, Path]:
    """A new cluster in a temp dir, running: its URL and the dir `stop` takes."""
    bin_dir = binaries()
    if bin_dir is None:
        raise ServerError(missing_reason())
    home = Path(tempfile.mkdtemp(prefix="icpkit-pg-"))
    try:
        user = _as_server_user()
        if user:
            account = pwd.getpwnam(SYSTEM_USER)
            os.chown(home, account.pw_uid, account.pw_gid)
        data = home / "data"
        _run(bin_dir, "initdb", "-D", str(data), "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", cwd=home)  # fmt: skip
        url = _launch(bin_dir, home)
    except BaseException:
        stop(home)
        raise
    return url, home


def _launch(bin_dir: Path, home: Path) -> str:
    """pg_ctl start on a free loopback port (tried again if another process took it)."""
    for attempt in range(3):
        port = _free_port()
        options = [
            "-c listen_addresses=127.0.0.1",
            f"-c port={port}",
            f"-c unix_socket_directories={home}",
            *(f"-c {setting}" for setting in SETTINGS),
        ]
        try:
            _run(bin_dir, "pg_ctl", "start", "-w", "-t", "60", "-D", str(home / "data"),
                 "-l", str(home / "server.log"), "-o", " ".join(options), cwd=home)  # fmt: skip
        except ServerError:
            if attempt == 2:
                log = home / "server.log"
                tail = log.read_text(errors="replace")[-800:] if log.is_file() else ""
                raise ServerError(f"PostgreSQL did not start: {tail.strip()}") from None
            continue
        return f"postgresql://postgres@127.0.0.1:{port}/postgres"
    raise AssertionError("unreachable")


def stop(home: Path) -> None:
    """Stop the server in `home` (if it runs) and remove the dir: safe to call twice."""
    bin_dir = binaries()
    pid_file = home / "data" / "postmaster.pid"
    if bin_dir is not None and pid_file.is_file():
        try:
            _run(bin_dir, "pg_ctl", "stop", "-w", "-m", "immediate", "-D", str(home / "data"),
                 cwd=home)  # fmt: skip
        except ServerError:
            _kill(pid_file)
    shutil.rmtree(home, ignore_errors=True)


def _kill(pid_file: Path) -> None:
    # pg_ctl could not stop it: the postmaster's own pid, from its pid file.
    with suppress(OSError, ValueError, IndexError):
        os.kill(int(pid_file.read_text().split()[0]), signal.SIGQUIT)


@contextmanager
def running() -> Iterator[str]:
    """A server for the duration of the block, stopped however the block ends (an
    exception, Ctrl-C, or a SIGTERM, which is turned into SystemExit here)."""
    url, home = start()
    previous = signal.signal(signal.SIGTERM, _exit_on_term)
    try:
        yield url
    finally:
        signal.signal(signal.SIGTERM, previous)
        stop(home)


def _exit_on_term(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str]) -> int:
    if argv[:1] == ["start"] and len(argv) == 1:
        try:
            url, home = start()
        except ServerError as exc:
            print(f"pgserver: {exc}", file=sys.stderr)
            return 1
        print(f"export {URL_VAR}='{url}'")
        print(f"export {DIR_VAR}='{home}'")
        return 0
    if argv[:1] == ["stop"] and len(argv) <= 2:
        where = argv[1] if len(argv) == 2 else os.environ.get(DIR_VAR)
        if not where or not Path(where).name.startswith("icpkit-pg-"):
            print(f"pgserver: stop takes the dir `start` printed (or ${DIR_VAR})", file=sys.stderr)
            return 2
        stop(Path(where))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
