"""Text from the sheet made inert in the files we write (spreadsheet formula injection)."""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def neutralize(text: object) -> str:
    """A cell's text that no spreadsheet will run: a leading =, +, -, @ (or tab/CR) gets an apostrophe in front."""
    value = "" if text is None else str(text)
    return "'" + value if value.startswith(FORMULA_START) else value


def write_text(cell, value: object) -> None:
    """Put sheet text into an openpyxl cell as a string, never as a formula, with its lead neutralized too."""
    cell.value = neutralize(value)
    cell.data_type = "s"
