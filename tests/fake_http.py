"""Fake HTTP servers on loopback for the reliability tests: they hang, fail, redirect, challenge,
or stand in front of a real store as a proxy that injects a fault at a chosen request.

``FakeServer(respond)`` serves on 127.0.0.1 in a thread; ``respond(request)`` returns what to
do with each request: a ``Reply``, ``HANG`` (never answer), ``DROP`` (close the connection
without an answer) or ``Forward(url)`` (pass it on to a real server and relay the answer;
``Forward(url, then=...)`` relays it and then drops the connection or replaces the answer).
Every request is recorded in ``server.requests``.
"""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)

    @property
    def form(self) -> dict[str, str]:
        """The fields of a form-encoded body (``query=`` / ``update=``)."""
        return dict(urllib.parse.parse_qsl(self.body.decode("utf-8", errors="replace")))


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass
class Forward:
    upstream: str  # base URL of the real server
    then: object = None  # None: relay the answer; DROP: drop it; a Reply: send that instead
    path: str | None = None  # the path (and query string) to ask upstream; default: the request's


HANG = "hang"
DROP = "drop"


class FakeServer:
    def __init__(self, respond):
        self.respond = respond
        self.requests: list[Request] = []
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                                  self.rfile.read(length) if length else b"")
                server.requests.append(request)
                action = server.respond(request)
                if action == HANG:
                    server._stop.wait(60)
                    self.close_connection = True
                    return
                if action == DROP:
                    self.close_connection = True
                    return
                if isinstance(action, Forward):
                    relayed = _forward(action.upstream, request, action.path or request.path)
                    if action.then == DROP:
                        self.close_connection = True
                        return
                    action = action.then or relayed
                self.send_response(action.status)
                for name, value in action.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(action.body)))
                self.end_headers()
                self.wfile.write(action.body)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> "FakeServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()


def _forward(upstream: str, request: Request, path: str) -> Reply:
    parts = urllib.parse.urlsplit(upstream)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {k: v for k, v in request.headers.items() if k not in ("host", "connection", "authorization")}
    connection.request(request.method, path, body=request.body or None, headers=headers)
    response = connection.getresponse()
    body = response.read()
    kept = {k: v for k, v in response.getheaders() if k.lower() in ("content-type", "www-authenticate")}
    connection.close()
    return Reply(response.status, kept, body)
