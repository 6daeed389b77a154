"""The header's "who is signed in": name and role, and a sign-out link for a person."""

from __future__ import annotations

from dash import html

from gridmap.i18n import t


def user_badge(info: dict | None, lang: str) -> list:
    """Return the children of the header's user badge.

    Parameters
    ----------
    info : dict or None
        What :func:`web.signed_in.signed_in_info` returns (``name``, ``kind``, ``role``,
        ``sign_out``); None shows nothing.
    lang : str
        ``zh`` or ``en``.
    """
    if info is None:
        return []
    if info["kind"] == "kiosk":
        who = t("user-kiosk", lang, name=info["name"])
    elif info.get("role"):
        who = f"{info['name']} · {t('role-' + info['role'], lang)}"
    else:
        who = info["name"]
    children: list = [html.Span(who, className="user-name")]
    if info.get("role") == "admin":
        children.append(html.A(t("admin-link", lang), href="/admin/users", className="sign-out"))
    if info.get("sign_out"):
        children.append(html.A(t("sign-out", lang), href=info["sign_out"], className="sign-out"))
    return children
