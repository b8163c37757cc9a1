"""One place for settings: the campaign (targets, phases, report day) and the app (source, cache).

Campaign values come from the workbook's `Cấu hình` and `Giai đoạn` tabs, falling back to the
plan's defaults; app values come from environment variables, read at call time.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

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

    def phase_on(self, day: dt.date) -> Phase | None:
        """The phase a day falls in (the later one where two phases share a boundary day)."""
        current = None
        for phase in self.phases:
            if phase.start <= day <= phase.end:
                current = phase
        return current


@dataclass(frozen=True)
class AppSettings:
    """How the app runs: which source, how long to cache, what day it is."""

    source: str = str(SAMPLE_PATH)
    cache_ttl_seconds: int = 60
    today: dt.date = field(default_factory=lambda: dt.datetime.now(TIMEZONE).date())


def app_settings(env: dict[str, str] | None = None) -> AppSettings:
    """Read the app settings from the environment now (SONGIANG_SOURCE, SONGIANG_CACHE_TTL, SONGIANG_TODAY)."""
    env = dict(os.environ) if env is None else env
    defaults = AppSettings()
    today = defaults.today
    if env.get("SONGIANG_TODAY"):
        today = dt.date.fromisoformat(env["SONGIANG_TODAY"])
    return AppSettings(
        source=env.get("SONGIANG_SOURCE") or defaults.source,
        cache_ttl_seconds=int(env.get("SONGIANG_CACHE_TTL") or defaults.cache_ttl_seconds),
        today=today,
    )


def local_today() -> dt.date:
    """Today in Hà Tĩnh (UTC+7), whatever the server's clock zone."""
    return dt.datetime.now(TIMEZONE).date()
