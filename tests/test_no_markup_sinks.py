"""Names, descriptions and units from users or files are text, never markup: no HTML sink exists.

Dash renders strings as text; only dcc.Markdown, ``dangerously_allow_html`` or a script writing
``innerHTML`` would let a hostile value (``<img src=x onerror=...>``) run. None may be used.
"""

from __future__ import annotations

import re

import pytest

from gridmap.settings import ROOT

SINKS = re.compile(
    r"dcc\.Markdown|dangerously_allow_html|\.innerHTML\s*=|outerHTML|insertAdjacentHTML"
)
FOLDERS = ("ui", "layers", "callbacks", "pages", "assets", "web")
#: plotly.js itself, built from its release (scripts/plotly_bundle): not the app's code, and the
#: same library Dash would load; its text handling is Plotly's own (tested by Plotly).
VENDORED = {"plotly-gridmap.min.js"}


@pytest.mark.parametrize("folder", FOLDERS)
def test_no_html_sink(folder):
    found = []
    for path in sorted((ROOT / folder).rglob("*")):
        if path.suffix in (".py", ".js") and path.is_file() and path.name not in VENDORED:
            for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
                if SINKS.search(line) and "noqa: markup" not in line:
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_the_check_finds_a_sink():
    assert SINKS.search("label.innerHTML = name") and SINKS.search("dcc.Markdown(text)")
