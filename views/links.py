"""Đường dẫn báo cáo: for staff — each village's and unit's report link with its QR code and Zalo message, and the form's rows still waiting for Google."""

from urllib.parse import urlparse

import pandas as pd
import streamlit as st

from lib import entry_links
from lib.config import TIMEZONE
from lib.fmt import fmt_date, md_escape
from lib.loading import current, secrets
from views.common import board_or_stop, inert, require_admission

require_admission()
st.title("Đường dẫn báo cáo")
board = board_or_stop()  # the links are made from the roster the dashboard reads
st.write(
    "Mỗi thôn và mỗi đơn vị có một đường dẫn riêng: trưởng thôn (thủ trưởng đơn vị) mở trên điện thoại, nhập số tuần và bấm "
    "«Gửi báo cáo», không cần đăng nhập. Biểu mẫu kiểm tra số như bảng theo dõi rồi ghi một dòng vào Sheet."
)
settings = entry_links.entry_settings(secrets=secrets())
now = current()
config = now.config
if not settings.enabled:
    st.warning(settings.problem or "Chưa bật biểu mẫu báo cáo: chưa có khóa bí mật `[entry] secret`.", icon=":material/link_off:")
    st.markdown(
        """
**Cách bật**

1. Trong `.streamlit/secrets.toml`, thêm mục `[entry]` với `secret = "…"`: một chuỗi ngẫu nhiên dài (ví dụ chạy
   `python -c "import secrets; print(secrets.token_urlsafe(32))"`), hoặc đặt biến môi trường `SONGIANG_ENTRY_SECRET`.
2. Ghi địa chỉ công khai của bảng: `base_url = "https://…"` trong cùng mục.
3. Bảng phải đọc Sheet bằng tài khoản dịch vụ có quyền **Người chỉnh sửa** (trang *Nguồn dữ liệu*).
4. Khởi động lại ứng dụng: trang này sẽ có đường dẫn, mã QR và tin nhắn Zalo cho từng thôn.
"""
    )
    st.stop()
if config is None or config.kind != "google" or not config.credentials:
    st.warning(
        "Biểu mẫu cần bảng đọc Google Sheet bằng tài khoản dịch vụ có quyền **Người chỉnh sửa**; nguồn hiện tại là tệp Excel "
        "hoặc đường liên kết công khai nên biểu mẫu chưa nhận được báo cáo. Xem trang *Nguồn dữ liệu*, cách 1.",
        icon=":material/cloud_off:",
    )
if config is not None and config.kind == "google" and config.store_url:
    from lib.outbox import Outbox, deliver_pending, writer_for
    from lib.snapshots import StoreError

    st.subheader("Báo cáo đang chờ gửi lên Sheet")
    try:
        outbox = Outbox(config.store_url)
        if st.button("Gửi lại ngay", key="outbox_retry", icon=":material/send:"):
            credentials = config.credentials or {}
            deliver_pending(outbox, lambda: writer_for(credentials), config.identity)
        pending = outbox.pending(config.identity)
    except (StoreError, ValueError) as exc:
        st.warning(f"Không đọc được hàng chờ của biểu mẫu: {md_escape(exc)}", icon=":material/warning:")
        pending = []
    if pending:
        st.warning(
            f"{len(pending)} báo cáo đã lưu nhưng chưa ghi được vào Sheet; bảng thử lại khi có người mở biểu mẫu và mỗi lần chụp lịch sử (15 phút)."
        )
        st.dataframe(
            inert(
                pd.DataFrame(
                    {
                        "name": [e.name for e in pending],
                        "week": [fmt_date(e.week) for e in pending],
                        "installed": [e.figures.get("installed") for e in pending],
                        "saved": [e.created_at.astimezone(TIMEZONE).strftime("%H:%M %d/%m/%Y") for e in pending],
                        "tries": [e.attempts for e in pending],
                        "error": [e.last_error or "" for e in pending],
                    }
                )
            ),
            hide_index=True,
            column_config={
                "name": st.column_config.TextColumn("Thôn / đơn vị"),
                "week": st.column_config.TextColumn("Tuần"),
                "installed": st.column_config.NumberColumn("Số đã cài đặt"),
                "saved": st.column_config.TextColumn("Lưu lúc"),
                "tries": st.column_config.NumberColumn("Số lần thử"),
                "error": st.column_config.TextColumn("Lỗi gần nhất", width="large"),
            },
            key="outbox_pending",
        )
    else:
        st.success("Không có báo cáo nào đang chờ.", icon=":material/check_circle:")

origin = urlparse(str(st.context.url or ""))
base = settings.base_url or (f"{origin.scheme}://{origin.netloc}" if origin.netloc else "")
st.subheader("Đường dẫn của từng nơi")
if not settings.base_url:
    st.caption(f"Địa chỉ đang dùng: {md_escape(base)} (theo trình duyệt này). Nên ghi địa chỉ công khai vào `[entry] base_url`.")
links = entry_links.links(settings, base, board.ds.villages["name"].astype(str), board.ds.units["name"].astype(str))
if settings.revoked:
    st.caption(f"Đã thu hồi {len(settings.revoked)} đường dẫn (mục `[entry] revoked`); các nơi đó không có trong bảng.")
kinds = {"village": "Thôn", "unit": "Đơn vị"}
st.dataframe(
    inert(
        pd.DataFrame(
            {
                "kind": [kinds[link.kind] for link in links],
                "name": [link.name for link in links],
                "qr": [entry_links.qr_data_uri(link.url) for link in links],
                "url": [link.url for link in links],
            }
        )
    ),
    hide_index=True,
    row_height=90,
    column_config={
        "kind": st.column_config.TextColumn("Loại"),
        "name": st.column_config.TextColumn("Thôn / đơn vị"),
        "qr": st.column_config.ImageColumn("Mã QR"),
        "url": st.column_config.LinkColumn("Đường dẫn", width="large"),
    },
    key="entry_links",
)
st.subheader("Tin nhắn Zalo cho từng nơi")
st.caption("Mở một nơi, bấm nút sao chép ở góc khung tin nhắn rồi dán vào Zalo; hoặc cho trưởng thôn quét mã QR.")
for link in links:
    with st.expander(f"{md_escape(link.name)} ({kinds[link.kind].lower()})"):
        st.image(entry_links.qr_png(link.url, scale=6), width=220)
        st.code(entry_links.zalo_message(link, board.ds.campaign.commune, board.ds.campaign.report_weekday), language=None, wrap_lines=True)
