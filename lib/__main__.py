"""The command line: the same pipeline as the dashboard (`lib.pipeline.load`), for scripts, cron and tests.

python -m lib check SOURCE [--json] [--today YYYY-MM-DD] [--store URL]
python -m lib snapshot SOURCE [--store URL]
python -m lib report SOURCE --out FILE.docx|.pdf|.xlsx|.txt [--week YYYY-MM-DD] [--store URL]
python -m lib template OUT.xlsx
python -m lib sample OUT.xlsx [--villages N] [--units N] [--weeks N] [--seed N] [--no-mistakes]
python -m lib links SOURCE --base-url URL [--json]

A command that cannot do what it was asked (a bad value, a file it cannot write, a closed pipe) prints one
Vietnamese line on stderr and exits 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from lib.check_text import readable
from lib.cli import CLOSED_OUTPUT, EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE, STORE_WARNING, CommandError, parser, writing
from lib.config import local_today
from lib.fmt import fmt_date
from lib.sources import SourceError

if TYPE_CHECKING:
    from lib.live import SourceConfig
    from lib.pipeline import Loaded


def _credentials(path: str | None) -> dict | None:
    from lib.config import load_key_file

    path = path or os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    return load_key_file(path) if path else None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (a CommandError becomes one line on stderr and 2)."""
    try:
        # argparse turns only ArgumentTypeError/TypeError/ValueError from a type into its English usage error;
        # the CommandError our types raise passes through to here, so a bad value reads like every other refusal.
        return _run(parser().parse_args(argv))
    except CommandError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE


def _run(args: argparse.Namespace) -> int:
    if args.command == "template":
        from lib.template import write_template

        with writing(args.out):
            write_template(args.out)
        print(f"Đã ghi mẫu: {args.out}")
        return EXIT_OK
    if args.command == "sample":
        from lib.sample import SampleSpec, write_xlsx

        spec = SampleSpec(villages=args.villages, units=args.units, weeks=args.weeks, seed=args.seed, mistakes=not args.no_mistakes)
        with writing(args.out):
            write_xlsx(spec, args.out)
        print(f"Đã ghi dữ liệu mẫu ({args.villages} thôn, {args.units} đơn vị, {args.weeks} tuần): {args.out}")
        return EXIT_OK
    try:
        credentials = _credentials(args.credentials)
    except SourceError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    from lib.live import DEFAULT_STORE, resolve

    store_url = getattr(args, "store", None) or os.environ.get("SONGIANG_STORE")
    if args.command == "snapshot":
        return _snapshot(resolve(args.source, credentials, store_url or DEFAULT_STORE))
    # The other commands keep history only in the store given (or SONGIANG_STORE), never in resolve's default for a
    # Google Sheet: a check run from any folder creates no store there.
    config = replace(resolve(args.source, credentials, store_url), store_url=store_url)
    today = args.today or local_today()
    if args.command == "report":
        return _report(config, args.week, args.out, today)
    if args.command == "links":
        return _links(config, args.base_url, args.json, today)
    return _check(config, args.json, today)


def _read(config: SourceConfig, today: dt.date) -> Loaded:
    """The one pipeline, as the app runs it, except that a failed read is an error here, not the last snapshot."""
    from lib.pipeline import load

    return load(config, today, fall_back=False)


def _snapshot(config: SourceConfig) -> int:
    _deliver_outbox(config)  # reports the form saved while Google was unreachable: on the Sheet before this snapshot
    try:
        loaded = _read(config, local_today())
    except SourceError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    if loaded.recorded is None:
        print(f"Lỗi: {loaded.store_problem}", file=sys.stderr)
        return EXIT_UNREADABLE
    snapshot_id, new = loaded.recorded
    print(f"{'Đã lưu phiên bản mới' if new else 'Không thay đổi so với phiên bản'} #{snapshot_id} của {loaded.ds.source.label}")
    return EXIT_OK


def _deliver_outbox(config: SourceConfig) -> None:
    """Send the report form's pending rows of this sheet (service account only); a line on stderr says what is still waiting."""
    credentials = config.credentials  # a local name, so the check below still holds inside the lambda
    if config.kind != "google" or not credentials or not config.store_url:
        return
    from lib.outbox import Outbox, deliver_pending, writer_for
    from lib.snapshots import StoreError

    try:
        outbox = Outbox(config.store_url)
        results = deliver_pending(outbox, lambda: writer_for(credentials), config.identity)
    except (StoreError, ValueError) as exc:
        print(f"Cảnh báo: không gửi được báo cáo đang chờ của biểu mẫu: {exc}", file=sys.stderr)
        return
    sent = [e for e in results if e.delivered]
    waiting = [e for e in results if not e.delivered]
    if sent:
        print(f"Đã gửi lên Sheet {len(sent)} báo cáo của biểu mẫu đang chờ.")
    if waiting:
        print(f"Cảnh báo: còn {len(waiting)} báo cáo của biểu mẫu chưa gửi được: {waiting[-1].last_error or ''}", file=sys.stderr)


