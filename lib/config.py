"""One place for settings: the campaign (targets, phases, report day) and the app (source, cache).

Campaign values come from the workbook's `Cấu hình` and `Giai đoạn` tabs, falling back to the
plan's defaults; app values come from environment variables and secrets (and the key file they name),
read at call time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lib.workbook import SourceError

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PATH = ROOT / "data" / "sample_son_giang.xlsx"


@dataclass(frozen=True)
class Phase:
    """A campaign phase: name, first and last day, who it targets."""

    name: str
    start: dt.date
    end: dt.date
    audience: str = ""


DEFAULT_PHASES: tuple[Phase, ...] = (
    Phase("Giai đoạn 1", dt.date(2026, 4, 15), dt.date(2026, 4, 20), "Cán bộ, công chức, viên chức và lực lượng nòng cốt"),
    Phase("Giai đoạn 2", dt.date(2026, 4, 20), dt.date(2026, 4, 30), "Người dân tại các thôn"),
    Phase("Duy trì", dt.date(2026, 5, 1), dt.date(2026, 12, 31), "Duy trì cài đặt, sử dụng đến hết năm 2026"),
)


@dataclass(frozen=True)
class Campaign:
    """The campaign's targets and calendar, as the workbook (or the plan) sets them."""

    commune: str = "Sơn Giang"
    province: str = "Hà Tĩnh"
    household_target: float = 0.70
    official_target: float = 1.00
    report_weekday: int = 3  # Thursday
    phases: tuple[Phase, ...] = DEFAULT_PHASES
    signer: str = ""
    signer_title: str = "PHÓ CHỦ TỊCH"
    report_working_days: int = 5  # field reports: days to handle one when the row gives no deadline
    on_time_target: float = 1.00  # field reports: share to handle on time


@dataclass(frozen=True)
class AppSettings:
    """How the app runs: which source, with which key, how long to cache, where snapshots go."""

    source: str = str(SAMPLE_PATH)
    cache_ttl_seconds: int = 60
    today: dt.date = field(default_factory=lambda: dt.datetime.now(TIMEZONE).date())
    credentials: dict[str, Any] | None = field(default=None, repr=False)
    store_url: str | None = field(default=None, repr=False)  # may hold a database password

    @property
    def is_sample(self) -> bool:
        """True when the app shows the bundled sample workbook."""
        return Path(self.source).resolve() == SAMPLE_PATH.resolve()


def app_settings(env: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None) -> AppSettings:
    """The app settings now: environment (SONGIANG_*) first, then secrets.toml's [sheet] and [gcp_service_account].

    SONGIANG_SOURCE (path or Google Sheets URL), SONGIANG_CACHE_TTL (seconds), SONGIANG_STORE
    (sqlite:///path, or postgresql://user:password@host:5432/db for several replicas), SONGIANG_TODAY (YYYY-MM-DD, for demos and tests), GOOGLE_APPLICATION_CREDENTIALS
    (a service-account JSON key file).
    """
    env = os.environ if env is None else env
    secrets = secrets or {}
    sheet = dict(secrets.get("sheet") or {})
    defaults = AppSettings()
    today = dt.date.fromisoformat(env["SONGIANG_TODAY"]) if env.get("SONGIANG_TODAY") else defaults.today
    credentials = dict(secrets["gcp_service_account"]) if secrets.get("gcp_service_account") else None
    if credentials is None and env.get("GOOGLE_APPLICATION_CREDENTIALS"):
        credentials = load_key_file(env["GOOGLE_APPLICATION_CREDENTIALS"])
    return AppSettings(
        source=env.get("SONGIANG_SOURCE") or sheet.get("url") or defaults.source,
        cache_ttl_seconds=int(env.get("SONGIANG_CACHE_TTL") or sheet.get("cache_ttl_seconds") or defaults.cache_ttl_seconds),
        today=today,
        credentials=credentials,
        store_url=env.get("SONGIANG_STORE") or sheet.get("snapshot_store") or None,
    )


def local_today() -> dt.date:
    """Today in Hà Tĩnh (UTC+7), whatever the server's clock zone."""
    return dt.datetime.now(TIMEZONE).date()


def load_key_file(path: str) -> dict[str, Any]:
    """A service-account JSON key file, with a Vietnamese error that never quotes its content."""
    try:
        with open(path, encoding="utf-8") as handle:
            info = json.load(handle)
    except FileNotFoundError:
        raise SourceError(f"Không tìm thấy tệp khóa tài khoản dịch vụ '{path}'.") from None
    except (OSError, ValueError):
        raise SourceError(f"Tệp '{path}' không phải tệp khóa JSON của tài khoản dịch vụ.") from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise SourceError(f"Tệp '{path}' không phải tệp khóa JSON của tài khoản dịch vụ.")
    return info
