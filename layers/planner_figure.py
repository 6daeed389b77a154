"""The planner's map: village grids coloured by coverage, posts, new and suggested posts."""

from __future__ import annotations

import base64

import numpy as np

from gridmap.coverage.site_names import place_label
from gridmap.coverage.time_layer import CLASS_COLOURS, class_labels, png_bytes
from gridmap.i18n import name_of, t
from layers.basemap import map_style
from layers.coverage_layer import coverage_layers

#: Trace indexes of :func:`planner_figure` (``figure["data"][...]``).
GRID_TRACE, POSTS_TRACE, NEW_TRACE, SUGGESTED_TRACE, TIMES_TRACE = 0, 1, 2, 3, 4
#: Map layer indexes of :func:`planner_figure` (``figure["layout"]["map"]["layers"][...]``).
COVERAGE_LAYER, GAPS_LAYER, GAINED_LAYER, LOST_LAYER, TIMES_LAYER = 0, 1, 4, 5, 6
#: A transparent pixel: the time image's source until the response times are shown.
BLANK_PNG = "data:image/png;base64," + base64.b64encode(
    png_bytes(np.zeros((1, 1, 4), dtype=np.uint8))
).decode("ascii")
EMPTY = {"type": "FeatureCollection", "features": []}
GAINED, LOST = "#12a150", "#d7191c"
ACTIVE, DISABLED = "#1f4e9c", "#9aa3ad"


def grid_trace(
    grid_url: str, ids: list[str], shares: list[float | None], hover: list[str], label: str
) -> dict:
    """Return the village-grid choropleth coloured by the share of people covered."""
    return {
        "type": "choroplethmap",
        "geojson": grid_url,
        "featureidkey": "id",
        "locations": ids,
        "z": shares,
        "zmin": 0,
        "zmax": 1,
        "text": hover,
        "hovertemplate": "%{text}<br>" + label + ": %{z:.0%}<extra></extra>",
        "colorscale": [[0, "#f4d9cf"], [0.5, "#f7f3d0"], [1, "#d3ecd8"]],
        "marker": {"opacity": 0.55, "line": {"width": 0.4, "color": "#6b6b6b"}},
        "colorbar": {
            "title": {"text": label},
            "tickformat": ".0%",
            "thickness": 10,
            "len": 0.5,
            "x": 0.995,
            "xanchor": "right",
            "bgcolor": "rgba(255,255,255,0.8)",
        },
    }


def posts_trace(posts: list[dict], disabled: tuple[str, ...], lang: str) -> dict:
    """Return the existing posts: in service blue, out of service grey."""
    off = set(disabled)
    hover = [
        f"<b>{name_of(p, lang)}</b> ({p['post_id']})"
        + (f"<br>{t('planner-out-of-service', lang)}" if p["post_id"] in off else "")
        for p in posts
    ]
    return {
        "type": "scattermap",
        "mode": "markers",
        "lon": [p["lon"] for p in posts],
        "lat": [p["lat"] for p in posts],
        "text": hover,
        "hovertemplate": "%{text}<extra></extra>",
        "marker": {
            "size": [8 if p["post_id"] in off else 10 for p in posts],
            "color": [DISABLED if p["post_id"] in off else ACTIVE for p in posts],
        },
        "showlegend": False,
    }


def points_trace(points: list[tuple[float, float]], color: str, label: str) -> dict:
    """Return new or suggested post sites as circles."""
    return {
        "type": "scattermap",
        "mode": "markers",
        "lon": [p[0] for p in points],
        "lat": [p[1] for p in points],
        "text": [f"{label} {i}" for i in range(1, len(points) + 1)],
        "hovertemplate": "%{text}<extra></extra>",
        "marker": {"size": 13, "color": color},
        "showlegend": False,
    }


