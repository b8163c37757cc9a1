import pytest

from lib.access import access_policy

SECRETS = {
    "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x"},
    "access": {"allowed_emails": ["Chu.Tich@Gmail.com"], "allowed_domains": ["@hatinh.gov.vn"]},
}


@pytest.mark.parametrize(
    ("email", "admitted"),
    [
        ("chu.tich@gmail.com", True),
        (" CHU.TICH@gmail.com ", True),
        ("vhxh@songiang.hatinh.gov.vn", False),
        ("pct@hatinh.gov.vn", True),
        ("stranger@gmail.com", False),
        ("", False),
        (None, False),
        ("hatinh.gov.vn", False),
    ],
)
def test_only_listed_emails_and_domains_get_in(email, admitted):
    assert access_policy(SECRETS).admits(email) is admitted


def test_without_an_auth_section_the_app_is_open():
    policy = access_policy({"access": {"allowed_emails": ["a@b.c"]}})
    assert not policy.enabled and policy.admits(None)


def test_sign_in_with_an_empty_allowlist_admits_nobody():
    assert not access_policy({"auth": {"cookie_secret": "x"}}).admits("anyone@gmail.com")
