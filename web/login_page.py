"""The sign-in page: a small HTML form in Chinese or English, every value escaped as text."""

from __future__ import annotations

from urllib.parse import urlencode

from markupsafe import escape

from gridmap.i18n import t

STYLE = """
body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
  background: #f5f6f4; color: #1d2530; font-size: 14px;
  font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei",
    system-ui, sans-serif; }
.card { background: #fff; border: 1px solid #dde2e8; border-radius: 6px; width: 380px;
  box-shadow: 0 2px 10px rgba(18, 50, 79, .08); }
.card header { background: #12324f; color: #fff; padding: 14px 20px; border-radius: 6px 6px 0 0;
  display: flex; justify-content: space-between; align-items: baseline; }
.card h1 { font-size: 18px; margin: 0; font-weight: 600; }
.card header a { color: #cfe0f1; font-size: 13px; }
form { padding: 16px 20px; display: flex; flex-direction: column; gap: 8px; }
label { font-weight: 600; font-size: 13px; }
input[type=text], input[type=password] { font: inherit; padding: 6px 8px;
  border: 1px solid #c4ccd6; border-radius: 4px; }
button { font: inherit; padding: 7px 12px; border-radius: 4px; cursor: pointer;
  background: #1d4f7c; color: #fff; border: 1px solid #3d6d99; }
.message { color: #a61b1b; background: #fdecec; padding: 6px 8px; border-radius: 4px; }
.demo { border-top: 1px solid #dde2e8; padding: 12px 20px 16px; }
.demo p { margin: 0 0 8px; color: #5a6775; font-size: 13px; }
.demo form { padding: 0; display: inline; }
.demo button { background: #fff; color: #1d4f7c; margin: 0 6px 6px 0; font-size: 13px; }
"""


def _demo_block(accounts, lang: str, csrf_token: str, next_path: str) -> str:
    if not accounts:
        return ""
    buttons = []
    for name, role, password, *more in accounts:
        # A unit account says which unit it works for, in the page's language.
        unit = (more[0] or {}).get(lang) if more else None
        label = t("role-" + role, lang) + (f"（{unit}）" if unit and lang == "zh" else "")
        label += f" ({unit})" if unit and lang != "zh" else ""
        buttons.append(
            '<form method="post" action="/login">'
            f'<input type="hidden" name="csrf_token" value="{escape(csrf_token)}">'
            f'<input type="hidden" name="next" value="{escape(next_path)}">'
            f'<input type="hidden" name="name" value="{escape(name)}">'
            f'<input type="hidden" name="password" value="{escape(password)}">'
            f'<button type="submit" class="demo-login" data-name="{escape(name)}">'
            f"{escape(label)} · {escape(name)}</button></form>"
        )
    return f'<div class="demo"><p>{escape(t("login-demo", lang))}</p>{"".join(buttons)}</div>'


def login_html(
    lang: str,
    *,
    csrf_token: str,
    next_path: str = "/",
    message: str = "",
    name: str = "",
    demo_accounts=(),
) -> str:
    """Return the sign-in page.

    Parameters
    ----------
    lang : str
        ``zh`` or ``en``.
    csrf_token : str
        The form's CSRF token (Flask-WTF).
    next_path : str
        Where to go after signing in (a local path).
    message : str
        ``refused``, ``locked``, ``too-many``, ``csrf`` or empty.
    name : str
        The name typed before (kept in the field).
    demo_accounts : sequence of (name, role, password[, unit])
        On the demo district only: one-click demo sign-ins (``unit``: a unit account's unit
        as ``{"zh": ..., "en": ...}``, or None).
    """
    other = "en" if lang == "zh" else "zh"
    other_url = "/login?" + urlencode({"lang": other, "next": next_path})
    notice = (
        f'<p class="message" role="alert">{escape(t("login-" + message, lang))}</p>'
        if message
        else ""
    )
    return f"""<!doctype html>
<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(t("login-title", lang))} · {escape(t("app-title", lang))}</title>
<style>{STYLE}</style></head>
<body><main class="card">
<header><h1>{escape(t("app-title", lang))}</h1>
<a href="{escape(other_url)}" id="login-lang">{escape(t("login-other-lang", lang))}</a></header>
<form method="post" action="/login" id="login-form">
{notice}
<input type="hidden" name="csrf_token" value="{escape(csrf_token)}">
<input type="hidden" name="next" value="{escape(next_path)}">
<label for="login-name">{escape(t("login-name", lang))}</label>
<input type="text" id="login-name" name="name" value="{escape(name)}" autocomplete="username"
 required autofocus>
<label for="login-password">{escape(t("login-password", lang))}</label>
<input type="password" id="login-password" name="password" autocomplete="current-password"
 required>
<button type="submit" id="login-submit">{escape(t("login-submit", lang))}</button>
</form>
{_demo_block(demo_accounts, lang, csrf_token, next_path)}
</main></body></html>"""
