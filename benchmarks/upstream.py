"""Section 1: Sheets API calls per refresh, ours against the naive gspread path, on a fake Google with latency."""

from __future__ import annotations

import time

from benchmarks.common import LATENCY, Run

TITLE = "Upstream calls per refresh"


def measure(run: Run) -> list[dict]:
    """Two refreshes each way: the first (with the metadata call) and a later one."""
    import gspread
    from gspread import http_client, urls

    from benchmarks.fake_sheets import KEY, FakeSheets, service_account
    from lib.google_sheets import RetryPolicy, ServiceAccountReader
    from lib.sample import SampleSpec, build

    with FakeSheets(build(SampleSpec()), LATENCY) as fake:
        info = service_account(fake.token_uri)
        reader = ServiceAccountReader(info, api_root=fake.url, policy=RetryPolicy())
        results = []
        for label in ("first refresh", "later refresh"):
            fake.calls.clear()
            start = time.perf_counter()
            reader.read(KEY)
            results.append(("ours", label, sum(fake.calls.values()) - fake.calls["token"], time.perf_counter() - start, dict(fake.calls)))
        real = "https://sheets.googleapis.com/v4/spreadsheets"
        for module in (urls, http_client):  # point the naive baseline at the fake too
            for name in dir(module):
                value = getattr(module, name)
                if name.endswith("_URL") and isinstance(value, str) and value.startswith(real):
                    setattr(module, name, value.replace(real, fake.url))
        client = gspread.service_account_from_dict(info, scopes=gspread.auth.READONLY_SCOPES)
        for label in ("first refresh", "later refresh"):
            fake.calls.clear()
            start = time.perf_counter()
            sheet = client.open_by_key(KEY)
            for title in fake.tabs:
                sheet.worksheet(title).get_all_values()
            results.append(
                ("naive gspread", label, sum(fake.calls.values()) - fake.calls["token"], time.perf_counter() - start, dict(fake.calls))
            )
    rows = []
    for label in ("first refresh", "later refresh"):
        ours = next(r for r in results if r[0] == "ours" and r[1] == label)
        naive = next(r for r in results if r[0] == "naive gspread" and r[1] == label)
        rows.append(
            {
                "what": f"Sheets API calls, {label} (6 tabs, {LATENCY * 1000:.0f} ms latency)",
                "ours": f"{ours[2]} calls, {ours[3]:.2f} s",
                "baseline": f"{naive[2]} calls, {naive[3]:.2f} s (naive gspread: open_by_key + worksheet + get_all_values per tab)",
                "ratio": ours[3] / naive[3],
                "goal": "1 batchGet per refresh (+1 metadata per process)",
                "met": ours[4].get("batchGet") == 1 and (label == "first refresh" or ours[2] == 1),
            }
        )
    return rows
