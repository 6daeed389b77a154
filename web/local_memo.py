"""Memos in the worker's own memory, per app: values costly to send through the shared cache.

flask-caching (Redis across workers) costs four round trips and a pickle per miss, and a copy per
hit: for a map view or a grid summary that is most of the work, and a coverage answer (1.6 MB)
or its figures (a 9,000-row table) are written again after every new incident. These memos keep
the value in the worker, bounded (least recently used first out), one table per app so that two
apps never meet. Every argument that decides the value must be in the key (the incident
version where incidents play a part); what the function raises is not kept. Values are shared
between requests: callers must not change them.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

EXTENSION = "gridmap_local_memo"


def local_memo(maxsize: int) -> Callable:
    """Decorate a function of hashable arguments: keep its last ``maxsize`` values per app."""

    def decorate(function: Callable) -> Callable:
        name = f"{function.__module__}.{function.__qualname__}"

        @functools.wraps(function)
        def memoized(*args: Any, **kwargs: Any) -> Any:
            tables = current_app.extensions.setdefault(EXTENSION, {})
            table, lock = tables.setdefault(name, (OrderedDict(), threading.Lock()))
            key = (args, tuple(sorted(kwargs.items())))
            with lock:
                if key in table:
                    table.move_to_end(key)
                    return table[key]
            value = function(*args, **kwargs)
            with lock:
                table[key] = value
                while len(table) > maxsize:
                    table.popitem(last=False)
            return value

        memoized.uncached = function
        return memoized

    return decorate


def clear_local_memos(app: Flask) -> None:
    """Forget every local memo of ``app`` (benchmarks measuring a cold call)."""
    app.extensions.pop(EXTENSION, None)
