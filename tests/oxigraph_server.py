"""Start a throwaway Oxigraph SPARQL server for tests.

``OxigraphServer`` runs ``oxigraph serve`` (the CLI of the PyPI package ``oxigraph``, in the
test extra) on 127.0.0.1 with a fresh store in a temporary directory, waits for its query
endpoint to answer, and removes everything again on ``stop()``. It runs with the flags the
README's Oxigraph recipe gives (``SERVE_FLAGS``; a test checks the README says the same).

Endpoints: ``query_url`` (``/query``), ``update_url`` (``/update``), ``gsp_url`` (``/store``);
no authentication.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

# Stored queries expect the union of the named graphs as default graph.
SERVE_FLAGS = ["--union-default-graph"]


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` CLI: next to this Python (a venv's bin/) or on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer:
    """A throwaway Oxigraph server on loopback; a context manager, or ``start()`` / ``stop()``."""

    def __init__(self, *, startup_timeout: float = 30.0) -> None:
        self.startup_timeout = startup_timeout
        self.host = "127.0.0.1"
        self.port: int | None = None
        self.tmpdir: Path | None = None
        self._proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/update"

    @property
    def gsp_url(self) -> str:
        return f"{self.base_url}/store"

    def __enter__(self) -> "OxigraphServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> "OxigraphServer":
        binary = oxigraph_binary()
        if binary is None:
            raise RuntimeError("the oxigraph CLI is not installed: pip install -e '.[test]'")
        self.tmpdir = Path(tempfile.mkdtemp(prefix="peelkg-oxigraph-"))
        self.port = _free_port()
        self._log = open(self.tmpdir / "server.log", "wb")
        self._proc = subprocess.Popen(
            [binary, "serve", "--location", str(self.tmpdir / "db"), "--bind", f"{self.host}:{self.port}",
             *SERVE_FLAGS],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        url = self.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with code {self._proc.returncode}: {self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    response.read()
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise RuntimeError(f"oxigraph did not answer on {self.query_url} within {self.startup_timeout:.0f} s")

    def select(self, query: str) -> list[dict]:
        """The SPARQL JSON bindings of a SELECT on the server (plain urllib, not peelkg's client)."""
        url = self.query_url + "?" + urllib.parse.urlencode({"query": query})
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)["results"]["bindings"]

    def graphs(self) -> list[str]:
        """The names of the server's non-empty named graphs."""
        return [b["g"]["value"] for b in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")]

    def force_name(self, graph: str) -> str | None:
        """The ex:name of ``<GRAPH#force>`` in ``graph`` (the data of the ``make_build`` fixture)."""
        rows = self.select(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ <{graph}#force> <http://example.org/name> ?o }} }}")
        return rows[0]["o"]["value"] if rows else None

    def log_tail(self) -> str:
        try:
            return (self.tmpdir / "server.log").read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None
