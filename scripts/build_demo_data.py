"""Build the Huaiyang demo data folder: python scripts/build_demo_data.py [--out data/geo]."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from gridmap.demo import DemoConfig, build_demo, write_demo  # noqa: E402
from gridmap.demo.readme import readme_text  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Build the demo data and print a short summary."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "geo", help="target folder")
    parser.add_argument("--seed", type=int, default=DemoConfig().seed, help="random seed")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    data = build_demo(DemoConfig(seed=args.seed))
    paths = write_demo(data, args.out, readme_text(data))
    g = data.grids
    top = g[g["level"] == 1].iloc[0]
    counts = g.groupby("level").size().to_dict()
    print(f"grids per level: {counts}")
    print(
        f"population {top['population']:,}, urban {top['pop_urban'] / top['population']:.2%}, "
        f"staff {top['staff']:,}"
    )
    print(f"posts {len(data.posts)}, road segments {len(data.roads):,}")
    for p in paths:
        print(f"  {p} ({p.stat().st_size / 1e6:.2f} MB)")
    print(f"built in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
