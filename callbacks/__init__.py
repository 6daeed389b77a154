"""Callbacks: they only wire page inputs to domain functions and figure builders."""

from __future__ import annotations

from dash import Dash

from callbacks import dispatch_stats, incidents, language, render, search
from web.runtime import Runtime


def register_all(app: Dash, runtime: Runtime) -> None:
    """Register every callback of the dashboard on ``app``."""
    render.register(app, runtime)
    search.register(app, runtime)
    language.register(app, runtime)
    incidents.register(app, runtime)
    dispatch_stats.register(app, runtime)
