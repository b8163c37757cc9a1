"""Where the workbook's bytes come from: local .xlsx files and uploads, as raw cell tables.

This is the only module that touches local files; an .xlsx is parsed in a child process
(`lib.xlsx_reader`) so that no file can take the server down. Everything it returns is plain
data (`RawWorkbook`), the same shape whatever the source, for `validate` to check.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import pickle
import re
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lib.workbook import RawWorkbook, Rows, SourceError
from lib.xlsx_reader import Limits, vn_int, vn_mb

_KEY_IN_URL = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]{20,})")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]{30,}$")


def sheet_key(text: str) -> str | None:
    """The spreadsheet key in a Google Sheets URL (or a bare key); None if it is neither."""
    text = text.strip()
    if m := _KEY_IN_URL.search(text):
        return m.group(1)
    return text if _BARE_KEY.match(text) else None


class FetchError(SourceError):
    """A remote source failed; `reason` is one of quota, server, network, permission, not_found, malformed, auth, renamed."""

    def __init__(self, reason: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.status = status


def read_xlsx(data: str | Path | bytes, source: str | None = None, kind: str = "xlsx", limits: Limits | None = None) -> RawWorkbook:
    """Read every tab of an .xlsx file (path or bytes) in a child process with memory and time limits.

    The file is untrusted: whatever it holds, the answer is a RawWorkbook or a SourceError that
    says, in Vietnamese, what is wrong with the file. The server process never parses it.
    """
    limits = limits or LIMITS
    label = source or (str(data) if not isinstance(data, bytes) else "tệp tải lên")
    if not isinstance(data, bytes):
        data = _file_bytes(Path(data), label, limits)
    if len(data) > limits.file_bytes:
        raise SourceError(_too_big(label, len(data), limits))
    tabs, hidden = _read_in_child(data, label, limits)
    return RawWorkbook(tabs=tabs, source=label, kind=kind, hidden_tabs=frozenset(hidden))


LIMITS = Limits()
_SPECIAL = (
    (stat.S_ISDIR, "là một thư mục"),
    (stat.S_ISFIFO, "là một đường ống (FIFO)"),
    (stat.S_ISCHR, "là một thiết bị"),
    (stat.S_ISBLK, "là một thiết bị"),
    (stat.S_ISSOCK, "là một socket"),
)


def refuse_special_file(mode: int, label: str) -> None:
    """Raise SourceError unless `mode` (from os.stat) is a regular file: a FIFO would block a read forever."""
    if stat.S_ISREG(mode):
        return
    what = next((text for test, text in _SPECIAL if test(mode)), "không phải là một tệp thông thường")
    raise SourceError(f"'{label}' {what}, không phải tệp .xlsx. Hãy đưa đường dẫn tới một tệp .xlsx.")


def _too_big(label: str, size: int, limits: Limits) -> str:
    return f"Tệp '{label}' nặng {vn_mb(size)}, quá giới hạn {vn_mb(limits.file_bytes)}. Hãy xoá các tab, ảnh và dòng không cần rồi lưu lại."


def _file_bytes(path: Path, label: str, limits: Limits) -> bytes:
    try:
        refuse_special_file(os.stat(path).st_mode, label)
        # O_NONBLOCK: if the path became a FIFO since the stat, opening it must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise SourceError(f"Không tìm thấy tệp '{label}'.") from None
    except PermissionError:
        raise SourceError(f"Không có quyền đọc tệp '{label}'.") from None
    except OSError as exc:
        raise SourceError(f"Không mở được tệp '{label}' (mã lỗi {exc.errno}).") from None
    with open(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        refuse_special_file(info.st_mode, label)
        if info.st_size > limits.file_bytes:
            raise SourceError(_too_big(label, info.st_size, limits))
        return handle.read(limits.file_bytes + 1)


# At most two reader processes at once: each may use up to limits.memory_bytes.
_SLOTS = threading.BoundedSemaphore(2)
_CHILD = "import sys; sys.path.insert(0, {root!r}); from lib.xlsx_reader import main; main()"
_CHILD_ENV = ("PATH", "PYTHONPATH", "PYTHONHOME", "LANG", "LC_ALL", "LC_CTYPE", "SYSTEMROOT", "TMPDIR")
_log = logging.getLogger(__name__)


def child_env(environ: Mapping[str, str]) -> dict[str, str]:
    """Only what Python needs: the reader never sees the server's keys or the snapshot store's password."""
    return {**{k: environ[k] for k in _CHILD_ENV if k in environ}, "RUST_BACKTRACE": "0"}


def _read_in_child(data: bytes, label: str, limits: Limits) -> tuple[dict[str, Rows], list[str]]:
    """Run lib.xlsx_reader in a child process: the tabs and hidden tab names, or a SourceError."""
    if not _SLOTS.acquire(timeout=limits.seconds):
        raise SourceError("Máy chủ đang bận đọc các tệp khác. Hãy thử lại sau ít phút.")
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", _CHILD.format(root=str(Path(__file__).resolve().parent.parent)), json.dumps(limits._asdict())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_env(os.environ),
        )
        timed_out = False
        try:
            out, err = proc.communicate(data, timeout=limits.seconds)
        except subprocess.TimeoutExpired:
            timed_out, out, err = True, b"", b"wall-clock limit"
        finally:
            if proc.poll() is None:  # past its time, or this thread was interrupted: never leave it running
                proc.kill()
                proc.communicate()
    finally:
        _SLOTS.release()
    answer = _answer(out) if proc.returncode == 0 else None
    if answer is None:
        _log.warning("xlsx reader child ended with status %s: %s", proc.returncode, err[-300:].decode("utf-8", "replace"))
        if timed_out or proc.returncode == -getattr(signal, "SIGXCPU", 24):
            raise SourceError(_stopped(label, f"đọc tệp quá {_seconds(limits)} giây nên đã dừng"))
        raise SourceError(_stopped(label, _OUT_OF_MEMORY.format(vn_mb(limits.memory_bytes))))
    status, *rest = answer
    if status == "ok":
        return rest[0], rest[1]
    if status == "refused":
        raise SourceError(f"Không đọc được '{label}': {rest[0]}")
    if status == "memory":
        raise SourceError(_stopped(label, _OUT_OF_MEMORY.format(vn_mb(limits.memory_bytes))))
    raise SourceError(
        f"Không đọc được '{label}' như một tệp Excel (.xlsx): {rest[0]}. Hãy mở tệp bằng Excel hoặc Google Sheets và lưu lại dưới dạng .xlsx."
    )


# What ends the child without an answer: calamine aborting on a failed allocation, or MemoryError.
_OUT_OF_MEMORY = "đọc tệp cần hơn {} bộ nhớ (giới hạn của bộ đọc) hoặc tệp bị hỏng"


def _seconds(limits: Limits) -> str:
    value = limits.seconds
    return vn_int(int(value)) if value == int(value) else f"{value:g}".replace(".", ",")


def _stopped(label: str, reason: str) -> str:
    return (
        f"Không đọc được '{label}': {reason}. Tệp quá lớn hoặc có cấu trúc bất thường; "
        "hãy xoá các dòng, cột trống thừa ở cuối mỗi tab rồi lưu lại dưới dạng .xlsx."
    )


class _AnswerUnpickler(pickle.Unpickler):
    """Cell values only: the child parsed untrusted bytes, so its answer may name no other class."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "datetime" and name in ("date", "datetime", "time", "timedelta", "timezone"):
            return getattr(dt, name)
        raise pickle.UnpicklingError(f"{module}.{name}")


def _answer(out: bytes) -> tuple[Any, ...] | None:
    try:
        answer = _AnswerUnpickler(io.BytesIO(out)).load()
    except Exception:
        return None
    ok = isinstance(answer, tuple) and len(answer) >= 2 and answer[0] in ("ok", "refused", "memory", "broken")
    if ok and answer[0] == "ok":
        ok = len(answer) == 3 and isinstance(answer[1], dict) and isinstance(answer[2], list)
    return answer if ok else None
