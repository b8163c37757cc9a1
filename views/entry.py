"""Báo cáo tuần: a village head's (or unit head's) form, opened from a signed link without signing in.

app.py runs `entry_screen` as the only screen of a request whose query carries a report token; it
shows nothing of the dashboard but the link's own village: its name, the open week, its last figures
and its denominator. A link that does not verify gets a polite refusal and no data. Every check is
the reader's (lib.entry); every submission is stored before Google is asked (lib.outbox).
"""

from __future__ import annotations

import datetime as dt
import secrets as random
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from lib import entry
from lib.config import TIMEZONE
from lib.entry_links import REFUSALS, entry_settings, requested, verify
from lib.fmt import fmt_date, fmt_int, fmt_pct, md_escape
from lib.loading import current, refresh, secrets
from lib.normalize import WEEKDAYS_VI
from lib.validation.model import Dataset
from lib.workbook import RawWorkbook

TITLE = "Báo cáo tuần"
STYLE = """<style>
[data-testid="stNumberInput"] input, [data-testid="stTextInput"] input { font-size: 1.35rem; min-height: 3.2rem; }
[data-testid="stWidgetLabel"] p { font-size: 1.15rem; font-weight: 600; }
[data-testid="stAlertContainer"] p { font-size: 1.1rem; }
.stButton button p, [data-testid="stCheckbox"] label p { font-size: 1.25rem; font-weight: 600; }
.stButton button { min-height: 3.4rem; }
</style>"""
SETUP_STEPS = """
Biểu mẫu ghi thẳng một dòng vào Google Sheet của xã, nên bảng theo dõi phải đọc Sheet bằng **tài khoản dịch vụ**
(không dùng tệp Excel hay đường liên kết công khai). Người quản trị:

1. Tạo tài khoản dịch vụ trên Google Cloud, bật *Google Sheets API*, tải tệp khóa JSON.
2. Mở Google Sheet → **Chia sẻ** → thêm email của tài khoản dịch vụ với quyền **Người chỉnh sửa**.
3. Ghi `[sheet] url` và mục `[gcp_service_account]` vào `.streamlit/secrets.toml`, thêm `[entry] secret` (một chuỗi ngẫu nhiên dài).
4. Khởi động lại ứng dụng, rồi lấy đường dẫn của từng thôn ở trang *Đường dẫn báo cáo*.
"""


def _week_label(week: dt.date) -> str:
    return f"{WEEKDAYS_VI[week.weekday()]} {fmt_date(week)}"


def _now(today: dt.date) -> dt.datetime:
    """Now in Hà Tĩnh; on the configured day when SONGIANG_TODAY pins one (demos, tests)."""
    now = dt.datetime.now(TIMEZONE)
    return now if now.date() == today else dt.datetime.combine(today, now.time(), tzinfo=TIMEZONE)


def _refuse(text: str) -> None:
    st.title(TITLE)
    st.error(text, icon=":material/link_off:")


def entry_screen(query: Mapping[str, Any]) -> None:
    """The whole screen for one report link."""
    st.html(STYLE)
    request = requested(query)
    refusal = verify(entry_settings(secrets=secrets()), request) if request is not None else "malformed"
    if refusal is not None:
        _refuse(REFUSALS[refusal])
        return
    assert request is not None
    now = current()
    config = now.config
    if config is None or config.kind != "google" or not config.credentials:
        st.title(TITLE)
        st.warning(
            "Biểu mẫu chưa nhận được báo cáo vì bảng theo dõi chưa được nối với Google Sheet bằng tài khoản dịch vụ. "
            "Xin báo Phòng Văn hóa – Xã hội.",
            icon=":material/cloud_off:",
        )
        with st.expander("Hướng dẫn cho người quản trị"):
            st.markdown(SETUP_STEPS)
        return
    if now.loaded is None:
        _refuse("Chưa đọc được bảng tính của xã. Xin thử lại sau ít phút.")
        return
    ds, raw = now.loaded.ds, now.loaded.raw
    subject = entry.find_subject(ds, request.kind, request.name)
    if subject is None:
        noun = entry.noun(request.kind)
        _refuse(
            f"{md_escape(request.name)} chưa có trong danh sách {noun} của bảng tính (hoặc dòng của {noun} đang có lỗi). "
            "Xin liên hệ Phòng Văn hóa – Xã hội."
        )
        return
    from lib.outbox import Outbox, deliver_pending, writer_for
    from lib.snapshots import StoreError

    try:
        outbox = Outbox(config.store_url or "")
        credentials = config.credentials
        deliver_pending(outbox, lambda: writer_for(credentials), config.identity, throttle=True)  # saved earlier, sent now
        earlier = outbox.not_yet_read(config.identity, subject.kind, subject.key, ds.source.fetched_at)
    except (StoreError, ValueError):
        _refuse("Máy chủ chưa lưu được báo cáo lúc này (kho lưu trữ không dùng được). Xin thử lại sau hoặc báo Phòng Văn hóa – Xã hội.")
        return
    form = entry.prepare(ds, raw, subject, now.settings.today, [list(e.target.row) for e in earlier if e.id not in _ids(ds, raw, subject)])
    if form is None:
        _refuse(f"Chưa đọc được tab báo cáo của {entry.noun(subject.kind)} trong bảng tính. Xin báo Phòng Văn hóa – Xã hội.")
        return
    _form(form, outbox, config, earlier, ds.campaign)


