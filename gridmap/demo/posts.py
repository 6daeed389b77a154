"""Place police posts (警务室) as a planner might: township seats, town seat, big villages."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PostSite:
    """A chosen post: the village it serves, where it stands (metres) and its equipment."""

    village: int
    x: float
    y: float
    ebikes: int
    seat_of: str | None  # township code when it is the township-seat post


def choose_sites(
    n_posts: int,
    seat_villages: list[tuple[str, int, int, tuple[float, float]]],
    village_pop: np.ndarray,
    village_urban: np.ndarray,
    village_site: np.ndarray,
    n_town_seat: int = 9,
    rural_spacing: float = 2500.0,
) -> list[PostSite]:
    """Choose ``n_posts`` sites.

    Parameters
    ----------
    n_posts : int
        Number of posts.
    seat_villages : list of (township code, village index, township population, seat point)
        The village holding each township seat and the dry-land point of the seat.
    village_pop : ndarray
        Residents of each village.
    village_urban : ndarray of bool
        Whether a village is urban (community or zone).
    village_site : ndarray, shape (n, 2)
        Where a post of each village would stand (a dry-land point of its centre cell).
    n_town_seat : int
        Extra posts in urban communities after the township seats.
    rural_spacing : float
        Minimum distance between a village post and any other post; it shrinks when the
        villages run out, so a few remote corners stay farther than five minutes.
    """
    sites: list[PostSite] = []
    taken: set[int] = set()

    def far_enough(v: int, spacing: float) -> bool:
        if not sites:
            return True
        xy = np.array([(s.x, s.y) for s in sites])
        return bool(np.hypot(*(xy - village_site[v]).T).min() >= spacing)

    def add(v: int, ebikes: int, seat_of: str | None = None, xy=None) -> None:
        x, y = village_site[v] if xy is None else xy
        taken.add(v)
        sites.append(PostSite(v, float(x), float(y), ebikes, seat_of))

    seats = sorted(seat_villages, key=lambda t: (-t[2], t[0]))[:n_posts]
    for code, v, _, xy in sorted(seats):
        if v not in taken:
            add(v, 1, code, xy)
    by_pop = sorted(range(len(village_pop)), key=lambda v: (-int(village_pop[v]), v))
    urban = [v for v in by_pop if village_urban[v]]
    extra = 0
    for v in urban:
        if len(sites) >= n_posts or extra >= n_town_seat:
            break
        if v not in taken and far_enough(v, 600.0):
            add(v, 2 if extra < 4 else 1)
            extra += 1
    spacing = rural_spacing
    while len(sites) < n_posts:
        for v in by_pop:
            if len(sites) >= n_posts:
                break
            if v not in taken and far_enough(v, spacing):
                add(v, 1)
        spacing *= 0.8
    return sites