def planner_figure(
    grid: dict,
    posts: list[dict],
    disabled: tuple[str, ...],
    added: list[tuple[float, float]],
    urls: dict[str, str],
    center: tuple[float, float],
    zoom: float,
    lang: str,
) -> dict:
    """Return the whole planner figure (``grid``: kwargs of :func:`grid_trace`)."""
    return {
        "data": [
            grid_trace(**grid),
            posts_trace(posts, disabled, lang),
            points_trace(added, "#12a150", t("planner-new-post", lang)),
            points_trace([], "#8e3fd1", t("planner-suggested", lang)),
            times_trace(EMPTY, lang, visible=False),
        ],
        "layout": {
            "map": {
                "style": map_style(),
                "center": {"lon": center[0], "lat": center[1]},
                "zoom": zoom,
                "layers": [
                    *coverage_layers(urls["coverage"], urls["gaps"], (True, True)),
                    {
                        "sourcetype": "geojson",
                        "source": urls["roads-major"],
                        "type": "line",
                        "color": "#c98d4a",
                        "line": {"width": 1.0},
                    },
                    {
                        "sourcetype": "geojson",
                        "source": urls["outline"],
                        "type": "line",
                        "color": "#303030",
                        "line": {"width": 2},
                    },
                    diff_layer(EMPTY, GAINED),
                    diff_layer(EMPTY, LOST),
                    times_image_layer(BLANK_PNG, _box(center), visible=False),
                ],
            },
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "uirevision": "planner",
        },
    }


def update_scenario(
    figure,
    *,
    coverage_src: str,
    gaps_src: str,
    village_keys: list[str],
    shares: list[float | None],
    posts: list[dict],
    disabled: tuple[str, ...],
    added: tuple[tuple[float, float], ...],
    lang: str,
    village_names: list[str] | None = None,
    by_area: bool = False,
    added_places: list[dict] | None = None,
) -> None:
    """Write a scenario into ``figure`` (a figure dict or a ``dash.Patch``), in place.

    Sets the coverage and gap layer sources, the village shares, the posts in and out of
    service and the new posts, and the colour bar's title and the villages' names (when
    ``village_names`` is given) in ``lang``; every index comes from this module's constants.
    ``by_area``: the shares are of the area covered (a district without population figures).
    ``added_places``: the township and village of each new post (``township_*``,
    ``village_*`` of :func:`gridmap.coverage.site_names.places_of`), named in its hover.
    """
    label = t("metric-coverage-area" if by_area else "kpi-population", lang)
    figure["data"][GRID_TRACE]["colorbar"]["title"]["text"] = label
    figure["data"][GRID_TRACE]["hovertemplate"] = (
        "%{text}<br>" + label + ": %{z:.0%}<extra></extra>"
    )
    if village_names is not None:
        figure["data"][GRID_TRACE]["text"] = village_names
    layers = figure["layout"]["map"]["layers"]
    layers[COVERAGE_LAYER]["source"] = coverage_src
    layers[GAPS_LAYER]["source"] = gaps_src
    figure["data"][GRID_TRACE]["z"] = shares
    figure["data"][GRID_TRACE]["locations"] = village_keys
    trace = posts_trace(posts, disabled, lang)
    for key in ("marker", "text"):
        figure["data"][POSTS_TRACE][key] = trace[key]
    figure["data"][NEW_TRACE]["lon"] = [p[0] for p in added]
    figure["data"][NEW_TRACE]["lat"] = [p[1] for p in added]
    places = added_places or [{}] * len(added)
    figure["data"][NEW_TRACE]["text"] = [
        new_post_text(i, place, lang) for i, place in enumerate(places[: len(added)], 1)
    ]


def new_post_text(n: int, place: dict, lang: str) -> str:
    """Return "New post n (Township · Village)" (without the place when it is unknown)."""
    label = place_label(place, lang)
    if label:
        return t("planner-new-post-at", lang, n=n, place=label)
    return f"{t('planner-new-post', lang)} {n}"


def update_suggested(figure, sites: list[dict], lang: str, goal: str = "cover") -> None:
    """Write suggested ``sites`` (``lon``, ``lat``, ``adds``) into ``figure`` in place.

    ``adds`` is people (or incidents, or area) newly covered, except for the p-median
    (``goal="median"``), where it is the minutes a site takes off the mean time.
    """
    figure["data"][SUGGESTED_TRACE]["lon"] = [s["lon"] for s in sites]
    figure["data"][SUGGESTED_TRACE]["lat"] = [s["lat"] for s in sites]
    if goal == "median":
        texts = [
            t("planner-site-minutes", lang, n=i, place=place_label(s, lang) or "—", adds=s["adds"])
            for i, s in enumerate(sites, 1)
        ]
    else:
        texts = [site_text(i, s, lang) for i, s in enumerate(sites, 1)]
    figure["data"][SUGGESTED_TRACE]["text"] = texts


