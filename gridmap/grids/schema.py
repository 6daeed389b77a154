"""The documented file schema of a district data folder (see docs/data-schema.md)."""

from __future__ import annotations

from dataclasses import dataclass

#: File extensions accepted for every layer, in the order they are looked for.
EXTENSIONS: tuple[str, ...] = (".gpkg", ".geojson", ".json", ".shp")

#: Every grid level, from the district (1) to the smallest grid (5).
LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)
#: The levels as messages name them: ``1-5``.
LEVELS_TEXT = f"{LEVELS[0]}-{LEVELS[-1]}"

#: Road classes understood in ``roads.*`` ``road_class`` column.
ROAD_CLASSES: tuple[str, ...] = ("arterial", "county", "village", "street", "path")

#: The CRS every layer is read into and served in (lon/lat degrees).
WGS84 = "EPSG:4326"


@dataclass(frozen=True)
class Column:
    """One attribute column of a layer file."""

    name: str
    kind: str  # "str", "int", "float"
    required: bool
    doc: str


@dataclass(frozen=True)
class Layer:
    """One layer file of a district folder (``<stem>.<ext>``)."""

    stem: str
    geometry: tuple[str, ...]
    required: bool
    columns: tuple[Column, ...]
    doc: str

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        return next(c for c in self.columns if c.name == name)


GRIDS = Layer(
    stem="grids",
    geometry=("Polygon", "MultiPolygon"),
    required=True,
    doc="Every grid of all five levels in one layer.",
    columns=(
        Column("grid_id", "str", True, "Unique id of the grid (any text, e.g. its code)."),
        Column("parent_id", "str", True, "Id of the grid one level up; empty for level 1."),
        Column("level", "int", True, "1 district, 2 township, 3 village, 4 and 5 sub-grids."),
        Column("name_zh", "str", True, "Chinese name."),
        Column("name_en", "str", False, "English name (defaults to name_zh)."),
        Column("pinyin", "str", False, "Pinyin of the name, for search."),
        Column("code", "str", False, "Administrative or grid code (defaults to grid_id)."),
        Column("population", "int", False, "Residents; a parent's equals its children's sum."),
        Column("staff", "int", False, "Grid members (网格员) working in the grid."),
        Column("kind", "str", False, "Free text: township, zone, village, community..."),
    ),
)

POSTS = Layer(
    stem="posts",
    geometry=("Point",),
    required=False,
    doc="Police rooms (警务室).",
    columns=(
        Column("post_id", "str", True, "Unique id of the post."),
        Column("name_zh", "str", True, "Chinese name."),
        Column("name_en", "str", False, "English name (defaults to name_zh)."),
        Column("officers", "int", False, "Officers on duty (default 1)."),
        Column("ebikes", "int", False, "Electric bicycles (default 1)."),
    ),
)

ROADS = Layer(
    stem="roads",
    geometry=("LineString", "MultiLineString"),
    required=False,
    doc="Road centre lines; each needs road_class or speed_kmh.",
    columns=(
        Column("road_id", "str", False, "Id of the segment."),
        Column("road_class", "str", False, "One of " + ", ".join(ROAD_CLASSES) + "."),
        Column("speed_kmh", "float", False, "E-bike speed on the segment (overrides class)."),
        Column("name_zh", "str", False, "Chinese name."),
    ),
)

WATER = Layer(
    stem="water",
    geometry=("Polygon", "MultiPolygon"),
    required=False,
    doc="Lakes and rivers, drawn on the basemap.",
    columns=(
        Column("name_zh", "str", False, "Chinese name."),
        Column("name_en", "str", False, "English name."),
    ),
)

LAYERS: tuple[Layer, ...] = (GRIDS, POSTS, ROADS, WATER)

#: Optional JSON metadata file of a district folder.
META_FILE = "district.json"
