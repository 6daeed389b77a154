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


def png_bytes(rgba: np.ndarray) -> bytes:
    """Encode an (h, w, 4) uint8 array as a PNG (zlib, no filter), without an imaging library."""
    import struct
    import zlib

    h, w, _ = rgba.shape
    raw = np.concatenate([np.zeros((h, 1), dtype=np.uint8), rgba.reshape(h, w * 4)], axis=1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw.tobytes(), 6))
        + chunk(b"IEND", b"")
    )


def time_image(model: Any, cell_seconds: np.ndarray, alpha: int = 170) -> bytes:
    """Return the time classes as a PNG: one pixel a raster cell, north up, outside transparent.

    Drawing the raster as an image is instant where the class polygons (:func:`time_layer`)
    take seconds on a whole district; :func:`image_corners` places it on the map.
    """
    r = model.raster
    colours = np.array(
        [[int(c[i : i + 2], 16) for i in (1, 3, 5)] + [alpha] for c in CLASS_COLOURS],
        dtype=np.uint8,
    )
    img = np.zeros((r.ny, r.nx, 4), dtype=np.uint8)
    img[r.ny - 1 - r.j, r.i] = colours[time_class(cell_seconds)]
    return png_bytes(img)


def image_corners(model: Any) -> list[list[float]]:
    """Return the raster's corners as (lon, lat): top left, top right, bottom right, bottom left."""
    r = model.raster
    x1, y1 = r.x0 + r.nx * r.cell_m, r.y0 + r.ny * r.cell_m
    xs = np.array([r.x0, x1, x1, r.x0])
    ys = np.array([y1, y1, r.y0, r.y0])
    lon, lat = model._to_wgs.transform(xs, ys)
    return [[round(float(a), 6), round(float(b), 6)] for a, b in zip(lon, lat, strict=True)]
