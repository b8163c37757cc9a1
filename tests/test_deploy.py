"""The production path: the dashboard behind nginx with deploy/'s own files, started the way `make serve` starts it.

Needs Debian's nginx (with libnginx-mod-http-brotli-filter for the brotli test) and systemd-analyze; the
first-visit test also Chromium. .ci/run installs them; without them these tests skip with a reason, and
fail under CI=true (tests/skips.py). The first-visit byte counts are printed.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tomllib
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import TODAY
from deploy import serve
from harness.server import free_port, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample_son_giang.xlsx"
UNITS = ROOT / "deploy" / "systemd"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
MiB = 1024 * 1024

NO_NGINX = "nginx is not installed (apt-get install nginx); CI installs it"
needs_nginx = pytest.mark.skipif(serve.nginx_binary() is None, reason=NO_NGINX)
needs_systemd = pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed (apt-get install systemd)")


# --- the files in deploy/, read as data ------------------------------------------------------------------


def unit(name: str) -> dict[str, str]:
    """A systemd unit's settings as KEY -> value (the units set each key once)."""
    pairs = [line.split("=", 1) for line in (UNITS / name).read_text().splitlines() if "=" in line and not line.startswith("#")]
    return {key.strip(): value.strip() for key, value in pairs}


def env_example() -> dict[str, str]:
    lines = (ROOT / "deploy" / "son-giang.env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def test_the_local_site_differs_from_production_only_in_address_app_port_and_cache():
    site = serve.SITE.read_text()
    local = serve.local_site(site, port=18080, app_port=18501, cache=Path("/tmp/c"))
    gone = [line.strip() for line in site.splitlines() if line not in local.splitlines()]
    new = [line.strip() for line in local.splitlines() if line not in site.splitlines() and line.strip()]
    assert [g.split("#")[0].strip().split(" ")[:2] for g in gone] == [
        ["server", "127.0.0.1:8501;"],
        ["proxy_cache_path", "/var/lib/nginx/son-giang-static"],
        ["listen", "80;"],
        ["listen", "[::]:80;"],
    ]
    assert [n.split("#")[0].strip().split(" ")[:2] for n in new] == [
        ["server", "127.0.0.1:18501;"],
        ["proxy_cache_path", "/tmp/c"],
        ["listen", "127.0.0.1:18080;"],
    ]


@pytest.mark.parametrize("production", [line for line, _ in serve.LOCAL_CHANGES])
def test_a_reworded_production_line_stops_make_serve_instead_of_serving_something_else(production):
    site = serve.SITE.read_text().replace(production, production.replace(" ", "  ", 1))
    with pytest.raises(ValueError, match="exactly once"):
        serve.local_site(site, port=18080, app_port=18501, cache=Path("/tmp/c"))


def test_the_app_unit_listens_on_loopback_where_nginx_forwards():
    argv = unit("son-giang.service")["ExecStart"].split()
    upstream = re.search(r"upstream son_giang_app \{\s*server ([\d.]+):(\d+);", serve.SITE.read_text())
    assert argv[argv.index("--server.address") + 1] == upstream.group(1) == "127.0.0.1"
    assert argv[argv.index("--server.port") + 1] == upstream.group(2)
    assert argv[1:5] == ["-m", "streamlit", "run", "app.py"]


def test_the_snapshot_unit_runs_a_command_the_cli_accepts_into_the_apps_store():
    from lib.cli import parser as _parser

    service, env = unit("son-giang-snapshot.service"), env_example()
    argv = [env[word[2:-1]] if word.startswith("${") else word for word in service["ExecStart"].split()]
    assert argv[1:3] == ["-m", "lib"]
    args = _parser().parse_args(argv[3:])
    assert (args.command, args.source, args.store) == ("snapshot", env["SONGIANG_SOURCE"], None)  # the store: SONGIANG_STORE
    # The app and the timer read the same environment file, and the store lives in their shared state folder.
    assert service["EnvironmentFile"] == unit("son-giang.service")["EnvironmentFile"] == "/etc/son-giang/env"
    assert env["SONGIANG_STORE"].startswith(f"sqlite:////var/lib/{service['StateDirectory']}/")
    assert service["Type"] == "oneshot"


@needs_systemd
def test_the_units_pass_systemd_analyze_verify(tmp_path):
    # verify checks that ExecStart exists: point the installed layout (/srv/son-giang) at this checkout.
    for name in ("son-giang.service", "son-giang-snapshot.service", "son-giang-snapshot.timer"):
        text = (UNITS / name).read_text().replace("/srv/son-giang/.venv/bin/python", sys.executable).replace("/srv/son-giang", str(ROOT))
        (tmp_path / name).write_text(text)
    done = subprocess.run([SYSTEMD_ANALYZE, "verify", *sorted(tmp_path.iterdir())], capture_output=True, text=True, cwd=tmp_path)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


@needs_systemd
def test_the_snapshot_timer_fires_every_15_minutes():
    timer = unit("son-giang-snapshot.timer")
    done = subprocess.run(
        [SYSTEMD_ANALYZE, "calendar", "--iterations", "6", timer["OnCalendar"]], capture_output=True, text=True, check=True
    )

    times = [dt.datetime.fromisoformat(t) for t in re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", done.stdout)]
    assert len(times) == 6
    assert {(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)} == {900}
    assert {t.minute for t in times} <= {0, 15, 30, 45}
    assert timer["Persistent"] == "true"  # a run missed while the machine was off happens at boot


# --- nginx and the app, started by deploy/serve.py -------------------------------------------------------


@dataclass
class Served:
    proxy: str
    app: str
    port: int
    workdir: Path


def start_serve(workdir: Path) -> tuple[subprocess.Popen, Served]:
    """`python -m deploy.serve` (what `make serve` runs) on free ports; returns once nginx answers for the app."""
    port, app_port = free_port(), free_port()
    env = {**os.environ, "SONGIANG_SOURCE": str(SAMPLE), "SONGIANG_TODAY": TODAY.isoformat()}
    cmd = [sys.executable, "-m", "deploy.serve", "--port", str(port), "--app-port", str(app_port), "--workdir", str(workdir)]
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    served = Served(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{app_port}", port, workdir)
    if not wait_healthy(served.proxy, process, timeout=120):
        stop(process)
        pytest.fail(f"make serve did not start: {process.stdout.read()[-3000:]}")
    return process, served


def stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGINT)  # what Ctrl-C sends
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if serve.nginx_binary() is None:
        pytest.skip(NO_NGINX)
    process, served = start_serve(tmp_path_factory.mktemp("serve"))
    yield served
    stop(process)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


def get(url: str, accept_encoding: str = "identity") -> Response:
    request = urllib.request.Request(url, headers={"Accept-Encoding": accept_encoding})
    with urllib.request.urlopen(request, timeout=30) as r:
        return Response(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())


def main_bundle(url: str) -> str:
    """The path of Streamlit's main JavaScript bundle, named by a content hash in the page."""
    html = get(url + "/").body.decode()
    return re.search(r'<script type="module"[^>]*src="\./(static/js/index\.[\w-]+\.js)"', html).group(1)


def test_the_main_bundle_is_gzipped_through_the_proxy_and_cached_for_a_year(served, capsys):
    path = main_bundle(served.app)
    direct = get(f"{served.app}/{path}", "gzip, br")
    proxied = get(f"{served.proxy}/{path}", "gzip")
    again = get(f"{served.proxy}/{path}", "gzip")
    assert "content-encoding" not in direct.headers  # Streamlit leaves compression to the proxy
    assert proxied.headers["content-encoding"] == "gzip"
    assert gzip.decompress(proxied.body) == direct.body
    assert len(proxied.body) < 0.35 * len(direct.body)
    assert "immutable" in proxied.headers["cache-control"] and "max-age=31536000" in proxied.headers["cache-control"]
    assert again.headers["x-cache-status"] == "HIT"  # kept by nginx: a crowd of first visits never reaches Python
    page = get(served.proxy + "/", "gzip")
    assert (page.headers["content-encoding"], page.headers["cache-control"]) == ("gzip", "no-cache")  # a new release shows at once
    with capsys.disabled():
        print(f"\nmain bundle {path}: direct {len(direct.body):_} B, through nginx gzip {len(proxied.body):_} B".replace("_", "."))


@pytest.mark.skipif(
    serve.brotli_module() is None, reason="nginx's brotli module is not installed (apt-get install libnginx-mod-http-brotli-filter)"
)
def test_a_browser_asking_for_brotli_gets_it_smaller_than_gzip(served, capsys):
    path = main_bundle(served.app)
    br, gz = get(f"{served.proxy}/{path}", "br"), get(f"{served.proxy}/{path}", "gzip")
    assert br.headers["content-encoding"] == "br"
    assert len(br.body) < 0.95 * len(gz.body)
    with capsys.disabled():
        print(f"\nmain bundle through nginx: br {len(br.body):_} B, gzip {len(gz.body):_} B".replace("_", "."))


def expect_status(port: int, content_length: int) -> str:
    """The status line nginx answers an upload's headers with, before any of the body is sent."""
    head = (
        f"PUT /_stcore/upload_file/session/file HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {content_length}\r\nExpect: 100-continue\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(head.encode())
        return s.recv(200).split(b"\r\n", 1)[0].decode()


def test_nginx_lets_through_exactly_the_uploads_the_app_accepts(served):
    max_upload_mb = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    limit = (max_upload_mb + 1) * MiB  # Streamlit's cap on the raw body: the file plus 1 MB of multipart framing
    assert expect_status(served.port, limit) == "HTTP/1.1 100 Continue"
    assert expect_status(served.port, limit + 1) == "HTTP/1.1 413 Request Entity Too Large"


@needs_nginx
def test_ctrl_c_stops_nginx_and_the_app(tmp_path):
    process, served = start_serve(tmp_path)
    assert (tmp_path / "nginx.pid").exists()
    assert stop(process) == 0
    for url in (served.proxy, served.app):
        with pytest.raises(OSError):
            get(url + "/_stcore/health")
    assert not (tmp_path / "nginx.pid").exists()  # nginx removes it when it exits


# --- a phone's first visit, in Chromium ---------------------------------------------------------------------


@dataclass
class Visit:
    http_bytes: int
    responses: int
    websocket_bytes: int
    websockets: list[str]
    main_bundle: tuple[int, str]  # bytes on the wire, Content-Encoding
    kpi: str
    largest: list[tuple[int, str]]  # (bytes, file name) of the five largest responses


def first_visit(browser, url: str, bundle: str) -> Visit:
    """Open the overview with an empty cache at 390 × 844 and count what came over the network until it settled."""
    import base64

    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    finished: dict[str, int] = {}
    urls: dict[str, tuple[str, str]] = {}
    frames: list[int] = []
    sockets: list[str] = []

    def received(e: dict) -> None:
        headers = {k.lower(): v for k, v in e["response"]["headers"].items()}
        urls[e["requestId"]] = (e["response"]["url"], headers.get("content-encoding", ""))

    def frame(e: dict) -> None:
        r = e["response"]
        frames.append(len(base64.b64decode(r["payloadData"])) if r["opcode"] == 2 else len(r["payloadData"].encode()))

    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", lambda e: finished.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    cdp.on("Network.webSocketFrameReceived", frame)
    cdp.on("Network.webSocketCreated", lambda e: sockets.append(e["url"]))
    page.goto(url, timeout=60_000)
    kpi = page.get_by_test_id("stMetric").filter(has_text="Hộ dân đã cài").get_by_test_id("stMetricValue")
    expect(kpi).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)  # the script run has finished
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=60_000)  # the charts' code has arrived
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=60_000)
    value = kpi.inner_text()
    context.close()
    main = [(finished.get(rid, 0), enc) for rid, (u, enc) in urls.items() if u.endswith(bundle)]
    largest = sorted(((finished.get(rid, 0), u.rsplit("/", 1)[-1]) for rid, (u, _) in urls.items()), reverse=True)[:5]
    return Visit(sum(finished.values()), len(finished), sum(frames), sockets, main[0], value, largest)


