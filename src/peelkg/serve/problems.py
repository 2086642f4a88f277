"""Errors as HTTP responses: a status the protocol names, a message saying what to fix, and
never a stack trace. Browsers get an HTML page, /api clients JSON, everyone else plain text."""

from __future__ import annotations

import json
import logging

from starlette.requests import Request
from starlette.responses import Response

from ..errors import QueryTimeout, ResultTooLarge, UserError
from .negotiation import HTML, NotAcceptable, UnknownFormat, parse_accept

log = logging.getLogger("peelkg.serve")


class Problem(Exception):
    """A request the server refuses, with its HTTP status."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.headers = status, headers or {}


def status_of(exc: Exception) -> int:
    if isinstance(exc, Problem):
        return exc.status
    if isinstance(exc, NotAcceptable):
        return 406
    if isinstance(exc, UnknownFormat):
        return 400
    if isinstance(exc, QueryTimeout):
        return 503  # the service refuses to go on; the client may retry a narrower query
    if isinstance(exc, ResultTooLarge):
        return 403  # refused by the service's policy: the same request would be refused again
    if isinstance(exc, UserError):
        return 400
    return 500


def _wants_html(request: Request) -> bool:
    entries = parse_accept(request.headers.get("accept"))
    html = max((q for m, q, _ in entries if m in (HTML.media_type, *HTML.aliases)), default=0.0)
    return html > 0 and html >= max((q for m, q, _ in entries if m not in ("*/*",)), default=0.0)


def problem_response(request: Request, exc: Exception) -> Response:
    status = status_of(exc)
    if status == 500:
        # The details go to the server's log only: a response never shows a traceback.
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        message = "Internal error: the server could not answer this request. It has been logged."
    else:
        message = str(exc)
    headers = dict(getattr(exc, "headers", {}) or {})
    if request.url.path.startswith("/api/"):
        body = json.dumps({"status": status, "error": message}, ensure_ascii=False)
        return Response(body + "\n", status, headers, media_type="application/json")
    if _wants_html(request):
        from .templating import render

        response = render(request, "error.html", {"status": status, "message": message}, status=status)
        response.headers.update(headers)
        return response
    return Response(message + "\n", status, headers, media_type="text/plain; charset=utf-8")
