"""nginx with deploy/'s own site file in front of a running app, on a free loopback port, always stopped.

The configuration is the one `make serve` writes (deploy/serve.py's local_site and nginx_conf: only the
listen address, the app's port and the cache folder differ from production), so a benchmark through this
proxy measures the production path, and a baseline page behind it gets exactly the same treatment.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

from harness.server import ServerError, free_port, stop, tail, wait_healthy

MISSING = "nginx is not installed (apt-get install nginx); CI installs it"


def nginx_binary() -> str | None:
    """Debian's nginx, or None when it is not installed."""
    from deploy.serve import nginx_binary as found

    return found()


@contextlib.contextmanager
def nginx_proxy(app_port: int, workdir: Path, *, timeout: float = 15) -> Iterator[str]:
    """Run nginx in front of the app on 127.0.0.1:app_port until the block ends; yields its URL once it answers healthy."""
    from deploy.serve import SITE, brotli_module, local_site, nginx_conf

    nginx = nginx_binary()
    if nginx is None:
        raise ServerError(MISSING)
    workdir = Path(workdir).resolve()
    (workdir / "tmp").mkdir(parents=True, exist_ok=True)
    port = free_port()
    site = local_site(SITE.read_text(), port=port, app_port=app_port, cache=workdir / "cache")
    conf = workdir / "nginx.conf"
    conf.write_text(nginx_conf(site, workdir, brotli=brotli_module(), run_as_root=os.geteuid() == 0))
    process = subprocess.Popen(
        [nginx, "-p", str(workdir), "-c", str(conf), "-e", str(workdir / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        if not wait_healthy(url, process, timeout):
            raise ServerError(
                f"nginx in front of port {app_port} did not answer within {timeout:.0f} s; {workdir / 'error.log'}:\n{tail(workdir / 'error.log')}"
            )
        yield url
    finally:
        stop(process)
