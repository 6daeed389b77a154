"""Who is signed in, as plain data for a page's header (name, kind, role, a sign-out link)."""

from __future__ import annotations

from web.auth import current_principal


def signed_in_info() -> dict | None:
    """Return the current request's principal for the header (None: anonymous).

    Returns
    -------
    dict or None
        ``name``, ``kind`` (user, token, kiosk), ``role`` (people; None otherwise) and
        ``sign_out`` (the sign-out URL for a person; None for a kiosk link or a token, which
        have no session to end).
    """
    principal = current_principal()
    if principal is None:
        return None
    return {
        "name": principal.name,
        "kind": principal.kind,
        "role": principal.role,
        "sign_out": "/logout" if principal.kind == "user" else None,
    }
