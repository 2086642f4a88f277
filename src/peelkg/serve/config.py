"""The server's settings, with safe defaults (loopback, read-only, bounded queries, no CORS)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..project import Project


@dataclass(frozen=True)
class ServeConfig:
    project: Project
    build_dir: Path
    host: str = "127.0.0.1"
    port: int = 8080
    timeout: float = 10.0  # seconds one query may run
    max_rows: int = 10_000  # rows (or triples) one SPARQL answer may have
    max_query_bytes: int = 20_000  # size of a query text (or POST body) accepted
    cors: bool = False  # send Access-Control-Allow-Origin: * (off unless --cors)
    public_base: str = ""  # the URL the server is reached at, for absolute links; "" = relative
