"""The planner's saved scenarios for the person asking: theirs, or every one for an admin.

The store takes the owner as a plain value; this is where it comes from (the signed-in
person), where the right to save is checked and where a save is written to the audit trail.
"""

from __future__ import annotations

from flask import request

from gridmap.access.roles import allowed
from gridmap.errors import ScenarioStoreError
from web.auth import current_principal
from web.runtime import Runtime


def reader() -> str | None:
    """Return whose scenarios the current request sees: the person's name, None for an admin.

    Raises
    ------
    ScenarioStoreError
        Nobody signed in as a person (a token or a kiosk link has no scenarios).
    """
    principal = current_principal()
    if principal is None or principal.kind != "user":
        raise ScenarioStoreError("only a signed-in person has saved scenarios", field="principal")
    return None if principal.is_admin else principal.name


def entries(runtime: Runtime) -> list[dict]:
    """Return the saved scenarios the current request may see, newest first.

    Each is ``name`` and ``saved_at``; an administrator's also name their ``owner``.
    """
    try:
        owner = reader()
    except ScenarioStoreError:
        return []
    rows = runtime.scenario_store.entries(owner)
    if owner is not None:
        rows = [{k: v for k, v in r.items() if k != "owner"} for r in rows]
    return rows


def load(runtime: Runtime, name: str) -> str:
    """Return the query of the scenario ``name`` if the current request may see it."""
    return runtime.scenario_store.load(name, reader())


def save(runtime: Runtime, name: str, query: str) -> str:
    """Save ``query`` under ``name`` as the signed-in person's; audit it; return the name.

    Raises
    ------
    ScenarioStoreError
        Not a person allowed to save (``field`` "principal"), or the store refuses
        (``field`` "owner": the name is someone else's).
    ScenarioError
        The query is not a usable scenario.
    """
    principal = current_principal()
    if principal is None or principal.kind != "user" or not allowed(principal, "save-scenario"):
        raise ScenarioStoreError("you may not save scenarios", field="principal")
    saved = runtime.scenario_store.save(name, query, principal.name)
    runtime.audit.record(
        principal.label(), "scenario-save", saved, address=request.remote_addr or ""
    )
    return saved
