"""Find grids by Chinese name, pinyin (full or initials), English name, code or id."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gridmap.grids.district import District

_NON_WORD = re.compile(r"[\s'\-_.·]+")


def normalise(text: str) -> str:
    """Lower-case ``text`` and drop spaces and punctuation, so 'Liu Hu' matches 'liuhu'."""
    return _NON_WORD.sub("", str(text)).lower()


@dataclass(frozen=True)
class _Entry:
    grid_id: str
    level: int
    keys: tuple[str, ...]
    exact: tuple[str, ...]


class GridSearch:
    """An in-memory index over every grid's names and codes."""

    def __init__(self, district: District):
        entries = []
        for gid in district.grids.index:
            rec = district.record(gid)
            pinyin = rec["pinyin"] or ""
            initials = "".join(w[0] for w in pinyin.split() if w)
            keys = tuple(
                k
                for k in (
                    normalise(rec["name_zh"]),
                    normalise(rec["name_en"]),
                    normalise(pinyin),
                    normalise(initials),
                )
                if k
            )
            exact = tuple({normalise(gid), normalise(rec["code"] or gid)})
            entries.append(_Entry(str(gid), rec["level"], keys, exact))
        self._entries = entries

    def find(self, query: str, limit: int = 20) -> list[str]:
        """Return up to ``limit`` grid ids matching ``query``, best first.

        Exact id or code first, then names starting with the query, then names containing it;
        higher levels (townships before villages) and shorter names first within each rank.
        """
        q = normalise(query)
        if not q:
            return []
        ranked: list[tuple[int, int, int, str]] = []
        for e in self._entries:
            if q in e.exact:
                rank = 0
            elif any(k.startswith(q) for k in e.keys):
                rank = 1
            elif any(q in k for k in e.keys) or any(x.startswith(q) for x in e.exact):
                rank = 2
            else:
                continue
            ranked.append((rank, e.level, min(len(k) for k in e.keys), e.grid_id))
        ranked.sort()
        return [r[3] for r in ranked[:limit]]
