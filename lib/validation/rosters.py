"""Roster rules: each village or unit listed once, with figures that agree, and looked up by name.

The `Thôn` and `Đơn vị` tabs are the lists every weekly report is checked against; `Roster` finds
a typed name in them, forgiving case, tone placement and, with a warning, missing diacritics. A row
whose name is valid stays on the roster even when one of its figures is wrong: the cell keeps its
error and the figure is left empty (so a rate needing it leaves the village out), but the village
and its weekly reports never vanish.
"""

from __future__ import annotations

import difflib
from collections import defaultdict

import pandas as pd

from lib import schema
from lib.fmt import fmt_int
from lib.normalize import ascii_key, name_key
from lib.validation.rows import Issues, Row, TabRead

SUGGESTIONS_MAX = 50  # distinct unknown names that get a "Có phải …?" (each costs 20–80 ms against 1.500 villages)


def check_roster(read: TabRead | None, size_field: str, issues: Issues) -> TabRead | None:
    """Key every name, and flag a name listed twice and (villages) more smartphone households than households."""
    if read is None:
        return None
    code = "duplicate_village" if read.tab.entity == "village" else "duplicate_unit"
    first_seen: dict[str, Row] = {}
    for row in read.rows:
        name = row.values.get("name")
        if name:
            key = name_key(name)
            row.values["key"] = key
            if key in first_seen:
                issues.add(code, at=read.at(row, "name"), value=name, label=read.tab.label, name=name, first_row=first_seen[key].number)
            else:
                first_seen[key] = row
        if size_field == "households":
            total, smart = row.values.get("households"), row.values.get("smartphone_households")
            if isinstance(total, int) and isinstance(smart, int) and smart > total:
                issues.add(
                    "smartphone_exceeds_households",
                    at=read.at(row, "smartphone_households"),
                    value=smart,
                    smartphone_households=fmt_int(smart),
                    households=fmt_int(total),
                )
    _keep_named_rows(read)
    return read


def _keep_named_rows(read: TabRead) -> None:
    """Accept again a row rejected only for its figures: the name is valid, the bad figures become empty."""
    figures = {c.field for c in read.tab.columns if c.kind == schema.Kind.COUNT}
    for row in read.rows:
        if row.rejected and row.faults and row.values.get("key") and set(row.faults) <= figures:
            row.rejected = False
            for f in row.faults:
                row.values[f] = None


class Roster:
    """Name lookup for a roster: exact key, then without diacritics, then a suggestion."""

    def __init__(self, read: TabRead | None) -> None:
        # Suggestions are memoised and capped: 20.000 distinct unknown names against a province's
        # roster would otherwise cost the server 7 minutes of difflib.
        self.suggestions: dict[str, str | None] = {}
        self.by_key: dict[str, Row] = {}
        self.by_ascii: dict[str, set[str]] = defaultdict(set)
        self.by_loose: dict[str, set[str]] = defaultdict(set)
        for row in read.rows if read else []:
            key = row.values.get("key")
            if isinstance(key, str) and key not in self.by_key:
                self.by_key[key] = row
                self.by_ascii[ascii_key(key)].add(key)
                self.by_loose[_loose(key)].add(key)

    def find(self, name: str) -> tuple[Row | None, bool, str | None]:
        """(roster row, matched only approximately, suggestion if not found)."""
        key = name_key(name)
        if key in self.by_key:
            return self.by_key[key], False, None
        for index, probe in ((self.by_ascii, ascii_key(name)), (self.by_loose, _loose(name))):
            keys = index.get(probe, set())
            if len(keys) == 1:
                return self.by_key[next(iter(keys))], True, None
        return None, False, self._suggest(ascii_key(name))

    def _suggest(self, probe: str) -> str | None:
        if probe in self.suggestions:
            return self.suggestions[probe]
        if len(self.suggestions) >= SUGGESTIONS_MAX:
            return None
        close = difflib.get_close_matches(probe, list(self.by_ascii), n=1, cutoff=0.72)
        suggestion = str(self.by_key[sorted(self.by_ascii[close[0]])[0]].values["name"]) if close else None
        self.suggestions[probe] = suggestion
        return suggestion


def _loose(name: object) -> str:
    key = ascii_key(name)
    for prefix in ("thon ", "xom ", "to dan pho ", "to "):
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def roster_frame(read: TabRead | None, tab: schema.Tab) -> pd.DataFrame:
    """The accepted rows of a roster as a clean table: key, the tab's fields, sheet row (a figure left empty is <NA>)."""
    fields = ["key"] + [c.field for c in tab.columns] + ["row"]
    records = [{**{f: r.values.get(f) for f in fields}, "row": r.number} for r in (read.rows if read else []) if not r.rejected]
    frame = pd.DataFrame(records, columns=fields)
    for col in tab.columns:
        if col.kind == schema.Kind.COUNT:
            frame[col.field] = frame[col.field].astype("Int64")
    return frame
