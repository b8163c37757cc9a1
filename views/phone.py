"""The phone screen: a labelled page menu, the few style rules that fit Streamlit's widgets to a phone, a copy button.

Leaders open the dashboard from a Zalo link on a phone. Below 768 px Streamlit folds its page menu into a
sidebar behind an unlabeled "»", and that sidebar stays open over the page after a choice unless the
browser's user agent says "phone". So on a narrow screen every page starts with a labelled "Chọn trang"
menu, and the sidebar keeps only the refresh and sign-out buttons.
"""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage

PHONE_MAX_PX = 767.98  # Streamlit's own breakpoint (theme breakpoints.md = 768 px): below it the sidebar overlays the page

STYLE = f"""<style>
/* The labelled page menu is for phones; a wider screen has the sidebar. */
@media (min-width: {PHONE_MAX_PX + 0.02}px) {{ .st-key-phone_menu {{ display: none; }} }}
@media (max-width: {PHONE_MAX_PX}px) {{
  /* One page menu on a phone, the labelled one: chosen from the sidebar, a page stayed covered by it. */
  [data-testid="stSidebarNav"] {{ display: none; }}
  /* Thumb-sized targets: Streamlit's buttons are 40 px tall. */
  .st-key-phone_menu button, [data-testid="stPopoverBody"] [data-testid="stPageLink-NavLink"],
  [data-testid="stButton"] button, [data-testid="stDownloadButton"] button {{ min-height: 44px; }}
  /* Metric cards two to a row: at their laptop widths (200, 220 px) a phone fitted one, a screen each. */
  [data-testid="stHorizontalBlock"] > [data-testid="stElementContainer"]:has(> [data-testid="stMetric"]) {{
    flex: 1 1 calc(50% - 0.5rem); width: auto; min-width: 0;
  }}
  [data-testid="stHorizontalBlock"] > [data-testid="stElementContainer"] > [data-testid="stMetric"] {{ width: 100%; }}
}}
/* A table's toolbar (search, download, full screen) floats 44 px above the table; where it shows without
   hovering (touch screens, narrow windows) it covered the heading above. Give it a strip of its own. */
@media (hover: none), (max-width: {PHONE_MAX_PX}px) {{
  [data-testid="stElementContainer"]:has(> [data-testid="stFullScreenFrame"] > [data-testid="stDataFrame"]) {{
    margin-top: 32px;
  }}
}}
/* Shown on one screen size only (a container keyed wide_only_… or phone_only_…): a wide table, or cards on a phone. */
@media (min-width: {PHONE_MAX_PX + 0.02}px) {{ [class*="st-key-phone_only_"] {{ display: none; }} }}
@media (max-width: {PHONE_MAX_PX}px) {{ [class*="st-key-wide_only_"] {{ display: none; }} }}
/* A metric's label and change ("+1.926 hộ trong giai đoạn") wrap on a narrow card instead of ending in "…". */
[data-testid="stMetric"] [data-testid="stMarkdownContainer"],
[data-testid="stMetric"] [data-testid="stMarkdownContainer"] p {{ white-space: normal; text-overflow: clip; }}
</style>"""


def menu(current: StreamlitPage, pages: list[StreamlitPage]) -> None:
    """The style rules, and the labelled page menu that narrow screens show at the top of every page."""
    st.html(STYLE)  # style only: Streamlit puts it in the page's event container, where it takes no room
    # A key per page: the menu is a new element on each page, so it is closed once a page is chosen
    # (one shared key kept it open over the new page).
    with (
        st.container(key="phone_menu"),
        st.popover("Chọn trang", icon=":material/menu:", width="stretch", key=f"phone_menu_{current.url_path or 'home'}"),
    ):
        for page in pages:
            st.page_link(page, label=page.title, icon=page.icon, width="stretch")


COPY_JS = """
export default function ({ data, parentElement }) {
  const button = parentElement.querySelector("button");
  const status = parentElement.querySelector("[role=status]");
  button.querySelector("span").textContent = data.label;
  status.textContent = "";
  button.onclick = async () => {
    let copied = false;
    try {
      await navigator.clipboard.writeText(data.text);  // the text goes to the clipboard as text, never as HTML
      copied = true;
    } catch (error) {
      // No Clipboard API (a plain-http address, some in-app browsers): select a hidden copy and copy that.
      const area = document.createElement("textarea");
      area.value = data.text;
      area.setAttribute("readonly", "");
      area.style.cssText = "position: fixed; top: 0; left: 0; opacity: 0;";
      parentElement.appendChild(area);
      area.select();
      try { copied = document.execCommand("copy"); } catch (ignored) { copied = false; }
      area.remove();
    }
    status.textContent = copied ? data.done : data.failed;
  };
}
"""
COPY_CSS = """
.copy { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; }
button {
  min-height: 44px; padding: 0.5rem 1.25rem; border: none; border-radius: 0.5rem; cursor: pointer;
  background: var(--st-primary-color, #1f5c99); color: #ffffff; font: inherit; font-size: 1rem; font-weight: 600;
}
button:focus-visible { outline: 3px solid var(--st-text-color, #1b1f24); outline-offset: 2px; }
[role=status] { color: var(--st-text-color, #1b1f24); font-size: 1rem; }
"""
_copy = st.components.v2.component(
    "songiang_copy_button",
    html='<div class="copy"><button type="button"><span></span></button><span role="status" aria-live="polite"></span></div>',
    css=COPY_CSS,
    js=COPY_JS,
)


def copy_button(text: str, key: str, label: str = "Sao chép tin nhắn") -> None:
    """A visible 44 px button that copies `text` (sheet-derived: handed over as data, only ever plain text)."""
    _copy(
        key=key,
        data={
            "text": text,
            "label": label,
            "done": "Đã sao chép — dán vào nhóm Zalo.",
            "failed": "Máy không cho sao chép: hãy chọn chữ trong khung rồi sao chép.",
        },
    )
