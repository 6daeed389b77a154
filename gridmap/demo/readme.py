"""Text of data/geo/README.md: what is real, what is synthetic, how it was made, credits."""

from __future__ import annotations

from gridmap.demo.build import DemoData
from gridmap.demo.reference import UTM


def readme_text(data: DemoData) -> str:
    """Return the README of a built demo folder, with its measured figures."""
    g = data.grids
    counts = g.groupby("level").size().to_dict()
    top = g[g["level"] == 1].iloc[0]
    share = top["pop_urban"] / top["population"]
    roads = data.roads["road_class"].value_counts().to_dict()
    area = float(data.water.to_crs(UTM).area.sum()) / 1e6
    synth3 = int(((g["level"] == 3) & (g["synthetic"] == 1)).sum())
    per_level = ", ".join(f"L{k} {v:,}" for k, v in counts.items())
    per_class = ", ".join(f"{k} {v:,}" for k, v in roads.items())
    n_posts, n_roads, urban = len(data.posts), len(data.roads), top["pop_urban"]
    return f"""# Demo data: Huaiyang District (淮阳区), Zhoukou, Henan

**Demo data.** The district outline, the names and codes and the census totals are real; every
polygon below the district, the population split, the staff, the police posts, the roads and the
lake outline are synthetic. Do not use them as facts about Huaiyang.

Built by `python scripts/build_demo_data.py --out data/geo` (seed {data.meta["seed"]}; same seed,
same files) from the reference facts in `data/reference/huaiyang/` (see its SOURCES.md).
The file schema is `docs/data-schema.md`.

## Files
| file | content |
|---|---|
| `grids.gpkg` | {len(g):,} grids of 5 levels: {per_level} |
| `posts.gpkg` | {n_posts} police rooms (警务室), 1 officer each, 1 e-bike (a few urban posts 2) |
| `roads.gpkg` | {n_roads:,} straight road segments: {per_class} |
| `water.gpkg` | Longhu lake (龙湖), {area:.1f} km² of water ringing the old town (synthetic) |
| `duty.json` | duty roster (synthetic): officers 08:00-20:00, 6 days; grid members office hours |
| `district.json` | name, demo flag, attribution, expected counts, seed, what is synthetic |

All files are WGS84 (EPSG:4326). Every level tiles its parent exactly (a valid polygon coverage:
no gaps, no overlaps, shared edges identical); level 1 is the union of level 2. Every grid is
one Polygon. Columns beyond docs/data-schema.md: `pop_urban` (urban residents, summed upwards)
and `synthetic` (1 when the grid is not a real administrative unit) in grids; `grid_id` (the
village served) and `seat_post` (1 for a township-seat post) in posts; `synthetic` in water.

## What is real
- Level 1: the outline of the district (AMap fence of 淮阳县 411626, about 2018, converted from
  GCJ-02 to WGS84; 1,333 km²), code 411603.
- Level 2: the 19 township-level units of the 2023 code list (codes, Chinese and English names,
  pinyin) and their seat points (柳湖街道 has none: it uses the district seat point).
- Level 3: the 474 village and residents' committees (2023 names where known, else 2021; codes).
- The census 2020 totals: {top["population"]:,} residents, urban share 33.23 %.
- The counts of the news article (Zhoukou Daily, 2022-08-26): 1 / 21 / 484 / 2,073 / 6,438 grids,
  100 police rooms each with an auxiliary officer on an electric bicycle.

## What is synthetic
- Every polygon below level 1: 6,438 Voronoi cells (denser in the town seat and around township
  seats) grouped into contiguous level-4 areas, villages and townships grown from the real seats.
- The 2 management zones of level 2 (kind `zone`, `synthetic` = 1): 龙湖风景区 Longhu Scenic Area
  (411603901, the lake ring) and 产业集聚区 Industrial Cluster Zone (411603902, between the town
  seat and 王店), and {synth3} extra communities (`synthetic` = 1, codes ending 9xx), in the
  zones and where the town seat is densest. Communities sit nearest their township seat.
- Level-4 and level-5 ids are the parent id plus a 2-digit sequence; names like 劳桥村第1片区 and
  劳桥村第1片区3号网格 ("Laoqiao Village Zone 1 Grid 3"); English names and pinyin via pypinyin.
- Population per level-5 grid (integers; a parent's equals the sum of its children), denser in
  the town seat. A level-5 grid is urban (wholly) when it lies in a community, in a zone or
  within 900 m of a township seat; urban grids hold {urban:,} = round(0.3323 x total) residents
  ({share:.2%}), column `pop_urban` at every level.
- Staff (grid members) per level-5 grid: 1 below 200 residents, 2 below 450, else 3; summed upwards.
- Police posts: one at every township seat, several in the town seat, then the largest villages
  at least 2.5 km from any other post; remote corners are left uncovered on purpose.
- Roads: Delaunay edges between the level-5 seed points (planar, noded at shared end points, one
  connected network): arterials between seats and out to the district edge, county roads to the
  village centres, streets in the town seat, a spanning tree of village roads reaching every grid.
  No road crosses the lake except 4 causeways into the old town.
- The lake outline (龙湖, about 4.4 x 2.5 km; its centre is put 0.7 km east of the old town so
  that the district seat stays on dry land).

## Credits
- District outline: Vonng/adcode (data/fences/411626.json), CC BY 4.0.
- Township and village names and codes: National Bureau of Statistics code lists via
  modood/Administrative-divisions-of-China (WTFPL), liyanjie2048/AdministrativeDivisionCn (MIT),
  njzjz/prcadmin (2023 renames); township pinyin: xiangyuecn/AreaCity-JsSpider-StatsGov (MIT);
  seat points: Vonng/adcode (CC BY 4.0).
- Census 2020: thebamboogrove/tudigong (figures of the statistics bureau).
"""
