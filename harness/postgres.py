"""A throw-away PostgreSQL server on loopback, for the snapshot store's tests and benchmarks.

Uses the machine's PostgreSQL binaries (Debian: `apt-get install postgresql`; .ci/run installs it).
The cluster lives in a temporary folder, listens on 127.0.0.1 on a free port with password (SCRAM)
authentication, and is removed on exit. PostgreSQL refuses to run as root, so as root the cluster is
owned by and run as the `postgres` system user that Debian's package creates.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from harness.server import free_port

MISSING = "PostgreSQL is not installed (apt-get install postgresql); CI installs it"
USER = "songiang"
PASSWORD = "mật-khẩu thử 42"  # non-ASCII and a space: the URL must be quoted correctly


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(versions[-1]).parent if versions else None


@contextlib.contextmanager
def server() -> Iterator[str]:
    """Start a fresh cluster and yield its URL: postgresql://songiang:…@127.0.0.1:PORT/postgres."""
    from urllib.parse import quote

    bindir = binaries()
    if bindir is None:
        raise RuntimeError(MISSING)
    as_root = os.geteuid() == 0
    run_as: list[str] = ["runuser", "-u", "postgres", "--"] if as_root else []
    home = Path(tempfile.mkdtemp(prefix="songiang-pg-"))
    if as_root:
        entry = pwd.getpwnam("postgres")
        os.chown(home, entry.pw_uid, entry.pw_gid)
    data, password_file = home / "data", home / "password"
    password_file.write_text(PASSWORD)
    if as_root:
        os.chown(password_file, entry.pw_uid, entry.pw_gid)
    port = free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "check": True}
    try:
        subprocess.run(
            [
                *run_as,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                USER,
                f"--pwfile={password_file}",
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
            ],
            **quiet,
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {home} -c fsync=off -c full_page_writes=off"
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(home / "log"), "-w", "start"], **quiet)
        try:
            yield f"postgresql://{USER}:{quote(PASSWORD, safe='')}@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True, check=False)
    finally:
        shutil.rmtree(home, ignore_errors=True)
