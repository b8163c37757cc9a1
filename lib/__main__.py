"""The command line: the same pipeline as the dashboard, for scripts, cron and tests.

python -m lib check SOURCE [--json] [--today YYYY-MM-DD]
python -m lib snapshot SOURCE [--store URL]
python -m lib report SOURCE --out FILE.docx|.xlsx|.txt [--week YYYY-MM-DD]
python -m lib template OUT.xlsx [--examples]
python -m lib sample OUT.xlsx [--villages N] [--units N] [--weeks N] [--seed N] [--no-mistakes]

A command that cannot do what it was asked (a bad value, a file it cannot write, a closed pipe) prints one
Vietnamese line on stderr and exits 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence

from lib.config import local_today
from lib.fmt import fmt_date, fmt_int, fmt_pct
from lib.sources import SourceError

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2
MAX_VILLAGES, MAX_UNITS, MAX_WEEKS = 10_000, 10_000, 520  # far above a province (1.500 thôn); weeks: ten years

# Why a file could not be written, by errno; {path} and {folder} are quoted. The fallback names the errno.
WRITE_PROBLEMS = {
    errno.ENOENT: "Không ghi được {path}: thư mục {folder} không tồn tại.",
    errno.ENOTDIR: "Không ghi được {path}: {folder} không phải là thư mục.",
    errno.EEXIST: "Không ghi được {path}: {folder} không phải là thư mục.",  # mkdir over a file
    errno.EISDIR: "{path} là một thư mục; hãy ghi cả tên tệp.",
    errno.EACCES: "Không ghi được {path}: không có quyền ghi.",
    errno.EPERM: "Không ghi được {path}: không có quyền ghi.",
    errno.EROFS: "Không ghi được {path}: ổ đĩa chỉ cho phép đọc.",
    errno.ENOSPC: "Không ghi được {path}: ổ đĩa đã đầy.",
    errno.EDQUOT: "Không ghi được {path}: đã hết dung lượng được cấp.",
    errno.ENAMETOOLONG: "Không ghi được {path}: tên tệp quá dài.",
}
CLOSED_OUTPUT = "Đầu ra đã bị đóng trước khi in xong (ví dụ khi nối vào | head)."


class CommandError(Exception):
    """What the command was asked cannot be done: one Vietnamese line on stderr and exit 2, never a traceback."""


def _whole_number(flag: str, lowest: int | None = None, highest: int | None = None) -> Callable[[str], int]:
    """An argparse type: an int within [lowest, highest], refused in Vietnamese naming the option."""
    bounds = f" từ {fmt_int(lowest)} đến {fmt_int(highest)}" if lowest is not None and highest is not None else ""

    def parse(text: str) -> int:
        with contextlib.suppress(ValueError):
            value = int(text)
            if (lowest is None or value >= lowest) and (highest is None or value <= highest):
                return value
        raise CommandError(f"{flag} phải là một số nguyên{bounds}, không phải {text!r}.")

    return parse


def _iso_date(flag: str) -> Callable[[str], dt.date]:
    """An argparse type: a YYYY-MM-DD date, refused in Vietnamese naming the option."""

    def parse(text: str) -> dt.date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise CommandError(f"{flag} phải là một ngày dạng YYYY-MM-DD, ví dụ 2026-04-23, không phải {text!r}.") from None

    return parse


def _output_file(example: str, *others: str) -> Callable[[str], str]:
    """An argparse type: a file name ending in the example's extension (or one of `others`), not a folder."""
    suffixes = (os.path.splitext(example)[1], *others)
    allowed = suffixes[0] if len(suffixes) == 1 else f"{', '.join(suffixes[:-1])} hoặc {suffixes[-1]}"

    def parse(path: str) -> str:
        if os.path.isdir(path):
            raise CommandError(f"{path!r} là một thư mục; hãy ghi cả tên tệp, ví dụ {os.path.join(path, example)!r}.")
        if os.path.splitext(path)[1].lower() not in suffixes:
            raise CommandError(f"Tệp ra {path!r} phải có đuôi {allowed}.")
        return path

    return parse


