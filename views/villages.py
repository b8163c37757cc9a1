"""Theo thôn: chase specific villages — trend, weekly gains, what is still needed, report history, own issues."""

import datetime as dt

import streamlit as st

from lib import tables
from lib.config import TIMEZONE
from lib.fmt import fmt_date, fmt_int, fmt_pct, md_escape, shorten
from lib.history import TIMELINESS_LABEL
from lib.normalize import ascii_key, loose_key, match_names, name_key
from lib.vi_sort import vi_sorted
from views import cached
from views.common import board_or_stop, inert, issue_table, percent_column, require_admission

require_admission()
st.title("Theo thôn")
board = board_or_stop()
campaign, s = board.ds.campaign, board.summary
table = cached.villages_at(board, s.as_of)
names = vi_sorted(table["name"].astype(str))

# A shareable link (?thon=Thôn 3&thon=khe tre) selects villages, read as the reader reads a name: without
# diacritics, case or the word "Thôn", and close typos; what it understood, or could not find, is said.
if "thon_select" not in st.session_state:
    read = match_names(names, st.query_params.get_all("thon"))
    st.session_state["thon_select"] = list(dict.fromkeys(m.name for m in read if m.name))
    st.session_state["thon_read"] = [(m.typed, m.name) for m in read if not m.exact]


def _search() -> None:
    """The search box: add the villages a name typed with or without diacritics stands for."""
    typed = st.session_state.get("thon_search", "").strip()
    st.session_state["thon_search"] = ""
    if not typed:
        return
    found = [n for n in names if ascii_key(typed) in loose_key(n) or ascii_key(typed) in ascii_key(n)]
    found = found or [m.name for m in match_names(names, [typed]) if m.name]
    st.session_state["thon_select"] = list(dict.fromkeys([*st.session_state.get("thon_select", []), *found]))
    st.session_state["thon_read"] = [(typed, ", ".join(found) or None)]


st.text_input(
    "Tìm thôn (gõ không dấu cũng được)",
    key="thon_search",
    on_change=_search,
    placeholder="ví dụ: khe tre, dong tien",
    help="Gõ tên thôn có dấu hoặc không dấu rồi bấm Enter: các thôn khớp được thêm vào danh sách chọn.",
)
for typed, name in st.session_state.get("thon_read", []):
    if name:
        st.caption(f"Đã hiểu “{md_escape(shorten(typed))}” là “{md_escape(name)}”.")
    else:
        st.warning(f"Không tìm thấy “{md_escape(shorten(typed))}” trong danh sách thôn.", icon=":material/search_off:")
selected = st.multiselect("Chọn thôn", names, key="thon_select", placeholder="Chọn một hoặc vài thôn")
if st.query_params.get_all("thon") != selected:
    st.query_params["thon"] = selected

if selected:
    vw = board.village_weeks[board.village_weeks["name"].isin(selected)]
    chosen = tuple(vi_sorted(selected))
    st.subheader("Tỷ lệ theo tuần")
    st.plotly_chart(
        cached.village_trend_chart(board, chosen),
        config={"displayModeBar": False},
        key="village_trend",
    )
    st.subheader("Số hộ cài đặt thêm mỗi tuần")
    st.plotly_chart(cached.village_gains_chart(board, chosen), config={"displayModeBar": False}, key="village_gains")
    hour = dt.datetime.now(TIMEZONE).replace(minute=0, second=0, microsecond=0)
    report_status = cached.timeliness(board, hour, chosen)
    for name in selected:
        row = table[table["name"] == name].iloc[0]
        st.subheader(md_escape(name))
        cards = st.container(horizontal=True, gap="small")
        smart = row["smartphone_households"]
        status = tables.village_status(row["rate"], smart, campaign.household_target)
        cards.metric("Tỷ lệ / hộ có ĐTTM", fmt_pct(row["rate"]), help=status, border=True, width=170)
        need = f"{fmt_int(row['needed'])} hộ" if row["rate"] == row["rate"] else tables.need_text(row["needed"], smart)
        cards.metric("Cần thêm", need, border=True, width=170)
        cards.metric("Đã cài / hộ có ĐTTM", f"{fmt_int(row['installed'])}/{fmt_int(row['smartphone_households'])}", border=True, width=170)
        last = vw[(vw["name"] == name) & (vw["week"] == s.as_of)]
        accounts = last["accounts"].iloc[0] if len(last) else None
        sent = last["reports_sent"].iloc[0] if len(last) else None
        cards.metric("Tài khoản đăng ký", fmt_int(tables.optional_int(accounts)), border=True, width=170)
        cards.metric("Phản ánh đã gửi", fmt_int(tables.optional_int(sent)), border=True, width=170)
        if note := tables.village_note(row):
            st.caption(f"Lưu ý: {note}.")
        mine = report_status[report_status["name"] == name].sort_values("week", ascending=False)
        with st.expander("Lịch sử báo cáo", expanded=False):
            st.dataframe(
                inert(
                    mine.assign(week=[fmt_date(w) for w in mine["week"]], status=[TIMELINESS_LABEL[x] for x in mine["status"]])[
                        ["week", "status", "basis"]
                    ]
                ),
                hide_index=True,
                placeholder="–",
                column_config={"week": "Tuần", "status": "Tình trạng", "basis": "Căn cứ"},
                key=f"history_{name_key(name)}",
            )
        own = board.issues[board.issues["subject"] == name]
        if len(own):
            st.caption(f"{len(own)} vấn đề trong số liệu của thôn này:")
            issue_table(board, own, key=f"issues_{name_key(name)}")

st.subheader(f"Tất cả các thôn — tuần {fmt_date(s.as_of)}")
view = cached.village_list(board, s.as_of)
st.dataframe(
    inert(view),
    hide_index=True,
    placeholder="–",
    column_config={
        "name": st.column_config.TextColumn("Thôn", pinned=True),
        "rate": percent_column("Tỷ lệ"),
        "need_text": st.column_config.TextColumn("Còn thiếu"),
        "installed": st.column_config.NumberColumn("Đã cài", format="%d"),
        "smartphone_households": st.column_config.NumberColumn("Hộ có ĐTTM", format="%d"),
        "households": st.column_config.NumberColumn("Tổng số hộ", format="%d"),
        "status": st.column_config.TextColumn("Trạng thái"),
        "last": st.column_config.TextColumn("Báo cáo gần nhất"),
        "note": st.column_config.TextColumn("Ghi chú", width="medium"),
    },
    key="all_villages",
)
