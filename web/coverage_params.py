"""Query-string readers of the coverage API: numbers, post ids, points, choices, flags (400s)."""

from __future__ import annotations

import math

from flask import request

from gridmap.errors import GridmapError, ParameterError

#: Domain parameter names (``CoverageModel.coverage``, ``suggest_posts``...) -> query parameters.
QUERY_PARAMETER: dict[str, str] = {
    "minutes": "minutes",
    "speed_scale": "speed_scale",
    "extra_posts": "extra",
    "disabled_posts": "disabled",
    "k": "k",
    "weight": "weight",
    "movable": "movable",
    "method": "method",
    "time_limit": "time_limit",
    "share": "share",
    "profile": "profile",
}


def as_parameter_error(err: GridmapError, default: str) -> ParameterError:
    """Return the domain error as a ParameterError naming the query parameter (by attribute)."""
    return ParameterError(QUERY_PARAMETER.get(err.parameter or "", default), str(err))


def number(name: str, default: float, lo: float, hi: float, integer: bool = False) -> float:
    """Return query parameter ``name`` as a number in [lo, hi] (``default`` when absent)."""
    raw = request.args.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        kind = "an integer" if integer else "a number"
        raise ParameterError(name, f"must be {kind}, got {raw!r}") from None
    if not (math.isfinite(value) and lo <= value <= hi):
        raise ParameterError(name, f"must be between {lo:g} and {hi:g}, got {raw!r}")
    return value


def ids(name: str, known: set[str]) -> list[str]:
    """Return the comma-separated post ids of ``name``, each one of ``known``."""
    raw = request.args.get(name, "")
    ids = [p.strip() for p in raw.split(",") if p.strip()]
    unknown = [p for p in ids if p not in known]
    if unknown:
        raise ParameterError(name, f"unknown post id(s) {', '.join(unknown[:10])}")
    return ids


def points(name: str) -> list[tuple[float, float]]:
    """Return the ``lon,lat;lon,lat`` points of ``name``."""
    raw = request.args.get(name, "")
    out = []
    for part in (p for p in raw.split(";") if p.strip()):
        try:
            lon, lat = (float(v) for v in part.split(","))
        except ValueError:
            raise ParameterError(name, f"must be 'lon,lat;lon,lat...', got {part!r}") from None
        if not (
            math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90
        ):
            raise ParameterError(name, f"not a lon,lat pair: {part!r}")
        out.append((lon, lat))
    return out


def choice(name: str, default: str, allowed: tuple[str, ...]) -> str:
    """Return ``name``, one of ``allowed`` (``default`` when absent)."""
    raw = request.args.get(name) or default
    if raw not in allowed:
        raise ParameterError(name, f"must be one of {', '.join(allowed)}, got {raw!r}")
    return raw


def flag(name: str, default: bool) -> bool:
    """Return ``name`` as a boolean (1/0, true/false, yes/no, on/off)."""
    raw = request.args.get(name)
    if not raw:
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ParameterError(name, f"must be 1 or 0, got {raw!r}")
