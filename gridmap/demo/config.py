"""Settings of one demo build: grid counts per level, seed and number of police posts."""

from __future__ import annotations

from dataclasses import dataclass

#: Level-2 grids are fixed: the 19 real township-level units plus the 2 management zones.
N_TOWNSHIP_GRIDS = 21


@dataclass(frozen=True)
class DemoConfig:
    """Counts and seed of a demo build; the defaults are the figures of the news article.

    Parameters
    ----------
    n3, n4, n5 : int
        Number of village grids, level-4 grids and level-5 grids.
    n_posts : int
        Number of police posts (警务室).
    seed : int
        Seed of the ``numpy.random.default_rng`` generator.
    population : int
        Residents of the district (2020 census).
    urban_share : float
        Share of residents living in urban level-5 grids (2020 census).
    lloyd_iterations : int
        Relaxation steps applied to the level-5 seed points.
    """

    n2: int = N_TOWNSHIP_GRIDS
    n3: int = 484
    n4: int = 2073
    n5: int = 6438
    n_posts: int = 100
    seed: int = 20220826
    population: int = 1_022_322
    urban_share: float = 0.3323
    lloyd_iterations: int = 2

    def counts(self) -> dict[int, int]:
        """Return the expected number of grids per level."""
        return {1: 1, 2: self.n2, 3: self.n3, 4: self.n4, 5: self.n5}

    def validate(self) -> None:
        """Raise ``ValueError`` naming the first count that cannot be built."""
        if self.n2 != N_TOWNSHIP_GRIDS:
            raise ValueError(
                f"n2 must be {N_TOWNSHIP_GRIDS} (19 townships + 2 zones), got {self.n2}"
            )
        if not self.n2 <= self.n3 <= self.n4 <= self.n5:
            raise ValueError(
                "counts must not decrease from level to level "
                f"(n2={self.n2}, n3={self.n3}, n4={self.n4}, n5={self.n5})"
            )
        if self.n3 > 999 or self.n5 > 50_000:
            raise ValueError(f"counts too large for the demo (n3={self.n3}, n5={self.n5})")
        if not 0 <= self.n_posts <= self.n3:
            raise ValueError(f"n_posts must be between 0 and n3={self.n3}, got {self.n_posts}")
        if not 0.0 <= self.urban_share <= 1.0:
            raise ValueError(f"urban_share must be within [0, 1], got {self.urban_share}")
        if self.population < self.n5:
            raise ValueError(f"population {self.population} is smaller than n5={self.n5}")


#: The small configuration used by the tests (builds in a few seconds).
SMALL = DemoConfig(n3=40, n4=120, n5=300, n_posts=10, seed=7, lloyd_iterations=1)
