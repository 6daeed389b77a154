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
#: The full-screen notice of a wall that may no longer read (revoked link, ended session).
INVALID = "wall-invalid"

#: KPI tiles, in display order: (KPI name in gridmap.views.wall.wall_kpis, translation key).
KPIS = (
    ("today", "wall-kpi-today"),
    ("week", "wall-kpi-week"),
    ("open", "wall-kpi-open"),
    ("resolved_today", "wall-kpi-resolved-today"),
    ("resolution_rate", "wall-kpi-resolution-rate"),
    ("population_share", "wall-kpi-population-share"),
)


def kpi_value(name: str) -> str:
    """Return the id of the value of the KPI tile ``name``."""
    return f"wall-kpi-{name.replace('_', '-')}-value"


def kpi_tile(name: str) -> str:
    """Return the id of the KPI tile ``name``."""
    return f"wall-kpi-{name.replace('_', '-')}"


def text(key: str) -> dict:
    """Return the id of a static text whose content is the translation of ``key``."""
    return {"type": "wall-i18n", "index": key}
