"""The demo's duty roster (``duty.json``): synthetic, deterministic, labelled so.

From the news article: 100 police rooms, each with a full-time auxiliary police officer on an
electric bicycle (the posts' ``officers`` column), and grid members in every level-5 grid (the
grids' ``staff`` column). The shifts are made up: the article gives no hours. Officers work
08:00-20:00 six days a week, their rest day rotating from post to post; grid members work
office hours on weekdays (08:30-12:00, 14:30-18:00), and one grid in four keeps a member on
duty on Saturday or on Sunday (09:00-17:00). No random numbers: the same grids and posts give
the same file.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd

from gridmap.duty.roster import DAYS, DUTY_FILE

SOURCE = (
    "Synthetic demo roster (scripts/build_demo_data.py, gridmap/demo/duty.py): the staff counts "
    "follow the demo's posts (1 auxiliary officer per police room, as in the news article) and "
    "level-5 grids (grid members); every shift is made up."
)


def _shifts() -> dict[str, dict]:
    week = list(DAYS)
    out: dict[str, dict] = {}
    for rest in DAYS:
        out[f"officer-rest-{rest}"] = {
            "days": [d for d in week if d != rest], "start": "08:00", "end": "20:00"
        }  # fmt: skip
    out["grid-weekday-am"] = {"days": week[:5], "start": "08:30", "end": "12:00"}
    out["grid-weekday-pm"] = {"days": week[:5], "start": "14:30", "end": "18:00"}
    out["grid-saturday"] = {"days": ["sat"], "start": "09:00", "end": "17:00"}
    out["grid-sunday"] = {"days": ["sun"], "start": "09:00", "end": "17:00"}
    return out


def build_roster(grids: gpd.GeoDataFrame, posts: gpd.GeoDataFrame | None) -> dict:
    """Return the demo roster (the JSON of ``duty.json``) for the demo's grids and posts.

    Parameters
    ----------
    grids : GeoDataFrame
        The demo grids (``grid_id``, ``level``, ``staff``).
    posts : GeoDataFrame or None
        The demo posts (``post_id``, ``grid_id``, ``officers``).
    """
    teams: list[dict] = []
    if posts is not None:
        for k, post in enumerate(posts.sort_values("post_id").itertuples()):
            teams.append(
                {"post": str(post.post_id), "grid": str(post.grid_id), "role": "officer",
                 "count": int(post.officers), "shifts": [f"officer-rest-{DAYS[k % 7]}"]}
            )  # fmt: skip
    level5 = grids[grids["level"] == 5].sort_values("grid_id")
    for k, grid in enumerate(level5.itertuples()):
        if int(grid.staff) <= 0:
            continue
        shifts = ["grid-weekday-am", "grid-weekday-pm"]
        if k % 4 == 0:
            shifts.append("grid-saturday")
        elif k % 4 == 2:
            shifts.append("grid-sunday")
        teams.append({"grid": str(grid.grid_id), "role": "grid_member",
                      "count": int(grid.staff), "shifts": shifts})  # fmt: skip
    return {"synthetic": True, "source": SOURCE, "shifts": _shifts(), "teams": teams}


def roster_text(roster: dict) -> str:
    """Return the roster as written: one shift and one team per line (diff-friendly)."""

    def one(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    shifts = ",\n    ".join(f"{one(k)}: {one(v)}" for k, v in roster["shifts"].items())
    teams = ",\n    ".join(one(t) for t in roster["teams"])
    return (
        f'{{\n  "synthetic": {one(roster["synthetic"])},\n  "source": {one(roster["source"])},\n'
        f'  "shifts": {{\n    {shifts}\n  }},\n  "teams": [\n    {teams}\n  ]\n}}\n'
    )


def write_roster(grids: gpd.GeoDataFrame, posts: gpd.GeoDataFrame | None, out: Path) -> Path:
    """Write the demo roster to ``out/duty.json`` and return its path."""
    path = Path(out) / DUTY_FILE
    path.write_text(roster_text(build_roster(grids, posts)), encoding="utf-8")
    return path
