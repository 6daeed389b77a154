"""Roads and water from an OpenStreetMap extract, kept inside the district's outline.

``python app.py import-osm FILE.osm|FILE.osm.pbf DIR`` (cli/import_osm.py) reads the extract
with pyosmium (libosmium's reader: XML, PBF, compressed XML), keeps ``highway=*`` ways whose
class maps onto the schema's (:mod:`gridmap.grids.road_classes`; motorways and values such as
``construction`` are left out) and ``natural=water`` / ``waterway=riverbank`` areas, clips both
to the level-1 grid of ``DIR/grids.*`` and writes ``DIR/roads.gpkg`` and ``DIR/water.gpkg``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import osmium
import shapely

from gridmap.errors import DataError, Problem
from gridmap.grids.aliases import check_mapping
from gridmap.grids.layer_file import find_layer_file, read_layer_problems
from gridmap.grids.road_classes import normalise_class
from gridmap.grids.schema import GRIDS, LEVELS, META_FILE, ROAD_CLASSES

WGS84 = "EPSG:4326"
#: How often (in OSM objects read) the progress callback is called.
PROGRESS_EVERY = 50_000
_WATER = (("natural", "water"), ("waterway", "riverbank"))

Progress = Callable[[int, int, int], None]


@dataclass
class OsmSummary:
    """What an import kept and left out."""

    objects: int = 0
    roads: int = 0
    road_km: dict[str, float] = field(default_factory=dict)
    water: int = 0
    water_km2: float = 0.0
    #: highway value -> ways left out (motorways, construction, ...).
    left_out: Counter = field(default_factory=Counter)
    outside: int = 0
    #: The files written.
    written: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Return the summary as printed by ``import-osm``."""
        classes = ", ".join(f"{c} {km:,.1f} km" for c, km in self.road_km.items()) or "none"
        out = [
            f"read {self.objects:,} OpenStreetMap objects",
            f"roads: {self.roads:,} segments ({classes})",
            f"water: {self.water:,} areas ({self.water_km2:,.2f} km²)",
        ]
        if self.left_out:
            kinds = ", ".join(f"{k} {n}" for k, n in self.left_out.most_common())
            out.append(f"left out (no e-bike class): {kinds}")
        if self.outside:
            out.append(f"left out (outside the district): {self.outside:,}")
        out.append(f"wrote {', '.join(self.written)}" if self.written else "wrote nothing")
        return out


