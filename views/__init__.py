"""Dashboard screens: each lays out widgets and calls lib; no parsing, no maths.

`SCREENS` is the one list of them: app.py navigates over it, and the tests open every screen and every
url path from it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Screen:
    """One screen: its script (relative to app.py), its title in the menu, its icon and its URL path."""

    script: str
    title: str
    icon: str
    url_path: str


SCREENS: tuple[Screen, ...] = (  # the first is the home screen, served at / as well as at its own path
    Screen("views/overview.py", "Tổng quan", ":material/dashboard:", "tong-quan"),
    Screen("views/villages.py", "Theo thôn", ":material/holiday_village:", "theo-thon"),
    Screen("views/units.py", "Cán bộ & đơn vị", ":material/badge:", "can-bo"),
    Screen("views/phases.py", "Giai đoạn", ":material/calendar_month:", "giai-doan"),
    Screen("views/field_reports.py", "Phản ánh", ":material/campaign:", "phan-anh"),
    Screen("views/report.py", "Báo cáo tuần", ":material/description:", "bao-cao"),
    Screen("views/quality.py", "Chất lượng dữ liệu", ":material/fact_check:", "chat-luong"),
    Screen("views/source.py", "Nguồn dữ liệu", ":material/cable:", "nguon-du-lieu"),
    Screen("views/links.py", "Đường dẫn báo cáo", ":material/qr_code_2:", "duong-dan-bao-cao"),
)
