"""Every component id, kebab-case and prefixed by area; repeated controls use dict ids."""

URL = "nav-url"
LANG_STORE = "app-lang-store"
LANG_TOGGLE = "app-lang-toggle"
DEMO_BADGE = "app-demo-badge"
DISTRICT_NAME = "app-district-name"
MAP_GRAPH = "map-graph"
MAP_CREDIT = "map-credit"
MAP_SIZE_STORE = "map-size-store"
VIEW_SELECT = "map-view-select"
METRIC_SELECT = "map-metric-select"
LAYER_CHECKLIST = "map-layer-checklist"
SEARCH_DROPDOWN = "nav-search-dropdown"
BREADCRUMB = "nav-breadcrumb"
UP_BUTTON = "nav-up-button"
DETAIL_PANEL = "detail-panel"
SCOPE_MESSAGE = "detail-scope-message"
UNKNOWN_GRID_NOTICE = "detail-unknown-grid"
USER_NAME = "app-user-name"
SIGN_OUT = "app-sign-out"


def crumb(grid_id: str) -> dict:
    """Return the id of the breadcrumb link leading to ``grid_id``."""
    return {"type": "nav-crumb", "index": grid_id}


def text(key: str) -> dict:
    """Return the id of a static text whose content is the translation of ``key``."""
    return {"type": "i18n-text", "index": key}


# Incidents
DATE_RANGE = "incident-date-range"
CATEGORY_SELECT = "incident-category-select"
STATUS_CHECKLIST = "incident-status-checklist"
PLAY_BUTTON = "incident-play-button"
STEP_RADIO = "incident-step-radio"
TIME_SLIDER = "incident-time-slider"
WINDOW_LABEL = "incident-window-label"
PLAY_INTERVAL = "incident-play-interval"
REFRESH_INTERVAL = "incident-refresh-interval"
PLAY_STORE = "incident-play-store"
FILTERS_STORE = "incident-filters-store"
VERSION_STORE = "incident-version-store"
STATS_PANEL = "stats-panel"
STATS_RANK = "stats-rank-select"
STATS_EXPORT = "stats-export-button"
STATS_DOWNLOAD = "stats-download"
INCIDENT_DETAIL = "incident-detail"


def stats_child(grid_id: str) -> dict:
    """Return the id of the ranking-table link that drills into ``grid_id``."""
    return {"type": "stats-child", "index": grid_id}


MAP_LEGEND = "map-legend"
#: The dispatch figures under the statistics (on-time closure, rework, times, overdue).
DISPATCH_STATS = "stats-dispatch"
#: Each level's geometry URLs, for the browser to fetch ahead (assets/map_prefetch.js).
GEO_PREFETCH = "geo-prefetch"
