"""The app's Plotly bundle (assets/plotly-gridmap.min.js) matches plotly and the app's figures.

The bundle holds only some trace types: a figure of another type would draw nothing in the
browser, and a plotly upgrade without a rebuild would pair dcc.Graph with an older plotly.js.
"""

from __future__ import annotations

import re
from pathlib import Path

import plotly.graph_objects as go
from plotly.basedatatypes import BaseTraceType
from plotly.offline import get_plotlyjs_version

from pages.assets import PAGE_ASSETS, PLOTLY_BUNDLE

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "assets" / PLOTLY_BUNDLE
ENTRY = ROOT / "scripts" / "plotly_bundle" / "entry.js"
#: Where figures are built or wired (the domain builds none).
FIGURE_CODE = ("layers", "ui", "callbacks", "pages", "web")
TRACE_TYPES = {
    name.lower()
    for name in dir(go)
    if isinstance(getattr(go, name), type) and issubclass(getattr(go, name), BaseTraceType)
}


def banner() -> tuple[str, list[str]]:
    """Return (plotly.js version, trace types) named in the bundle's first line."""
    with BUNDLE.open(encoding="utf-8") as handle:
        first = handle.readline()
    found = re.match(r"/\* plotly\.js (\S+) traces ([\w,]+);", first)
    assert found, f"{BUNDLE.name}: no build banner in its first line: {first[:120]!r}"
    return found.group(1), found.group(2).split(",")


def types_in_code() -> dict[str, list[str]]:
    """Return {trace type: [files]} of every ``"type": "<trace type>"`` or ``go.<Trace>(`` in
    the figure code."""
    found: dict[str, list[str]] = {}
    for package in FIGURE_CODE:
        for path in sorted((ROOT / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            names = re.findall(r"""["']type["']\s*[:=]\s*["'](\w+)["']""", text)
            names += [n.lower() for n in re.findall(r"\bgo\.([A-Z]\w*)\(", text)]
            for name in names:
                if name in TRACE_TYPES:
                    found.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return found


def test_the_bundle_is_the_plotly_packages_release():
    version, _ = banner()
    assert version == get_plotlyjs_version(), (
        f"{BUNDLE.name} is plotly.js {version}, the plotly package ships "
        f"{get_plotlyjs_version()}: rebuild it (scripts/plotly_bundle/README.md)"
    )


def test_the_bundle_was_built_from_its_entry():
    _, traces = banner()
    wanted = ["scatter", *re.findall(r"plotly\.js/lib/(\w+)", ENTRY.read_text(encoding="utf-8"))]
    assert traces == [t for t in wanted if t != "core"]


def test_every_trace_type_the_figures_use_is_in_the_bundle():
    _, traces = banner()
    used = types_in_code()
    # The scan finds the map traces: a scan that found nothing would pass anything.
    assert {"choroplethmap", "scattermap", "densitymap", "bar"} <= set(used)
    missing = {name: files for name, files in used.items() if name not in traces}
    assert not missing, f"trace types not in {BUNDLE.name} (add them to entry.js): {missing}"


def test_every_page_with_a_graph_loads_the_bundle():
    for page, names in PAGE_ASSETS.items():
        assert PLOTLY_BUNDLE in names, page
