"""A throw-away PostgreSQL cluster for the tests, started by the tests themselves.

When IPOPS_TEST_POSTGRES_URL is not set and PostgreSQL's server binaries are installed
(``initdb`` and ``pg_ctl`` on PATH or under /usr/lib/postgresql/*/bin), a cluster is made in a
temporary folder, started on a free loopback port with durability off (fsync, full-page
writes: test data need none) and removed at exit. As root the server runs as the ``postgres``
OS user (PostgreSQL refuses root). Each test process (each xdist worker) has its own.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

INSTALL_HINT = "apt-get install postgresql (or set IPOPS_TEST_POSTGRES_URL)"


def server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, or None."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "pg_ctl").exists() and (folder / "initdb").exists():
            return folder
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "postgres", "--", *command]
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(command)]


def start() -> str:
    """Start a cluster and return its SQLAlchemy URL; RuntimeError with the reason if not."""
    binaries = server_binaries()
    if binaries is None:
        raise RuntimeError(f"PostgreSQL server binaries not found: {INSTALL_HINT}")
    root = Path(tempfile.mkdtemp(prefix="ipops-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    port = _free_port()
    run = subprocess.run
    done = run(
        _as_server_user(
            [str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
             "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]
        ),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {done.stderr.strip()[-300:]}")
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c full_page_writes=off -c synchronous_commit=off -c max_connections=200"
    )
    done = run(
        _as_server_user(
            [str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l",
             str(root / "server.log"), "-w", "-t", "60", "start"]
        ),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        log = (root / "server.log").read_text(errors="replace")[-300:] if root.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {done.stderr.strip()[-300:]} {log}")

    def stop() -> None:
        run(
            _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True, check=False,
        )  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)

    atexit.register(stop)
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