@pytest.mark.browser
def test_a_phone_first_visit_through_the_proxy_renders_the_overview_with_far_fewer_bytes(served, browser, capsys):
    from lib.fmt import fmt_pct

    check = subprocess.run(
        [sys.executable, "-m", "lib", "check", str(SAMPLE), "--json", "--today", TODAY.isoformat()],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    expected_kpi = fmt_pct(json.loads(check.stdout)["summary"]["household_rate"])
    bundle = main_bundle(served.app)
    direct = first_visit(browser, served.app, bundle)
    proxied = first_visit(browser, served.proxy, bundle)
    with capsys.disabled():
        print("\nfirst visit of the overview at 390 × 844, empty cache:")
        for name, v in (("direct", direct), ("through nginx", proxied)):
            print(
                f"  {name:14} HTTP {v.http_bytes:>10_} B in {v.responses} responses; websocket {v.websocket_bytes:>9_} B; "
                f"main bundle {v.main_bundle[0]:_} B {v.main_bundle[1] or 'uncompressed'}".replace("_", ".")
            )
        print("  largest through nginx: " + ", ".join(f"{name} {size:_} B" for size, name in proxied.largest).replace("_", "."))
    assert proxied.kpi == direct.kpi == expected_kpi  # the websocket through nginx works: the figures arrived
    assert proxied.websockets == [f"ws://127.0.0.1:{served.port}/_stcore/stream"]
    assert proxied.main_bundle[1] in ("gzip", "br") and direct.main_bundle[1] == ""
    assert proxied.main_bundle[0] < 0.35 * direct.main_bundle[0]
    assert proxied.http_bytes < 0.5 * direct.http_bytes
    assert proxied.websocket_bytes > 0 and abs(proxied.websocket_bytes - direct.websocket_bytes) < 0.1 * direct.websocket_bytes
