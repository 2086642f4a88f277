"""`peelkg serve`: the built graph over HTTP."""

from __future__ import annotations

import click

from .common import Context, pass_context


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default serves this machine only. Use 0.0.0.0 to serve the network.")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True, help="Port to listen on.")
@click.option("--timeout", type=click.FloatRange(0.1), default=10.0, show_default=True,
              help="Seconds one query may run before it is stopped (HTTP 503).")
@click.option("--row-limit", type=click.IntRange(1), default=10_000, show_default=True,
              help="Rows (or triples) one SPARQL answer may have (HTTP 403 beyond).")
@click.option("--max-query-bytes", type=click.IntRange(100), default=20_000, show_default=True,
              help="Largest query text or POST body accepted (HTTP 413 beyond).")
@click.option("--cors", is_flag=True, help="Let pages on other sites call the API and endpoint (Access-Control-Allow-Origin: *).")
@pass_context
def serve(ctx: Context, host: str, port: int, timeout: float, row_limit: int, max_query_bytes: int, cors: bool) -> None:
    """Serve the built graph over HTTP, read-only: pages, SPARQL endpoint, API, Linked Data.

    Pages for people at /, the SPARQL 1.1 Protocol at /sparql, the stored
    queries at /api/queries/NAME (OpenAPI at /api/openapi.json), every
    resource at /id/PATH and the ontology at /def. Updates, LOAD and
    SERVICE are refused. Stop it with Ctrl-C.

    Example: peelkg serve --port 8080   (then open http://127.0.0.1:8080/)
    """
    from ..serve.server import run_server
    from ..serve.config import ServeConfig

    config = ServeConfig(project=ctx.project, build_dir=ctx.build_dir, host=host, port=port, timeout=timeout,
                         max_rows=row_limit, max_query_bytes=max_query_bytes, cors=cors)
    run_server(config)
