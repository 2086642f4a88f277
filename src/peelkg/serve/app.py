"""The Starlette application: routes by kind, safe defaults, errors without stack traces."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import UserError
from . import api, linked_data, pages, sparql_endpoint
from .config import ServeConfig
from .graph import GraphAccess
from .negotiation import NotAcceptable, UnknownFormat
from .problems import Problem, problem_response
from .search import SearchIndex

STATIC = Path(__file__).resolve().parent / "static"
# No script runs on any page, no page may be framed, nothing is loaded from elsewhere.
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                                 b"frame-ancestors 'none'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _method_not_allowed(request: Request) -> Response:
    raise Problem(405, f"{request.method} is not allowed here: use GET or POST.", {"Allow": "GET, POST, HEAD"})


def _routes() -> list:
    return [
        Route("/", pages.home, methods=["GET"]),
        Route("/search", pages.search, methods=["GET"]),
        Route("/queries", pages.query_index, methods=["GET"]),
        Route("/queries/{name}", pages.query_run, methods=["GET"]),
        Route("/sparql", sparql_endpoint.sparql, methods=["GET", "POST"]),
        Route("/sparql", _method_not_allowed, methods=["PUT", "DELETE", "PATCH", "OPTIONS"]),
        Route("/api/queries", api.list_queries, methods=["GET"]),
        Route("/api/openapi.json", api.openapi, methods=["GET"]),
        Route("/api/queries/{name}", api.run_query, methods=["GET"]),
        Route("/id/{path:path}", linked_data.resource, methods=["GET"]),
        Route("/def", linked_data.ontology, methods=["GET"]),
        Route("/def.ttl", linked_data.ontology_turtle, methods=["GET"]),
        Route("/void", linked_data.void, methods=["GET"]),
        Route("/.well-known/void", linked_data.well_known_void, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


def create_app(config: ServeConfig) -> Starlette:
    """The application over ``config.build_dir``'s store (opened read-only once)."""
    middleware = [Middleware(SecurityHeaders)]
    if config.cors:
        middleware.append(Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                                     allow_headers=["Accept", "Content-Type"]))
    # UserError (a wrong parameter, a syntax error) and the rest are mapped to their statuses by
    # problem_response; Exception (a bug) becomes a 500 with no details.
    handlers = {Exception: problem_response, Problem: problem_response, UserError: problem_response,
                NotAcceptable: problem_response, UnknownFormat: problem_response}
    for status in (404, 405):
        handlers[status] = _http_exception
    app = Starlette(routes=_routes(), middleware=middleware, exception_handlers=handlers)
    app.state.graph = GraphAccess(config)
    app.state.search = SearchIndex(app.state.graph)
    app.state.search.load_in_background()
    return app


async def _http_exception(request: Request, exc) -> Response:
    """Starlette's own 404/405 (no such route, method) with our message formats."""
    if exc.status_code == 404:
        return problem_response(request, Problem(404, f"There is no page at {request.url.path}."))
    headers = dict(getattr(exc, "headers", None) or {})
    return problem_response(request, Problem(405, f"{request.method} is not allowed at {request.url.path}.", headers))
