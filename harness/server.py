"""The real Streamlit server on a free loopback port: started, polled until healthy, always stopped."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ServerError(RuntimeError):
    """The server exited or never answered healthy; the message ends with its log."""


def free_port() -> int:
    """A TCP port nobody listens on at the moment, on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> bool:
    """Poll Streamlit's health endpoint at url until it answers ok; False if the process died or time ran out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return True
        except OSError:
            pass
        time.sleep(0.2)  # polling an endpoint, not waiting for a page
    return False


def stop(process: subprocess.Popen) -> None:
    """Terminate a child and wait for it; kill it if it does not go within 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def streamlit_command(script: str | Path, port: int, *options: str, module: str = "streamlit") -> list[str]:
    """`python -m streamlit run SCRIPT` headless on 127.0.0.1:port, then any further `--option value` pairs.

    module is the module `python -m` runs: another one that ends in Streamlit's command line (a profiling
    wrapper, say) takes the same arguments.
    """
    return [
        sys.executable,
        "-m",
        module,
        "run",
        str(script),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        *options,
    ]


def tail(path: Path, chars: int = 2000) -> str:
    """The end of a log file ('' when there is none), for an error message."""
    return path.read_text(errors="replace")[-chars:] if path.exists() else ""


@dataclass(frozen=True)
class Server:
    """A running server: where it answers, its process and its log."""

    url: str
    port: int
    process: subprocess.Popen
    log: Path


@contextlib.contextmanager
def streamlit_server(
    script: str | Path,
    log_dir: Path,
    *,
    options: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    port: int | None = None,
    timeout: float = 90,
    module: str = "streamlit",
) -> Iterator[Server]:
    """Run `streamlit run script` from the repository root until the block ends; yields once it answers healthy.

    env is the child's whole environment (default: this process's); the log goes to log_dir/streamlit-PORT.log;
    module is what `python -m` runs (see streamlit_command).
    """
    port = port or free_port()
    log = Path(log_dir) / f"streamlit-{port}.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            streamlit_command(script, port, *options, module=module),
            cwd=ROOT,
            env=dict(os.environ if env is None else env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        if not wait_healthy(url, process, timeout):
            raise ServerError(f"streamlit run {script} did not start within {timeout:.0f} s; {log}:\n{tail(log)}")
        yield Server(url, port, process, log)
    finally:
        stop(process)
