"""The demo district's accounts: one per role, with public passwords (never on another district).

The sign-in page of the demo lists them, so a newcomer reaches every page in one click. They are
made only when the loaded district says it is the demo (``district.json``: ``"demo": true``).
"""

from __future__ import annotations

from gridmap.access.accounts import AccountStore
from gridmap.errors import AccessError

#: (name, role, which township: index among the level-2 grids or None for the whole district).
DEMO_ACCOUNTS = (
    ("demo-commander", "commander", None),
    ("demo-township", "township", 0),
    ("demo-planner", "planner", None),
    ("demo-viewer", "viewer", 1),
    ("demo-admin", "admin", None),
)


def demo_password(name: str) -> str:
    """Return the public password of a demo account (shown on the demo's sign-in page)."""
    return f"{name}-2026"


def demo_accounts(townships: list[str]) -> list[tuple[str, str, tuple[str, ...], str]]:
    """Return (name, role, grids, password) of the demo accounts for the district's townships."""
    out = []
    for name, role, town in DEMO_ACCOUNTS:
        grids = () if town is None else (townships[min(town, len(townships) - 1)],)
        out.append((name, role, grids, demo_password(name)))
    return out


def ensure_demo_accounts(accounts: AccountStore, townships: list[str]) -> list[tuple]:
    """Create the demo accounts that are missing; return (name, role, password) of each."""
    listed = []
    for name, role, grids, password in demo_accounts(townships):
        if accounts.user(name) is None:
            try:
                accounts.add_user(name, role, grids, password)
            except AccessError:  # another worker made it first
                if accounts.user(name) is None:
                    raise
        listed.append((name, role, password))
    return listed
