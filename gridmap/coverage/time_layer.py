"""The response-time map layer: one polygon per time class (the union of its raster cells)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import shapely

from gridmap.coverage.times import CLASS_BOUNDS_MIN, time_class

#: One colour per class, from quick (green) to slow (red): ColorBrewer RdYlGn, 5 classes.
CLASS_COLOURS: tuple[str, ...] = ("#1a9641", "#a6d96a", "#ffffbf", "#fdae61", "#d7191c")


def class_labels(bounds: tuple[float, ...] = CLASS_BOUNDS_MIN) -> list[str]:
    """Return the class labels in minutes: ``≤2``, ``2–5``, ..., ``>12``."""
    b = [f"{x:g}" for x in bounds]
    return [f"≤{b[0]}"] + [f"{lo}–{hi}" for lo, hi in zip(b, b[1:], strict=False)] + [f">{b[-1]}"]


def time_layer(model: Any, cell_seconds: np.ndarray) -> dict:
    """Return a FeatureCollection (EPSG:4326): one feature a time class, ``id`` its number.

    Each feature is the union of the raster cells of its class, clipped to the district and
    simplified by a quarter cell; cells no post reaches fall in the last class. ``properties``
    hold ``cls``, ``label`` (minutes) and ``area_km2``.
    """
    cls = time_class(cell_seconds)
    raster = model.raster
    tolerance = max(model.settings.simplify_m, raster.cell_m / 4)
    labels = class_labels()
    features = []
    for k, label in enumerate(labels):
        mask = cls == k
        if not mask.any():
            continue
        geom = shapely.intersection(shapely.simplify(raster.union(mask), tolerance), model.outline)
        features.append(
            {
                "type": "Feature",
                "id": str(k),
                "properties": {"cls": k, "label": label, "area_km2": round(geom.area / 1e6, 3)},
                "geometry": json.loads(shapely.to_geojson(model.to_wgs84(geom))),
            }
        )
    return {"type": "FeatureCollection", "features": features}
