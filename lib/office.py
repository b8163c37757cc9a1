"""LibreOffice headless as a converter (.docx → .pdf, .xlsx → .xlsx): bytes in, bytes or a Vietnamese reason out.

An adapter at the edge: it runs a program, so the pure report modules never import it. Each conversion
gets its own temporary folder and LibreOffice profile, so two conversions at once (two users, or a test
beside the app) never share one, and a conversion that hangs is killed with everything it started.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 90.0  # seconds; a two-page report takes about 5 s on 2 cores, the first start of a profile a little more
NOT_INSTALLED = (
    "Máy chủ chưa cài LibreOffice (gói libreoffice-writer-nogui) nên chưa tạo được bản PDF. "
    "Hãy tải bản .docx, mở bằng Word hoặc WPS rồi lưu thành PDF."
)


@dataclass(frozen=True)
class Converted:
    """The converted file, or why there is none (in Vietnamese), and how long LibreOffice took."""

    data: bytes | None
    reason: str = ""
    seconds: float = 0.0


def soffice() -> str | None:
    """The LibreOffice program on PATH, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def unavailable() -> str | None:
    """Why a PDF cannot be made on this machine (in Vietnamese), or None when LibreOffice is installed."""
    return None if soffice() else NOT_INSTALLED


def convert(data: bytes, suffix: str, target: str, timeout: float = TIMEOUT) -> Converted:
    """Convert a file's bytes (`suffix` like ".docx") to `target` ("pdf", "xlsx") with LibreOffice headless."""
    program = soffice()
    if program is None:
        return Converted(None, NOT_INSTALLED)
    with tempfile.TemporaryDirectory(prefix="songiang-office-") as folder:
        work = Path(folder)
        source, out = work / f"bao-cao{suffix}", work / "out"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ]
        started = time.monotonic()
        # A session of its own: on a timeout the whole group goes (the launcher and soffice.bin), not only the launcher.
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return Converted(None, f"LibreOffice chưa chuyển xong sau {timeout:.0f} giây nên chưa tạo được tệp. Hãy thử lại sau ít phút.")
        seconds = time.monotonic() - started
        produced = out / f"bao-cao.{target.split(':')[0]}"
        if process.returncode != 0 or not produced.is_file():
            return Converted(
                None,
                f"LibreOffice không chuyển được tệp (mã thoát {process.returncode}). Hãy tải bản gốc và lưu lại bằng Word hoặc Excel.",
                seconds,
            )
        return Converted(produced.read_bytes(), "", seconds)


def docx_to_pdf(docx: bytes, timeout: float = TIMEOUT) -> Converted:
    """The report's .docx as a PDF, for leaders who read it on a phone."""
    return convert(docx, ".docx", "pdf", timeout)


def pdf_or_raise(docx: bytes) -> bytes:
    """The PDF for a download button that builds it when clicked; a failed conversion raises with the Vietnamese reason."""
    done = docx_to_pdf(docx)
    if done.data is None:
        raise RuntimeError(done.reason)
    return done.data
