"""Roles, rights and grid scopes: the rules that say who may see and do what (deny by default).

A :class:`Principal` is whoever asks: a signed-in person, a machine token or a wall's kiosk link. It
has a role (people), rights (tokens and kiosks) and a :class:`Scope`: every grid, or the subtrees of
a few grids. The web layer builds the principal of each request and asks :func:`allowed` and
:meth:`Scope.contains`; the domain's queries take the scope as a plain value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from gridmap.errors import AccessError  # noqa: F401 (re-exported)

#: The roles of people, from most to least powerful (``unit``: the staff of one unit cases are
#: dispatched to, who act on their unit's cases only).
ROLES = ("admin", "commander", "township", "planner", "viewer", "unit")

#: Roles bound to one unit (the account carries the unit's name; no grid is given).
UNIT_ROLES = frozenset({"unit"})

#: The roles that read the map pages (everyone but a unit's staff, who use the workbench).
MAP_ROLES = frozenset(ROLES) - UNIT_ROLES

#: Roles whose scope is the whole district (no grid may be given).
DISTRICT_ROLES = frozenset({"admin", "commander", "planner"})

#: Roles that must be given one or more grids (their subtrees are all they see).
SCOPED_ROLES = frozenset({"township", "viewer"})

#: Rights a machine token may hold.
TOKEN_RIGHTS = ("intake", "read", "dispatch")

#: What each action needs: the roles that may do it (people), the rights that allow it (tokens,
#: kiosk links). An action missing here is refused to everyone.
RULES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # Read the map, its grids and their figures (counts, shares) inside the scope.
    "view-map": (MAP_ROLES, frozenset({"read"})),
    # Display geometry: grid outlines, roads, water, coverage polygons (the wall draws them too;
    # so does the workbench's small map of one case, which a unit's staff sees).
    "view-geometry": (frozenset(ROLES), frozenset({"read", "wall"})),
    # Read single incidents: positions, descriptions, reporters, units.
    "read-incidents": (
        frozenset({"admin", "commander", "township", "viewer"}),
        frozenset({"read"}),
    ),
    # Incident counts and rates only (no single incident).
    "read-counts": (MAP_ROLES, frozenset({"read", "wall"})),
    "write-incidents": (frozenset({"admin", "commander"}), frozenset({"intake"})),
    # The workbench and the workflow's actions (what each may do there: the workflow's rules,
    # per case; a unit's staff acts on its unit's cases only).
    "dispatch": (frozenset({"admin", "commander", "township", "unit"}), frozenset({"dispatch"})),
    # The old ``PATCH {"status": ...}`` of machine clients: it predates the workflow's per-case
    # rules (it checks only the grids), so a unit's staff, who act on their unit's cases only,
    # may not use it.
    "legacy-status": (frozenset({"admin", "commander", "township"}), frozenset({"dispatch"})),
    "view-wall": (frozenset({"admin", "commander", "township", "viewer"}), frozenset({"wall"})),
    "plan": (frozenset({"admin", "commander", "planner"}), frozenset()),
    "save-scenario": (frozenset({"admin", "commander", "planner"}), frozenset()),
    # The expensive coverage figures (road-network model, suggestions).
    "coverage": (frozenset({"admin", "commander", "planner", "township"}), frozenset({"read"})),
    "export": (frozenset({"admin", "commander", "township", "planner"}), frozenset({"read"})),
    "admin": (frozenset({"admin"}), frozenset()),
    # The API's OpenAPI document and reference page: any person, any token (no kiosk link).
    "api-docs": (MAP_ROLES, frozenset(TOKEN_RIGHTS)),
}


@dataclass(frozen=True)
class Scope:
    """The grids a principal may see: all (``roots`` is None) or the subtrees of ``roots``."""

    roots: tuple[str, ...] | None = None

    @classmethod
    def everything(cls) -> Scope:
        """Return the scope of the whole district."""
        return cls(None)

    @classmethod
    def of(cls, roots: Iterable[str]) -> Scope:
        """Return the scope of the subtrees of ``roots`` (an empty list sees nothing)."""
        return cls(tuple(sorted(set(roots))))

    @property
    def is_all(self) -> bool:
        """Return whether the scope is the whole district."""
        return self.roots is None

    def contains(self, chain: Iterable[str]) -> bool:
        """Return whether a grid lies inside the scope, given its chain (itself and its ancestors).

        Parameters
        ----------
        chain : iterable of str
            The grid's id and the ids of every grid above it (``District.chain``), in any order.
        """
        if self.roots is None:
            return True
        roots = set(self.roots)
        return any(g in roots for g in chain)

    def within(self, level_of) -> list[tuple[int, str]] | None:
        """Return the scope as the incident store's ``within`` filter: (level, id) per root.

        Parameters
        ----------
        level_of : callable
            Returns a grid's level (``District.level_of``); roots unknown to the district are
            dropped (they see nothing).
        """
        if self.roots is None:
            return None
        out = []
        for root in self.roots:
            try:
                out.append((int(level_of(root)), root))
            except (KeyError, ValueError):
                continue
        return out

    def key(self) -> str:
        """Return a short, stable text of the scope (for cache keys and the audit trail)."""
        return "*" if self.roots is None else ",".join(self.roots)


@dataclass(frozen=True)
class Principal:
    """Whoever asks: a person (``kind`` user), a machine token, or a wall's kiosk link.

    Parameters
    ----------
    name : str
        The user's or token's name (the kiosk link's label).
    kind : str
        ``user``, ``token`` or ``kiosk``.
    role : str, optional
        A person's role (one of :data:`ROLES`); None for tokens and kiosks.
    rights : frozenset of str
        A token's rights (:data:`TOKEN_RIGHTS`); a kiosk link has ``{"wall"}``.
    scope : Scope
        The grids it may see.
    unit : str, optional
        The unit a person of role ``unit`` works for (its Chinese name, as cases store it).
    """

    name: str
    kind: str
    role: str | None = None
    rights: frozenset[str] = field(default_factory=frozenset)
    scope: Scope = field(default_factory=Scope.everything)
    unit: str | None = None

    @property
    def is_admin(self) -> bool:
        """Return whether this is an administrator."""
        return self.kind == "user" and self.role == "admin"

    def label(self) -> str:
        """Return ``kind:name``, how the audit trail names the actor."""
        return f"{self.kind}:{self.name}"


def allowed(principal: Principal | None, action: str) -> bool:
    """Return whether ``principal`` may do ``action`` (nobody may do an action without a rule).

    Parameters
    ----------
    principal : Principal or None
        Who asks; None is an anonymous request, which may do nothing.
    action : str
        One of the keys of :data:`RULES`.
    """
    if principal is None or action not in RULES:
        return False
    roles, rights = RULES[action]
    if principal.kind == "user":
        return principal.role in roles
    return bool(principal.rights & rights)


def check_role(role: str, grids: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    """Check a role and its grids for a new account; return them cleaned.

    Raises
    ------
    AccessError
        An unknown role, a scoped role without a grid, or a district role given grids.
    """
    grids = tuple(dict.fromkeys(g.strip() for g in grids if g and g.strip()))
    if role not in ROLES:
        raise AccessError(f"role must be one of {', '.join(ROLES)}, got {role!r}", field="role")
    if role in SCOPED_ROLES and not grids:
        raise AccessError(f"role {role!r} needs at least one grid (--grid ID)", field="grids")
    if role in DISTRICT_ROLES and grids:
        raise AccessError(f"role {role!r} sees the whole district: give no grid", field="grids")
    if role in UNIT_ROLES and grids:
        raise AccessError(
            f"role {role!r} sees the cases dispatched to its unit: give no grid", field="grids"
        )
    return role, grids


def check_unit(role: str, unit: str | None, units: Iterable[str] | None = None) -> str | None:
    """Check the unit of a new account; return it cleaned (None for a role without a unit).

    Parameters
    ----------
    role : str
        The account's role (checked by :func:`check_role`).
    unit : str or None
        The unit's name (role ``unit`` needs one; any other role must have none).
    units : iterable of str, optional
        The district's units (their names as cases store them); None: not checked here.

    Raises
    ------
    AccessError
        ``field`` is ``unit``: missing for role ``unit``, given to another role, or not one of
        ``units``.
    """
    unit = (unit or "").strip() or None
    if role not in UNIT_ROLES:
        if unit is not None:
            raise AccessError(f"only role 'unit' takes a unit, not {role!r}", field="unit")
        return None
    if unit is None:
        raise AccessError(f"role {role!r} needs the unit it works for (--unit NAME)", field="unit")
    if units is not None:
        known = list(dict.fromkeys(units))
        if unit not in known:
            raise AccessError(
                f"unit must be one of the district's units (its categories), got {unit!r}; "
                f"known: {', '.join(known)}",
                field="unit",
            )
    return unit


def check_rights(rights: Iterable[str]) -> frozenset[str]:
    """Check the rights of a new token; return them as a set.

    Raises
    ------
    AccessError
        No right given, or one not in :data:`TOKEN_RIGHTS`.
    """
    clean = frozenset(r.strip() for r in rights if r and r.strip())
    unknown = sorted(clean - set(TOKEN_RIGHTS))
    if unknown or not clean:
        raise AccessError(
            f"rights must be some of {', '.join(TOKEN_RIGHTS)}, got {', '.join(unknown) or 'none'}",
            field="rights",
        )
    return clean
