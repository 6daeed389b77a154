"""Sign in the way a person does: fetch the form (its CSRF token), post it, keep the session."""

from __future__ import annotations

import re

from gridmap.access.demo_accounts import demo_password

#: The tiny test district is a demo: it has the demo accounts (gridmap/access/demo_accounts.py).
COMMANDER = "demo-commander"
#: Browsers send Origin on every POST; the guard refuses cookie-carried POSTs without it.
ORIGIN = "http://localhost"


def csrf_token(client, path: str = "/login") -> str:
    """Return the CSRF token of the sign-in form served to ``client``."""
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client, name: str = COMMANDER, password: str | None = None, next_path: str = "/"):
    """Sign ``client`` in as ``name`` (a demo account by default); return the answer."""
    client.environ_base["HTTP_ORIGIN"] = ORIGIN
    return client.post(
        "/login",
        data={
            "name": name,
            "password": demo_password(name) if password is None else password,
            "csrf_token": csrf_token(client),
            "next": next_path,
        },
    )


def signed_in(app, name: str = COMMANDER):
    """Return a test client of ``app`` (a Dash app or a Flask server) signed in as ``name``."""
    server = getattr(app, "server", app)
    client = server.test_client()
    answer = sign_in(client, name)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
    return client
