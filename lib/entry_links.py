"""Who may report through the form: one signed link per village and per unit, revocable without code.

A link carries the village (or unit) name and an HMAC-SHA256 of it under the `[entry] secret`
(env SONGIANG_ENTRY_SECRET wins), truncated to 22 URL-safe characters. Changing the secret revokes
every link; `[entry] revoked = ["Thôn 3"]` revokes one (names match as the reader matches them).
Pure: settings come in as plain mappings, nothing here reads files or the network.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from lib.normalize import WEEKDAYS_VI, clean_text, name_key

TOKEN_PARAM = "ma"  # its presence makes a request a report-form request (app.py)
NAME_PARAMS = {"village": "thon", "unit": "don-vi"}
MIN_SECRET_LENGTH = 16
_TOKEN_LENGTH = 22  # 132 bits of the HMAC: short enough for Zalo, far beyond guessing
_DOMAIN = "songiang-entry-v1"

REFUSALS = {
    "off": "Chức năng gửi báo cáo qua đường dẫn chưa được bật. Xin liên hệ Phòng Văn hóa – Xã hội.",
    "malformed": "Đường dẫn này không đúng hoặc bị thiếu một phần. Hãy mở lại đúng đường dẫn mà Phòng Văn hóa – Xã hội đã gửi qua Zalo.",
    "bad_signature": "Đường dẫn này không còn dùng được (có thể đã bị sửa, hoặc xã đã cấp đường dẫn mới). "
    "Xin liên hệ Phòng Văn hóa – Xã hội để nhận đường dẫn mới.",
    "revoked": "Đường dẫn này đã bị thu hồi. Xin liên hệ Phòng Văn hóa – Xã hội để nhận đường dẫn mới.",
}


@dataclass(frozen=True)
class EntrySettings:
    """The report form's settings: the signing secret, revoked names and the public address of the app."""

    secret: str = field(default="", repr=False)
    revoked: frozenset[str] = frozenset()  # name keys
    base_url: str = ""
    problem: str = ""  # why the form is off although a secret is set

    @property
    def enabled(self) -> bool:
        """True when links can be made and checked."""
        return bool(self.secret) and not self.problem

    def is_revoked(self, name: str) -> bool:
        """Whether a village or unit's link has been revoked by name."""
        return name_key(name) in self.revoked


def entry_settings(env: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None) -> EntrySettings:
    """`[entry]` from secrets (secret, revoked, base_url), with SONGIANG_ENTRY_SECRET and SONGIANG_BASE_URL first; read at call time."""
    env = os.environ if env is None else env
    section = dict((secrets or {}).get("entry") or {})
    secret = str(env.get("SONGIANG_ENTRY_SECRET") or section.get("secret") or "")
    revoked = section.get("revoked") or []
    if isinstance(revoked, str):
        revoked = [revoked]
    problem = ""
    if secret and len(secret) < MIN_SECRET_LENGTH:
        problem = f"Khóa bí mật [entry] secret quá ngắn (cần ít nhất {MIN_SECRET_LENGTH} ký tự ngẫu nhiên), nên chưa bật biểu mẫu báo cáo."
    return EntrySettings(
        secret=secret,
        revoked=frozenset(name_key(str(n)) for n in revoked if clean_text(n)),
        base_url=str(env.get("SONGIANG_BASE_URL") or section.get("base_url") or "").rstrip("/"),
        problem=problem,
    )


def sign(secret: str, kind: str, name: str) -> str:
    """The link's token: HMAC-SHA256 of kind and name key under the secret, URL-safe, truncated."""
    message = f"{_DOMAIN}\x1f{kind}\x1f{name_key(name)}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:_TOKEN_LENGTH]


@dataclass(frozen=True)
class LinkRequest:
    """What a report link asks for: a kind (village | unit), a name and its token, as typed in the URL."""

    kind: str
    name: str
    token: str


def _single(value: object) -> str | None:
    if isinstance(value, list | tuple):
        return str(value[0]) if len(value) == 1 else None
    return None if value is None else str(value)


def requested(query: Mapping[str, Any]) -> LinkRequest | None:
    """The report link in a URL's query, or None when the query carries no token (not a report link)."""
    if TOKEN_PARAM not in query:
        return None
    token = _single(query.get(TOKEN_PARAM)) or ""
    found = [(kind, _single(query[param])) for kind, param in NAME_PARAMS.items() if param in query]
    if len(found) != 1 or not found[0][1]:
        return LinkRequest("", "", token)
    kind, name = found[0]
    return LinkRequest(kind, clean_text(name), token)


def verify(settings: EntrySettings, request: LinkRequest) -> str | None:
    """None when the link is genuine and not revoked; otherwise the refusal's code (a key of REFUSALS)."""
    if not settings.enabled:
        return "off"
    if request.kind not in NAME_PARAMS or not request.name or not request.token:
        return "malformed"
    expected = sign(settings.secret, request.kind, request.name).encode()
    if not hmac.compare_digest(expected, request.token.encode("utf-8", "replace")):
        return "bad_signature"
    if settings.is_revoked(request.name):
        return "revoked"
    return None


@dataclass(frozen=True)
class Link:
    """One village's or unit's report link."""

    kind: str  # village | unit
    name: str
    url: str


def link_url(base_url: str, secret: str, kind: str, name: str) -> str:
    """The report link for one village or unit, under the app's public address."""
    query = urlencode({NAME_PARAMS[kind]: name, TOKEN_PARAM: sign(secret, kind, name)}, quote_via=quote)
    return f"{base_url.rstrip('/')}/?{query}"


def links(settings: EntrySettings, base_url: str, villages: Iterable[str], units: Iterable[str]) -> list[Link]:
    """Every link that works now: each village, then each unit, the revoked ones left out."""
    found = []
    for kind, names in (("village", villages), ("unit", units)):
        for name in names:
            if not settings.is_revoked(name):
                found.append(Link(kind, name, link_url(base_url, settings.secret, kind, name)))
    return found


def zalo_message(link: Link, commune: str, report_weekday: int = 3) -> str:
    """A message staff paste into Zalo for one village head or unit head (plain text, as Zalo shows it)."""
    day = WEEKDAYS_VI[report_weekday]
    if link.kind == "village":
        who, what = f"Kính gửi đồng chí trưởng thôn {link.name},", "số hộ đã cài đặt ứng dụng i-HaTinh, số tài khoản và số phản ánh"
    else:
        who, what = f"Kính gửi đồng chí thủ trưởng {link.name},", "số cán bộ đã cài đặt ứng dụng i-HaTinh"
    return (
        f"{who}\n"
        f"Từ tuần này, {link.name} báo cáo {what} (cộng dồn) bằng đường dẫn riêng dưới đây, "
        f"trước 23:59 {day} hằng tuần. Mở đường dẫn trên điện thoại, nhập số và bấm «Gửi báo cáo»:\n"
        f"{link.url}\n"
        f"Đường dẫn này chỉ dùng cho {link.name}, xin không chuyển cho người khác.\n"
        f"Phòng Văn hóa – Xã hội, UBND xã {commune}."
    )


def qr_png(url: str, scale: int = 5) -> bytes:
    """A QR code of a link as PNG bytes (segno: pure Python, no image library)."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def qr_data_uri(url: str, scale: int = 3) -> str:
    """The same QR code as a data: URI, for an image column in a table."""
    return "data:image/png;base64," + base64.b64encode(qr_png(url, scale)).decode()
