"""CI cannot be green by accident: a missing tool fails .ci/run and the tests under CI=true, and only skips elsewhere."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from skips import skips_fail

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ("chromium", "soffice", "pdftoppm", "initdb", "nginx", "systemd-analyze")


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"CI": "true"}, True),
        ({"CI": "True"}, True),
        ({"CI": "false"}, False),
        ({"CI": ""}, False),
        ({}, False),
        ({"GITHUB_ACTIONS": "true"}, False),  # only CI itself decides
    ],
)
def test_skips_fail_only_where_ci_is_true(env, expected):
    assert skips_fail(env) is expected


SESSION = """
import pytest

@pytest.mark.skipif(True, reason="chromium is not installed")
def test_marked():
    pass

def test_called():
    pytest.skip("nginx is not installed")

@pytest.mark.xfail(reason="a known bug", strict=True)
def test_expected_to_fail():
    assert False

def test_plain():
    pass
"""


@pytest.mark.parametrize(
    "ci, outcomes",
    [
        ("true", {"passed": 1, "errors": 1, "failed": 1, "xfailed": 1}),  # a skipif mark fails in setup: an error
        ("false", {"passed": 1, "skipped": 2, "xfailed": 1}),
        (None, {"passed": 1, "skipped": 2, "xfailed": 1}),
    ],
)
def test_a_skip_for_a_missing_tool_is_a_failure_under_ci(pytester, monkeypatch, ci, outcomes):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    pytester.makeconftest('pytest_plugins = ["skips"]')
    pytester.makepyfile(SESSION)
    result = pytester.runpytest("-p", "no:cacheprovider", "-rfs")
    result.assert_outcomes(**outcomes)
    if ci == "true":
        result.stdout.fnmatch_lines(["*CI=true*(chromium is not installed)*", "*CI=true*(nginx is not installed)*"])
    else:
        result.stdout.fnmatch_lines(["SKIPPED*chromium is not installed*", "SKIPPED*nginx is not installed*"])


def test_a_module_skipped_as_a_whole_fails_under_ci(pytester, monkeypatch):
    monkeypatch.setenv("CI", "true")
    pytester.makeconftest('pytest_plugins = ["skips"]')
    pytester.makepyfile('import pytest\npytest.skip("PostgreSQL is not installed", allow_module_level=True)\n')
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret != pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*CI=true*(PostgreSQL is not installed)*"])


# .ci/run with stand-ins for the tools, apt-get and make on an otherwise empty PATH.
STUB = '#!/bin/bash\necho "{name} $* CI=$CI" >> "$CI_LOG"\n{body}\n'


def run_ci(tmp_path: Path, *, present: set[str], apt: str, make_exit: int, ci: str | None) -> tuple[int, str, list[str]]:
    """Run .ci/run; apt is 'fails', 'installs' (creates every missing tool) or 'installs nothing'."""
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir()
    (bin_dir / "dirname").symlink_to("/usr/bin/dirname")

    def stub(name: str, body: str = "exit 0") -> None:
        (bin_dir / name).write_text(STUB.format(name=name, body=body))
        (bin_dir / name).chmod(0o755)

    for tool in present:
        stub(tool)
    creates = " ".join(
        f'[ -e "{bin_dir / t}" ] || printf "#!/bin/bash\\n" > "{bin_dir / t}"; /bin/chmod +x "{bin_dir / t}";' for t in TOOLS
    )
    stub("apt-get", {"fails": "exit 100", "installs": f'[ "$1" = install ] && {{ {creates} }}; exit 0', "installs nothing": "exit 0"}[apt])
    stub("make", f"exit {make_exit}")
    env = {"PATH": str(bin_dir), "CI_LOG": str(log)}
    if ci is not None:
        env["CI"] = ci
    done = subprocess.run(["/bin/bash", str(ROOT / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60)
    calls = log.read_text().splitlines() if log.exists() else []
    return done.returncode, done.stderr, calls


ALL = set(TOOLS)


@pytest.mark.parametrize(
    "present, apt, make_exit, ci, ok, calls",
    [
        pytest.param(ALL, "fails", 0, None, True, ["make test CI=true"], id="all tools there: straight to the tests, with CI=true"),
        pytest.param(ALL, "fails", 1, "true", False, ["make test CI=true"], id="a failing test fails the run"),
        pytest.param(ALL, "fails", 5, "true", False, ["make test CI=true"], id="pytest collected nothing (exit 5) fails the run"),
        pytest.param(ALL - {"chromium"}, "fails", 0, "true", False, ["apt-get update -qq CI=true"], id="chromium cannot be installed"),
        pytest.param(ALL - {"chromium"}, "fails", 0, None, False, ["apt-get update -qq CI=true"], id="CI is the default"),
        pytest.param(
            ALL - {"chromium"},
            "installs nothing",
            0,
            "true",
            False,
            ["apt-get update -qq CI=true", "apt-get install -y -qq chromium CI=true"],
            id="apt-get succeeds but chromium is still missing",
        ),
        pytest.param(
            ALL - {"chromium", "soffice"},
            "installs",
            0,
            "true",
            True,
            ["apt-get update -qq CI=true", "apt-get install -y -qq chromium libreoffice-writer-nogui CI=true", "make test CI=true"],
            id="installed, then tested",
        ),
        pytest.param(
            ALL - {"chromium"},
            "fails",
            0,
            "false",
            True,
            ["apt-get update -qq CI=false", "make test CI=false"],
            id="outside CI the tests run and skip",
        ),
    ],
)
def test_ci_run_fails_on_a_missing_tool_or_a_failed_test_run(tmp_path, present, apt, make_exit, ci, ok, calls):
    returncode, stderr, made = run_ci(tmp_path, present=present, apt=apt, make_exit=make_exit, ci=ci)
    assert (returncode == 0) is ok, stderr
    assert made == calls
    if "chromium" not in present and not ok:
        assert "could not install: chromium" in stderr