def _ids(ds: Dataset, raw: RawWorkbook, subject: entry.Subject) -> set[str]:
    where = entry.layout(ds, raw, subject.kind)
    return entry.ids_on_sheet(raw, where) if where is not None else set()


def _form(form: entry.Form, outbox, config, earlier, campaign) -> None:
    from lib.outbox import submit, writer_for

    s, kind = form.subject, form.kind
    target = campaign.household_target if kind == "village" else campaign.official_target
    st.title(md_escape(s.name))
    st.caption(f"Báo cáo kết quả cài đặt i-HaTinh · xã {md_escape(campaign.commune)}")
    if kind == "village":
        st.write(f"Số hộ có điện thoại thông minh: **{fmt_int(s.size)}** · tổng số hộ: {fmt_int(s.households)}")
    else:
        st.write(f"Tổng số cán bộ, công chức, viên chức, người lao động: **{fmt_int(s.size)}**")
    weeks = entry.open_weeks(_now(form.today), campaign.report_weekday)
    reports = form.reports()
    earlier_weeks = reports[reports["week"] < min(weeks)]
    if len(earlier_weeks):
        st.write(f"Báo cáo gần nhất (tuần {fmt_date(earlier_weeks.iloc[-1]['week'])}): {_figures(form, earlier_weeks.iloc[-1])}.")
    if len(weeks) == 1:
        week = weeks[0]
        st.subheader(f"Tuần báo cáo: {_week_label(week)}")
    else:
        week = st.radio("Tuần báo cáo", weeks, format_func=_week_label, key="entry_week")
    st.caption(f"Hạn nộp: 23:59 {_week_label(week)}. Ghi số cộng dồn đến hôm nay.")

    sent = outbox.for_week(config.identity, kind, s.key, week)
    if sent is not None:  # sent from this phone or another: the proof, not a second form
        typed = {f: st.session_state.get(f"entry_{f}") for f in entry.FIGURES[kind] if f in form.where.columns}
        mine = sent.id in (st.session_state.get("entry_id"), st.session_state.get("entry_sent"))
        other = not mine and typed.get("installed") is not None
        if other and any(sent.figures.get(f) != v for f, v in typed.items()):  # this phone's figures were not sent: the week was
            st.error(_taken(sent, form), icon=":material/error:")
        _confirmation(form, sent, target)
        return
    on_sheet = reports[reports["week"] == week]
    if len(on_sheet):
        st.info(
            f"Tuần {_week_label(week)} {md_escape(s.name)} đã có báo cáo trên bảng tính: {_figures(form, on_sheet.iloc[-1])}. "
            "Mỗi tuần chỉ gửi một lần; nếu cần sửa số, xin báo Phòng Văn hóa – Xã hội.",
            icon=":material/check_circle:",
        )
        return

    if "entry_id" not in st.session_state:  # one id per submission: a double tap sends the same id
        st.session_state["entry_id"] = "SG-" + random.token_hex(6).upper()
    submission_id = st.session_state["entry_id"]
    columns = form.where.columns
    values: dict[str, Any] = {}
    slots: dict[str, Any] = {}
    for field in (f for f in entry.FIGURES[kind] if f in columns):
        values[field] = st.number_input(
            entry.label(kind, field), min_value=0, step=1, value=None, placeholder="Nhập số", key=f"entry_{field}"
        )
        slots[field] = st.container()  # its messages, right under it
    note = st.text_input("Ghi chú", max_chars=entry.NOTE_LIMIT, key="entry_note", placeholder="Không bắt buộc") if "note" in columns else ""
    slots["note"] = st.container()
    draft = entry.Draft(week, values.get("installed"), values.get("accounts"), values.get("reports_sent"), (note or "").strip())
    checked = entry.check(form, draft, submission_id)
    tried = st.session_state.get("entry_tried", False)
    for message in checked.messages:
        if message.field == "installed" and draft.installed is None and not tried:
            continue  # not yet typed: say so only once they try to send
        where = slots.get(message.field) or st
        (where.warning if message.confirm else where.error)(
            message.text, icon=":material/warning:" if message.confirm else ":material/error:"
        )
    confirmed = st.checkbox(entry.CONFIRM_LABEL, key="entry_confirm") if checked.needs_confirmation else False
    refused = st.session_state.get("entry_refused")
    if refused:
        st.error(refused, icon=":material/error:")
    if st.button("Gửi báo cáo", type="primary", key="entry_send", width="stretch"):
        st.session_state["entry_tried"] = True
        if checked.sendable(confirmed):
            with st.spinner("Đang gửi…"):
                outcome = submit(
                    outbox, lambda: writer_for(config.credentials), config.identity, config.location, form, draft, checked, submission_id
                )
            st.session_state["entry_refused"] = _refusal(outcome, form)
            if outcome.status in ("delivered", "saved") and outcome.entry is not None and outcome.entry.id == submission_id:
                st.session_state["entry_sent"] = st.session_state.pop("entry_id")  # the next report is a new submission
            if outcome.status == "delivered":
                refresh()  # the dashboard reads the Sheet again soon: the report is seen (and timed) when it was sent
        st.rerun()


