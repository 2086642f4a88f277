"""`peelkg query`: the query asked for, answered by the built store or, with an endpoint, by a
remote store, and written in the format asked for. The CLI (and anything serving queries) calls
``execute``; query.runner is the path every engine shares."""

from __future__ import annotations

from pathlib import Path

from .errors import QueryTimeout
from .pipeline.publish import read_query_headers
from .pipeline.store import open_store
from .project import Project
from .query.local import Limits, LocalEngine
from .query.output import write
from .query.runner import answer, prepare
from .query.watch import run_watched


def execute(project: Project, build_dir: Path, name: str | None, query_file: Path | None,
            given: list[tuple[str, str]], fmt: str, endpoint: str | None = None, *,
            local_timeout: float | None = None, **remote) -> str:
    """The answer as text; with ``endpoint``, from there (``remote``: the options of
    ``remote.query.RemoteEngine``: timeout, user, password, auth). On the built graph the whole
    answer, parameter look-ups and writing included, is given ``local_timeout`` seconds, and
    Ctrl-C stops it at once even while pyoxigraph computes (query.watch)."""
    # On the built graph, the headers the build parsed: no YAML parser to import (query.library).
    known = None if endpoint else read_query_headers(build_dir)
    query, values = prepare(project, name, query_file, given, local=not endpoint, known=known)
    if endpoint:
        from .remote.query import RemoteEngine

        with RemoteEngine(endpoint, **remote) as engine:
            return write(answer(engine, query, values), fmt)
    # Limits (serve's, checked row by row) stops a query that yields rows; query.watch is the
    # backstop for one still computing its first row, and makes Ctrl-C work there.
    engine = LocalEngine(open_store(build_dir), Limits(timeout=local_timeout))
    return run_watched(lambda: write(answer(engine, query, values), fmt), local_timeout,
                       lambda: QueryTimeout(local_timeout))
