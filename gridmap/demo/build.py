"""Build the whole demo dataset in memory: grids of five levels, posts, roads and the lake."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from gridmap.demo import names
from gridmap.demo.config import DemoConfig
from gridmap.demo.hierarchy import (
    Unit,
    assign_units,
    order_cells,
    place_villages,
    split_villages,
    village_counts,
    zone_cells,
)
from gridmap.demo.lake import make_lake
from gridmap.demo.population import split_population, staff_for
from gridmap.demo.posts import choose_sites
from gridmap.demo.reference import (
    DISTRICT_CODE,
    DISTRICT_EN,
    DISTRICT_ZH,
    REFERENCE_DIR,
    UTM,
    load_reference,
)
from gridmap.demo.roads import build_roads
from gridmap.demo.tessellation import adjacency, density, relax, sample_seeds, tessellate
from gridmap.grids.schema import WGS84

#: Where the industrial cluster zone is drawn: between the town seat and 王店 (lng, lat).
INDUSTRIAL_CENTRE = (114.861, 33.702)
#: Half-axes of the industrial zone (metres).
INDUSTRIAL_AXES = (1900.0, 1400.0)
#: Width of the Longhu scenic zone's shore strip around the water (metres).
SHORE = 250.0
#: Radius around every township seat whose grids count as urban (集镇, metres).
SEAT_URBAN_RADIUS = 900.0
#: Radius around the old town and the district seat whose roads are streets (metres).
STREET_RADIUS = 2600.0

GRID_COLUMNS = [
    "grid_id",
    "parent_id",
    "level",
    "name_zh",
    "name_en",
    "pinyin",
    "code",
    "population",
    "pop_urban",
    "staff",
    "kind",
    "synthetic",
]


@dataclass
class DemoData:
    """The built layers (EPSG:4326) and the metadata of district.json."""

    grids: gpd.GeoDataFrame
    posts: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    water: gpd.GeoDataFrame
    meta: dict = field(default_factory=dict)


def _to(crs_from: str, crs_to: str):
    """Return a vectorised coordinate transform for ``shapely.transform``."""
    tr = Transformer.from_crs(crs_from, crs_to, always_xy=True)

    def fn(c: np.ndarray) -> np.ndarray:
        x, y = tr.transform(c[:, 0], c[:, 1])
        return np.column_stack([x, y])

    return fn


def _units(ref, to_utm) -> list[Unit]:
    """Return the 21 level-2 units (19 townships and 2 zones) in code order, seats in metres."""
    units = []
    for r in ref.townships.itertuples():
        seat = tuple(to_utm(np.array([[r.lng, r.lat]]))[0])
        units.append(Unit(r.code, r.name_zh, r.name_en, r.pinyin, r.kind, seat, False))
    ox, oy = to_utm(np.array([ref.old_town]))[0]
    ix, iy = to_utm(np.array([INDUSTRIAL_CENTRE]))[0]
    (lc, lzh, len_, lpy), (icode, izh, ien, ipy) = names.ZONES
    units.append(Unit(lc, lzh, len_, lpy, "zone", (ox + 700.0, oy + 1250.0), True))
    units.append(Unit(icode, izh, ien, ipy, "zone", (ix, iy), True))
    return sorted(units, key=lambda u: u.code)


def _short_town(name: str) -> str:
    """Return a township's short name (城关回族镇 -> 城关, 柳湖街道 -> 柳湖)."""
    for suffix in ("回族镇", "街道", "风景区", "集聚区", "镇", "乡"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def build_demo(config: DemoConfig | None = None, reference_dir: Path = REFERENCE_DIR) -> DemoData:
    """Build the demo dataset.

    Parameters
    ----------
    config : DemoConfig, optional
        Counts and seed; the defaults match the news article.
    reference_dir : Path
        Folder of the reference facts.

    Returns
    -------
    DemoData
    """
    cfg = config or DemoConfig()
    cfg.validate()
    ref = load_reference(reference_dir)
    rng = np.random.default_rng(cfg.seed)
    to_utm, to_wgs = _to(WGS84, UTM), _to(UTM, WGS84)

    outline = shapely.set_precision(shapely.transform(ref.outline_wgs84, to_utm), 1.0)
    old_town = tuple(to_utm(np.array([ref.old_town]))[0])
    seat = tuple(to_utm(np.array([ref.district_seat]))[0])
    water, island = make_lake(old_town, rng)
    water = shapely.intersection(water, outline, grid_size=1.0)
    units = _units(ref, to_utm)
    codes = [u.code for u in units]
    zone_code = {u.name_en: u.code for u in units if u.kind == "zone"}
    ind_xy = to_utm(np.array([INDUSTRIAL_CENTRE]))[0]

    # Level 5: density-weighted seeds, relaxed, then Voronoi cells clipped to the outline.
    seats_xy = [u.seat for u in units if u.kind != "zone"]

    def dens(xy: np.ndarray) -> np.ndarray:
        return density(xy, [old_town, seat], seats_xy, water, tuple(ind_xy))

    seeds = sample_seeds(outline, cfg.n5, rng, dens)
    seeds = relax(outline, seeds, cfg.lloyd_iterations)
    cells = tessellate(outline, seeds)
    adj = adjacency(cells, seeds)
    n = len(cells)

    # Level 2: the two zones are pre-assigned, townships grow from their real seats.
    tree_pts = shapely.points(seeds)
    seat_cells = {int(np.argmin(np.hypot(*(seeds - np.asarray(u.seat)).T))) for u in units}
    ring = shapely.buffer(water, SHORE)
    corridor = shapely.box(old_town[0] - 300, old_town[1] - 5000, old_town[0] + 300, old_town[1])
    in_ring = shapely.contains(ring, tree_pts) & ~shapely.contains(island, tree_pts)
    in_ring &= ~shapely.contains(corridor, tree_pts)
    longhu = zone_cells(adj, np.flatnonzero(in_ring), seat_cells)
    ax, ay = INDUSTRIAL_AXES
    in_ind = ((seeds[:, 0] - ind_xy[0]) / ax) ** 2 + ((seeds[:, 1] - ind_xy[1]) / ay) ** 2 <= 1.0
    industrial = zone_cells(adj, np.flatnonzero(in_ind), seat_cells | set(longhu.tolist()))
    zone_members = {
        zone_code["Longhu Scenic Area"]: longhu,
        zone_code["Industrial Cluster Zone"]: industrial,
    }
    for code, members in zone_members.items():
        if len(members) == 0:
            raise ValueError(f"zone {code} got no level-5 cell; use more level-5 grids")
    label2, seat_cell = assign_units(units, adj, seeds, zone_members)

    # Levels 3 and 4.
    counts3 = village_counts(cfg.n3, units, ref.villages, label2)
    villages, label3 = place_villages(
        units, counts3, ref.villages, adj, seeds, label2, seat_cell, rng
    )
    label4 = split_villages(cfg.n4, villages, adj, seeds, label3, rng)

    # Population: urban = communities, zones and the cells near a township seat.
    land_area = shapely.area(cells) - shapely.area(shapely.intersection(cells, water))
    community = np.array([v.kind == "community" for v in villages])
    zone_unit = np.array([u.kind == "zone" for u in units])
    near_seat = np.zeros(n, dtype=bool)
    for u in units:
        if u.kind != "zone":
            near_seat |= np.hypot(*(seeds - np.asarray(u.seat)).T) <= SEAT_URBAN_RADIUS
    urban = community[label3] | zone_unit[label2] | near_seat
    dens_cells = dens(seeds)
    weights = np.maximum(land_area, 1.0) * dens_cells**1.3 * rng.lognormal(0.0, 0.35, n)
    # The scenic zone is mostly parkland: fewer residents per hectare.
    weights[label2 == codes.index(zone_code["Longhu Scenic Area"])] *= 0.3
    pop = split_population(weights, urban, cfg.population, cfg.urban_share)
    staff = staff_for(pop)

    # Assemble the grid table, level by level, ids nested by code.
    rows: list[dict] = []
    geoms: list[BaseGeometry] = []
    vil_en = [names.village_en(v.name_zh) for v in villages]

    def add(gid, parent, level, zh, en, kind, members, synthetic) -> None:
        rows.append(
            {
                "grid_id": gid,
                "parent_id": parent,
                "level": level,
                "name_zh": zh,
                "name_en": en,
                "pinyin": names.pinyin(zh),
                "code": gid,
                "population": int(pop[members].sum()),
                "pop_urban": int(pop[members][urban[members]].sum()),
                "staff": int(staff[members].sum()),
                "kind": kind,
                "synthetic": int(synthetic),
            }
        )
        geoms.append(shapely.coverage_union_all(cells[members]))

    add(DISTRICT_CODE, "", 1, DISTRICT_ZH, DISTRICT_EN, "district", np.arange(n), False)
    for i, u in enumerate(units):
        add(
            u.code,
            DISTRICT_CODE,
            2,
            u.name_zh,
            u.name_en,
            u.kind,
            np.flatnonzero(label2 == i),
            u.synthetic,
        )
    for v_idx, v in enumerate(villages):
        add(
            v.code,
            v.parent,
            3,
            v.name_zh,
            vil_en[v_idx],
            v.kind,
            np.flatnonzero(label3 == v_idx),
            v.synthetic,
        )
    cell_id = [""] * n
    cell_names: list[tuple[str, str]] = [("", "")] * n
    for v_idx, v in enumerate(villages):
        areas = sorted(set(label4[label3 == v_idx].tolist()))
        for a in areas:
            i = a - v_idx * 1000
            if i > 99:
                raise ValueError(f"village {v.code} has more than 99 level-4 grids")
            gid4 = f"{v.code}{i:02d}"
            zh, en = names.area_names(v.name_zh, vil_en[v_idx], i)
            members = np.flatnonzero(label4 == a)
            add(gid4, v.code, 4, zh, en, "area", members, True)
            for j, c in enumerate(order_cells(seeds, members), start=1):
                if j > 99:
                    raise ValueError(f"level-4 grid {gid4} has more than 99 level-5 grids")
                cell_id[c] = f"{gid4}{j:02d}"
                cell_names[c] = names.grid_names(v.name_zh, vil_en[v_idx], i, j)
    for c in sorted(range(n), key=lambda c: cell_id[c]):
        zh, en = cell_names[c]
        add(cell_id[c], cell_id[c][:-2], 5, zh, en, "grid", np.array([c]), True)
    grids_utm = gpd.GeoDataFrame(pd.DataFrame(rows)[GRID_COLUMNS], geometry=geoms, crs=UTM)
    grids_utm[["level", "population", "pop_urban", "staff", "synthetic"]] = grids_utm[
        ["level", "population", "pop_urban", "staff", "synthetic"]
    ].astype("int64")

    # Police posts.
    pop3 = np.bincount(label3, weights=pop, minlength=len(villages)).astype(np.int64)
    urban3 = (
        np.array([v.kind == "community" for v in villages])
        | zone_unit[[codes.index(v.parent) for v in villages]]
    )
    land = ~shapely.contains_xy(shapely.buffer(water, 30.0), seeds[:, 0], seeds[:, 1])
    site = np.array(
        [_dry_site(seeds, land, label3, v_idx, v.centre) for v_idx, v in enumerate(villages)]
    )
    seat_villages = []
    for i, u in enumerate(units):
        if u.kind != "zone":
            sc = seat_cell[u.code]
            dry = _dry_site(seeds, land, label3, int(label3[sc]), sc)
            seat_villages.append((u.code, int(label3[sc]), int(pop[label2 == i].sum()), tuple(dry)))
    sites = choose_sites(cfg.n_posts, seat_villages, pop3, urban3, site)
    post_rows = []
    for k, s in enumerate(sites, start=1):
        v = villages[s.village]
        u = units[codes.index(v.parent)]
        stem = names.stem(v.name_zh)
        zh = f"{u.name_zh}{stem}警务室"
        en = f"{u.name_en} {names.place_en(v.name_zh)} Police Room"
        post_rows.append(
            {
                "post_id": f"JWS{k:03d}",
                "name_zh": zh,
                "name_en": en,
                "officers": 1,
                "ebikes": s.ebikes,
                "grid_id": v.code,
                "seat_post": int(s.seat_of is not None),
            }
        )
    posts_utm = gpd.GeoDataFrame(
        pd.DataFrame(
            post_rows,
            columns=["post_id", "name_zh", "name_en", "officers", "ebikes", "grid_id", "seat_post"],
        ),
        geometry=shapely.points([(s.x, s.y) for s in sites]) if sites else [],
        crs=UTM,
    )

    # Roads.
    street = (np.hypot(*(seeds - np.asarray(old_town)).T) <= STREET_RADIUS) | (
        np.hypot(*(seeds - np.asarray(seat)).T) <= STREET_RADIUS
    )
    street &= urban
    seats_nodes = [(seat_cell[u.code], _short_town(u.name_zh)) for u in units]
    centres = [
        (v.centre, seat_cell[v.parent], v.name_zh)
        for v in villages
        if v.centre != seat_cell[v.parent]
    ]
    cell_village = [villages[int(label3[c])].name_zh for c in range(n)]
    roads = build_roads(
        seeds,
        land,
        outline,
        water,
        island,
        old_town,
        seats_nodes,
        centres,
        street,
        cell_village,
        rng,
    )
    road_geoms = shapely.linestrings(
        np.stack([seeds[[r.a for r in roads]], seeds[[r.b for r in roads]]], axis=1)
    )
    roads_utm = gpd.GeoDataFrame(
        {
            "road_id": [f"R{k:05d}" for k in range(1, len(roads) + 1)],
            "road_class": [r.road_class for r in roads],
            "name_zh": [r.name_zh for r in roads],
        },
        geometry=road_geoms,
        crs=UTM,
    )
    water_utm = gpd.GeoDataFrame(
        {
            "name_zh": ["龙湖（示意）"],
            "name_en": ["Longhu Lake (synthetic outline)"],
            "synthetic": [1],
        },
        geometry=[water],
        crs=UTM,
    )

    def wgs(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        out = gdf.copy()
        out = out.set_geometry(shapely.transform(gdf.geometry.values, to_wgs), crs=WGS84)
        return out

    meta = {
        "name_zh": DISTRICT_ZH,
        "name_en": DISTRICT_EN,
        "demo": True,
        "attribution": "District outline: Vonng/adcode, CC BY 4.0. Names and codes: national "
        "statistics bureau code lists (via modood/Administrative-divisions-of-China, "
        "liyanjie2048/AdministrativeDivisionCn, njzjz/prcadmin). Population: 2020 census via "
        "thebamboogrove/tudigong. Everything else synthetic.",
        "attribution_zh": "区界：Vonng/adcode（CC BY 4.0）。名称与区划代码："
        "国家统计局统计用区划代码（经 modood/Administrative-divisions-of-China、"
        "liyanjie2048/AdministrativeDivisionCn、"
        "njzjz/prcadmin）。人口：2020 年人口普查（经 thebamboogrove/tudigong）。其余均为合成数据。",
        "expected_counts": {str(k): v for k, v in cfg.counts().items()},
        "seed": cfg.seed,
        "synthetic": "All polygons below level 1 (townships, zones, villages, level-4 and level-5 "
        "grids), the population split (only the district total and urban share are real), staff, "
        "police posts, roads, the Longhu lake outline, the 2 management zones (411603901, "
        "411603902) and 10 extra communities (grids with synthetic = 1).",
    }
    return DemoData(wgs(grids_utm), wgs(posts_utm), wgs(roads_utm), wgs(water_utm), meta)


def _dry_site(
    seeds: np.ndarray, land: np.ndarray, label3: np.ndarray, v: int, centre: int
) -> np.ndarray:
    """Return a dry-land seed of village ``v``, its centre if dry, else the nearest dry one."""
    if land[centre]:
        return seeds[centre]
    own = np.flatnonzero((label3 == v) & land)
    pool = own if len(own) else np.flatnonzero(land)
    return seeds[pool[np.argmin(np.hypot(*(seeds[pool] - seeds[centre]).T))]]
