"""What one running app holds: its settings and its district, stored on the Flask server."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from gridmap.district import District
from gridmap.settings import Settings

EXTENSION_KEY = "gridmap"


@dataclass(frozen=True)
class Runtime:
    """The read-only state of one app: settings and the loaded district."""

    settings: Settings
    district: District


def bind(server: Flask, runtime: Runtime) -> None:
    """Attach ``runtime`` to ``server``."""
    server.extensions[EXTENSION_KEY] = runtime


def current() -> Runtime:
    """Return the runtime of the app handling the current request."""
    return current_app.extensions[EXTENSION_KEY]
