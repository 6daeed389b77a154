"""What the command-centre wall shows: its URL settings, KPIs, ticker rows and tour views.

Plain dicts from the incident store, the district and the coverage KPIs; no Dash. Every function
that depends on the time takes ``now`` (an aware datetime), so tests pass a fake clock.

Days and weeks are those of the district (China Standard Time, UTC+8, no daylight saving):
"today" starts at local midnight, "this week" on Monday at local midnight.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import sqlalchemy as sa

from gridmap.clock import LOCAL_TZ
from gridmap.grids.district import District
from gridmap.i18n import name_of
from gridmap.incidents.categories import DONE_STATUSES, OPEN_STATUSES, status_label
from gridmap.incidents.store import IncidentStore
from gridmap.settings import DEFAULT_LANG, LANGUAGES, REFRESH_RANGE  # noqa: F401 (the wall's URL ranges)
from gridmap.views.map_view import fit_zoom

# -- URL settings (``/wall/?layout=overview&tour=20&order=townships&layers=heat,coverage&lang=en``)
#: Seconds between two tour steps, and the range accepted from the URL.
DEFAULT_TOUR_SECONDS = 20
TOUR_RANGE = (2, 3600)
#: Tour orders: every township in turn, or the village of the newest incident.
ORDERS = ("townships", "newest")
DEFAULT_ORDER = "townships"
#: Map layers the URL may switch on; the default set.
LAYERS = ("heat", "coverage", "gaps", "posts")
DEFAULT_LAYERS = ("heat", "coverage")
#: Layout presets (``layout=``): the whole picture; townships ranked large; dispatch (overdue
#: cases and the newest incidents large).
LAYOUTS = ("overview", "township", "dispatch")
DEFAULT_LAYOUT = "overview"
#: The heatmap shows the incidents of the last HEAT_DAYS days.
HEAT_DAYS = 7
#: Rows of the ticker.
TICKER_ROWS = 12
#: The map panel's size in pixels at 1920x1080 that tour views are fitted to (the browser
#: refits them to the map's real size, e.g. +1 zoom on a 3840x2160 wall).
MAP_PX = (800, 950)
#: The tour never zooms closer than this (at 1920x1080): a village and its neighbours.
MAX_TOUR_ZOOM = 12.5
#: A wall's home view (the district, or a kiosk's township) is fitted to the panel however
#: small it is; only this close at most.
MAX_HOME_ZOOM = 15.0


@dataclass(frozen=True)
class WallSettings:
    """The wall's settings, read from its URL."""

    tour: int = DEFAULT_TOUR_SECONDS
    order: str = DEFAULT_ORDER
    layers: tuple[str, ...] = DEFAULT_LAYERS
    refresh: int = 10
    lang: str = DEFAULT_LANG
    layout: str = DEFAULT_LAYOUT
    #: Names of the query parameters that were given but unusable (so fell back to defaults).
    ignored: tuple[str, ...] = field(default=(), compare=False)

    def to_dict(self) -> dict:
        """Return the settings as JSON-ready data (for a dcc.Store)."""
        return {
            "tour": self.tour,
            "order": self.order,
            "layers": list(self.layers),
            "refresh": self.refresh,
            "lang": self.lang,
            "layout": self.layout,
            "ignored": list(self.ignored),
        }


def _int_in(text: str, low: int, high: int) -> int | None:
    try:
        value = int(float(text.strip()))
    except (ValueError, OverflowError):
        return None
    return value if low <= value <= high else None


