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


@contextmanager
def browser_page(base_url: str, width: int = 1600, height: int = 1000):
    """Yield (page, foreign) where ``foreign`` collects every request to another host."""
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
            yield page, foreign
        finally:
            browser.close()
