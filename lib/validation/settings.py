"""Settings rules: the `Cấu hình` tab (targets, report day, signer) and the `Giai đoạn` tab (phases).

A setting that cannot be read keeps its default and says so; a phase that ends before it starts
is left out. Both tabs are optional: without them the campaign's defaults stand.
"""

from __future__ import annotations

import datetime as dt

from lib import schema
from lib.config import Campaign, Phase
from lib.normalize import Parsed, clean_text, header_key, parse_count, parse_percent, parse_weekday
from lib.validation.messages import phrase
from lib.validation.rows import Issues, TabRead, blank


def read_campaign(config: TabRead | None, phases: TabRead | None, issues: Issues) -> Campaign:
    """The campaign the workbook describes: its settings over the defaults, and its phases if any are valid."""
    values: dict[str, object] = {}
    by_key = {header_key(s.label): s for s in schema.SETTINGS}
    for row in config.rows if config else []:
        assert config is not None  # for the type checker: rows come only from the tab
        item = row.values.get("item")
        setting = by_key.get(header_key(item))
        if setting is None:
            known = ", ".join(s.label for s in schema.SETTINGS)
            issues.add("unknown_setting", at=config.at(row, "item"), value=item, item=item, known=known)
            continue
        raw = row.typed("value")
        if blank(raw):
            continue  # nothing typed: the default stands
        parsed = {"percent": parse_percent, "weekday": parse_weekday, "count": parse_count}.get(
            setting.kind, lambda v: Parsed(value=clean_text(v))
        )(raw)
        if setting.kind == "count" and parsed.value == 0:
            parsed = Parsed(code="bad_setting", reason=phrase("setting.zero_days"))
        if parsed.code or parsed.value in (None, ""):
            reason = parsed.reason or phrase("setting.blank")
            issues.add("bad_setting", at=config.at(row, "value"), value=raw, setting=setting.label, reason=reason, default=setting.default)
            continue
        values[setting.field] = parsed.value
    accepted: list[Phase] = []
    for row in phases.rows if phases else []:
        assert phases is not None  # for the type checker: rows come only from the tab
        start, end = row.values.get("start"), row.values.get("end")
        if row.rejected:
            continue
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            issues.add("bad_phase", at=phases.at(row, "end"), value=row.typed("end"), name=row.values.get("name"), end=end, start=start)
            continue
        accepted.append(Phase(str(row.values["name"]), start, end, str(row.values.get("audience") or "")))  # type: ignore[arg-type]
    if accepted:
        values["phases"] = tuple(sorted(accepted, key=lambda p: p.start))
    return Campaign(**values)  # type: ignore[arg-type]