def district_outline(folder: str | Path) -> shapely.Geometry:
    """Return the outline of the district in ``folder`` (its level-1 grid), in lon/lat.

    Raises
    ------
    DataError
        When the folder has no readable grids file or no level-1 grid.
    """
    folder = Path(folder)
    path = find_layer_file(folder, GRIDS)
    if path is None:
        raise DataError([Problem("grids.*", "file-missing", f"no grids file in {folder}")])
    meta: dict = {}
    if (folder / META_FILE).is_file():
        try:
            meta = json.loads((folder / META_FILE).read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DataError([Problem(META_FILE, "meta", f"cannot read the JSON: {exc}")]) from None
    mapping, problems = check_mapping(meta if isinstance(meta, dict) else {})
    encoding = meta.get("encoding") if isinstance(meta.get("encoding"), str) else None
    frame, found = read_layer_problems(path, GRIDS, mapping.get("grids"), encoding)
    if frame is None:
        raise DataError(problems + found)
    top = frame[(frame["level"] == LEVELS[0]).fillna(False).to_numpy(dtype=bool)]
    geoms = [g for g in top.geometry if g is not None and not g.is_empty]
    if not geoms:
        raise DataError([Problem(path.name, "level", "no level-1 grid: the outline is unknown")])
    return shapely.make_valid(shapely.union_all(geoms))


def _pieces(geom: shapely.Geometry, kinds: tuple[str, ...]) -> list[shapely.Geometry]:
    """Return the parts of ``geom`` (a clip result) of the geometry types ``kinds``."""
    parts = shapely.get_parts(geom)
    out = []
    for part in parts:
        if part.geom_type in kinds and not part.is_empty:
            out.append(part)
        elif part.geom_type == "GeometryCollection":
            out += _pieces(part, kinds)
    return out


def read_osm(
    osm_file: str | Path, outline: shapely.Geometry, progress: Progress | None = None
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, OsmSummary]:
    """Return (roads, water, summary) of an OpenStreetMap file, clipped to ``outline``.

    Parameters
    ----------
    osm_file : str or Path
        ``.osm`` (XML), ``.osm.pbf`` or ``.osm.bz2`` / ``.osm.gz``.
    outline : shapely geometry
        The district, in lon/lat.
    progress : callable, optional
        Called as ``progress(objects, roads, water)`` every :data:`PROGRESS_EVERY` objects.

    Raises
    ------
    DataError
        When the file does not exist or cannot be read.
    """
    path = Path(osm_file)
    if not path.is_file():
        raise DataError([Problem(str(path), "file-read", "the OpenStreetMap file does not exist")])
    summary = OsmSummary()
    wkb = osmium.geom.WKBFactory()
    shapely.prepare(outline)
    roads: list[dict] = []
    water: list[dict] = []
    try:
        for obj in osmium.FileProcessor(str(path)).with_areas():
            summary.objects += 1
            if progress and summary.objects % PROGRESS_EVERY == 0:
                progress(summary.objects, len(roads), len(water))
            if obj.is_way() and "highway" in obj.tags:
                _road(obj, wkb, outline, roads, summary)
            elif obj.is_area() and any(obj.tags.get(k) == v for k, v in _WATER):
                _water(obj, wkb, outline, water, summary)
    except RuntimeError as exc:
        raise DataError([Problem(path.name, "file-read", f"cannot read the file: {exc}")]) from None
    if progress:
        progress(summary.objects, len(roads), len(water))
    road_frame = gpd.GeoDataFrame(
        roads, columns=["road_id", "road_class", "name_zh", "geometry"], crs=WGS84
    )
    water_frame = gpd.GeoDataFrame(water, columns=["name_zh", "name_en", "geometry"], crs=WGS84)
    summary.roads = len(road_frame)
    if len(road_frame):
        metres = road_frame.to_crs(road_frame.estimate_utm_crs()).length / 1000
        by_class = metres.groupby(road_frame["road_class"]).sum()
        summary.road_km = {c: float(by_class[c]) for c in ROAD_CLASSES if c in by_class}
    summary.water = len(water_frame)
    if len(water_frame):
        area = water_frame.to_crs(water_frame.estimate_utm_crs()).area.sum()
        summary.water_km2 = float(area) / 1e6
    return road_frame, water_frame, summary


def _road(way, wkb, outline, out: list[dict], summary: OsmSummary) -> None:
    value = way.tags.get("highway")
    cls, _mapped = normalise_class(value, ROAD_CLASSES)
    if cls not in ROAD_CLASSES:  # a motorway (None), or construction, steps, ...
        summary.left_out[value] += 1
        return
    try:
        line = shapely.from_wkb(wkb.create_linestring(way))
    except (osmium.InvalidLocationError, RuntimeError):
        return  # a way whose nodes the extract cut off
    if not outline.intersects(line):
        summary.outside += 1
        return
    pieces = (
        [line] if outline.contains(line) else _pieces(outline.intersection(line), ("LineString",))
    )
    for i, piece in enumerate(pieces, start=1):
        suffix = f"-{i}" if len(pieces) > 1 else ""
        out.append(
            {
                "road_id": f"w{way.id}{suffix}",
                "road_class": cls,
                "name_zh": way.tags.get("name"),
                "geometry": piece,
            }
        )


def _water(area, wkb, outline, out: list[dict], summary: OsmSummary) -> None:
    try:
        shape = shapely.make_valid(shapely.from_wkb(wkb.create_multipolygon(area)))
    except (osmium.InvalidLocationError, RuntimeError):
        return
    if not outline.intersects(shape):
        summary.outside += 1
        return
    clipped = shape if outline.contains(shape) else outline.intersection(shape)
    polys = _pieces(clipped, ("Polygon", "MultiPolygon"))
    if not polys:
        return
    out.append(
        {
            "name_zh": area.tags.get("name"),
            "name_en": area.tags.get("name:en"),
            "geometry": shapely.union_all(polys),
        }
    )


def import_osm(
    osm_file: str | Path,
    folder: str | Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> OsmSummary:
    """Write ``folder/roads.gpkg`` and ``folder/water.gpkg`` from an OpenStreetMap extract.

    A layer with nothing inside the district is not written (the summary says which were).

    Raises
    ------
    FileExistsError
        When a roads or water file is already in ``folder`` and ``force`` is False (any
        extension: two files for one layer would be refused by ``check``).
    DataError
        As :func:`district_outline` and :func:`read_osm`.
    """
    folder = Path(folder)
    outline = district_outline(folder)
    existing = [p for stem in ("roads", "water") if (p := find_layer_file(folder, stem))]
    if existing and not force:
        names = ", ".join(p.name for p in existing)
        raise FileExistsError(f"{names} already in {folder}; pass --force to replace")
    roads, water, summary = read_osm(osm_file, outline, progress)
    for p in existing:
        for part in folder.glob(f"{p.stem}.*"):
            part.unlink()
    # An empty layer is not written: both layers are optional, and check reads no empty file.
    for stem, frame in (("roads", roads), ("water", water)):
        if len(frame):
            frame.to_file(folder / f"{stem}.gpkg", driver="GPKG", engine="pyogrio")
            summary.written.append(f"{stem}.gpkg")
    return summary
