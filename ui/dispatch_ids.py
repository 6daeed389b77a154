"""Component ids of the dispatch workbench (``/dispatch/``), kebab-case, prefixed ``dispatch-``."""

from __future__ import annotations

URL = "dispatch-url"
LANG_STORE = "dispatch-lang-store"
LANG_TOGGLE = "dispatch-lang-toggle"
VERSION_STORE = "dispatch-version-store"
REFRESH_INTERVAL = "dispatch-refresh-interval"
QUEUE_STORE = "dispatch-queue-store"
COUNTS_STORE = "dispatch-counts-store"
SEEN_STORE = "dispatch-seen-store"
SOUND_STORE = "dispatch-sound-store"
SOUND_TOGGLE = "dispatch-sound-toggle"
SOUND_PLAYED = "dispatch-sound-played"
BADGE = "dispatch-badge"
DISTRICT_NAME = "dispatch-district-name"
GRID_FILTER = "dispatch-grid-filter"
CATEGORY_FILTER = "dispatch-category-filter"
UNIT_FILTER = "dispatch-unit-filter"
AGE_FILTER = "dispatch-age-filter"
TABLE = "dispatch-table"
BULK_UNIT = "dispatch-bulk-unit"
BULK_BUTTON = "dispatch-bulk-button"
BULK_MESSAGE = "dispatch-bulk-message"
SELECTED_STORE = "dispatch-selected-store"
DETAIL = "dispatch-detail"
DETAIL_STATE = "dispatch-detail-state"
DETAIL_MAP = "dispatch-detail-map"
ACTION_UNIT = "dispatch-action-unit"
ACTION_NOTE = "dispatch-action-note"
ACTION_MESSAGE = "dispatch-action-message"
TIMELINE = "dispatch-timeline"
ACTION_BUTTONS = "dispatch-action-buttons"
ACTION_BOX = "dispatch-action-box"
USER_UNIT = "dispatch-user-unit"
UNIT_HINT = "dispatch-unit-hint"
BULK = "dispatch-bulk"
#: Every dropdown of the page (their labels follow the language).
DROPDOWNS = (GRID_FILTER, CATEGORY_FILTER, UNIT_FILTER, AGE_FILTER, BULK_UNIT, ACTION_UNIT)

#: The queues, in the order of their tabs (the store's queue names).
QUEUES = ("register", "dispatch", "verify", "overdue", "due_soon", "escalated", "mine")
#: The queues a unit's staff sees (its own work first; registering and dispatching are not its).
UNIT_QUEUES = ("mine", "verify", "overdue", "due_soon", "escalated")


def queue(name: str) -> dict:
    """Return the id of the tab of the queue ``name``."""
    return {"type": "dispatch-queue", "index": name}


def queue_count(name: str) -> dict:
    """Return the id of the live count on the tab of the queue ``name``."""
    return {"type": "dispatch-queue-count", "index": name}


def open_case(incident_id: str) -> dict:
    """Return the id of the table row's button that opens ``incident_id``."""
    return {"type": "dispatch-open", "index": incident_id}


def pick(incident_id: str) -> dict:
    """Return the id of the table row's check box that picks ``incident_id`` for bulk dispatch."""
    return {"type": "dispatch-pick", "index": incident_id}


def act(action: str) -> dict:
    """Return the id of the detail panel's button of ``action``."""
    return {"type": "dispatch-act", "index": action}
