"""Compressed file answers without leaking their files.

flask-compress (bound by Dash's ``compress=True``) reads a file answer's body and replaces it
with the compressed bytes, but never closes the file it read: every script and style sent left
an open file behind. Read such bodies here first, close the file, and hand flask-compress plain
bytes. Large answers that only change with a key are compressed once (:func:`compressed_once`).
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import Flask, Response, current_app, request


def close_file_bodies(server: Flask) -> None:
    """Make file answers (``send_file``) plain bytes before they are compressed.

    Flask runs ``after_request`` functions last-registered first: call this after the Dash app
    that binds flask-compress has been made, so it runs before the compression.
    """

    @server.after_request
    def _buffer(response: Response) -> Response:
        accepted = request.headers.get("Accept-Encoding", "").lower()
        if not response.direct_passthrough or "gzip" not in accepted:
            return response
        body = response.response
        response.direct_passthrough = False
        data = response.get_data()
        close = getattr(body, "close", None)
        if close is not None:
            close()
        response.set_data(data)
        return response


try:  # zstd: what current browsers and HTTP clients ask for first (Python 3.14, else backport)
    from compression import zstd as _zstd
except ImportError:  # pragma: no cover - depends on the Python version
    try:
        from backports import zstd as _zstd
    except ImportError:
        _zstd = None

#: Compressed bodies kept per app (each a few hundred kB): a handful of queries' answers.
KEPT_BODIES = 32
_BODIES = "gridmap_compressed_bodies"


def _encoding(accepted: str) -> str | None:
    """Return the encoding of an answer for ``Accept-Encoding`` (zstd, gzip or None)."""
    offered: dict[str, float] = {}
    for part in accepted.lower().split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 1.0
        offered[name.strip()] = quality
    for name in ("zstd", "gzip"):
        if name == "zstd" and _zstd is None:
            continue
        if offered.get(name, offered.get("*", 0.0)) > 0:
            return name
    return None


def _compress(data: bytes, encoding: str) -> bytes:
    if encoding == "zstd":
        return _zstd.compress(data, 3)
    return gzip.compress(data, 6, mtime=0)


def compressed_once(key: str, make_text: Callable[[], str], mimetype: str) -> Response:
    """Return the answer ``make_text()`` compressed, compressing each key's text only once.

    A large answer that only changes with its key (a coverage answer holds about 1.6 MB of
    polygons; its key holds the incident version) was compressed again on every request:
    the compressed bytes are kept here per app, worker and encoding (the last
    :data:`KEPT_BODIES`), so a repeated query costs no compression and no cache read.
    ``make_text`` runs only when the key is new here; what it raises is not kept.
    """
    encoding = _encoding(request.headers.get("Accept-Encoding", ""))
    if encoding is None:
        return current_app.response_class(make_text(), mimetype=mimetype)
    bodies: OrderedDict = current_app.extensions.setdefault(_BODIES, OrderedDict())
    lock = current_app.extensions.setdefault(_BODIES + "_lock", threading.Lock())
    slot = (key, encoding)
    with lock:
        data = bodies.get(slot)
        if data is not None:
            bodies.move_to_end(slot)
    if data is None:
        data = _compress(make_text().encode(), encoding)
        with lock:
            bodies[slot] = data
            while len(bodies) > KEPT_BODIES:
                bodies.popitem(last=False)
    response = current_app.response_class(data, mimetype=mimetype)
    response.headers["Content-Encoding"] = encoding
    response.headers["Vary"] = "Accept-Encoding"
    return response
