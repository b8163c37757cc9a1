"""`make serve`: the production path on this machine, `streamlit run` behind nginx with deploy/nginx's site file.

nginx runs in the foreground from a generated config in a writable folder (its pid, logs, temp and cache
paths all live there), so no root is needed. Ctrl-C (or SIGTERM) stops nginx and the app.

    python -m deploy.serve --port 8080 [--app-port N] [--workdir artifacts/serve]
"""

from __future__ import annotations

import argparse
import os
import pwd
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from harness.server import free_port, stop, streamlit_command, tail, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx" / "son-giang.conf"
BROTLI_CONF = ROOT / "deploy" / "nginx" / "brotli.conf"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")  # libnginx-mod-http-brotli-filter

# The production site's lines that name this machine's layout, and what each becomes locally.
LOCAL_CHANGES = (
    ("listen 80;", "listen 127.0.0.1:{port};"),
    ("listen [::]:80;", ""),
    ("server 127.0.0.1:8501;", "server 127.0.0.1:{app_port};"),
    ("proxy_cache_path /var/lib/nginx/son-giang-static ", "proxy_cache_path {cache} "),
)


def nginx_binary() -> str | None:
    """Debian's nginx, also when /usr/sbin is not on PATH (it is not for ordinary users)."""
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def brotli_module() -> Path | None:
    """The brotli filter module when Debian's package is installed, else None (gzip alone then)."""
    return BROTLI_MODULE if BROTLI_MODULE.is_file() else None


def local_site(site: str, *, port: int, app_port: int, cache: Path) -> str:
    """The production site with only its address, the app's port and the cache folder changed."""
    for production, local in LOCAL_CHANGES:
        if site.count(production) != 1:
            raise ValueError(f"the site file should hold {production!r} exactly once; update LOCAL_CHANGES with it")
        site = site.replace(production, local.format(port=port, app_port=app_port, cache=cache))
    return site


def nginx_conf(site: str, workdir: Path, *, brotli: Path | None, run_as_root: bool) -> str:
    """A whole nginx.conf around the site: foreground, one worker, every writable path under workdir."""
    tmp = workdir / "tmp"
    lines = []
    if brotli is not None:
        lines += [f"load_module {brotli};"]
    if run_as_root:
        # As root nginx would run its worker as `nobody`, which cannot enter a private temp folder.
        lines += [f"user {pwd.getpwuid(os.geteuid()).pw_name};"]
    lines += [
        "daemon off;",
        "worker_processes 1;",
        f"pid {workdir / 'nginx.pid'};",
        f"error_log {workdir / 'error.log'} notice;",
        "events { worker_connections 512; }",
        "http {",
        f"    access_log {workdir / 'access.log'};",
        f"    client_body_temp_path {tmp / 'body'};",
        f"    proxy_temp_path {tmp / 'proxy'};",
        f"    fastcgi_temp_path {tmp / 'fastcgi'};",
        f"    uwsgi_temp_path {tmp / 'uwsgi'};",
        f"    scgi_temp_path {tmp / 'scgi'};",
    ]
    if brotli is not None:
        lines += ["    " + line for line in BROTLI_CONF.read_text().splitlines()]
    lines += ["    " + line if line else "" for line in site.splitlines()]
    lines += ["}", ""]
    return "\n".join(lines)


class _Stop(Exception):
    """SIGTERM, turned into an exception so the same clean-up runs as for Ctrl-C."""


def _raise_stop(signum: int, frame: object) -> None:
    raise _Stop


def serve(port: int, app_port: int, workdir: Path) -> int:
    """Run the app and nginx until Ctrl-C/SIGTERM (exit 0) or until either stops by itself (exit 1)."""
    nginx = nginx_binary()
    if nginx is None:
        print("Chưa cài nginx: apt-get install nginx (Debian).", file=sys.stderr)
        return 1
    workdir = workdir.resolve()
    (workdir / "tmp").mkdir(parents=True, exist_ok=True)
    site = local_site(SITE.read_text(), port=port, app_port=app_port, cache=workdir / "cache")
    conf = workdir / "nginx.conf"
    conf.write_text(nginx_conf(site, workdir, brotli=brotli_module(), run_as_root=os.geteuid() == 0))
    nginx_cmd = [nginx, "-p", str(workdir), "-c", str(conf), "-e", str(workdir / "error.log")]
    checked = subprocess.run([*nginx_cmd, "-t", "-q"], capture_output=True, text=True)
    if checked.returncode != 0:
        print(f"nginx từ chối cấu hình {conf}:\n{checked.stderr}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _raise_stop)
    app_log = workdir / "streamlit.log"
    with open(app_log, "w") as log:
        app = subprocess.Popen(streamlit_command("app.py", app_port), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    proxy: subprocess.Popen | None = None
    try:
        if not wait_healthy(f"http://127.0.0.1:{app_port}", app):
            print(f"Streamlit không khởi động được; {app_log}:\n{tail(app_log)}", file=sys.stderr)
            return 1
        proxy = subprocess.Popen(nginx_cmd)
        if not wait_healthy(f"http://127.0.0.1:{port}", proxy, timeout=15):
            print(f"nginx không khởi động được; {workdir / 'error.log'}:\n{tail(workdir / 'error.log')}", file=sys.stderr)
            return 1
        print(f"Bảng theo dõi qua nginx: http://127.0.0.1:{port}  (Ctrl-C để dừng)", flush=True)
        print(f"  streamlit trực tiếp: http://127.0.0.1:{app_port}; cấu hình và nhật ký: {workdir}", flush=True)
        while True:
            for name, process, log_path in (("streamlit", app, app_log), ("nginx", proxy, workdir / "error.log")):
                if process.poll() is not None:
                    print(f"{name} đã dừng (mã {process.returncode}); {log_path}:\n{tail(log_path)}", file=sys.stderr)
                    return 1
            time.sleep(0.5)
    except (KeyboardInterrupt, _Stop):
        print("Đang dừng nginx và streamlit…", flush=True)
        return 0
    finally:
        if proxy is not None:
            stop(proxy)
        stop(app)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and serve."""
    parser = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1 (default 8080)")
    parser.add_argument("--app-port", type=int, default=None, help="streamlit's port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "artifacts" / "serve", help="generated config, logs, cache")
    args = parser.parse_args(argv)
    return serve(args.port, args.app_port or free_port(), args.workdir)


if __name__ == "__main__":
    sys.exit(main())
