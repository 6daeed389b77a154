"""Real-browser test support: serve an app in a thread, drive Debian's Chromium with Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("GRIDMAP_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def require_chromium() -> None:
    """Skip (with the reason printed by -ra) when Debian's chromium is not installed."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); .ci/run installs it")


@contextmanager
def serve(flask_app) -> Iterator[str]:
    """Serve ``flask_app`` on a free loopback port in a thread; yield its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = make_server("127.0.0.1", port, flask_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def sign_in_page(page, base_url: str, name: str) -> None:
    """Sign the browser context of ``page`` in as the demo account ``name`` (cookies kept)."""
    import re

    from gridmap.access.demo_accounts import demo_password

    html = page.request.get(f"{base_url}/login").text()
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    answer = page.request.post(
        f"{base_url}/login",
        form={"name": name, "password": demo_password(name), "csrf_token": token, "next": "/"},
        headers={"Origin": base_url},
        max_redirects=0,
    )
    assert answer.status == 302, answer.text()[:300]


@contextmanager
def browser_page(
    base_url: str, width: int = 1600, height: int = 1000, user: str | None = "demo-commander"
):
    """Yield (page, foreign) where ``foreign`` collects every request to another host.

    The page is signed in as the demo account ``user`` (None: anonymous).
    """
    from playwright.sync_api import sync_playwright

    own = urlparse(base_url).netloc
    foreign: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})

            def watch(request) -> None:
                netloc = urlparse(request.url).netloc
                if request.url.startswith(("data:", "blob:", "about:")):
                    return
                if netloc != own:
                    foreign.append(request.url)

            page.on("request", watch)
            if user:
                sign_in_page(page, base_url, user)
            yield page, foreign
        finally:
            browser.close()


def map_js(graph: str) -> str:
    """Return JS that evaluates to the MapLibre map of the Plotly graph at ``graph``."""
    return (
        f"(() => {{ const gd = document.querySelector('{graph}');"
        " const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;"
        " return sub && sub.map; })()"
    )


def wait_map_idle(page, graph: str, also: str = "true") -> None:
    """Wait until the map at ``graph`` has drawn its sources and stopped moving.

    ``also`` is one more JS condition (``gd`` is the graph div, ``map`` the MapLibre map).
    """
    page.wait_for_function(
        f"""() => {{
            const gd = document.querySelector('{graph}');
            const map = {map_js(graph)};
            return map && map.loaded() && !map.isMoving() && map.areTilesLoaded() && ({also});
        }}""",
        timeout=30_000,
    )
    page.wait_for_timeout(300)


def hover_lonlat(page, graph: str, lon: float, lat: float) -> tuple[float, float]:
    """Move the pointer onto the map at ``graph`` where (lon, lat) is drawn; return the point."""
    x, y = page.evaluate(
        f"""([lon, lat]) => {{
            const map = {map_js(graph)};
            const p = map.project([lon, lat]);
            const box = map.getCanvas().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }}""",
        [lon, lat],
    )
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y)
    return x, y


def click_lonlat(page, graph: str, lon: float, lat: float) -> None:
    """Move to and click the map at ``graph`` where (lon, lat) is drawn (hover first, as a
    person does: Plotly reports a click on what the pointer hovers)."""
    x, y = hover_lonlat(page, graph, lon, lat)
    page.wait_for_timeout(250)
    page.mouse.click(x, y)
