"""Compressed file answers without leaking their files.

flask-compress (bound by Dash's ``compress=True``) reads a file answer's body and replaces it
with the compressed bytes, but never closes the file it read: every script and style sent left
an open file behind. Read such bodies here first, close the file, and hand flask-compress plain
bytes.
"""

from __future__ import annotations

from flask import Flask, Response, request


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
