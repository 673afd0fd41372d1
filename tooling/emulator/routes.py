"""The emulator's own endpoints: `POST /_emulator/<service>/<verb>` with a JSON body.

moto's server is one werkzeug application, `moto.moto_server.werkzeug_app.DomainDispatcherApplication`,
which picks a backend's Flask app from the Host header, the signature or the path; only
`/moto-api/...` is reserved for moto's own endpoints, and its routes are a fixed table
(moto/moto_api/_internal/urls.py). Rather than forging a service or editing that table, install()
wraps the dispatcher's `__call__`: a path under PREFIX is answered here, every other request goes
to moto untouched. A service registers a handler with `register("scheduler/fire", handler)`; the
handler takes the JSON body (a dict) and returns what to answer as JSON. A KeyError, ValueError or
LookupError from the handler answers 400 with its message; an unknown path answers 404.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication

PREFIX = "/_emulator/"
Handler = Callable[[dict[str, Any]], Any]

_routes: dict[str, Handler] = {}
_original_call = DomainDispatcherApplication.__call__


def register(path: str, handler: Handler) -> None:
    """Answer `POST /_emulator/<path>` with `handler(json_body)`."""
    _routes[path.strip("/")] = handler


def answer(path: str, method: str, body: bytes) -> tuple[int, Any]:
    """The status and JSON answer for one request to an emulator endpoint."""
    handler = _routes.get(path[len(PREFIX) :].strip("/"))
    if handler is None:
        return 404, {"message": f"no emulator endpoint {path}", "endpoints": sorted(_routes)}
    if method != "POST":
        return 405, {"message": f"{path} takes POST"}
    try:
        request = json.loads(body) if body.strip() else {}
        if not isinstance(request, dict):
            return 400, {"message": "the body must be a JSON object", "type": "ValueError"}
        return 200, handler(request)
    except (KeyError, ValueError, LookupError) as error:
        return 400, {"message": str(error), "type": type(error).__name__}


def _call(self: DomainDispatcherApplication, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    path = environ.get("PATH_INFO", "")
    if not path.startswith(PREFIX):
        result: Iterable[bytes] = _original_call(self, environ, start_response)
        return result
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    status, payload = answer(path, environ.get("REQUEST_METHOD", "GET"), body)
    text = json.dumps(payload, default=str).encode()
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}[status]
    start_response(f"{status} {reason}", [("Content-Type", "application/json"), ("Content-Length", str(len(text)))])
    return [text]


def install() -> None:
    DomainDispatcherApplication.__call__ = _call  # type: ignore[method-assign]
