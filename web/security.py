"""Response headers that keep pages and answers in their place: CSP, frames, sniffing, referrers.

The Content-Security-Policy allows only the app's own server. What Dash and Plotly need beyond
``'self'`` was found by testing the pages in Chromium (tests/pages), each with its reason:

- ``script-src`` the hashes of Dash's inline renderer scripts (``Dash.csp_hashes()``), and no
  ``'unsafe-eval'``: served without it, the map, the planner and the wall draw their maps and the
  browser reports no violation (tests/pages/test_security_browser.py; Plotly 3's MapLibre maps
  compile no code from strings), so the policy leaves it out;
- ``style-src 'unsafe-inline'``: React, Plotly and the Dash components set ``style`` attributes;
- ``worker-src``/``child-src blob:``: MapLibre runs its tile and geometry workers from blob URLs;
- ``img-src data: blob:``: Plotly's mode-bar icons and map sprites are data/blob images.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, Response


def content_security_policy(script_hashes: Iterable[str], frame_ancestors: str) -> str:
    """Return the CSP header value: self only, plus what Dash and Plotly need (see module doc)."""
    hashes = " ".join(h if h.startswith("'") else f"'{h}'" for h in sorted(set(script_hashes)))
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' {hashes}".strip(),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "worker-src": "'self' blob:",
        "child-src": "'self' blob:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors or "'none'",
    }
    return "; ".join(f"{k} {v}" for k, v in directives.items())


def install_headers(server: Flask, policy: str) -> None:
    """Add the security headers to every answer of ``server`` (pages, scripts, API, errors)."""

    @server.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policy)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response
