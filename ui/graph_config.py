"""Plotly graph options per page language: the locale of date axes and the toolbar."""

from __future__ import annotations

#: Plotly's locale of each page language (zh-CN is registered by assets/plotly-locale-zh-cn.js).
PLOTLY_LOCALES = {"zh": "zh-CN", "en": "en"}


def with_locale(config: dict, lang: str) -> dict:
    """Return ``config`` (a dcc.Graph config) with the Plotly locale of ``lang``."""
    return {**config, "locale": PLOTLY_LOCALES.get(lang, "en")}
