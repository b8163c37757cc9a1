"""The arrows point one way: the pure core of lib/ never reaches an I/O adapter or Streamlit (read from the imports)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parent.parent / "lib"
# The imperative shell: where bytes come from and go (local files, Google, the snapshot store's database, its history
# and the form's outbox in it, the one write path to the Sheet, LibreOffice), the one pipeline over them, the command line and the one
# Streamlit adapter. Every other module in lib/ (and in its packages, such as lib/validation/) is the pure core, a new one too.
SHELL = {
    "sources",
    "xlsx_reader",
    "google_sheets",
    "live",
    "snapshots",
    "store_db",
    "outbox",
    "outbox_store",
    "sheets_append",
    "office",
    "pipeline",
    "loading",
    "__main__",
}
CORE = sorted(path for path in LIB.rglob("*.py") if path.stem not in SHELL or path.parent != LIB)


def core_name(path: Path) -> str:
    """A core module as named in these tests: `history`, `validation/run`."""
    return path.relative_to(LIB).with_suffix("").as_posix()


def imported(path: Path) -> set[str]:
    """Every module a file imports, wherever the statement sits (in a function or under TYPE_CHECKING too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}  # `from lib import live` reaches lib.live
    return names


def forbidden(name: str) -> bool:
    """An import the pure core must not make: a module of the shell, Streamlit, or a screen."""
    parts = name.split(".")
    return parts[0] in ("streamlit", "views") or (parts[0] == "lib" and len(parts) > 1 and parts[1] in SHELL)


@pytest.mark.parametrize("path", CORE, ids=core_name)
def test_the_pure_core_never_imports_an_io_adapter_the_pipeline_or_streamlit(path):
    assert sorted(name for name in imported(path) if forbidden(name)) == []


def test_in_lib_only_the_streamlit_adapter_imports_streamlit():
    importers = {path.stem for path in LIB.glob("*.py") if any(name.split(".")[0] == "streamlit" for name in imported(path))}
    assert importers == {"loading"}


def test_the_import_reader_sees_imports_inside_functions_and_from_packages():
    assert {"lib.live", "lib.snapshots", "lib.history"} <= imported(LIB / "pipeline.py")  # lib.snapshots only inside functions
    assert forbidden("lib.live") and forbidden("streamlit.testing.v1") and not forbidden("lib.history")
    core = {core_name(path) for path in CORE}
    assert {"workbook", "history", "validation/run", "validation/model", "metrics", "dashboard", "report", "config", "entry"} <= core
    assert {"store_url", "snapshot_codec"} <= core and not {"store_db", "outbox_store"} & core


def test_lib_type_checks_clean_with_mypy():
    """`make lint` runs mypy on lib/ (settings in pyproject.toml); the suite runs it too, so CI cannot skip it."""
    pytest.importorskip("mypy", reason="mypy is in requirements.lock: install it to type-check lib/")
    result = subprocess.run([sys.executable, "-m", "mypy", "lib"], cwd=LIB.parent, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert result.stdout.startswith("Success: no issues found"), result.stdout
