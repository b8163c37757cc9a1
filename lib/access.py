"""Who may open the dashboard: optional sign-in (OIDC through st.login) and an allowlist, from secrets.

With no `[auth]` section the app is open. With one, only signed-in users whose email, or whose
email's domain, is listed under `[access]` get in; an empty allowlist admits nobody (safe default).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AccessPolicy:
    """Sign-in on or off, and the emails and domains admitted."""

    enabled: bool
    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()

    def admits(self, email: object) -> bool:
        """True when the policy lets this email in (always, when sign-in is off)."""
        if not self.enabled:
            return True
        if not isinstance(email, str) or "@" not in email:
            return False
        address = email.strip().casefold()
        return address in self.emails or address.rsplit("@", 1)[1] in self.domains


def _items(value: object) -> frozenset[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return frozenset()
    return frozenset(str(v).strip().casefold().lstrip("@") for v in value if str(v).strip())


def access_policy(secrets: Mapping[str, Any]) -> AccessPolicy:
    """The policy from secrets: `[auth]` turns sign-in on; `[access] allowed_emails / allowed_domains` list who gets in."""
    access = secrets.get("access") or {}
    return AccessPolicy(
        enabled=bool(secrets.get("auth")),
        emails=_items(access.get("allowed_emails")),
        domains=_items(access.get("allowed_domains")),
    )