def parse_wall_query(query: str | None, refresh_default: int = 10) -> WallSettings:
    """Read the wall settings from a query string; bad or missing values take the defaults.

    Parameters
    ----------
    query : str or None
        The URL's query string, with or without the leading ``?``.
    refresh_default : int
        The refresh period when the URL gives none (the app's ``refresh_seconds``).

    Returns
    -------
    WallSettings
        Never raises: an unusable value is named in ``ignored`` and replaced by its default.
    """
    params = parse_qs((query or "").lstrip("?"), keep_blank_values=True)

    def last(name: str) -> str | None:
        values = params.get(name)
        return values[-1] if values else None

    ignored: list[str] = []
    tour, refresh, order, lang = DEFAULT_TOUR_SECONDS, refresh_default, DEFAULT_ORDER, DEFAULT_LANG
    layers, layout = DEFAULT_LAYERS, DEFAULT_LAYOUT
    if (text := last("layout")) is not None:
        if text.strip().lower() in LAYOUTS:
            layout = text.strip().lower()
        else:
            ignored.append("layout")
    if (text := last("tour")) is not None:
        value = _int_in(text, *TOUR_RANGE)
        tour = value if value is not None else tour
        ignored += [] if value is not None else ["tour"]
    if (text := last("refresh")) is not None:
        value = _int_in(text, *REFRESH_RANGE)
        refresh = value if value is not None else refresh
        ignored += [] if value is not None else ["refresh"]
    if (text := last("order")) is not None:
        if text.strip().lower() in ORDERS:
            order = text.strip().lower()
        else:
            ignored.append("order")
    if (text := last("lang")) is not None:
        if text.strip().lower() in LANGUAGES:
            lang = text.strip().lower()
        else:
            ignored.append("lang")
    if (text := last("layers")) is not None:
        asked = [x.strip().lower() for x in text.split(",") if x.strip()]
        known = tuple(x for x in LAYERS if x in asked)
        if len(known) != len(set(asked)):
            ignored.append("layers")
        # "layers=" (empty) is a valid choice: the map with no overlay.
        layers = known if known or not asked else DEFAULT_LAYERS
    return WallSettings(tour, order, layers, refresh, lang, layout, tuple(ignored))


# -- time ---------------------------------------------------------------------------------
def day_start(now: datetime) -> datetime:
    """Return local midnight of ``now``'s day (aware, in :data:`LOCAL_TZ`)."""
    local = now.astimezone(LOCAL_TZ)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def week_start(now: datetime) -> datetime:
    """Return Monday 00:00 local of ``now``'s week."""
    start = day_start(now)
    return start - timedelta(days=start.weekday())


def refresh_key(now: datetime) -> str:
    """Return the local hour of ``now``: the heavy parts are recomputed when it changes.

    The data only changes with the store's version, but "today" and "the last 7 days" move
    with the clock; recomputing once an hour (and at midnight) keeps them right.
    """
    return now.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H")


# -- KPIs ---------------------------------------------------------------------------------
def _resolved_since(store: IncidentStore, start: datetime, within=None) -> int:
    t = store.table
    clauses = store.where_clauses(within=within)
    if clauses is None:
        return 0
    stmt = sa.select(sa.func.count()).select_from(t).where(t.c.resolved_at >= start, *clauses)
    with store.engine.connect() as conn:
        return int(conn.execute(stmt).scalar() or 0)


def wall_kpis(
    store: IncidentStore,
    now: datetime,
    population_share: float | None,
    within: list[tuple[int, str]] | None = None,
) -> dict:
    """Return the wall's KPIs, counting only the incidents ``within`` the wall's scope.

    Parameters
    ----------
    store : IncidentStore
        The incidents.
    now : datetime
        The current time (aware).
    population_share : float or None
        Share of the population within 5 minutes of a post (the coverage model's KPI).
    within : list of (level, grid id), optional
        The scope (the store's filter): None counts every incident, [] none.

    Returns
    -------
    dict
        ``today`` (reported since local midnight), ``week`` (since Monday), ``open``
        (reported or dispatched, whenever reported), ``resolved_today`` (resolved since
        local midnight, whenever reported), ``resolution_rate`` (share of this week's
        incidents resolved or closed; None without any), ``population_share``.
    """
    today, week = day_start(now), week_start(now)
    week_count = store.count(start=week, within=within)
    week_done = (
        store.count(start=week, statuses=list(DONE_STATUSES), within=within) if week_count else 0
    )
    return {
        "today": store.count(start=today, within=within),
        "week": week_count,
        "open": store.count(statuses=list(OPEN_STATUSES), within=within),
        "resolved_today": _resolved_since(store, today, within),
        "resolution_rate": week_done / week_count if week_count else None,
        "population_share": population_share,
    }


def format_kpis(kpis: Mapping[str, object]) -> dict[str, str]:
    """Return the KPIs as the texts shown on the tiles (``—`` when undefined)."""
    out: dict[str, str] = {}
    for key, value in kpis.items():
        if value is None:
            out[key] = "—"
        elif key in ("resolution_rate", "population_share"):
            out[key] = f"{float(value):.1%}"  # type: ignore[arg-type]
        else:
            out[key] = f"{int(value):,}"  # type: ignore[call-overload]
    return out


# -- ticker -------------------------------------------------------------------------------
TICKER_COLUMNS = (
    "id", "category", "status", "reported_at", "g2", "g3", "lon", "lat", "due_at", "escalation",
)  # fmt: skip


