"""The rules of one wall refresh: its language, its state, its texts, and when it is stale."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

import sqlalchemy as sa

from gridmap.errors import StoreError
from gridmap.grids.wording import whole_name
from gridmap.i18n import t
from gridmap.views.wall import DEFAULT_LANG, HEAT_DAYS, refresh_key

#: Errors of the database (or its file system) that make the wall stale instead of crashing.
DATABASE_ERRORS = (sa.exc.SQLAlchemyError, OSError, StoreError)

#: Texts the browser needs (clock, freshness, banner, tour caption), sent with the settings.
CLIENT_TEXTS = (
    "wall-updated",
    "wall-updated-min",
    "wall-updated-never",
    "wall-stale",
    "wall-stale-db",
    "wall-tour-district",
    "wall-tour-newest",
    "wall-link-invalid",
    "wall-signed-out",
)

#: The languages of the wall's texts.
WALL_LANGS = ("zh", "en")


def is_database_unavailable(error: BaseException) -> bool:
    """Return whether ``error`` means the incident database cannot be read right now.

    Parameters
    ----------
    error : BaseException
        What a refresh raised.

    Returns
    -------
    bool
        True for SQLAlchemy, operating-system and store errors: the wall shows itself stale.
    """
    return isinstance(error, DATABASE_ERRORS)


def stale_state(at_ms: int) -> dict:
    """Return the error store's value for a refresh that failed on the database at ``at_ms``."""
    return {"at": at_ms, "kind": "database"}


def epoch_ms(now: datetime) -> int:
    """Return ``now`` (aware) in milliseconds since the epoch, as the browser counts time."""
    return int(now.timestamp() * 1000)


def refresh_lang(settings: Mapping | None) -> str:
    """Return the language of the wall settings ``settings`` (the default for none or unknown)."""
    lang = (settings or {}).get("lang", DEFAULT_LANG)
    return lang if lang in WALL_LANGS else DEFAULT_LANG


def refresh_state(version: int, now: datetime, lang: str, scope: str = "*") -> dict:
    """Return what the page keeps of a refresh: equal states need no new figures.

    ``scope`` is the reader's scope key (:meth:`Scope.key`): another reader on the same page
    (a person signing in where a kiosk link was) gets its own figures.
    """
    return {"version": version, "key": refresh_key(now), "lang": lang, "scope": scope}


def finite_or_none(value):
    """Return ``value``, or None for a float that is not finite (JSON has no NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def client_texts(lang: str, meta: Mapping | None = None) -> dict[str, str]:
    """Return the texts of :data:`CLIENT_TEXTS` in ``lang``, for the browser's clock and tour.

    The tour's "whole district" caption follows the district's own word (``district.json``:
    ``whole_name`` or its level-1 name, e.g. 全县 for a county).
    """
    texts = {key: t(key, lang) for key in CLIENT_TEXTS}
    if meta:
        texts["wall-tour-district"] = whole_name(meta, lang)
    return texts


def page_texts(keys: Iterable[str], lang: str) -> list[str]:
    """Return the translated texts of the wall's ``keys`` (legend texts name the heat days)."""
    return [
        t(key, lang, days=HEAT_DAYS) if key.startswith("wall-legend") else t(key, lang)
        for key in keys
    ]


def heat_start(now: datetime) -> datetime:
    """Return the start of the heat map's window: :data:`HEAT_DAYS` days before ``now``."""
    return now - timedelta(days=HEAT_DAYS)
