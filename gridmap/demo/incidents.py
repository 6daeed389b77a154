"""Deterministic demo history: one year of synthetic incidents for the demo district.

``demo_incidents(grids)`` returns 25,000 incidents of the **demo year 2025** (China Standard
Time, UTC+8, like every calendar rule below; times are stored in UTC). Same grids and seed, same
incidents, row for row.

What it imitates
----------------
* **The article's figure**: "in the first half of this year [the district] investigated 510
  typical contradictions and disputes, with a resolution rate of 100%". Here the *first half
  year* is 2025-01-01 00:00 to 2025-07-01 00:00 CST, and the typical disputes are the four
  dispute categories (neighbourhood, family, land, labour): exactly 510 of them are reported in
  that half year, and all 510 are resolved (most also closed) by the end of the year.
* **Rhythm**: fewer reports at weekends and around the Spring Festival (2025-01-29), a working-day
  profile over the hours (peaks 9-11 h and 15-17 h; public security later in the evening).
* **Seasons**: land disputes bump in the wheat harvest (June) and the autumn harvest
  (September-October); flood hazards in the flood season (July-August); fire hazards in winter
  and in June (straw burning); labour and wage disputes before the Spring Festival (December,
  January); epidemic reports in winter.
* **Where**: each incident falls uniformly inside a level-5 grid picked with weight population x
  hotspot: hotspots are the township seats and markets (the densest level-5 grid of each
  township) and the district seat (the densest of all), decaying over 1 km and 2 km. Urban grids
  (``pop_urban`` > 0) report more sanitation, traffic, security and wage problems, rural ones
  more land and flood problems.
* **Handling**: resolution times are log-normal with a median per category (hours: flood 6,
  security 8, epidemic 12, fire 16, neighbourhood 20, sanitation 24, family and traffic 30,
  other 48, land 96, labour 120, petitions 240); part of the neighbourhood, family and
  sanitation problems are settled on the spot by the grid member (no dispatch); a resolved case
  is closed after review (median 36 h, or a quarter of the close limit when shorter). A few
  petitions and "other" cases drag past their close limit (by days, three weeks at most) and
  are closed late; no case takes longer than its limit and three weeks. Status is as of
  2026-01-01 00:00 CST, so only recent reports are still open: overdue, if at all, by hours to
  a few weeks.
* **The dispatch loop** (:mod:`gridmap.demo.dispatch_year`): registration times by category,
  a few reworks and escalations, the state of each case and its timeline (:func:`timeline`).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gridmap.clock import LOCAL_TZ
from gridmap.demo import dispatch_year
from gridmap.errors import DemoError  # noqa: F401 (re-exported)
from gridmap.grids.schema import LEVELS, WGS84
from gridmap.incidents.categories import BY_ID, DISPUTE_IDS
from gridmap.incidents.deadlines import default_limits
from gridmap.incidents.tables import COLUMNS, GRID_COLUMNS

SEED = 20220826
YEAR = 2025
YEAR_START = datetime(YEAR, 1, 1, tzinfo=LOCAL_TZ)
HALF_YEAR_END = datetime(YEAR, 7, 1, tzinfo=LOCAL_TZ)
YEAR_END = datetime(YEAR + 1, 1, 1, tzinfo=LOCAL_TZ)
#: The moment the statuses describe.
AS_OF = YEAR_END
SPRING_FESTIVAL = datetime(YEAR, 1, 29, tzinfo=LOCAL_TZ)
#: Typical disputes reported in the first half year (the article's figure).
FIRST_HALF_DISPUTES = 510

#: Incidents per category: disputes per half year, the others over the whole year.
DISPUTES_H1: dict[str, int] = {"neighbourhood": 190, "family": 120, "land": 130, "labour": 70}
DISPUTES_H2: dict[str, int] = {"neighbourhood": 195, "family": 125, "land": 215, "labour": 105}
OTHERS: dict[str, int] = {
    "environment": 8500, "other": 4300, "security": 3000, "traffic": 2400, "fire": 2300,
    "flood": 1500, "epidemic": 1150, "petition": 700,
}  # fmt: skip
TOTAL = sum(DISPUTES_H1.values()) + sum(DISPUTES_H2.values()) + sum(OTHERS.values())

#: Month factors (January first) of the categories with a season.
SEASONS: dict[str, tuple[float, ...]] = {
    "land": (1, 1, 1, 1, 1.2, 2.5, 1, 1, 2.5, 2.5, 1.2, 1),
    "flood": (0.2, 0.2, 0.3, 0.4, 0.8, 2, 6, 6, 2, 0.5, 0.2, 0.2),
    "fire": (1.8, 1.6, 1.2, 1, 1, 1.6, 0.8, 0.8, 1, 1.1, 1.3, 1.8),
    "labour": (2.5, 1.2, 1, 0.8, 0.8, 0.9, 0.8, 0.8, 0.9, 1, 1.4, 2.2),
    "epidemic": (2, 1.8, 1.2, 1, 0.8, 0.7, 0.8, 0.9, 0.8, 0.9, 1.2, 1.8),
    "environment": (0.9, 0.8, 1, 1, 1.2, 1.3, 1.4, 1.4, 1.2, 1, 0.9, 0.8),
    "traffic": (1.1, 1, 1, 1, 1, 1.3, 1, 1, 1.3, 1.3, 1, 1.1),
}
#: Monday first.
WEEKDAY = (1.15, 1.1, 1.05, 1.05, 1.0, 0.75, 0.7)
#: Local hour weights (0..23): the grid members' working day.
HOURS_DAY = (0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.5, 2.5, 3, 3, 2.5,
             1.5, 1.5, 2, 2.5, 2.5, 2.2, 1.6, 1.2, 0.9, 0.6, 0.3, 0.15)  # fmt: skip
HOURS_EVENING = (0.5, 0.4, 0.3, 0.2, 0.2, 0.3, 0.5, 0.8, 1.2, 1.4, 1.4, 1.4,
                 1.3, 1.2, 1.3, 1.4, 1.5, 1.6, 1.8, 2, 2.2, 2, 1.4, 0.9)  # fmt: skip
#: Median hours from report to resolution.
RESOLVE_HOURS: dict[str, float] = {
    "flood": 6, "security": 8, "epidemic": 12, "fire": 16, "neighbourhood": 20,
    "environment": 24, "family": 30, "traffic": 30, "other": 48, "land": 96, "labour": 120,
    "petition": 240,
}  # fmt: skip
#: Deadline limits the demo's verification times keep to.
CLOSE_LIMITS = default_limits()
#: Share settled on the spot by the grid member (reported -> resolved, no dispatch).
ON_THE_SPOT: dict[str, float] = {"neighbourhood": 0.5, "family": 0.45, "environment": 0.3,
                                 "other": 0.25}  # fmt: skip
#: Share that drags past its close limit (closed late, by days up to :data:`MAX_LATE_HOURS`):
#: the petitions that need several departments, the odd "other" case nobody owns at first.
LATE: dict[str, float] = {"petition": 0.04, "other": 0.01}
#: How far past its close limit a case is settled at the most (three weeks): a real centre
#: escalates (督办) and settles such a case; none stays open for good, so a case still open
#: today is a recent one, overdue by hours to a few weeks at most.
MAX_LATE_HOURS = 21 * 24.0
#: Factor for urban level-5 grids (rural grids: 1).
URBAN: dict[str, float] = {"environment": 1.6, "traffic": 1.4, "security": 1.4, "labour": 1.6,
                           "land": 0.3, "flood": 0.6, "fire": 0.9}  # fmt: skip
DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "neighbourhood": ("邻里噪音纠纷", "宅基地边界墙纠纷", "排水沟堵塞引发邻里矛盾", "宠物扰邻"),
    "family": ("婚姻家庭矛盾", "赡养老人纠纷", "分家析产矛盾"),
    "land": ("承包地边界纠纷", "土地流转租金纠纷", "宅基地权属争议", "收割期间占地纠纷"),
    "labour": ("拖欠农民工工资", "工地劳务费结算纠纷", "企业欠薪"),
    "security": ("夜间可疑人员", "电动车被盗", "酒后滋事", "电信诈骗线索"),
    "fire": ("秸秆焚烧", "楼道堆放杂物", "电动车违规充电", "燃放烟花隐患"),
    "flood": ("河道水位上涨", "低洼处积水", "堤坝渗水", "排涝泵站故障"),
    "traffic": ("农用车违规载人", "路口信号灯故障", "道路坑洼", "占道晾晒粮食"),
    "environment": ("垃圾堆放未清运", "道路扬尘", "污水外溢", "乱搭乱建", "沟渠漂浮物"),
    "petition": ("群众来访诉求", "政策咨询", "补贴发放诉求"),
    "epidemic": ("发热病人排查", "返乡人员登记", "疫苗接种宣传"),
    "other": ("路灯不亮", "公共设施损坏", "群众求助", "流浪动物"),
}


def demo_incidents(grids: gpd.GeoDataFrame, seed: int = SEED) -> pd.DataFrame:
    """Generate the demo year of incidents for ``grids``.

    Parameters
    ----------
    grids : GeoDataFrame
        The district's grids (EPSG:4326, indexed by grid id, ``level``, ``parent_id``;
        ``population`` and ``pop_urban``/``staff`` used when present).
    seed : int
        Random seed; the same seed and grids give the same rows.

    Returns
    -------
    DataFrame
        One row per incident with the columns of :data:`gridmap.incidents.store.COLUMNS` except
        ``updated_at``, sorted by ``reported_at``; times are aware UTC timestamps (NaT when
        not reached), ids ``demo-2025-000001`` ... in that order.
    """
    if not isinstance(grids, gpd.GeoDataFrame) or grids.crs is None or not grids.crs.equals(WGS84):
        raise DemoError(f"'grids' should be a GeoDataFrame in {WGS84}")
    rng = np.random.default_rng(seed)
    leaf = grids[grids["level"].astype(int) == LEVELS[-1]].sort_index()
    if leaf.empty:
        raise DemoError("'grids' has no level-5 grid")
    chains = _chains(grids, leaf.index)
    weights, urban = _place_weights(grids, leaf)

    plan: list[tuple[str, int, datetime, datetime]] = []
    for cat, n in DISPUTES_H1.items():
        plan.append((cat, n, YEAR_START, HALF_YEAR_END))
    for cat, n in DISPUTES_H2.items():
        plan.append((cat, n, HALF_YEAR_END, YEAR_END))
    for cat, n in OTHERS.items():
        plan.append((cat, n, YEAR_START, YEAR_END))

    parts = []
    for cat, n, start, end in plan:
        reported = _times(rng, cat, n, start, end)
        w = weights * np.where(urban, URBAN.get(cat, 1.0), 1.0)
        cell = rng.choice(len(leaf), size=n, p=w / w.sum())
        parts.append(pd.DataFrame({"category": cat, "reported_at": reported, "cell": cell}))
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.sort_values(["reported_at", "category", "cell"], kind="stable")
    frame = frame.reset_index(drop=True)
    n = len(frame)

    lon, lat = _points_in(rng, leaf.geometry.to_numpy(), frame["cell"].to_numpy())
    frame["lon"] = np.round(lon, 6)
    frame["lat"] = np.round(lat, 6)
    frame[list(GRID_COLUMNS)] = chains[frame["cell"].to_numpy()]
    _workflow(rng, frame)
    frame["id"] = [f"demo-{YEAR}-{i:06d}" for i in range(1, n + 1)]
    staff = (
        pd.to_numeric(leaf["staff"], errors="coerce").fillna(1).clip(lower=1).astype(int)
        if "staff" in leaf.columns
        else pd.Series(1, index=leaf.index)
    ).to_numpy()
    member = np.floor(rng.random(n) * staff[frame["cell"].to_numpy()]).astype(int) + 1
    frame["reporter"] = [f"{g}-m{m}" for g, m in zip(frame["g5"], member, strict=True)]
    pick = rng.random(n)
    frame["description"] = [
        DESCRIPTIONS[c][int(p * len(DESCRIPTIONS[c]))]
        for c, p in zip(frame["category"], pick, strict=True)
    ]
    frame["unit"] = [BY_ID[c].unit_zh for c in frame["category"]]
    dispatch_year.add_loop(frame)
    frame, _ = dispatch_year.at(frame, dispatch_year.events(frame), AS_OF)
    columns = [c for c in COLUMNS if c != "updated_at"]
    return frame[columns + list(LOOP_COLUMNS)]


#: The dispatch loop's columns of the demo frame (beside the store's).
LOOP_COLUMNS = ("state", "registered_at", "handled_at", "escalation", "reworks",
                "first_handled_at", "rework_at", "escalated_at")  # fmt: skip


def timeline(frame: pd.DataFrame, now: datetime = AS_OF) -> pd.DataFrame:
    """Return the timeline rows of the demo ``frame`` up to ``now`` (none without the loop)."""
    if "registered_at" not in frame:
        return pd.DataFrame(columns=["incident_id", "at"])
    return dispatch_year.at(frame, dispatch_year.events(frame), now)[1]


def records(frame: pd.DataFrame) -> list[dict]:
    """Return the rows of ``frame`` as store records (NaT/NaN -> None, aware datetimes)."""
    columns = []
    for name in frame.columns:
        col = frame[name]
        if pd.api.types.is_datetime64_any_dtype(col):
            values = np.where(col.isna().to_numpy(), None, col.dt.to_pydatetime())
        else:
            values = col.astype(object).where(col.notna(), None).to_numpy()
            if pd.api.types.is_integer_dtype(col):
                values = [None if v is None else int(v) for v in values]
        columns.append(values)
    names = list(frame.columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def load_demo(
    store,
    grids: gpd.GeoDataFrame | None = None,
    seed: int = SEED,
    chunk: int = 5000,
    frame: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
) -> tuple[int, int]:
    """Generate the demo year (or take ``frame``) and insert it and its timeline into ``store``.

    Idempotent: the ids are fixed, so loading twice stores nothing new (the timeline rows of
    the incidents stored now only). ``events`` defaults to :func:`timeline` of the frame.

    Returns
    -------
    tuple of int
        (stored, duplicates).
    """
    if frame is None:
        frame = demo_incidents(grids, seed)
    if events is None:
        events = timeline(frame)
    stored = duplicates = 0
    new: list[str] = []
    for start in range(0, len(frame), chunk):
        result = store.insert(records(frame.iloc[start : start + chunk]))
        stored += len(result.stored)
        duplicates += len(result.duplicates)
        new.extend(result.stored)
    if len(events) and new:
        mine = events[events["incident_id"].isin(set(new))]
        store.add_events(records(mine))
    return stored, duplicates


# -- pieces -----------------------------------------------------------------------------------
def _chains(grids: gpd.GeoDataFrame, leaf_ids: pd.Index) -> np.ndarray:
    parent = {str(k): (None if pd.isna(v) or v == "" else str(v))
              for k, v in grids["parent_id"].items()}  # fmt: skip
    out = np.empty((len(leaf_ids), len(LEVELS)), dtype=object)
    for row, gid in enumerate(leaf_ids):
        current = str(gid)
        for level in reversed(LEVELS):
            out[row, level - 1] = current
            current = parent.get(current)
            if current is None and level > 1:
                raise DemoError(f"grid {gid}: no ancestor at level {level - 1}")
    return out


def _place_weights(grids: gpd.GeoDataFrame, leaf: gpd.GeoDataFrame):
    """Return (weight per level-5 grid, urban flag): population x hotspot."""
    geoms = leaf.geometry.to_numpy()
    centroids = shapely.point_on_surface(geoms)
    lon, lat = shapely.get_x(centroids), shapely.get_y(centroids)
    lat0 = np.deg2rad(np.mean(lat))
    x_km = lon * 111.32 * np.cos(lat0)
    y_km = lat * 110.57
    area = shapely.area(geoms) * 111.32 * 110.57 * np.cos(lat0)  # km², approximate
    if "population" in leaf.columns:
        pop = pd.to_numeric(leaf["population"], errors="coerce").fillna(0).to_numpy(float)
    else:
        pop = area * 100.0
    if pop.sum() <= 0:
        pop = np.maximum(area, 1e-9)
    density = pop / np.maximum(area, 1e-6)
    parents = dict(zip(grids.index.astype(str), grids["parent_id"].astype(str), strict=True))

    def ancestor(gid: str, steps: int) -> str:
        for _ in range(steps):
            gid = parents.get(gid, gid)
        return gid

    township = np.array([ancestor(str(g), 3) for g in leaf.index])
    hotspot = np.ones(len(leaf))
    for name in np.unique(township):
        members = np.flatnonzero(township == name)
        seat = members[np.argmax(density[members])]
        d = np.hypot(x_km[members] - x_km[seat], y_km[members] - y_km[seat])
        hotspot[members] += 2.0 * np.exp(-d / 1.0)
    seat = int(np.argmax(density))
    hotspot += 3.0 * np.exp(-np.hypot(x_km - x_km[seat], y_km - y_km[seat]) / 2.0)
    if "pop_urban" in leaf.columns:
        urban = pd.to_numeric(leaf["pop_urban"], errors="coerce").fillna(0).to_numpy() > 0
    else:
        urban = density > np.quantile(density, 0.8)
    return pop * hotspot, urban


def _times(rng: np.random.Generator, cat: str, n: int, start: datetime, end: datetime):
    """Draw ``n`` report times in [start, end) with the category's rhythm (local time)."""
    days = pd.date_range(start, end, freq="D", inclusive="left")
    month = SEASONS.get(cat, (1.0,) * 12)
    w = np.array([month[d.month - 1] * WEEKDAY[d.weekday()] for d in days])
    gap = np.abs((days - pd.Timestamp(SPRING_FESTIVAL)).days.to_numpy())
    festive = gap <= 4
    w = np.where(festive, w * (1.6 if cat in ("family", "fire") else 0.5), w)
    day = rng.choice(len(days), size=n, p=w / w.sum())
    profile = np.array(HOURS_EVENING if cat == "security" else HOURS_DAY, dtype=float)
    hour = rng.choice(24, size=n, p=profile / profile.sum())
    seconds = hour * 3600 + np.floor(rng.random(n) * 3600)
    local = days[day] + pd.to_timedelta(seconds, unit="s")
    return local.tz_convert("UTC").as_unit("us")


