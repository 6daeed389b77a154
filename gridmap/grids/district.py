"""The loaded district: the grid tree, its figures and look-ups (parent chain, children, posts)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gridmap.grids.loader import DistrictData, load_folder
from gridmap.grids.schema import LEVELS
from gridmap.incidents.categories import Categories, district_categories


@dataclass(frozen=True)
class Bounds:
    """A lon/lat bounding box."""

    west: float
    south: float
    east: float
    north: float

    @property
    def center(self) -> tuple[float, float]:
        """Return the (lon, lat) centre of the box."""
        return ((self.west + self.east) / 2, (self.south + self.north) / 2)


class District:
    """A checked district: grids of five levels, posts, roads and water, with look-ups.

    Built once per process from a :class:`~gridmap.grids.loader.DistrictData`; read-only afterwards.
    """

    def __init__(self, data: DistrictData):
        self.data = data
        self.folder: Path = data.folder
        self.meta: dict = dict(data.meta)
        self.metric_crs = data.grids.estimate_utm_crs()
        grids = data.grids.copy()
        grids["area_km2"] = grids.geometry.to_crs(self.metric_crs).area.to_numpy() / 1e6
        self.grids: gpd.GeoDataFrame = grids
        self.posts: gpd.GeoDataFrame | None = data.posts
        self.roads: gpd.GeoDataFrame | None = data.roads
        self.water: gpd.GeoDataFrame | None = data.water
        self._parent: dict[str, str | None] = {
            gid: (None if pd.isna(p) or p == "" else str(p))
            for gid, p in zip(grids.index, grids["parent_id"], strict=True)
        }
        children: dict[str, list[str]] = {gid: [] for gid in grids.index}
        for gid, parent in self._parent.items():
            if parent is not None:
                children[parent].append(gid)
        self._children = {k: sorted(v) for k, v in children.items()}
        self._level = dict(zip(grids.index, grids["level"].astype(int), strict=True))
        self.root_id: str = next(g for g, lv in self._level.items() if lv == 1)
        # Short keys (base 36 of the row number) name features in served geometry and figures:
        # 6,438 level-5 ids of 16 characters would add about 100 kB to every whole-level view.
        self.key_of: dict[str, str] = {g: _base36(i) for i, g in enumerate(grids.index)}
        self.grid_of_key: dict[str, str] = {k: g for g, k in self.key_of.items()}
        self.posts_in = self._posts_by_grid()
        #: The incident categories and their units (categories.json, else the defaults).
        self.categories: Categories = district_categories(self.folder, self.meta)
        #: Values derived once from the (immutable) district, e.g. metric columns.
        self.memo: dict = {}

    # -- tree -------------------------------------------------------------------------------
    def __contains__(self, grid_id: object) -> bool:
        """Return whether ``grid_id`` names a grid of this district."""
        return grid_id in self._level

    def level_of(self, grid_id: str) -> int:
        """Return the level (1-5) of ``grid_id``."""
        return self._level[grid_id]

    def parent(self, grid_id: str) -> str | None:
        """Return the parent id of ``grid_id`` (None for the district)."""
        return self._parent[grid_id]

    def children(self, grid_id: str) -> list[str]:
        """Return the ids of the children of ``grid_id``, sorted."""
        return self._children[grid_id]

    def chain(self, grid_id: str) -> list[str]:
        """Return the ids from the district down to ``grid_id`` (inclusive)."""
        out = [grid_id]
        while (parent := self._parent[out[-1]]) is not None:
            out.append(parent)
        return out[::-1]

    def level_ids(self, level: int) -> list[str]:
        """Return the ids of every grid of ``level``, in file order."""
        return [g for g, lv in self._level.items() if lv == level]

    def record(self, grid_id: str) -> dict:
        """Return the attributes of one grid as plain Python values (no geometry)."""
        return dict(self._records[grid_id])

    @cached_property
    def _records(self) -> dict[str, dict]:
        table = self.grids.drop(columns=self.grids.geometry.name)
        out: dict[str, dict] = {}
        for gid, row in zip(table.index, table.to_dict("records"), strict=True):
            rec: dict = {"grid_id": str(gid)}
            for col in ("parent_id", "name_zh", "name_en", "pinyin", "code", "kind"):
                rec[col] = None if _missing(row.get(col)) else str(row[col])
            rec["level"] = int(row["level"])
            for col in ("population", "staff"):
                rec[col] = None if _missing(row.get(col)) else int(row[col])
            rec["area_km2"] = float(row["area_km2"])
            out[str(gid)] = rec
        return out

    def bounds(self, grid_id: str) -> Bounds:
        """Return the lon/lat bounding box of ``grid_id``."""
        west, south, east, north = self.grids.geometry.loc[grid_id].bounds
        return Bounds(west, south, east, north)

    @cached_property
    def ancestors(self) -> pd.DataFrame:
        """Return a table indexed by level-5 grid id with the ids of all five levels (l1..l5)."""
        rows = {gid: self.chain(gid) for gid in self.level_ids(5)}
        table = pd.DataFrame.from_dict(rows, orient="index", columns=[f"l{n}" for n in LEVELS])
        table.index.name = "grid_id"
        return table

    @cached_property
    def label_points(self) -> dict[str, tuple[float, float]]:
        """Return a (lon, lat) point inside every grid, for labels and click targets."""
        points = self.grids.geometry.representative_point()
        return {
            str(g): (round(p.x, 6), round(p.y, 6))
            for g, p in zip(self.grids.index, points, strict=True)
        }

    @cached_property
    def outline(self) -> shapely.Geometry:
        """Return the level-1 geometry (EPSG:4326)."""
        return self.grids.geometry.loc[self.root_id]

    @cached_property
    def version(self) -> str:
        """Return a short hash of the data files, for cache keys and geometry URLs."""
        digest = hashlib.sha1()
        for stem, path in sorted(self.data.files.items()):
            digest.update(stem.encode())
            for part in sorted(_file_parts(path)):
                digest.update(part.read_bytes())
        return digest.hexdigest()[:12]

    @property
    def is_demo(self) -> bool:
        """Return whether the folder says it holds the synthetic demo dataset."""
        return bool(self.meta.get("demo"))

    def name(self, lang: str) -> str:
        """Return the district's display name in ``lang``."""
        rec = self.record(self.root_id)
        key = "name_en" if lang == "en" else "name_zh"
        return str(self.meta.get(key) or rec[key] or rec["name_zh"])

    def attribution(self, lang: str) -> str:
        """Return the data's credit line in ``lang`` (``attribution_zh``/``attribution_en``).

        Falls back to ``attribution``, the credit as the data's sources wrote it.
        """
        own = self.meta.get(f"attribution_{lang}")
        return str(own or self.meta.get("attribution", ""))

    # -- posts ------------------------------------------------------------------------------
    def _posts_by_grid(self) -> dict[str, list[str]]:
        """Map every grid id to the ids of the posts inside it (via the level-5 grid)."""
        out: dict[str, list[str]] = {gid: [] for gid in self.grids.index}
        if self.posts is None or self.posts.empty:
            return out
        for post_id, grid_id in zip(self.posts.index, self.locate(self.posts), strict=True):
            if grid_id is None:
                continue
            for gid in self.chain(grid_id):
                out[gid].append(str(post_id))
        return out

    def locate(self, points: gpd.GeoDataFrame | gpd.GeoSeries) -> list[str | None]:
        """Return the id of the level-5 grid containing each point (None when outside)."""
        level5 = self.grids[self.grids["level"] == 5]
        geoms = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
        tree = shapely.STRtree(level5.geometry.to_numpy())
        point_idx, grid_idx = tree.query(geoms.to_numpy(), predicate="intersects")
        found: dict[int, str] = {}
        for p, g in zip(point_idx, grid_idx, strict=True):
            found.setdefault(int(p), str(level5.index[g]))
        return [found.get(i) for i in range(len(geoms))]

    def post_records(self) -> list[dict]:
        """Return every post as a dict with lon and lat (copies: a caller may change them)."""
        return [dict(r) for r in self._post_records]

    @cached_property
    def _post_records(self) -> tuple[dict, ...]:
        # Read once: walking the GeoDataFrame row by row took 30-60 ms, on every page load,
        # drill and grid summary.
        if self.posts is None:
            return ()
        out = []
        for post_id, row in self.posts.iterrows():
            out.append(
                {
                    "post_id": str(post_id),
                    "name_zh": str(row["name_zh"]),
                    "name_en": str(row["name_en"]),
                    "officers": int(row["officers"]),
                    "ebikes": int(row["ebikes"]),
                    "lon": float(row.geometry.x),
                    "lat": float(row.geometry.y),
                }
            )
        return tuple(out)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(np.all(pd.isna(value))))


def _file_parts(path: Path) -> list[Path]:
    """Return a layer file and its sidecars (.shx, .dbf, .prj for a Shapefile)."""
    if path.suffix.lower() != ".shp":
        return [path]
    return [p for p in path.parent.glob(path.stem + ".*") if p.is_file()]


def load_district(folder: str | Path) -> District:
    """Load, check and index a district folder.

    Parameters
    ----------
    folder : str or Path
        A folder laid out as docs/data-schema.md describes.

    Returns
    -------
    District

    Raises
    ------
    DataError
        Listing every problem found, each naming the file, the records and the rule.
    """
    return District(load_folder(Path(folder)))
