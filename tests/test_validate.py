"""The whole workbook: the issue contract, a clean workbook, and row accounting (lib/validation/run.py, model.py)."""

from conftest import D3, REPORTS, check, codes
from lib.validation.model import ISSUE_COLUMNS


def test_a_clean_workbook_has_no_issues_and_accepts_every_row():
    ds = check()
    assert codes(ds) == []
    assert ds.rows["Báo cáo thôn"] == {"read": 4, "accepted": 4, "rejected": 0}
    assert ds.rows["Thôn"] == {"read": 3, "accepted": 3, "rejected": 0}
    assert list(ds.village_reports["installed"]) == [30, 40, 75, 90]


def test_issue_records_have_the_contract_columns():
    ds = check(Bao_cao_thon=REPORTS + [[D3, "Thôn 1", "abc"]])
    assert list(ds.issues.columns) == [*ISSUE_COLUMNS, "subject", "week"]
    issue = ds.issues[ISSUE_COLUMNS].iloc[0].to_dict()
    assert (ds.issues.iloc[0]["subject"], ds.issues.iloc[0]["week"]) == ("Thôn 1", D3)
    assert issue == {
        "sheet": "Báo cáo thôn",
        "row": 6,
        "column": "Số hộ đã cài đặt",
        "cell": "C6",
        "severity": "error",
        "code": "not_a_number",
        "message": issue["message"],
        "value": "abc",
    }
    assert "C6" in issue["message"] and "Hãy nhập" in issue["message"]


def test_row_accounting_holds_and_every_rejected_row_has_an_error():
    ds = check(
        Bao_cao_thon=REPORTS
        + [[D3, "Thôn 1", "abc"], ["4/23/2026", "Thôn 1", 3], [D3, "Thôn X", 2], [D3, "Thôn Yên Thọ", 1], [D3, "Thôn Yên Thọ", 2]]
    )
    counts = ds.rows["Báo cáo thôn"]
    assert counts["read"] == counts["accepted"] + counts["rejected"] == 9
    errors = ds.issues[(ds.issues["sheet"] == "Báo cáo thôn") & (ds.issues["severity"] == "error")]
    assert errors["row"].nunique() == counts["rejected"] == 3  # the Yên Thọ week entered twice is a warning: row 10 is used
