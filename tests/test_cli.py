import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TODAY
from lib.__main__ import main
from lib.cli import parser as _parser
from lib.live import resolve
from lib.pipeline import load
from lib.sample import SampleSpec, build, write_xlsx

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path = ROOT, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """The command as a shell runs it (optionally from another folder, or behind a wrapper such as unshare)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([*prefix, sys.executable, "-m", "lib", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_check_json_on_the_sample_prints_the_contract(sample_path):
    done = run("check", str(sample_path), "--json", "--today", TODAY.isoformat())
    assert done.returncode == 1, done.stderr  # the sample carries planted mistakes
    result = json.loads(done.stdout)
    assert set(result) == {"source", "rows", "issues", "summary", "villages", "field_reports"}  # the sample has a `Phản ánh` tab
    assert set(result["rows"]) == {"Thôn", "Báo cáo thôn", "Đơn vị", "Báo cáo đơn vị", "Cấu hình", "Giai đoạn", "Phản ánh"}
    for counts in result["rows"].values():
        assert counts["read"] == counts["accepted"] + counts["rejected"]
    assert all(set(i) == {"sheet", "row", "column", "cell", "severity", "code", "message", "value"} for i in result["issues"])
    summary = result["summary"]
    assert summary["as_of"] == "2026-11-26"
    assert summary["villages"] == len(result["villages"]) == 24
    assert summary["installed_households"] == sum(v["installed_households"] for v in result["villages"])
    assert summary["household_rate"] == pytest.approx(summary["installed_households"] / summary["smartphone_households"], abs=1e-6)
    assert summary["villages_meeting_target"] == sum(v["meets_target"] for v in result["villages"])
    assert set(result["villages"][0]) == {
        "name",
        "households",
        "smartphone_households",
        "installed_households",
        "rate",
        "meets_target",
        "last_report",
    }


def test_the_sample_shows_each_planted_mistake_once(sample_path):
    codes = sorted(i["code"] for i in json.loads(run("check", str(sample_path), "--json", "--today", TODAY.isoformat()).stdout)["issues"])
    assert codes == sorted(
        [
            "not_a_number",
            "bad_date",
            "missing_value",
            "not_whole",
            "unknown_village",
            "approximate_name",
            "approximate_name",
            "not_report_day",
            "exceeds_smartphone_households",
            "duplicate_report",
            "duplicate_report",
            "cumulative_decrease",
            "duplicate_id",  # Phản ánh: two exports pasted with an overlap
            "unknown_status",  # Phản ánh: 'Tạm dừng', typed by hand
        ]
    )


def test_json_figures_equal_the_pipeline(sample_path):
    from lib import metrics

    ds = load(resolve(str(sample_path)), TODAY).ds
    s = metrics.summary(ds)
    summary = json.loads(run("check", str(sample_path), "--json", "--today", TODAY.isoformat()).stdout)["summary"]
    assert (summary["installed_households"], summary["officials_installed"]) == (s.installed_households, s.officials_installed)


def test_check_without_json_prints_a_vietnamese_summary(sample_path, capsys):
    status = main(["check", str(sample_path), "--today", TODAY.isoformat()])
    out = capsys.readouterr().out
    assert status == 1
    assert "Hộ đã cài đặt:" in out and "chỉ tiêu 70 %" in out and "[LỖI] Tab Báo cáo thôn, dòng 77, cột Số hộ đã cài đặt (ô C77): " in out


def test_check_exits_0_on_a_clean_workbook(tmp_path):
    path = tmp_path / "clean.xlsx"
    write_xlsx(SampleSpec(villages=5, units=3, weeks=4, mistakes=False), path)
    assert main(["check", str(path), "--json", "--today", TODAY.isoformat()]) == 0


@pytest.mark.parametrize("content", [None, b"not a spreadsheet at all"])
def test_check_exits_2_with_a_message_and_no_traceback_when_unreadable(tmp_path, content):
    path = tmp_path / "broken.xlsx"
    if content is not None:
        path.write_bytes(content)
    done = run("check", str(path), "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("Lỗi: ") and "Traceback" not in done.stderr


def test_the_sample_generator_is_deterministic(tmp_path):
    assert build(SampleSpec()) == build(SampleSpec())
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_xlsx(SampleSpec(villages=30), a)
    write_xlsx(SampleSpec(villages=30), b)
    assert load(resolve(str(a)), TODAY).ds.village_reports.equals(load(resolve(str(b)), TODAY).ds.village_reports)


def test_the_bundled_sample_is_what_the_generator_makes(sample_path, tmp_path):
    fresh = write_xlsx(SampleSpec(), tmp_path / "fresh.xlsx")
    ours, theirs = load(resolve(str(sample_path)), TODAY).ds, load(resolve(str(fresh)), TODAY).ds
    assert ours.village_reports.equals(theirs.village_reports)
    assert hashlib.sha1(ours.issues.to_csv().encode()).digest() == hashlib.sha1(theirs.issues.to_csv().encode()).digest()


def test_the_sample_has_realistic_sizes(sample_path):
    ds = load(resolve(str(sample_path)), TODAY).ds
    assert 20 <= len(ds.villages) <= 30 and 15 <= len(ds.units) <= 20
    assert ds.villages["households"].between(80, 300).all()
    share = ds.villages["smartphone_households"] / ds.villages["households"]
    assert share.between(0.64, 0.81).all()
    assert set(ds.villages["former_commune"]) == {"Sơn Giang", "Quang Diệm", "Sơn Lâm"}


def test_larger_workbooks_for_benchmarks(tmp_path):
    path = write_xlsx(SampleSpec(villages=300, units=40, weeks=6), tmp_path / "big.xlsx")
    ds = load(resolve(str(path)), TODAY).ds
    assert len(ds.villages) == 300 and ds.villages["key"].is_unique


def commands() -> list[str]:
    """The commands `python -m lib` accepts, read from its parser, so a new one cannot be left out of the tests below."""
    subcommands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return list(subcommands.choices)


COMMANDS = commands()


def test_the_readme_and_help_show_exactly_the_commands_the_parser_accepts():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert sorted(set(re.findall(r"python -m lib ([a-z]\w*)", readme))) == sorted(COMMANDS)  # each one, and no stale one
    assert re.findall(r"^ {4}(\w+) ", run("--help").stdout, flags=re.MULTILINE) == COMMANDS


def test_the_snapshot_command_writes_to_postgresql_and_reports_a_store_it_cannot_reach(sample_path, postgres_url):
    first = run("snapshot", str(sample_path), "--store", postgres_url)
    again = run("snapshot", str(sample_path), "--store", postgres_url)
    assert (first.returncode, again.returncode) == (0, 0), first.stderr
    assert first.stdout.startswith("Đã lưu phiên bản mới #1") and again.stdout.startswith("Không thay đổi so với phiên bản #1")
    down = run("snapshot", str(sample_path), "--store", "postgresql://cron:pw-4714@127.0.0.1:1/songiang")
    assert down.returncode == 2 and down.stderr.startswith("Lỗi: Không mở được kho lưu trữ lịch sử (PostgreSQL trên máy chủ 127.0.0.1:1, ")
    assert "pw-4714" not in down.stderr and "Traceback" not in down.stderr
    unknown = run("snapshot", str(sample_path), "--store", "mysql://h/db")
    assert unknown.returncode == 2 and "chưa được hỗ trợ" in unknown.stderr


def one_line_refusal(done: subprocess.CompletedProcess) -> str:
    """The single stderr line of a command that refused (exit 2, nothing on stdout, no traceback)."""
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    return done.stderr.rstrip("\n")


@pytest.fixture
def small_book(tmp_path):
    """A clean three-week workbook: a report from it loads in a second."""
    return write_xlsx(SampleSpec(villages=3, units=2, weeks=3, mistakes=False), tmp_path / "nho.xlsx")


def write_command(command: str, out: Path, book: Path) -> list[str]:
    """The arguments that make `command` write its file to `out`."""
    return {
        "template": ["template", str(out)],
        "sample": ["sample", str(out), "--villages", "2", "--weeks", "2"],
        "report": ["report", str(book), "--out", str(out), "--week", "2026-04-30", "--today", TODAY.isoformat()],
    }[command]


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--villages", "0", "Lỗi: --villages phải là một số nguyên từ 1 đến 10.000, không phải '0'."),
        ("--villages", "-5", "Lỗi: --villages phải là một số nguyên từ 1 đến 10.000, không phải '-5'."),
        ("--villages", "ba", "Lỗi: --villages phải là một số nguyên từ 1 đến 10.000, không phải 'ba'."),
        ("--weeks", "0", "Lỗi: --weeks phải là một số nguyên từ 1 đến 520, không phải '0'."),
        ("--weeks", "1000000", "Lỗi: --weeks phải là một số nguyên từ 1 đến 520, không phải '1000000'."),
        ("--units", "-3", "Lỗi: --units phải là một số nguyên từ 0 đến 10.000, không phải '-3'."),
    ],
)
def test_sample_refuses_a_size_out_of_range_in_one_vietnamese_line(tmp_path, option, value, message):
    out = tmp_path / "mau.xlsx"
    assert one_line_refusal(run("sample", str(out), option, value)) == message
    assert not out.exists()


@pytest.mark.parametrize(
    ("command", "name", "message"),
    [
        ("template", "mau.csv", "Lỗi: Tệp ra '{out}' phải có đuôi .xlsx."),
        ("sample", "mau.csv", "Lỗi: Tệp ra '{out}' phải có đuôi .xlsx."),
        ("report", "bao-cao.odt", "Lỗi: Tệp ra '{out}' phải có đuôi .docx, .xlsx, .txt hoặc .pdf."),
    ],
)
def test_an_output_file_with_an_unknown_extension_is_refused_before_anything_is_written(tmp_path, small_book, command, name, message):
    out = tmp_path / name
    assert one_line_refusal(run(*write_command(command, out, small_book))) == message.format(out=out)
    assert not out.exists()


@pytest.mark.parametrize("command", ["template", "sample", "report"])
def test_an_output_path_that_is_a_folder_asks_for_a_file_name(tmp_path, small_book, command):
    example = "bao-cao.docx" if command == "report" else "mau.xlsx"
    refusal = one_line_refusal(run(*write_command(command, tmp_path, small_book)))
    assert refusal == f"Lỗi: '{tmp_path}' là một thư mục; hãy ghi cả tên tệp, ví dụ '{tmp_path / example}'."


@pytest.mark.parametrize("command", ["template", "report"])
def test_writing_into_a_missing_folder_names_the_folder(tmp_path, small_book, command):
    out = tmp_path / "chua-co" / ("bao-cao.docx" if command == "report" else "mau.xlsx")
    refusal = one_line_refusal(run(*write_command(command, out, small_book)))
    assert refusal == f"Lỗi: Không ghi được '{out}': thư mục '{out.parent}' không tồn tại."


@pytest.mark.parametrize("command", ["template", "sample", "report"])
def test_writing_under_a_file_where_a_folder_is_expected_says_it_is_not_a_folder(tmp_path, small_book, command):
    (tmp_path / "ghi-chu.txt").write_text("không phải thư mục")
    out = tmp_path / "ghi-chu.txt" / ("bao-cao.docx" if command == "report" else "mau.xlsx")
    refusal = one_line_refusal(run(*write_command(command, out, small_book)))
    assert refusal == f"Lỗi: Không ghi được '{out}': '{out.parent}' không phải là thư mục."


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full to stand in for a full disk")
@pytest.mark.parametrize("command", ["template", "sample", "report"])
def test_a_full_disk_is_one_line_not_a_traceback(tmp_path, small_book, command):
    out = tmp_path / ("bao-cao.docx" if command == "report" else "mau.xlsx")
    out.symlink_to("/dev/full")  # every write there fails with ENOSPC
    assert one_line_refusal(run(*write_command(command, out, small_book))) == f"Lỗi: Không ghi được '{out}': ổ đĩa đã đầy."


def read_only_bind(folder: Path) -> tuple[str, ...]:
    """A wrapper that runs a command with `folder` bind-mounted read-only in a private mount namespace."""
    wrapper = ("unshare", "--mount", "sh", "-c", 'mount --bind -o ro "$1" "$1" && shift && exec "$@"', "sh", str(folder))
    if shutil.which("unshare") is None or subprocess.run([*wrapper, "true"], capture_output=True).returncode != 0:
        pytest.skip("needs unshare and mount (root with CAP_SYS_ADMIN) to make a read-only folder; root ignores permission bits")
    return wrapper


@pytest.mark.parametrize("command", ["template", "sample", "report"])
def test_writing_on_a_read_only_disk_is_one_line_not_a_traceback(tmp_path, small_book, command):
    folder = tmp_path / "chi-doc"
    folder.mkdir()
    out = folder / ("bao-cao.docx" if command == "report" else "mau.xlsx")
    done = run(*write_command(command, out, small_book), prefix=read_only_bind(folder))
    assert one_line_refusal(done) == f"Lỗi: Không ghi được '{out}': ổ đĩa chỉ cho phép đọc."


@pytest.mark.parametrize("as_json", [False, True])
def test_a_reader_that_stops_early_ends_check_with_one_line_and_exit_2(sample_path, as_json):
    args = [sys.executable, "-m", "lib", "check", str(sample_path), "--today", TODAY.isoformat(), *(["--json"] if as_json else [])]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # as `| head` does once it has its lines: every write from here on meets a closed pipe
    stderr = proc.stderr.read()
    assert proc.wait(timeout=120) == 2, stderr
    assert stderr == "Lỗi: Đầu ra đã bị đóng trước khi in xong (ví dụ khi nối vào | head).\n"


def documented_options(command: str) -> list[str]:
    """The options of `command` that take a value, as its --help lists them."""
    return re.findall(r"^\s+(--[\w-]+) [A-Z]", run(command, "--help").stdout, flags=re.MULTILINE)


def test_no_command_prints_a_traceback_for_help_or_garbage(tmp_path):
    # what each command needs before an option can be wrong: a source that does not exist, a file name
    needs = {
        "check": ["rac"],
        "snapshot": ["rac"],
        "report": ["rac", "--out", "rac.txt"],
        "template": ["rac.xlsx"],
        "sample": ["rac.xlsx"],
        "links": ["rac", "--base-url", "https://bang.example.vn"],
    }
    problems = []
    for args in (["--help"], ["--no-such-option"], ["no-such-command"], []):
        done = run(*args, cwd=tmp_path)
        if "Traceback" in done.stderr or done.returncode != (0 if args == ["--help"] else 2):
            problems.append((args, done.returncode, done.stderr))
    for command in COMMANDS:
        helped = run(command, "--help", cwd=tmp_path)
        if (helped.returncode, helped.stderr) != (0, "") or not helped.stdout.startswith("usage: python -m lib"):
            problems.append(([command, "--help"], helped.returncode, helped.stderr))
        unknown = run(command, *needs[command], "--no-such-option", cwd=tmp_path)  # argparse's own usage error
        if unknown.returncode != 2 or "Traceback" in unknown.stderr:
            problems.append(([command, "--no-such-option"], unknown.returncode, unknown.stderr))
        garbage = [["rac"] + needs[command][1:]] + [needs[command] + [option, "rac"] for option in documented_options(command)]
        for args in garbage:
            done = run(command, *args, cwd=tmp_path)
            if done.returncode != 2 or not done.stderr.startswith("Lỗi: ") or done.stderr.count("\n") != 1 or "Traceback" in done.stderr:
                problems.append(([command, *args], done.returncode, done.stderr))
    assert problems == []
    assert list(tmp_path.iterdir()) == []