def _figures(form: entry.Form, report) -> str:
    """'95 hộ đã cài đặt, 120 tài khoản, 4 phản ánh (59,4 %)'."""
    unit = "hộ" if form.kind == "village" else "cán bộ"
    parts = [f"{fmt_int(report['installed'])} {unit} đã cài đặt"]
    for field, word in (("accounts", "tài khoản"), ("reports_sent", "phản ánh")) if form.kind == "village" else ():
        value = report.get(field)
        if not pd.isna(value):
            parts.append(f"{fmt_int(value)} {word}")
    size = form.subject.size
    return ", ".join(parts) + (f" ({fmt_pct(report['installed'] / size)})" if size else "")


def _confirmation(form: entry.Form, sent, target: float) -> None:
    """What the person can screenshot and send to the group: the week, the figures written, the updated rate."""
    kind = form.kind
    figures = sent.figures
    lines = [f"{entry.label(kind, 'installed')}: **{fmt_int(figures.get('installed'))}**"]
    if kind == "village":
        for field in ("accounts", "reports_sent"):
            if figures.get(field) is not None:
                lines.append(f"{entry.label(kind, field)}: **{fmt_int(figures[field])}**")
    if figures.get("note"):
        lines.append(f"Ghi chú: {md_escape(figures['note'])}")
    rate = figures.get("rate")
    denominator = "số hộ có điện thoại thông minh" if kind == "village" else "tổng số cán bộ"
    lines.append(f"Tỷ lệ cài đặt của {md_escape(form.subject.name)}: **{fmt_pct(rate)}** {denominator} (chỉ tiêu {fmt_pct(target, 0)})")
    saved_at = sent.created_at.astimezone(TIMEZONE)
    lines.append(f"Mã gửi: {sent.id} · lúc {saved_at:%H:%M %d/%m/%Y}")
    if sent.delivered:
        st.success(f"Đã gửi báo cáo tuần {_week_label(sent.week)} của {md_escape(form.subject.name)}.", icon=":material/check_circle:")
    else:
        st.info("Đã lưu, sẽ gửi lên bảng tính khi có kết nối. Không cần gửi lại.", icon=":material/save:")
    st.markdown("  \n".join(lines))


def _refusal(outcome, form: entry.Form) -> str | None:
    """What to say when a send was not taken: too many sends, or the week already sent with other figures."""
    if outcome.status == "rate_limited":
        return outcome.message
    return _taken(outcome.entry, form) if outcome.status == "taken" else None


def _taken(first, form: entry.Form) -> str:
    at = first.created_at.astimezone(TIMEZONE)
    return (
        f"Số vừa nhập chưa được gửi: tuần {_week_label(first.week)} {md_escape(form.subject.name)} đã gửi báo cáo lúc {at:%H:%M %d/%m/%Y} "
        f"({entry.label(form.kind, 'installed').lower()}: {fmt_int(first.figures.get('installed'))}). "
        "Mỗi tuần chỉ gửi một lần; nếu cần sửa số, xin báo Phòng Văn hóa – Xã hội."
    )
