"""Files the web app hands over to be saved: every download goes through `attachment`, which
lets Flask's `send_file` write the Content-Disposition header (a plain `filename` and, for a
name outside ASCII, RFC 5987's `filename*`), so no header is built by hand."""

from __future__ import annotations

import io

from flask import Response, send_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(data: bytes | str, name: str, mimetype: str) -> Response:
    """`data` as a file to save under `name` (any characters: an en dash, accents, quotes).

    Characters a header cannot carry (line breaks and other control characters) become "_".
    The body is held in memory, so the response can be kept by the page cache like a page.
    It is not to be kept by the browser or a proxy (it may be built for a signed-in user)."""
    body = data.encode("utf-8") if isinstance(data, str) else data
    safe = "".join(c if c.isprintable() else "_" for c in name) or "download"
    response = send_file(
        io.BytesIO(body),
        mimetype=mimetype,
        as_attachment=True,
        download_name=safe,
        max_age=0,
        conditional=False,
    )
    # send_file streams its file; the bytes are in memory already, so hand them over as a
    # plain body (which the page cache can keep)
    streamed = response.response
    response.direct_passthrough = False
    response.set_data(body)
    if hasattr(streamed, "close"):
        streamed.close()
    response.cache_control.private = True
    return response
