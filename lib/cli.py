"""The command line's words: the parser, its argument types and the Vietnamese refusals (`lib.__main__` runs it).

Every argument type raises CommandError, so a bad value reads like every other refusal: one Vietnamese line on
stderr and exit 2, never argparse's English usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import os
from collections.abc import Callable, Iterator

from lib.fmt import fmt_int

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
def writing(path: str) -> Iterator[None]:
    """Turn any OSError while writing `path` into a CommandError that says why in Vietnamese."""
    try:
        yield
    except OSError as exc:
        code = errno.errorcode.get(exc.errno or 0, "?")
        template = WRITE_PROBLEMS.get(exc.errno or 0, f"Không ghi được {{path}} (lỗi hệ thống {code}).")
        raise CommandError(template.format(path=repr(path), folder=repr(os.path.dirname(path) or "."))) from exc


def parser() -> argparse.ArgumentParser:
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
        "--today",
        type=_iso_date("--today"),
        help="ngày hôm nay (YYYY-MM-DD): ngày sau đó là ngày tương lai, phản ánh quá hạn tính đến ngày này; mặc định: hôm nay ở Hà Tĩnh",
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
