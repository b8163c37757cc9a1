import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TODAY
from lib.__main__ import main
from lib.pipeline import load
from lib.sample import SampleSpec, build, write_xlsx
from lib.template import write_template

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lib", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_check_json_on_the_sample_prints_the_contract(sample_path):
    done = run("check", str(sample_path), "--json", "--today", TODAY.isoformat())
    assert done.returncode == 1, done.stderr  # the sample carries planted mistakes
    result = json.loads(done.stdout)
    assert set(result) == {"source", "rows", "issues", "summary", "villages"}
    assert set(result["rows"]) == {"Thôn", "Báo cáo thôn", "Đơn vị", "Báo cáo đơn vị", "Cấu hình", "Giai đoạn"}
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
        ]
    )


def test_json_figures_equal_the_pipeline(sample_path):
    from lib import metrics

    ds = load(str(sample_path), TODAY)
    s = metrics.summary(ds)
    summary = json.loads(run("check", str(sample_path), "--json", "--today", TODAY.isoformat()).stdout)["summary"]
    assert (summary["installed_households"], summary["officials_installed"]) == (s.installed_households, s.officials_installed)


def test_check_without_json_prints_a_vietnamese_summary(sample_path, capsys):
    status = main(["check", str(sample_path), "--today", TODAY.isoformat()])
    out = capsys.readouterr().out
    assert status == 1
    assert "Hộ đã cài đặt:" in out and "chỉ tiêu 70 %" in out and "[LỖI] Báo cáo thôn!" in out


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


def test_template_with_example_rows_reads_with_zero_errors(tmp_path):
    path = tmp_path / "mau.xlsx"
    assert main(["template", str(path), "--examples"]) == 0
    ds = load(str(path), TODAY)
    assert ds.error_count == 0, ds.issues.to_dict(orient="records")
    assert ds.rows["Báo cáo thôn"] == {"read": 1, "accepted": 1, "rejected": 0}
    assert ds.campaign.household_target == 0.7 and len(ds.campaign.phases) == 3


def test_template_has_instructions_frozen_headers_dropdowns_and_number_checks(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "mau.xlsx"
    write_template(path)
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Hướng dẫn"
    reports = wb["Báo cáo thôn"]
    assert reports.freeze_panes == "A2"
    checks = {dv.type: dv for dv in reports.data_validations.dataValidation}
    assert checks["list"].formula1 == "='Thôn'!$A$2:$A$2000"
    assert checks["whole"].operator == "greaterThanOrEqual" and checks["whole"].formula1 == "0"
    assert "date" in checks


def test_the_sample_generator_is_deterministic(tmp_path):
    assert build(SampleSpec()) == build(SampleSpec())
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_xlsx(SampleSpec(villages=30), a)
    write_xlsx(SampleSpec(villages=30), b)
    assert load(str(a), TODAY).village_reports.equals(load(str(b), TODAY).village_reports)


def test_the_bundled_sample_is_what_the_generator_makes(sample_path, tmp_path):
    fresh = write_xlsx(SampleSpec(), tmp_path / "fresh.xlsx")
    ours, theirs = load(str(sample_path), TODAY), load(str(fresh), TODAY)
    assert ours.village_reports.equals(theirs.village_reports)
    assert hashlib.sha1(ours.issues.to_csv().encode()).digest() == hashlib.sha1(theirs.issues.to_csv().encode()).digest()


def test_the_sample_has_realistic_sizes(sample_path):
    ds = load(str(sample_path), TODAY)
    assert 20 <= len(ds.villages) <= 30 and 15 <= len(ds.units) <= 20
    assert ds.villages["households"].between(80, 300).all()
    share = ds.villages["smartphone_households"] / ds.villages["households"]
    assert share.between(0.64, 0.81).all()
    assert set(ds.villages["former_commune"]) == {"Sơn Giang", "Quang Diệm", "Sơn Lâm"}


def test_larger_workbooks_for_benchmarks(tmp_path):
    path = write_xlsx(SampleSpec(villages=300, units=40, weeks=6), tmp_path / "big.xlsx")
    ds = load(str(path), TODAY)
    assert len(ds.villages) == 300 and ds.villages["key"].is_unique


@pytest.mark.parametrize("command", ["check", "snapshot", "report", "template", "sample"])
def test_every_command_is_documented_in_the_readme_and_help(command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"python -m lib {command}" in readme
    assert command in run("--help").stdout


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