@contextlib.contextmanager
def _writing(path: str) -> Iterator[None]:
    """Turn any OSError while writing `path` into a CommandError that says why in Vietnamese."""
    try:
        yield
    except OSError as exc:
        code = errno.errorcode.get(exc.errno or 0, "?")
        template = WRITE_PROBLEMS.get(exc.errno, f"Không ghi được {{path}} (lỗi hệ thống {code}).")
        raise CommandError(template.format(path=repr(path), folder=repr(os.path.dirname(path) or "."))) from exc


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
        "--today", type=_iso_date("--today"), help="ngày hôm nay (YYYY-MM-DD) để kiểm tra ngày tương lai; mặc định: hôm nay ở Hà Tĩnh"
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
        "Mã thoát: 0 đã ghi; 2 không đọc được nguồn, tuần không có số liệu hoặc không ghi được tệp.",
    )
    report.add_argument("source", metavar="SOURCE", help="đường dẫn tới tệp .xlsx, hoặc đường dẫn Google Sheet")
    report.add_argument(
        "--week", type=_iso_date("--week"), help="tuần báo cáo (ngày Thứ Năm, YYYY-MM-DD); mặc định: tuần gần nhất đã hết hạn báo cáo"
    )
    report.add_argument(
        "--out", required=True, metavar="FILE", type=_output_file("bao-cao.docx", ".xlsx", ".txt"), help="tệp ra: .docx, .xlsx hoặc .txt"
    )
    report.add_argument("--today", type=_iso_date("--today"), help="ngày hôm nay (YYYY-MM-DD); mặc định: hôm nay ở Hà Tĩnh")
    _credentials_option(report)
    template = sub.add_parser(
        "template",
        help="ghi mẫu sổ số liệu .xlsx (có hướng dẫn, danh sách chọn, kiểm tra số)",
        description="Ghi mẫu sổ số liệu vào OUT.xlsx. Mã thoát: 0 đã ghi; 2 không ghi được tệp.",
    )
    template.add_argument("out", metavar="OUT.xlsx", type=_output_file("mau.xlsx"))
    template.add_argument("--examples", action="store_true", help="điền sẵn một dòng ví dụ ở mỗi tab")
    sample = sub.add_parser(
        "sample",
        help="tạo sổ số liệu mẫu (dữ liệu giả lập, có gieo vài lỗi thường gặp)",
        description="Ghi sổ số liệu mẫu vào OUT.xlsx (tạo thư mục nếu chưa có). Mã thoát: 0 đã ghi; 2 tham số sai hoặc không ghi được tệp.",
    )
    sample.add_argument("out", metavar="OUT.xlsx", type=_output_file("mau.xlsx"))
    _count_option(sample, "--villages", "số thôn", 24, 1, MAX_VILLAGES)
    _count_option(sample, "--units", "số đơn vị", 18, 0, MAX_UNITS)
    _count_option(sample, "--weeks", "số tuần báo cáo từ 16/04/2026", 33, 1, MAX_WEEKS)
    sample.add_argument("--seed", type=_whole_number("--seed"), default=2026, help="hạt giống ngẫu nhiên (mặc định 2026)")
    sample.add_argument("--no-mistakes", action="store_true", help="không gieo lỗi")
    return parser


def _count_option(parser: argparse.ArgumentParser, flag: str, what: str, default: int, lowest: int, highest: int) -> None:
    parser.add_argument(
        flag, type=_whole_number(flag, lowest, highest), default=default, help=f"{what}, {lowest}–{fmt_int(highest)} (mặc định {default})"
    )


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
    """Run one command; returns the exit status (a CommandError becomes one line on stderr and 2)."""
    try:
        # argparse turns only ArgumentTypeError/TypeError/ValueError from a type into its English usage error;
        # the CommandError our types raise passes through to here, so a bad value reads like every other refusal.
        return _run(_parser().parse_args(argv))
    except CommandError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE


def _run(args: argparse.Namespace) -> int:
    if args.command == "template":
        from lib.template import write_template

        with _writing(args.out):
            write_template(args.out, with_examples=args.examples)
        print(f"Đã ghi mẫu: {args.out}")
        return EXIT_OK
    if args.command == "sample":
        from lib.sample import SampleSpec, write_xlsx

        spec = SampleSpec(villages=args.villages, units=args.units, weeks=args.weeks, seed=args.seed, mistakes=not args.no_mistakes)
        with _writing(args.out):
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
    from lib.validation.workbook import validate

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
    suffix = os.path.splitext(out)[1].lower()  # one of .docx, .xlsx, .txt: the --out type checked it
    if suffix == ".docx":
        data = report_docx(report)
    elif suffix == ".xlsx":
        data = report_xlsx(report)
    else:
        data = messages.weekly_summary(board, week).encode("utf-8") + b"\n"
    with _writing(out), open(out, "wb") as handle:
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
