"""The Dash dropdown's own texts ("Search", "No options found", ...) in the page's language."""

from __future__ import annotations

from gridmap.i18n import t

#: The keys of ``dcc.Dropdown(labels=...)`` (Dash 4), each translated as ``dropdown-<key>``.
LABEL_KEYS: tuple[str, ...] = (
    "select_all",
    "deselect_all",
    "selected_count",
    "search",
    "clear_search",
    "clear_selection",
    "no_options_found",
)


def dropdown_labels(lang: str) -> dict[str, str]:
    """Return the ``labels`` prop of every dropdown of a page in ``lang``."""
    return {key: t(f"dropdown-{key.replace('_', '-')}", lang) for key in LABEL_KEYS}
