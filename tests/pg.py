"""A throwaway PostgreSQL cluster on 127.0.0.1 for DuckLake tests and the benchmark.

``running_postgres()`` runs ``initdb`` in a fresh temporary folder, starts the server on a free
loopback port (no Unix socket outside that folder, trust auth on loopback only), creates one
database, yields its libpq conninfo and stops and deletes the cluster afterwards. PostgreSQL
refuses to run as root, so when we are root every server command runs as the ``postgres`` user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SERVER_USER = "postgres"  # the Debian package's system user
START_ATTEMPTS = 3  # a free port can be taken between choosing it and binding it


def postgres_bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb, or None."""
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if not found:
        return None
    return Path(max(found, key=lambda p: int(Path(p).parts[-3].split(".")[0]))).parent


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(args: list[str]) -> list[str]:
    """Prefix a command so it runs unprivileged when we are root."""
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", SERVER_USER, "--", *args]


def _run(args: list[str]) -> None:
    """Run one server command; raise with its output when it fails."""
    done = subprocess.run(_as_server_user(args), check=False, capture_output=True, text=True,
                          timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stdout}{done.stderr}")


def _make_root() -> Path:
    """A temporary folder the server user owns (under /tmp, which every user can traverse)."""
    root = Path(tempfile.mkdtemp(prefix="axnews-pg-", dir="/tmp"))
    if os.geteuid() == 0:
        entry = pwd.getpwnam(SERVER_USER)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    return root


def _start(bin_dir: Path, data: Path, root: Path) -> int:
    """Start the server on a free loopback port; return the port."""
    last: Exception | None = None
    for _ in range(START_ATTEMPTS):
        port = free_port()
        options = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={root} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=100")
        try:
            _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"),
                  "-o", options, "-w", "-t", "30", "start"])
            return port
        except RuntimeError as exc:
            last = exc
    raise RuntimeError(f"could not start PostgreSQL: {last}")


def conninfo_fields(conninfo: str) -> dict[str, str]:
    """Parse a simple key=value libpq conninfo (no quoted values)."""
    return dict(part.split("=", 1) for part in conninfo.split())


def create_database(conninfo: str, dbname: str) -> str:
    """Create another database on the cluster of `conninfo`; return its conninfo."""
    bin_dir = postgres_bin_dir()
    fields = conninfo_fields(conninfo)
    _run([str(bin_dir / "createdb"), "-h", fields["host"], "-p", fields["port"], "-U",
          fields["user"], dbname])
    return " ".join(f"{k}={dbname if k == 'dbname' else v}" for k, v in fields.items())


@contextmanager
def running_postgres(dbname: str = "axnews") -> Iterator[str]:
    """Yield the conninfo of a fresh database on a private cluster; stop and delete it after."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed: run scripts/install-postgres.sh")
    root = _make_root()
    data = root / "data"
    started = False
    try:
        _run([str(bin_dir / "initdb"), "-D", str(data), "-U", SERVER_USER, "--auth=trust",
              "-E", "UTF8", "--locale=C", "--no-sync"])
        port = _start(bin_dir, data, root)
        started = True
        _run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", SERVER_USER,
              dbname])
        yield f"dbname={dbname} host=127.0.0.1 port={port} user={SERVER_USER}"
    finally:
        if started:
            _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(root, ignore_errors=True)