def ticker_rows(
    store: IncidentStore,
    lang: str,
    names: Mapping[str, str] | None = None,
    limit: int = TICKER_ROWS,
    now: datetime | None = None,
    within: list[tuple[int, str]] | None = None,
) -> list[dict]:
    """Return the newest incidents, newest first, as the ticker shows them.

    Parameters
    ----------
    store : IncidentStore
        The incidents.
    lang : str
        ``zh`` or ``en`` (category and status labels).
    names : mapping, optional
        Grid id to display name (village and township names); an id not in it shows as is.
    limit : int
        Rows.
    now : datetime, optional
        The current time: incidents of an earlier day show their date before the time.
    within : list of (level, grid id), optional
        The scope (the store's filter): None shows every incident, [] none.

    Returns
    -------
    list of dict
        ``id``, ``time`` (local ``HH:MM``, or ``MM-DD HH:MM`` before today when ``now`` is
        given), ``day`` (local ``MM-DD``), ``reported_at`` (ISO,
        UTC), ``village``, ``township``, ``category`` (label), ``category_id``, ``status``
        (label), ``status_id``, ``open`` (bool), ``lon``, ``lat``, ``overdue`` (past the
        running deadline at ``now``; False without ``now``), ``escalated`` (raised to the
        district, 督办).
    """
    names = names or {}
    today = day_start(now).date() if now is not None else None
    rows = store.query(limit=limit, columns=list(TICKER_COLUMNS), within=within)
    out = []
    for row in rows:
        local = row["reported_at"].astimezone(LOCAL_TZ)
        out.append(
            {
                "id": row["id"],
                "time": local.strftime(
                    "%H:%M" if today is None or local.date() == today else "%m-%d %H:%M"
                ),
                "day": local.strftime("%m-%d"),
                "reported_at": row["reported_at"].astimezone(UTC).isoformat(),
                "village": names.get(row["g3"], row["g3"]),
                "township": names.get(row["g2"], row["g2"]),
                # The district's own label (its categories.json), else the id.
                "category": store.categories.label(row["category"], lang),
                "category_id": row["category"],
                "status": status_label(row["status"], lang),
                "status_id": row["status"],
                "open": row["status"] in OPEN_STATUSES,
                "lon": row["lon"],
                "lat": row["lat"],
                "overdue": bool(now and row["due_at"] is not None and row["due_at"] < now),
                "escalated": bool(row["escalation"]),
            }
        )
    return out


def newest_village(store: IncidentStore, within=None) -> str | None:
    """Return the village (level-3 grid id) of the newest incident ``within`` scope, or None."""
    rows = store.query(limit=1, columns=["g3"], within=within)
    return rows[0]["g3"] if rows else None


# -- tour ---------------------------------------------------------------------------------
def grid_view(
    district: District,
    grid_id: str,
    size_px: tuple[int, int] = MAP_PX,
    max_zoom: float = MAX_TOUR_ZOOM,
) -> dict:
    """Return the view of one grid: ``id``, ``center`` [lon, lat], ``zoom``, ``zh``, ``en``.

    The zoom fits the grid in ``size_px``, but no closer than ``max_zoom`` (a small village
    fitted to the whole map would leave nothing around it to recognise). ``bounds``
    [west, south, east, north] and ``max_zoom`` let the browser fit the grid to the map's
    real size instead (a 4K wall, a panel of another shape).
    """
    box = district.bounds(grid_id)
    record = district.record(grid_id)
    return {
        "id": grid_id,
        "center": [round(box.center[0], 6), round(box.center[1], 6)],
        "zoom": min(fit_zoom(box, size_px), max_zoom),
        "bounds": [round(v, 6) for v in (box.west, box.south, box.east, box.north)],
        "max_zoom": max_zoom,
        "zh": name_of(record, "zh"),
        "en": name_of(record, "en"),
    }


def tour_views(district: District, size_px: tuple[int, int] = MAP_PX) -> dict:
    """Return the whole district's view and every township's, in file order.

    Returns
    -------
    dict
        ``district`` (a view as in :func:`grid_view`), ``townships`` (list of views) and
        ``size`` (the map size in pixels the zooms are fitted to).
    """
    return {
        "district": grid_view(district, district.root_id, size_px, max_zoom=MAX_HOME_ZOOM),
        "townships": [grid_view(district, g, size_px) for g in district.level_ids(2)],
        "size": list(size_px),
    }


def grid_names(district: District, lang: str, levels: tuple[int, ...] = (2, 3)) -> dict:
    """Return grid id -> display name in ``lang`` for the grids of ``levels``."""
    return {g: name_of(district.record(g), lang) for lv in levels for g in district.level_ids(lv)}
