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
import errno
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from lib.config import local_today
from lib.fmt import fmt_date, fmt_int, fmt_pct
from lib.sources import SourceError

if TYPE_CHECKING:
    from lib.live import SourceConfig
    from lib.pipeline import Loaded

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
# Where check and report find the history: the store given, else SONGIANG_STORE (as the deployed app and its timer use);
# none at all otherwise, so a check run from any folder never creates a store there.
STORE_DEFAULT = "SONGIANG_STORE; không có thì không dùng kho lịch sử"
STORE_WARNING = "Cảnh báo: không dùng được kho lịch sử số liệu: {problem} Số liệu vẫn đúng như vừa đọc; chỉ thiếu phần số liệu cũ bị sửa."
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
    _store_option(check, STORE_DEFAULT)
    snapshot = sub.add_parser(
        "snapshot",
        help="đọc nguồn một lần và lưu phiên bản mới vào kho lịch sử (chạy bằng cron mỗi 15 phút)",
        description="Đọc SOURCE, kiểm tra, và lưu vào kho lịch sử nếu nội dung đã thay đổi. "
        "Mã thoát: 0 đã đọc được (lưu hoặc không đổi); 2 không đọc được nguồn hoặc không ghi được vào kho.",
    )
    snapshot.add_argument("source", metavar="SOURCE", help="đường dẫn Google Sheet (hoặc tệp .xlsx)")
    _store_option(snapshot, "SONGIANG_STORE hoặc sqlite:///data/snapshots.sqlite")
    _credentials_option(snapshot)
    report = sub.add_parser(
        "report",
        help="viết báo cáo tuần (.docx theo thể thức hành chính, bản .pdf của nó, bảng .xlsx, hoặc tin nhắn Zalo .txt)",
        description="Viết báo cáo tuần từ SOURCE. Định dạng theo đuôi tệp --out: .docx, .pdf (cần LibreOffice), .xlsx hoặc .txt (tin nhắn Zalo). "
        "Mã thoát: 0 đã ghi; 2 không đọc được nguồn, tuần không có số liệu, không tạo được PDF hoặc không ghi được tệp.",
    )
    report.add_argument("source", metavar="SOURCE", help="đường dẫn tới tệp .xlsx, hoặc đường dẫn Google Sheet")
    report.add_argument(
        "--week", type=_iso_date("--week"), help="tuần báo cáo (ngày Thứ Năm, YYYY-MM-DD); mặc định: tuần gần nhất đã hết hạn báo cáo"
    )
    report.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        type=_output_file("bao-cao.docx", ".xlsx", ".txt", ".pdf"),
        help="tệp ra: .docx, .xlsx, .txt hoặc .pdf",
    )
    report.add_argument("--today", type=_iso_date("--today"), help="ngày hôm nay (YYYY-MM-DD); mặc định: hôm nay ở Hà Tĩnh")
    _credentials_option(report)
    _store_option(report, STORE_DEFAULT)
    template = sub.add_parser(
        "template",
        help="ghi mẫu sổ số liệu .xlsx (có hướng dẫn, một dòng ví dụ mỗi tab, danh sách chọn, kiểm tra số)",
        description="Ghi mẫu sổ số liệu vào OUT.xlsx. Mã thoát: 0 đã ghi; 2 không ghi được tệp.",
    )
    template.add_argument("out", metavar="OUT.xlsx", type=_output_file("mau.xlsx"))
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
    _links_parser(sub)
    return parser


def _links_parser(sub: argparse._SubParsersAction) -> None:
    links = sub.add_parser(
        "links",
        help="in đường dẫn báo cáo riêng của từng thôn và đơn vị (biểu mẫu trên điện thoại)",
        description="Đọc danh sách thôn và đơn vị từ SOURCE và in đường dẫn báo cáo của từng nơi, ký bằng khóa bí mật "
        "SONGIANG_ENTRY_SECRET (hoặc [entry] secret trong .streamlit/secrets.toml); đường dẫn đã thu hồi không được in. "
        "Mã thoát: 0 đã in; 2 chưa có khóa bí mật, thiếu địa chỉ hoặc không đọc được nguồn.",
    )
    links.add_argument("source", metavar="SOURCE", help="đường dẫn Google Sheet (hoặc tệp .xlsx)")
    links.add_argument("--base-url", metavar="URL", help="địa chỉ công khai của bảng theo dõi, ví dụ https://bang.songiang.vn")
    links.add_argument("--json", action="store_true", help='in một danh sách JSON [{"kind", "name", "url"}, …]')
    links.add_argument("--today", type=_iso_date("--today"), help="ngày hôm nay (YYYY-MM-DD); mặc định: hôm nay ở Hà Tĩnh")
    _credentials_option(links)


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


def _store_option(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--store",
        default=None,
        metavar="URL",
        help="kho lịch sử: sqlite:///đường/dẫn (một máy) hoặc postgresql://người-dùng:mật-khẩu@máy-chủ:5432/csdl "
        f"(nhiều máy dùng chung); mặc định: {default}",
    )


def _credentials(path: str | None) -> dict | None:
    from lib.config import load_key_file

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
            write_template(args.out)
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
    if config.kind != "google" or not config.credentials or not config.store_url:
        return
    from lib.outbox import Outbox, deliver_pending, writer_for
    from lib.snapshots import StoreError

    try:
        outbox = Outbox(config.store_url)
        results = deliver_pending(outbox, lambda: writer_for(config.credentials), config.identity)
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
    with _writing(out), open(out, "wb") as handle:
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
