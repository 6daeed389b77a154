"""Component ids of the command-centre wall (prefixed ``wall-``)."""

URL = "wall-url"
MAP = "wall-map"
SETTINGS_STORE = "wall-settings-store"
VIEWS_STORE = "wall-views-store"
NEWEST_STORE = "wall-newest-store"
VERSION_STORE = "wall-version-store"
LAST_OK_STORE = "wall-last-ok-store"
RECEIVED_STORE = "wall-received-store"
ERROR_STORE = "wall-error-store"
TOUR_STORE = "wall-tour-store"
REFRESH_INTERVAL = "wall-refresh-interval"
#: The refresh ticks let through to the server (none while a refresh waits for its answer).
REFRESH_GATE_STORE = "wall-refresh-gate-store"
TICK_INTERVAL = "wall-tick-interval"
TOUR_INTERVAL = "wall-tour-interval"
TITLE = "wall-title"
CLOCK = "wall-clock"
DATE = "wall-date"
FRESHNESS = "wall-freshness"
STALE_BANNER = "wall-stale-banner"
TICKER = "wall-ticker"
TOUR_CAPTION = "wall-tour-caption"
LEGEND = "wall-legend"
USER = "wall-user"
TREND = "wall-trend"
SPLIT = "wall-split"
RANKING = "wall-ranking"
RANKING_TITLE = "wall-ranking-title"
OVERDUE = "wall-overdue"
OVERDUE_COUNT = "wall-overdue-count"
COVERAGE = "wall-coverage-value"
#: The newest incidents' ids and places: the browser pulses those it has not seen yet.
FRESH_STORE = "wall-fresh-store"
#: How many pulses the browser started on the last answer (written by the browser).
PULSE_STORE = "wall-pulse-store"
#: The page's root (its class names the layout preset).
ROOT = "wall-root"
#: The panels around the map, in the order of the overview (each an html.Section).
PANELS = ("kpis", "trend", "split", "ranking", "duty", "overdue", "ticker", "coverage")
#: The 90th percentile beside the dispatch time tile's mean.
DISPATCH_P90 = "wall-kpi-dispatch-time-p90"
#: The staff on duty now (officers and grid members, from the duty roster).
DUTY = "wall-duty"
#: The full-screen notice of a wall that may no longer read (revoked link, ended session).
INVALID = "wall-invalid"

#: KPI tiles, in display order: (KPI name in gridmap.views.wall.wall_kpis, translation key).
KPIS = (
    ("today", "wall-kpi-today"),
    ("week", "wall-kpi-week"),
    ("open", "wall-kpi-open"),
    ("overdue", "wall-kpi-overdue"),
    ("resolved_today", "wall-kpi-resolved-today"),
    ("on_time_rate", "wall-kpi-on-time-rate"),
    ("dispatch_time", "wall-kpi-dispatch-time"),
)


def kpi_value(name: str) -> str:
    """Return the id of the value of the KPI tile ``name``."""
    return f"wall-kpi-{name.replace('_', '-')}-value"


def kpi_change(name: str) -> str:
    """Return the id of the change line (vs yesterday or last week) of the KPI tile ``name``."""
    return f"wall-kpi-{name.replace('_', '-')}-change"


def panel(name: str) -> str:
    """Return the id of the panel ``name`` of :data:`PANELS`."""
    return f"wall-panel-{name}"


def kpi_tile(name: str) -> str:
    """Return the id of the KPI tile ``name``."""
    return f"wall-kpi-{name.replace('_', '-')}"


def text(key: str) -> dict:
    """Return the id of a static text whose content is the translation of ``key``."""
    return {"type": "wall-i18n", "index": key}
