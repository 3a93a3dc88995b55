"""A throwaway PostgreSQL with PostGIS for the store tests: Debian's binaries, a temp folder.

Why not a running system service: the tests must not depend on one, nor touch its data.
:func:`start` makes a cluster in a new folder, starts it on a free 127.0.0.1 port (its socket
in that folder too) and makes a database with PostGIS; :meth:`Server.stop` removes it all.
Anything missing raises :class:`Unavailable` with the reason, which the fixture turns into a
skip. As root, initdb refuses to run, so the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

DATABASE = "conflictmap_test"


class Unavailable(Exception):
    """Why no server could be started (the tests skip with it)."""


@dataclass
class Server:
    folder: Path
    bindir: Path
    port: int
    user: str | None  # the user the server runs as, when not ourselves

    def url(self, database: str = DATABASE) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        _run(self, "pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop",
             check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def _bindir() -> Path:
    found = []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        found.append(out.stdout.strip())
    found += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in found:
        if folder and (Path(folder) / "initdb").is_file():
            return Path(folder)
    raise Unavailable("no PostgreSQL server binaries (initdb) found; apt-get install postgresql")


def _run(server: Server, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    command = [str(server.bindir / tool), *args]
    if server.user:
        command = ["runuser", "-u", server.user, "--", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if check and done.returncode != 0:
        detail = " ".join((done.stderr or done.stdout).split())[-300:]
        raise Unavailable(f"{tool} failed: {detail}")
    return done


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start() -> Server:
    """A new cluster, running, with database DATABASE holding the postgis extension."""
    try:
        import psycopg
    except ImportError:
        raise Unavailable('psycopg is not installed; pip install -e ".[test]"') from None
    bindir = _bindir()
    user = None
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            raise Unavailable("running as root and runuser is missing (initdb refuses root)")
        user = "postgres"
    folder = Path(tempfile.mkdtemp(prefix="conflictmap-pg-"))
    if user:
        shutil.chown(folder, user)
    server = Server(folder, bindir, free_port(), user)
    try:
        data = str(folder / "data")
        _run(server, "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
             "--no-sync", "--locale=C")
        options = f"-c listen_addresses=127.0.0.1 -p {server.port} -k {folder} -c fsync=off"
        _run(server, "pg_ctl", "-D", data, "-o", options, "-l", str(folder / "log"), "-w", "start")
        with psycopg.connect(server.url("postgres"), autocommit=True) as con:
            con.execute(f"CREATE DATABASE {DATABASE}")
        with psycopg.connect(server.url(), autocommit=True) as con:
            try:
                con.execute("CREATE EXTENSION postgis")
            except psycopg.Error as e:
                raise Unavailable(f"PostGIS is not installed ({' '.join(str(e).split())}); "
                                  "apt-get install postgresql-15-postgis-3") from None
    except BaseException:
        server.stop()
        raise
    return server
