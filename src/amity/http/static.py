"""Static files with caching a browser can trust: fingerprinted URLs kept for a year.

Pages link static files through `static_url("js/forms.js")` (the `static` template global), which
adds the first hex digits of the file's SHA-256 as `?v=`. A URL whose `v` is the file's current
hash can never name other content, so it is sent with `Cache-Control: public, max-age=31536000,
immutable` and a browser does not ask again; a new release changes the hash, hence the URL.
Anything else under /static (no `v`, or an old one, or files that scripts fetch by a fixed name
such as the map outlines) gets a short max-age and is revalidated by its ETag after that.
deploy/nginx-amity.conf applies the same two rules when nginx serves the files itself.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs

from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
DIGITS = 12


def static_url(path: str) -> str:
    """/static/<path>?v=<hash of its content> (a path that is no file is linked as it is)."""
    file = STATIC_DIR / path
    try:
        stat = file.stat()
    except OSError:
        return f"/static/{path}"
    return f"/static/{path}?v={_fingerprint(str(file), stat.st_mtime_ns, stat.st_size)}"


@lru_cache(maxsize=256)
def _fingerprint(file: str, _mtime_ns: int, _size: int) -> str:
    # Keyed by modification time and size too: a file edited while the server runs (development)
    # gets a new hash, a file that did not change is read once.
    with open(file, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:DIGITS]


class CachedStaticFiles(StaticFiles):
    """StaticFiles that says how long each answer may be kept (see the module's docstring)."""

    def file_response(
        self, full_path: os.PathLike | str, stat_result: os.stat_result, scope: Scope,
        status_code: int = 200,
    ) -> Response:  # fmt: skip
        response = super().file_response(full_path, stat_result, scope, status_code)
        wanted = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v", [""])[-1]
        current = _fingerprint(str(full_path), stat_result.st_mtime_ns, stat_result.st_size)
        response.headers["cache-control"] = IMMUTABLE if wanted == current else SHORT
        return response
