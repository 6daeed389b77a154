"""URLs of the display-geometry layers, versioned by the data hash (served by web.geo_routes)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from gridmap.coverage.scenario import Scenario


def url_for_layer(version: str, kind: str, level: int = 0) -> str:
    """Return the URL of a geometry layer (``kind``: level, roads-major, roads-minor, water)."""
    name = f"level-{level}" if kind == "level" else kind
    return f"/geo/{version}/{name}.geojson"


#: Grids from this level down are served only inside the reader's scope (a township officer
#: gets their own villages' and grids' outlines); the district's and the townships' outlines,
#: the published administrative map, go to everyone who may see the map.
SCOPED_FROM_LEVEL = 3


def level_url(version: str, level: int, scope_key: str = "*") -> str:
    """Return the URL of the grids of ``level`` for the data ``version``, seen by a scope.

    ``scope_key`` is ``Scope.key()`` of the reader ("*": the whole district): from
    :data:`SCOPED_FROM_LEVEL` a scoped reader's URL names their scope (``?scope=``), which the
    server checks is theirs and answers with their grids only.
    """
    url = url_for_layer(version, "level", level)
    if level >= SCOPED_FROM_LEVEL and scope_key != "*":
        url += "?scope=" + quote(scope_key, safe=",")
    return url


def coverage_url(version: str, kind: str, scenario: Scenario) -> str:
    """Return the URL of the coverage (``kind`` coverage) or gap polygons of a scenario."""
    return f"/geo/{version}/coverage-{kind}.geojson{scenario.to_query()}"


def times_url(version: str, scenario: Scenario) -> str:
    """Return the URL of the response-time image (a pixel a raster cell) of a scenario."""
    return f"/geo/{version}/times.png{scenario.to_query()}"


def difference_url(version: str, kind: str, a: Scenario, b: Scenario) -> str:
    """Return the URL of the places ``gained`` or ``lost`` from scenario ``a`` to ``b``."""
    return f"/geo/{version}/difference-{kind}.geojson?" + urlencode(
        {"a": a.to_query(), "b": b.to_query()}
    )


def layer_urls(version: str) -> dict[str, str]:
    """Return the URLs of the basemap and coverage layers for the data ``version``."""
    return {
        "coverage": coverage_url(version, "coverage", Scenario()),
        "gaps": coverage_url(version, "gaps", Scenario()),
        "water": url_for_layer(version, "water"),
        "roads-minor": url_for_layer(version, "roads-minor"),
        "roads-major": url_for_layer(version, "roads-major"),
        "outline": url_for_layer(version, "level", 1),
    }