def site_text(n: int, site: dict, lang: str) -> str:
    """Return "Site n (Township · Village): +people" for a suggested site."""
    place = place_label(site, lang)
    if not place:
        return t("planner-site", lang, n=n, adds=site["adds"])
    return t("planner-site-at", lang, n=n, place=place, adds=site["adds"])


def times_trace(geojson, lang: str, visible: bool = True) -> dict:
    """Return the response-time classes as a choropleth with a classed legend (colour bar).

    ``geojson`` is the URL of ``/geo/<version>/times.geojson?<scenario>`` (features ``0``-``4``)
    or a FeatureCollection.
    """
    n = len(CLASS_COLOURS)
    scale = []
    for k, colour in enumerate(CLASS_COLOURS):
        scale += [[k / n, colour], [(k + 1) / n, colour]]
    labels = class_labels()
    return {
        "type": "choroplethmap",
        "geojson": geojson,
        "featureidkey": "id",
        "locations": [str(k) for k in range(n)],
        "z": list(range(n)),
        "zmin": -0.5,
        "zmax": n - 0.5,
        "text": [f"{label}{t('unit-min', lang)}" for label in labels],
        "hovertemplate": "%{text}<extra></extra>",
        "colorscale": scale,
        "marker": {"opacity": 0.6, "line": {"width": 0}},
        "visible": visible,
        "colorbar": {
            "title": {"text": t("times-legend", lang)},
            "tickvals": list(range(n)),
            "ticktext": labels,
            "thickness": 12,
            "len": 0.45,
            "x": 0.995,
            "xanchor": "right",
            "bgcolor": "rgba(255,255,255,0.85)",
        },
    }


def update_times(
    figure, mode: str, image_src: str, corners: list[list[float]] | None, lang: str
) -> None:
    """Show the response times (``mode`` "times") or the N-minute circle in ``figure``, in place.

    In times mode the time classes are drawn from the image ``image_src`` (a pixel a raster
    cell, placed by ``corners``) with the classed legend of the times trace, and the circle's
    layers and the village colours are hidden; otherwise the reverse.
    """
    times = mode == "times"
    trace = figure["data"][TIMES_TRACE]
    trace["visible"] = times
    trace["colorbar"]["title"]["text"] = t("times-legend", lang)
    trace["text"] = [f"{label}{t('unit-min', lang)}" for label in class_labels()]
    figure["data"][GRID_TRACE]["visible"] = not times
    layers = figure["layout"]["map"]["layers"]
    layers[COVERAGE_LAYER]["visible"] = not times
    layers[GAPS_LAYER]["visible"] = not times
    layers[TIMES_LAYER]["visible"] = times
    if times:
        layers[TIMES_LAYER]["source"] = image_src
        if corners is not None:
            layers[TIMES_LAYER]["coordinates"] = corners


def times_image_layer(source: str, corners: list[list[float]], visible: bool = True) -> dict:
    """Return the image layer of the time classes (``corners``: TL, TR, BR, BL lon/lat)."""
    return {"sourcetype": "image", "source": source, "coordinates": corners,
            "opacity": 0.8, "below": "traces", "visible": visible}  # fmt: skip


def _box(center: tuple[float, float], d: float = 0.01) -> list[list[float]]:
    lon, lat = center
    return [[lon - d, lat + d], [lon + d, lat + d], [lon + d, lat - d], [lon - d, lat - d]]


def diff_layer(source, colour: str) -> dict:
    """Return a fill layer of places gained (green) or lost (red) between two scenarios."""
    return {"sourcetype": "geojson", "source": source, "type": "fill", "color": colour,
            "opacity": 0.55}  # fmt: skip


def update_difference(figure, gained_src, lost_src) -> None:
    """Point the difference layers of ``figure`` at the gained and lost places, in place."""
    layers = figure["layout"]["map"]["layers"]
    layers[GAINED_LAYER]["source"] = gained_src
    layers[LOST_LAYER]["source"] = lost_src
