"""Asking the graph: `peelkg queries`, `query` and `catalogue`. Every import beyond click is made
inside the command that needs it: `peelkg query NAME` loads only the query path."""

from __future__ import annotations

from pathlib import Path

import click

from .common import Context, auth_option, pass_context, timeout_option


@click.command("queries")
@click.option("--tag", help="Only queries with this tag.")
@pass_context
def list_queries(ctx: Context, tag: str | None) -> None:
    """List the stored queries with their summaries and parameters.

    A query file that cannot be read is reported (exit code 2) after the others.

    Example: peelkg queries --tag judgments
    """
    from ..pipeline.publish import read_query_headers
    from ..query.library import Library

    # The headers a build parsed, if there is one: no YAML parser to import (query.library).
    library = Library(ctx.project.queries_dir, read_query_headers(ctx.build_dir))
    for query in library.queries.values():
        if tag and tag not in query.tags:
            continue
        click.echo(f"{query.name}  [{', '.join(query.tags)}]")
        click.echo(f"    {query.summary}")
        for param in query.params:
            default = f" (default: {param.default})" if param.default is not None else " (required)"
            click.echo(f"    -p {param.name} <{param.type}>{default}  {param.description}")
    for error in library.broken.values():
        click.echo(f"error: {error}", err=True)
    if library.broken:
        click.get_current_context().exit(2)


@click.command()
@click.argument("name", required=False)
@click.option("--file", "query_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Run the query in this .rq file instead of a stored one.")
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="NAME VALUE",
              help="A parameter value; repeat for several.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "xml", "csv", "tsv"]), default="table",
              show_default=True, help="Output format (CONSTRUCT queries always give Turtle).")
@click.option("--endpoint", metavar="URL", help="Run on this remote SPARQL endpoint instead of the built graph.")
@auth_option
@timeout_option
@pass_context
def query(ctx: Context, name: str | None, query_file: Path | None, params, fmt: str, endpoint: str | None,
          auth: str | None, timeout: float) -> None:
    """Run a stored query (by NAME) or an ad-hoc one (--file) on the built graph.

    Parameter values are checked against their declared type (an unknown
    force, grade, question or report is an error that lists the valid
    values) and bound as RDF terms, never pasted into the query.

    Examples:

        peelkg query grades-by-question

        peelkg query questions-better-than -p grade requires-improvement --format csv

        peelkg query --file my-query.rq --format json

        peelkg query grades-by-question --endpoint http://localhost:7878/query

    Exit codes: 0 answered, 2 a bad query, parameter or store, or the
    --timeout passed; 130 interrupted (Ctrl-C stops even a query the engine
    is still computing).
    """
    from ..answer import execute

    remote = {}
    if endpoint:
        from ..remote.client import credentials

        user, password = credentials()
        remote = {"timeout": timeout, "user": user, "password": password, "auth": auth or "digest"}
    click.echo(execute(ctx.project, ctx.build_dir, name, query_file, list(params), fmt, endpoint,
                       local_timeout=None if endpoint else timeout, **remote), nl=False)


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the catalogue to this file (default: docs/queries.md of the project).")
@pass_context
def catalogue(ctx: Context, output: Path | None) -> None:
    """Write the Markdown catalogue of the stored queries (name, summary, parameters, example).

    Example: peelkg catalogue
    """
    from ..pipeline.atomic import write_file
    from ..query.catalogue import render

    project = ctx.project
    target = output or project.root / "docs" / "queries.md"
    write_file(target, render(project.queries_dir).encode("utf-8"))
    click.echo(f"wrote {target}")
