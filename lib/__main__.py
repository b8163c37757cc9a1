"""The command line: the same pipeline as the dashboard, for scripts, cron and tests.

python -m lib check SOURCE [--json] [--today YYYY-MM-DD]
python -m lib template OUT.xlsx [--examples]
python -m lib sample OUT.xlsx [--villages N] [--units N] [--weeks N] [--seed N] [--no-mistakes]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence

from lib.config import local_today
from lib.fmt import fmt_date, fmt_int, fmt_pct
from lib.sources import SourceError

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib",
        description="Bảng theo dõi cài đặt i-HaTinh xã Sơn Giang: kiểm tra sổ số liệu, tạo mẫu, tạo dữ liệu mẫu.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    check = sub.add_parser(
        "check",
        help="đọc, kiểm tra từng ô và tính tỷ lệ cài đặt của một sổ số liệu",
        description="Đọc SOURCE, kiểm tra từng ô, in tóm tắt và danh sách lỗi. "
        "Mã thoát: 0 không có lỗi; 1 có lỗi (vẫn in kết quả); 2 không đọc được nguồn.",
    )
    check.add_argument("source", metavar="SOURCE", help="đường dẫn tới tệp .xlsx, hoặc đường dẫn Google Sheet")
    check.add_argument("--json", action="store_true", help="in một đối tượng JSON (hợp đồng cho máy đọc) thay vì tóm tắt")
    check.add_argument(
        "--today", type=dt.date.fromisoformat, help="ngày hôm nay (YYYY-MM-DD) để kiểm tra ngày tương lai; mặc định: hôm nay ở Hà Tĩnh"
    )
    _credentials_option(check)
    snapshot = sub.add_parser(
        "snapshot",
        help="đọc nguồn một lần và lưu phiên bản mới vào kho lịch sử (chạy bằng cron mỗi 15 phút)",
        description="Đọc SOURCE, kiểm tra, và lưu vào kho lịch sử nếu nội dung đã thay đổi. "
        "Mã thoát: 0 đã đọc được (lưu hoặc không đổi); 2 không đọc được nguồn hoặc không ghi được vào kho.",
    )
    snapshot.add_argument("source", metavar="SOURCE", help="đường dẫn Google Sheet (hoặc tệp .xlsx)")
    snapshot.add_argument(
        "--store",
        default=None,
        help="kho lịch sử: sqlite:///đường/dẫn (một máy) hoặc postgresql://người-dùng:mật-khẩu@máy-chủ:5432/csdl "
        "(nhiều máy dùng chung); mặc định: SONGIANG_STORE hoặc sqlite:///data/snapshots.sqlite",
    )
    _credentials_option(snapshot)
    report = sub.add_parser(
        "report",
        help="viết báo cáo tuần (.docx theo thể thức hành chính, bảng .xlsx, hoặc tin nhắn Zalo .txt)",
        description="Viết báo cáo tuần từ SOURCE. Định dạng theo đuôi tệp --out: .docx, .xlsx hoặc .txt (tin nhắn Zalo). "
        "Mã thoát: 0 đã ghi; 2 không đọc được nguồn hoặc tuần không có số liệu.",
    )
    report.add_argument("source", metavar="SOURCE", help="đường dẫn tới tệp .xlsx, hoặc đường dẫn Google Sheet")
    report.add_argument(
        "--week", type=dt.date.fromisoformat, help="tuần báo cáo (ngày Thứ Năm, YYYY-MM-DD); mặc định: tuần gần nhất đã hết hạn báo cáo"
    )
    report.add_argument("--out", required=True, metavar="FILE", help="tệp ra: .docx, .xlsx hoặc .txt")
    report.add_argument("--today", type=dt.date.fromisoformat, help="ngày hôm nay (YYYY-MM-DD); mặc định: hôm nay ở Hà Tĩnh")
    _credentials_option(report)
    template = sub.add_parser("template", help="ghi mẫu sổ số liệu .xlsx (có hướng dẫn, danh sách chọn, kiểm tra số)")
    template.add_argument("out", metavar="OUT.xlsx")
    template.add_argument("--examples", action="store_true", help="điền sẵn một dòng ví dụ ở mỗi tab")
    sample = sub.add_parser("sample", help="tạo sổ số liệu mẫu (dữ liệu giả lập, có gieo vài lỗi thường gặp)")
    sample.add_argument("out", metavar="OUT.xlsx")
    sample.add_argument("--villages", type=int, default=24, help="số thôn (mặc định 24)")
    sample.add_argument("--units", type=int, default=18, help="số đơn vị (mặc định 18)")
    sample.add_argument("--weeks", type=int, default=33, help="số tuần báo cáo từ 16/04/2026 (mặc định 33)")
    sample.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên (mặc định 2026)")
    sample.add_argument("--no-mistakes", action="store_true", help="không gieo lỗi")
    return parser


def _credentials_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--credentials",
        metavar="KEY.json",
        help="tệp khóa JSON của tài khoản dịch vụ Google (mặc định: biến GOOGLE_APPLICATION_CREDENTIALS); "
        "không có khóa thì đọc Sheet qua đường liên kết công khai",
    )


def _credentials(path: str | None) -> dict | None:
    from lib.google_sheets import load_key_file

    path = path or os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    return load_key_file(path) if path else None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "template":
        from lib.template import write_template

        write_template(args.out, with_examples=args.examples)
        print(f"Đã ghi mẫu: {args.out}")
        return EXIT_OK
    if args.command == "sample":
        from lib.sample import SampleSpec, write_xlsx

        spec = SampleSpec(villages=args.villages, units=args.units, weeks=args.weeks, seed=args.seed, mistakes=not args.no_mistakes)
        write_xlsx(spec, args.out)
        print(f"Đã ghi dữ liệu mẫu ({args.villages} thôn, {args.units} đơn vị, {args.weeks} tuần): {args.out}")
        return EXIT_OK
    try:
        credentials = _credentials(args.credentials)
    except SourceError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    if args.command == "snapshot":
        return _snapshot(args.source, args.store, credentials)
    if args.command == "report":
        return _report(args.source, args.week, args.out, args.today or local_today(), credentials)
    return _check(args.source, args.json, args.today or local_today(), credentials)


def _snapshot(source: str, store: str | None, credentials: dict | None) -> int:
    from lib.live import DEFAULT_STORE, fetch, resolve
    from lib.snapshots import SnapshotStore, StoreError
    from lib.validate import validate

    config = resolve(source, credentials, store or os.environ.get("SONGIANG_STORE") or DEFAULT_STORE)
    try:
        raw = fetch(config)
    except SourceError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        store = SnapshotStore(config.store_url or DEFAULT_STORE)
        snapshot_id, new = store.record(raw, validate(raw, local_today()), config.identity)
    except (StoreError, ValueError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(f"{'Đã lưu phiên bản mới' if new else 'Không thay đổi so với phiên bản'} #{snapshot_id} của {raw.source}")
    return EXIT_OK


def _report(source: str, week: dt.date | None, out: str, today: dt.date, credentials: dict | None) -> int:
    from lib import dashboard, messages
    from lib.pipeline import load
    from lib.report import build, latest_complete_week, now_local
    from lib.report_docx import report_docx
    from lib.report_xlsx import report_xlsx

    suffix = os.path.splitext(out)[1].lower()
    if suffix not in (".docx", ".xlsx", ".txt"):
        print("Lỗi: --out phải là tệp .docx, .xlsx hoặc .txt.", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        board = dashboard.build(load(source, today, credentials))
    except SourceError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    week = week or latest_complete_week(board.weeks, now_local())
    if week not in board.weeks:
        known = ", ".join(w.isoformat() for w in board.weeks[-5:]) or "không có"
        print(f"Lỗi: không có số liệu tuần {week}. Các tuần gần nhất: {known}.", file=sys.stderr)
        return EXIT_UNREADABLE
    report = build(board, week)
    if suffix == ".docx":
        data = report_docx(report)
    elif suffix == ".xlsx":
        data = report_xlsx(report)
    else:
        data = messages.weekly_summary(board, week).encode("utf-8") + b"\n"
    with open(out, "wb") as handle:
        handle.write(data)
    print(f"Đã ghi báo cáo tuần {fmt_date(week)}: {out}")
    return EXIT_OK


def _check(source: str, as_json: bool, today: dt.date, credentials: dict | None = None) -> int:
    from lib.pipeline import check_result, load

    try:
        ds = load(source, today, credentials)
    except SourceError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    result = check_result(ds)
    status = EXIT_ERRORS if ds.error_count else EXIT_OK
    if as_json:
        json.dump(result, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return status
    s = result["summary"]
    out = [
        f"Nguồn: {result['source']}",
        f"Số liệu đến tuần: {fmt_date(dt.date.fromisoformat(s['as_of'])) if s['as_of'] else 'chưa có báo cáo'}",
        f"Hộ đã cài đặt: {fmt_int(s['installed_households'])} / {fmt_int(s['smartphone_households'])} hộ có ĐTTM "
        f"= {fmt_pct(s['household_rate'])} (chỉ tiêu {fmt_pct(ds.campaign.household_target, 0)})",
        f"Thôn đạt chỉ tiêu: {s['villages_meeting_target']}/{s['villages']}; thôn đã báo cáo tuần này: {s['villages_reported_latest']}/{s['villages']}",
        f"Cán bộ đã cài đặt: {fmt_int(s['officials_installed'])} / {fmt_int(s['officials'])} = {fmt_pct(s['official_rate'])} "
        f"(chỉ tiêu {fmt_pct(ds.campaign.official_target, 0)})",
        "",
        "Số dòng theo tab (đọc / nhận / loại):",
    ]
    out += [f"  {tab}: {n['read']} / {n['accepted']} / {n['rejected']}" for tab, n in result["rows"].items()]
    errors = [i for i in result["issues"] if i["severity"] == "error"]
    warnings = [i for i in result["issues"] if i["severity"] != "error"]
    out += ["", f"Lỗi: {len(errors)} · Cảnh báo: {len(warnings)}"]
    for issue in errors + warnings:
        where = f"{issue['sheet']}!{issue['cell']}" if issue["cell"] else issue["sheet"]
        tag = "LỖI" if issue["severity"] == "error" else "Cảnh báo"
        out.append(f"  [{tag}] {where} ({issue['code']}): {issue['message']}")
    print("\n".join(out))
    return status


if __name__ == "__main__":
    sys.exit(main())
