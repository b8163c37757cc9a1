"""A link-shared Google Sheet's tab ids: which tab the URL the user gave points at, so its issues link to their cell.

The xlsx export of a whole workbook carries no tab ids (gids). The URL copied from the browser does
("…/edit#gid=1234"): the tab that was open. One export of that tab alone tells its title; it is kept
for the process (gids never change) and forgotten on *Làm mới*, when a tab may have been renamed.
"""

from __future__ import annotations

import html
import io
import re
import zipfile

_GID_IN_URL = re.compile(r"[#?&]gid=(\d{1,12})\b")
_SHEET_NAME = re.compile(r'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"')
WORKBOOK_XML_LIMIT = 1_000_000  # bytes: a one-tab workbook.xml is a few hundred
LINK_TAB_TITLES: dict[tuple[str, int], str] = {}  # (spreadsheet key, gid) -> tab title


def sheet_gid(url: str) -> int | None:
    """The tab id in a Sheets URL ('…/edit#gid=1234' or '?gid=1234'), or None."""
    m = _GID_IN_URL.search(url)
    return int(m.group(1)) if m else None


def forget_link_titles(key: str) -> None:
    """Forget which tab a link-shared sheet's gid names, so a renamed tab is found again."""
    for known in [k for k in LINK_TAB_TITLES if k[0] == key]:
        del LINK_TAB_TITLES[known]


def only_tab_title(content: bytes) -> str | None:
    """The title of the one tab of a single-tab xlsx export, from its workbook.xml (size-capped, read as text, not parsed as XML)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            info = book.getinfo("xl/workbook.xml")
            if info.file_size > WORKBOOK_XML_LIMIT:
                return None
            names = _SHEET_NAME.findall(book.read(info).decode("utf-8", "replace"))
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return html.unescape(names[0]) if len(names) == 1 else None
