"""`peelkg push`: the built dataset into a remote SPARQL store."""

from __future__ import annotations

import click

from ..errors import UserError
from .common import Context, auth_option, pass_context, timeout_option


@click.command("push")
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's SPARQL query endpoint (e.g. http://HOST:8890/sparql); used to read graphs back.")
@click.option("--store", type=click.Choice(["virtuoso", "fuseki", "graphdb", "oxigraph"]),
              help="Which store it is, for its update and Graph Store URLs (default: told by the endpoint's path).")
@click.option("--gsp", "gsp_url", metavar="URL", help="Graph Store Protocol endpoint (default: the store's).")
@click.option("--update", "update_url", metavar="URL", help="SPARQL Update endpoint (default: the store's).")
@click.option("--mode", type=click.Choice(["gsp", "update"]), default="gsp", show_default=True,
              help="Load with Graph Store PUTs or with chunked SPARQL INSERT DATA.")
@click.option("--graph", "graphs", multiple=True, metavar="NAME",
              help="Only this graph (IRI or short name such as report/peel-2015-effectiveness-metropolitan); repeatable.")
@click.option("--asserted-only", is_flag=True, help="Leave out the inferred graphs.")
@click.option("--drop-temporary", is_flag=True,
              help="Only remove the temporary graphs that interrupted pushes left in the store, then stop.")
@auth_option
@timeout_option
@pass_context
def push_command(ctx: Context, endpoint: str, store: str | None, gsp_url: str | None, update_url: str | None,
                 mode: str, graphs, asserted_only: bool, drop_temporary: bool, auth: str | None,
                 timeout: float) -> None:
    """Load the built dataset into a remote SPARQL store, one named graph at a time.

    Each graph is staged in a temporary graph, read back, and moved over the
    graph of the same name only if the store holds exactly the local triples;
    a failed push lists each graph as replaced, unchanged or unknown, with the
    command that recovers. Stores: virtuoso, fuseki, graphdb, oxigraph (see
    the README). Credentials come from PEELKG_USER and PEELKG_PASSWORD and go
    only to the URLs given. Exit codes: 0 pushed, 1 the store failed, 2 bad
    options, 130 interrupted.

    Examples:

    \b
        PEELKG_USER=dba PEELKG_PASSWORD=... peelkg push --endpoint http://localhost:8890/sparql
        peelkg push --store oxigraph --endpoint http://localhost:7878/query
    """
    import time

    from ..pipeline.export import resolve_graph, select_quads
    from ..pipeline.store import open_store
    from ..remote.client import Client, credentials
    from ..remote.profiles import resolve
    from ..remote.payload import graphs_from_quads
    from ..remote.push import PushFailed, PushInterrupted, drop_temporary as drop_tmp, push_graphs

    profile = resolve(endpoint, store=store, update=update_url, gsp=gsp_url, auth=auth)
    if mode == "gsp" and not profile.gsp_url:
        raise UserError("--mode gsp needs the store's Graph Store endpoint: give --gsp URL or --store.")
    user, password = credentials()
    again = _push_command_line(endpoint, store, gsp_url, update_url, mode, auth, timeout)
    items = []
    if not drop_temporary:
        built = open_store(ctx.build_dir)
        names = [resolve_graph(built, g) for g in graphs] or None
        items = graphs_from_quads(select_quads(built, names, asserted_only))
        if not items:
            raise UserError("Nothing to push: the selected graphs are empty.")
    started = time.monotonic()
    with Client(profile.urls(), user=user, password=password, auth=profile.auth, timeout=timeout) as client:
        if drop_temporary:
            click.echo(f"dropped {len(drop_tmp(client, profile))} temporary graph(s)")
            return
        try:
            report = push_graphs(client, profile, items, mode=mode)
        except (PushFailed, PushInterrupted) as exc:
            what = "push interrupted" if isinstance(exc, PushInterrupted) else f"push failed: {exc}"
            raise UserError(exc.report.explain(what, again), exit_code=exc.exit_code) from None
    elapsed = time.monotonic() - started
    for graph, triples in report.triples.items():
        click.echo(f"{graph}: {triples} triples verified")
    click.echo(f"pushed {len(report.triples)} graph(s), {sum(report.triples.values())} triples, in {elapsed:.1f} s")


def _push_command_line(endpoint, store, gsp_url, update_url, mode, auth, timeout) -> list[str]:
    """The push options as given, to print the command that recovers from a failed push."""
    import shlex

    words = ["peelkg", "push", "--endpoint", endpoint]
    for option, value in (("--store", store), ("--gsp", gsp_url), ("--update", update_url), ("--auth", auth)):
        if value:
            words += [option, value]
    if mode != "gsp":
        words += ["--mode", mode]
    if timeout != 60.0:
        words += ["--timeout", f"{timeout:g}"]
    return [shlex.quote(w) for w in words]