def _points_in(rng: np.random.Generator, polygons: np.ndarray, cell: np.ndarray):
    """Uniform points inside each ``polygons[cell[i]]`` (rejection sampling, vectorised)."""
    bounds = shapely.bounds(polygons)
    lon = np.empty(len(cell))
    lat = np.empty(len(cell))
    todo = np.arange(len(cell))
    for _ in range(200):
        if not len(todo):
            break
        b = bounds[cell[todo]]
        x = b[:, 0] + rng.random(len(todo)) * (b[:, 2] - b[:, 0])
        y = b[:, 1] + rng.random(len(todo)) * (b[:, 3] - b[:, 1])
        # Strictly inside, and still inside after rounding to 6 decimals.
        ok = shapely.contains_xy(polygons[cell[todo]], x, y) & shapely.contains_xy(
            polygons[cell[todo]], np.round(x, 6), np.round(y, 6)
        )
        lon[todo[ok]], lat[todo[ok]] = x[ok], y[ok]
        todo = todo[~ok]
    if len(todo):  # pathological slivers: their representative point
        points = shapely.point_on_surface(polygons[cell[todo]])
        lon[todo], lat[todo] = shapely.get_x(points), shapely.get_y(points)
    return lon, lat


def _workflow(rng: np.random.Generator, frame: pd.DataFrame) -> None:
    """Fill status and the stage times, as of :data:`AS_OF`."""
    n = len(frame)
    cat = frame["category"].to_numpy()
    reported = frame["reported_at"]
    median = np.array([RESOLVE_HOURS[c] for c in cat])
    spot = rng.random(n) < np.array([ON_THE_SPOT.get(c, 0.05) for c in cat])
    hours = np.where(
        spot,
        np.exp(np.log(2.0) + 0.6 * rng.standard_normal(n)),
        np.exp(np.log(median) + 0.9 * rng.standard_normal(n)),
    )
    close_limit = np.array([CLOSE_LIMITS[c].close for c in cat])
    hours = np.clip(hours, 0.1, np.minimum(60 * 24, close_limit + MAX_LATE_HOURS))
    dispatch = np.clip(np.exp(np.log(0.75) + 0.8 * rng.standard_normal(n)), 0.03, None)
    dispatch = np.minimum(dispatch, hours * 0.5)
    # Verification within a quarter of the close limit (36 h at most): a security case is
    # checked the same day, a dispute within a day and a half.
    review_median = np.array([min(36.0, 0.25 * CLOSE_LIMITS[c].close) for c in cat])
    review = np.exp(np.log(review_median) + 0.7 * rng.standard_normal(n))
    # The slow ones: settled after their close limit, by 5 % .. 50 % of it (three weeks at
    # most). The one draw says which and by how much (u / share is uniform on [0, 1)), so the
    # other columns' random streams stay as they were.
    draw = rng.random(n)
    share = np.array([LATE.get(c, 0.0) for c in cat])
    late = draw < share
    overrun = np.minimum(
        close_limit * (0.05 + 0.45 * np.divide(draw, share, out=np.zeros(n), where=late)),
        MAX_LATE_HOURS,
    )
    hours = np.where(late, close_limit + overrun, hours)
    as_of = pd.Timestamp(AS_OF)

    dispatched_at = reported + pd.to_timedelta(np.round(dispatch * 3600), unit="s")
    resolved_at = reported + pd.to_timedelta(np.round(hours * 3600), unit="s")
    closed_at = resolved_at + pd.to_timedelta(np.round(review * 3600), unit="s")
    dispatched_at = dispatched_at.where(~spot)

    is_dispatched = dispatched_at.notna() & (dispatched_at < as_of)
    is_resolved = resolved_at.notna() & (resolved_at < as_of)
    is_closed = closed_at.notna() & (closed_at < as_of)
    frame["status"] = np.select(
        [is_closed, is_resolved, is_dispatched], ["closed", "resolved", "dispatched"], "reported"
    )
    frame["dispatched_at"] = dispatched_at.where(is_dispatched)
    frame["resolved_at"] = resolved_at.where(is_resolved)
    frame["closed_at"] = closed_at.where(is_closed)


