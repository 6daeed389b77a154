"""Police posts as map markers with hover details (clicks fall through to the grid below)."""

from __future__ import annotations

from gridmap.i18n import name_of, t


def posts_trace(posts: list[dict], lang: str, visible: bool = True) -> dict:
    """Return a Scattermap trace of ``posts`` (dicts with post_id, names, lon, lat, officers)."""
    hover = [
        f"<b>{name_of(p, lang)}</b><br>{t('hover-officers', lang)}: {p['officers']}"
        f" · {t('hover-ebikes', lang)}: {p['ebikes']}"
        for p in posts
    ]
    return {
        "type": "scattermap",
        "name": t("post-trace", lang),
        "mode": "markers",
        "lon": [p["lon"] for p in posts],
        "lat": [p["lat"] for p in posts],
        "customdata": [p["post_id"] for p in posts],
        "text": hover,
        "hovertemplate": "%{text}<extra></extra>",
        "marker": {"size": 9, "color": "#1f4e9c", "opacity": 0.95},
        "visible": visible,
        "showlegend": False,
    }
