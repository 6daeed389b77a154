"""The demo district's accounts: one per role, with public passwords (never on another district).

The sign-in page of the demo lists them, so a newcomer reaches every page in one click. They are
made only when the loaded district says it is the demo (``district.json``: ``"demo": true``).
"""

from __future__ import annotations

from collections.abc import Sequence

from gridmap.access.accounts import AccountStore
from gridmap.errors import AccessError

#: (name, role, which township: index among the level-2 grids or None for the whole district).
DEMO_ACCOUNTS = (
    ("demo-commander", "commander", None),
    ("demo-township", "township", 0),
    ("demo-planner", "planner", None),
    ("demo-viewer", "viewer", 1),
    ("demo-admin", "admin", None),
    ("demo-unit", "unit", None),
)
#: The demo unit's staff work for the default unit of this category: the district's Urban
#: Management Bureau (区城市管理局, 城管), which takes the sanitation cases, the most common kind,
#: so its workbench has cases at any hour of the demo.
DEMO_UNIT_CATEGORY = "environment"


def demo_password(name: str) -> str:
    """Return the public password of a demo account (shown on the demo's sign-in page)."""
    return f"{name}-2026"


def demo_unit(categories) -> str | None:
    """Return the unit (Chinese name) the demo unit account works for, None without units.

    Parameters
    ----------
    categories : Categories or sequence of Category
        The district's categories: the default unit of :data:`DEMO_UNIT_CATEGORY`, else the
        first category's.
    """
    items = list(categories or ())
    for category in items:
        if category.id == DEMO_UNIT_CATEGORY:
            return category.unit_zh
    return items[0].unit_zh if items else None


def demo_accounts(
    townships: list[str], categories: Sequence = ()
) -> list[tuple[str, str, tuple[str, ...], str, str | None]]:
    """Return (name, role, grids, password, unit) of the demo accounts for the district.

    The unit account is left out when the district has no categories to take its unit from.
    """
    out = []
    unit = demo_unit(categories)
    for name, role, town in DEMO_ACCOUNTS:
        if role == "unit" and unit is None:
            continue
        grids = () if town is None else (townships[min(town, len(townships) - 1)],)
        out.append((name, role, grids, demo_password(name), unit if role == "unit" else None))
    return out


def ensure_demo_accounts(
    accounts: AccountStore, townships: list[str], categories: Sequence = ()
) -> list[tuple]:
    """Create the demo accounts that are missing; return (name, role, password, unit) of each.

    ``unit`` is None, or for the unit account its unit's names ``{"zh": ..., "en": ...}`` (the
    sign-in page shows it in the page's language).
    """
    listed = []
    all_units = {u.zh: u for c in categories or () for u in c.units}
    for name, role, grids, password, unit in demo_accounts(townships, categories):
        if accounts.user(name) is None:
            try:
                accounts.add_user(
                    name, role, grids, password, unit=unit, units=list(all_units) or None
                )
            except AccessError:  # another worker made it first
                if accounts.user(name) is None:
                    raise
        names = {"zh": all_units[unit].zh, "en": all_units[unit].en} if unit else None
        listed.append((name, role, password, names))
    return listed