def first_half_disputes(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the typical disputes reported in the demo year's first half (the article's 510)."""
    start, end = pd.Timestamp(YEAR_START), pd.Timestamp(HALF_YEAR_END)
    mask = (
        frame["category"].isin(DISPUTE_IDS)
        & (frame["reported_at"] >= start)
        & (frame["reported_at"] < end)
    )
    return frame[mask]


def write_csv(frame: pd.DataFrame, path) -> None:
    """Write ``frame`` as a CSV that ``python -m gridmap.incidents.file_import`` reads back.

    Only the record fields are written (grid ids are assigned again on import); times are
    ISO-8601 with offset, missing ones empty.
    """
    from gridmap.incidents.intake import FIELDS

    out = frame[[c for c in FIELDS if c in frame.columns]].copy()
    for c in ("reported_at", "dispatched_at", "resolved_at", "closed_at"):
        out[c] = [("" if pd.isna(t) else t.isoformat()) for t in out[c]]
    out.to_csv(path, index=False)


def main(argv: list[str] | None = None) -> int:
    """Command line: generate the demo year, write a CSV and/or load it into the store."""
    from gridmap.incidents.file_import import read_grids  # the importer's grids reader
    from gridmap.incidents.store import IncidentStore
    from gridmap.settings import load_settings

    parser = argparse.ArgumentParser(prog="python -m gridmap.demo.incidents", description=__doc__
                                     .splitlines()[0])  # fmt: skip
    parser.add_argument("--data-dir", help="district folder (default GRIDMAP_DATA_DIR)")
    parser.add_argument("--database-url", help="SQLAlchemy URL (default GRIDMAP_DATABASE_URL)")
    parser.add_argument("--csv", help="also write the incidents to this CSV file")
    parser.add_argument("--no-store", action="store_true", help="do not load into the store")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    settings = load_settings({"database_url": args.database_url} if args.database_url else None)
    frame = demo_incidents(read_grids(args.data_dir or settings.data_dir), args.seed)
    if args.csv:
        write_csv(frame, args.csv)
        print(f"wrote {len(frame)} incidents to {args.csv}", file=sys.stderr)
    if not args.no_store:
        store = IncidentStore.from_settings(settings)
        stored, duplicates = load_demo(store, frame=frame)
        print(f"{store!r}: stored {stored}, already present {duplicates}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
