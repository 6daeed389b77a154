"""Find grids by Chinese name, pinyin (full or initials), English name, code or id."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gridmap.access.roles import Scope
from gridmap.grids.district import District
from gridmap.i18n import name_of, t

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
    chain: tuple[str, ...]


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
            chain = tuple(district.chain(gid))
            entries.append(_Entry(str(gid), rec["level"], keys, exact, chain))
        self._entries = entries

    def find(self, query: str, limit: int = 20, scope: Scope | None = None) -> list[str]:
        """Return up to ``limit`` grid ids matching ``query``, best first.

        Exact id or code first, then names starting with the query, then names containing it;
        higher levels (townships before villages) and shorter names first within each rank.
        Only grids inside ``scope`` are found (None: the whole district).
        """
        q = normalise(query)
        if not q:
            return []
        ranked: list[tuple[int, int, int, str]] = []
        for e in self._entries:
            if scope is not None and not scope.contains(e.chain):
                continue
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


def option_label(district: District, grid_id: str, lang: str) -> str:
    """Return the search list's label of a grid: its name, its level and its parent's name.

    Parameters
    ----------
    district : District
        The loaded district.
    grid_id : str
        A grid of ``district``.
    lang : str
        ``zh`` or ``en``.

    Returns
    -------
    str
        For example ``Lizhuang Village 11 (Village · Dong Town 1)``.
    """
    rec = district.record(grid_id)
    parent = district.parent(grid_id)
    where = f" · {name_of(district.record(parent), lang)}" if parent else ""
    level = t("level-" + str(rec["level"]), lang)
    return f"{name_of(rec, lang)} ({level}{where})"


def option_search(district: District, grid_id: str, query: str = "") -> str:
    """Return the text the browser's dropdown matches typing against, for one option.

    The dropdown filters the server's options again, against their label (a Chinese name in
    the Chinese page): this text gives it the pinyin (spaced, joined and initials), the
    English and Chinese names, the id and code, and the query itself, so no found grid is
    dropped in the browser.
    """
    rec = district.record(grid_id)
    pinyin = str(rec["pinyin"] or "")
    initials = "".join(w[0] for w in pinyin.split() if w)
    parts = [query, pinyin, pinyin.replace(" ", ""), initials, rec["name_en"], rec["name_zh"]]
    parts += [grid_id, rec["code"]]
    return " ".join(str(p) for p in parts if p)


def suggestions(
    index: GridSearch,
    district: District,
    query: str,
    chosen: str | None,
    lang: str,
    scope: Scope | None = None,
) -> list[dict]:
    """Return the search list's options for ``query``; the ``chosen`` grid stays listed first.

    Parameters
    ----------
    index : GridSearch
        The district's search index.
    district : District
        The loaded district.
    query : str
        What the user typed (not empty).
    chosen : str or None
        The grid already chosen in the list, kept so the list still shows it.
    lang : str
        ``zh`` or ``en``.
    scope : Scope, optional
        The reader's grids: nothing outside them is listed (None: the whole district).

    Returns
    -------
    list of dict
        ``{"label": ..., "value": grid_id, "search": ...}``, best match first (``search``:
        :func:`option_search`).
    """
    found = index.find(query, scope=scope)
    inside = chosen in district and (scope is None or scope.contains(district.chain(chosen)))
    if inside and chosen not in found:
        found = [chosen, *found]
    return [
        {
            "label": option_label(district, g, lang),
            "value": g,
            "search": option_search(district, g, query),
        }
        for g in found
    ]
