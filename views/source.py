"""Nguồn dữ liệu: where the figures come from, whether it works, and how to connect a sheet."""

import streamlit as st

from lib.access import access_policy
from lib.fmt import md_escape
from lib.loading import current, forget_upload, refresh, secrets, use_upload
from lib.template import write_template
from views.common import require_admission

require_admission()
st.title("Nguồn dữ liệu")
now = current()
conf, config = now.settings, now.config

st.subheader("Nguồn hiện tại")
if now.loaded is not None and now.loaded.ds.source.kind == "upload":
    st.write(f"Tệp tải lên trong phiên này: {md_escape(now.loaded.ds.source.label)}")
    if st.button("Quay lại nguồn chính", key="forget_upload"):
        forget_upload()
        st.rerun()
elif config is None or config.kind == "xlsx":
    st.write("Tệp Excel trên máy chủ" + (" — **dữ liệu mẫu**" if conf.is_sample else "") + ".")
    st.code(conf.source, language=None)
else:
    mode = "tài khoản dịch vụ (service account)" if config.kind == "google" else "đường liên kết công khai"
    st.write(f"Google Sheet, đọc bằng {mode}:")
    st.code(f"https://docs.google.com/spreadsheets/d/{config.location}/edit", language=None)

if now.error:
    st.error(f"Không đọc được nguồn: {md_escape(now.error)}", icon="⚠️")
elif now.loaded is not None and not now.loaded.fresh:
    st.warning(f"Lần đọc gần nhất không thành công: {md_escape(now.loaded.problem)} Bảng đang dùng bản lưu gần nhất.", icon="⚠️")
else:
    st.success("Đọc được số liệu.", icon="✅")
if config is not None and config.store_url:
    from lib.store_url import redact, store_kind

    try:
        where = "PostgreSQL dùng chung" if store_kind(config.store_url) == "postgresql" else "tệp SQLite trên máy chủ"
    except ValueError:
        where = "chưa hỗ trợ"
    versions = now.loaded.history.versions if now.loaded is not None and now.loaded.history is not None else None
    st.write(f"Kho lịch sử ({where})" + (f": {versions} phiên bản khác nhau đã lưu." if versions is not None else "."))
    st.code(redact(config.store_url), language=None)
    if now.loaded is not None and now.loaded.store_problem:
        st.warning(f"Không dùng được kho lịch sử: {md_escape(now.loaded.store_problem)}", icon="⚠️")
if st.button("Làm mới ngay", key="refresh_source", help="Đọc lại Sheet ngay, không chờ hết thời gian lưu tạm"):
    refresh()
    st.rerun()
st.caption(f"Số liệu được lưu tạm {conf.cache_ttl_seconds} giây và dùng chung cho mọi người xem.")

email = config.service_account_email if config is not None else ""
st.subheader("Kết nối Google Sheet")
st.markdown(
    """
**Cách 1 — tài khoản dịch vụ (khuyên dùng, Sheet không cần công khai)**

1. Người quản trị tạo một *tài khoản dịch vụ* trên Google Cloud, bật *Google Sheets API* và tải tệp khóa JSON.
2. Mở Google Sheet → **Chia sẻ** → thêm email của tài khoản dịch vụ với quyền **Người xem**.
3. Ghi đường dẫn Sheet và nội dung tệp khóa vào `.streamlit/secrets.toml` (xem `secrets.toml.example`):
   mục `[sheet]` có `url`, mục `[gcp_service_account]` chép các trường của tệp JSON.
4. Khởi động lại ứng dụng. Bảng chỉ xin quyền **chỉ đọc**.

**Cách 2 — đường liên kết công khai (không cần khóa)**

1. Mở Google Sheet → **Chia sẻ** → *Quyền truy cập chung*: **Bất kỳ ai có đường liên kết** → **Người xem**.
2. Ghi đường dẫn vào `.streamlit/secrets.toml`, mục `[sheet]`, khóa `url` (không cần `[gcp_service_account]`).
"""
)
if email:
    st.write("Email cần chia sẻ Sheet (quyền Người xem):")
    st.code(email, language=None)

st.subheader("Đăng nhập")
policy = access_policy(secrets())
if policy.enabled:
    st.write(
        f"Bảng yêu cầu đăng nhập (mục `[auth]` trong secrets). Được xem: {len(policy.emails)} email và "
        f"{len(policy.domains)} tên miền trong mục `[access]`."
    )
else:
    st.warning(
        "Bảng đang **mở cho mọi người** có đường dẫn: chưa cấu hình đăng nhập. Nếu đưa bảng lên Internet, hãy thêm mục `[auth]` "
        "(đăng nhập bằng tài khoản Google) và danh sách `[access]` vào secrets, xem `secrets.toml.example`.",
        icon=":material/lock_open:",
    )

st.subheader("Mẫu sổ số liệu")
st.write(
    "Tải mẫu gồm các tab Thôn, Báo cáo thôn, Đơn vị, Báo cáo đơn vị, Cấu hình, Giai đoạn và tab Hướng dẫn; tải lên Google Drive rồi mở bằng Google Sheets."
)
st.download_button(
    "Tải mẫu .xlsx",
    data=write_template,  # built when clicked: 52.000 formatted cells are not for every rerun
    file_name="mau_so_lieu_i-hatinh.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="template_download",
)

st.subheader("Xem thử một tệp Excel")
limit_mb = st.get_option("server.maxUploadSize")  # set in .streamlit/config.toml
uploaded = st.file_uploader(
    f"Tải lên tệp .xlsx (tối đa {limit_mb} MB) để kiểm tra và xem trong phiên này",
    type=["xlsx"],
    key="upload",
    help="Bấm nút Upload (Tải lên) rồi chọn tệp Excel trên máy; số liệu chỉ hiện trong phiên này.",
)
if uploaded is not None and st.button("Dùng tệp này", key="use_upload"):
    use_upload(uploaded.name, uploaded.getvalue())
    st.rerun()