def _entry_secrets() -> dict:
    """`.streamlit/secrets.toml` of this project, as the app reads it, for the [entry] section; {} when absent."""
    import tomllib

    from lib.config import ROOT

    path = ROOT / ".streamlit" / "secrets.toml"
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise CommandError(f"Không đọc được {path} (tệp cấu hình bí mật bị lỗi cú pháp).") from None


def _links(config: SourceConfig, base_url: str | None, as_json: bool, today: dt.date) -> int:
    from lib.entry_links import entry_settings, links

    settings = entry_settings(secrets=_entry_secrets())
    if not settings.enabled:
        raise CommandError(
            settings.problem
            or "chưa có khóa bí mật cho biểu mẫu báo cáo: đặt biến SONGIANG_ENTRY_SECRET hoặc mục [entry] secret trong .streamlit/secrets.toml."
        )
    base = (base_url or settings.base_url).rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise CommandError("cần địa chỉ công khai của bảng theo dõi: --base-url https://… (hoặc [entry] base_url trong secrets).")
    try:
        ds = _read(config, today).ds
    except SourceError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    found = links(settings, base, ds.villages["name"].astype(str), ds.units["name"].astype(str))
    if as_json:
        json.dump([{"kind": link.kind, "name": link.name, "url": link.url} for link in found], sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK
    print("Đường dẫn báo cáo riêng của từng nơi (đường dẫn đã thu hồi không được in):")
    for kind, title in (("village", "Thôn"), ("unit", "Đơn vị")):
        mine = [link for link in found if link.kind == kind]
        print(f"{title} ({len(mine)}):")
        print("\n".join(f"  {link.name}: {link.url}" for link in mine))
    return EXIT_OK


def _report(config: SourceConfig, week: dt.date | None, out: str, today: dt.date) -> int:
    from lib import dashboard, messages
    from lib.office import docx_to_pdf
    from lib.report import build, latest_complete_week, now_local
    from lib.report_docx import report_docx
    from lib.report_xlsx import report_xlsx

    try:
        loaded = _read(config, today)
    except SourceError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    _warn_about_the_store(loaded)
    board = dashboard.build(loaded.ds, loaded.history)
    week = week or latest_complete_week(board.weeks, now_local())
    if week not in board.weeks:
        known = ", ".join(w.isoformat() for w in board.weeks[-5:]) or "không có"
        print(f"Lỗi: không có số liệu tuần {week}. Các tuần gần nhất: {known}.", file=sys.stderr)
        return EXIT_UNREADABLE
    report = build(board, week)
    suffix = os.path.splitext(out)[1].lower()  # one of .docx, .xlsx, .txt, .pdf: the --out type checked it
    if suffix == ".docx":
        data = report_docx(report)
    elif suffix == ".pdf":
        converted = docx_to_pdf(report_docx(report))
        if converted.data is None:
            print(f"Lỗi: {converted.reason}", file=sys.stderr)
            return EXIT_UNREADABLE
        data = converted.data
    elif suffix == ".xlsx":
        data = report_xlsx(report)
    else:
        data = messages.weekly_summary(board, week).encode("utf-8") + b"\n"
    with writing(out), open(out, "wb") as handle:
        handle.write(data)
    print(f"Đã ghi báo cáo tuần {fmt_date(week)}: {out}")
    return EXIT_OK


def _check(config: SourceConfig, as_json: bool, today: dt.date) -> int:
    from lib import dashboard
    from lib.pipeline import check_result

    try:
        loaded = _read(config, today)
    except SourceError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    _warn_about_the_store(loaded)
    ds = loaded.ds
    result = check_result(dashboard.build(ds, loaded.history))
    status = EXIT_ERRORS if ds.error_count else EXIT_OK
    if as_json:
        json.dump(result, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return status
    print(readable(result, ds.campaign.household_target, ds.campaign.official_target))
    return status


def _warn_about_the_store(loaded: Loaded) -> None:
    """The history could not be read or written: the figures stand, and stderr says what is missing."""
    if loaded.store_problem:
        print(STORE_WARNING.format(problem=loaded.store_problem), file=sys.stderr)


def _shell() -> int:
    """main() for the shell, guarded against a reader that stops early (`check … | head`)."""
    try:
        status = main()
        sys.stdout.flush()  # short outputs are still buffered here: a closed pipe shows up now, not at exit
        return status
    except BrokenPipeError:
        # stdout to /dev/null, so that the interpreter's own flush at exit cannot print "Exception ignored …"
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        with contextlib.suppress(BrokenPipeError):  # stderr may be the same closed pipe (`2>&1 | head`)
            print(f"Lỗi: {CLOSED_OUTPUT}", file=sys.stderr, flush=True)
        return EXIT_UNREADABLE


if __name__ == "__main__":
    sys.exit(_shell())
