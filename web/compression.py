"""Compressed file answers without leaking their files.

flask-compress (bound by Dash's ``compress=True``) reads a file answer's body and replaces it
with the compressed bytes, but never closes the file it read: every script and style sent left
an open file behind. Read such bodies here first, close the file, and hand flask-compress plain
bytes. Large answers that only change with a key are compressed once (:func:`compressed_once`).
"""

from __future__ import annotations

import gzip
import re
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


#: The answer to a file whose URL names its version: it never changes, browsers keep it a year
#: and a reload asks nothing again.
IMMUTABLE = "public, max-age=31536000, immutable"
#: Dash's component suites name their version in the file name (``name.v4_4_1m1796309049.js``).
_SUITE_VERSION = re.compile(r"/_dash-component-suites/.+\.v[0-9a-z_]+m[0-9]+\.")
#: Compressed fingerprinted files kept per app: every script and style of the four pages.
KEPT_FILES = 96
_FILES = "gridmap_compressed_files"
#: Text files worth compressing (images and sounds are compressed already or small).
_COMPRESSED_TYPES = frozenset(
    {"application/javascript", "text/javascript", "text/css", "application/json", "text/plain"}
)


def _fingerprinted() -> bool:
    """Whether the request asks for a file whose URL holds its version.

    Dash names a page's assets ``/assets/name?m=<modified time>`` and its component suites by
    their release and time; an unversioned URL of the same file keeps the default (revalidated).
    """
    if request.method not in ("GET", "HEAD"):
        return False
    if _SUITE_VERSION.search(request.path):
        return True
    return "/assets/" in request.path and bool(request.args.get("m"))


def cache_fingerprinted_files(server: Flask) -> None:
    """Keep versioned scripts and styles for a year, and compress each of them only once.

    Register before :func:`close_file_bodies` (so it runs after it, on the file already read):
    the compressed bytes are kept per app, file version and encoding (zstd or gzip), so the
    3 MB Plotly bundle is not compressed again for every new visitor; flask-compress leaves an
    answer that already has its encoding.
    """

    @server.after_request
    def _files(response: Response) -> Response:
        if response.status_code not in (200, 304) or not _fingerprinted():
            return response
        response.headers["Cache-Control"] = IMMUTABLE
        encoding = _encoding(request.headers.get("Accept-Encoding", ""))
        if (
            response.status_code != 200
            or encoding is None
            or response.direct_passthrough  # not read into memory (no gzip asked): left as is
            or "Content-Encoding" in response.headers
            or response.mimetype not in _COMPRESSED_TYPES
        ):
            return response
        slot = (request.full_path, encoding)
        data = _kept(_FILES, KEPT_FILES, slot, lambda: _compress(response.get_data(), encoding))
        response.set_data(data)
        response.headers["Content-Encoding"] = encoding
        vary = response.headers.get("Vary", "")
        if "accept-encoding" not in vary.lower():
            response.headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"
        etag, weak = response.get_etag()
        if etag and not weak:
            # The file's ETag with its encoding (as flask-compress names it); a browser asking
            # again with it gets a 304.
            response.set_etag(f"{etag}:{encoding}")
            response.make_conditional(request.environ)
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


def _kept(store: str, limit: int, slot: tuple, make: Callable[[], bytes]) -> bytes:
    """Return the bytes kept for ``slot`` in the app's ``store``, made by ``make()`` when new.

    A store keeps its last ``limit`` slots; what ``make`` raises is not kept.
    """
    kept: OrderedDict = current_app.extensions.setdefault(store, OrderedDict())
    lock = current_app.extensions.setdefault(store + "_lock", threading.Lock())
    with lock:
        data = kept.get(slot)
        if data is not None:
            kept.move_to_end(slot)
            return data
    data = make()
    with lock:
        kept[slot] = data
        while len(kept) > limit:
            kept.popitem(last=False)
    return data


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
    data = _kept(
        _BODIES, KEPT_BODIES, (key, encoding), lambda: _compress(make_text().encode(), encoding)
    )
    response = current_app.response_class(data, mimetype=mimetype)
    response.headers["Content-Encoding"] = encoding
    response.headers["Vary"] = "Accept-Encoding"
    return response
