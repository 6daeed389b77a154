"""Which files of assets/ each page loads: every page lists its own, the rest are ignored."""

from __future__ import annotations

import re

from gridmap.settings import ROOT

#: The one folder of scripts and styles; each page picks its files from it.
ASSETS_FOLDER = str(ROOT / "assets")

#: The asset files of each page (the map labels and the base styles are shared).
PAGE_ASSETS = {
    "main": ("map_labels.js", "style.css"),
    "planner": ("map_click.js", "map_labels.js", "style.css"),
    "wall": ("map_labels.js", "style.css", "wall.css", "wall.js"),
}


def assets_ignore(page: str) -> str:
    """Return the ``assets_ignore`` regex of ``page``: it matches every file not its own.

    Parameters
    ----------
    page : str
        A key of :data:`PAGE_ASSETS`.

    Returns
    -------
    str
        A regex Dash searches in each asset file name; a match leaves the file out.
    """
    own = "|".join(re.escape(name) for name in PAGE_ASSETS[page])
    return rf"^(?!(?:{own})$)"
