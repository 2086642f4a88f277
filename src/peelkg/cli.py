"""The `peelkg` command line. One function per command; each docstring is its --help."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import UserError
from .project import Project
from .rdf.io import FORMATS as RDF_FORMATS


class Context:
    """Options shared by every command, defined once on the group."""

    def __init__(self, project: str | None, build_dir: str | None):
        self._project_arg = project
        self._build_dir_arg = build_dir

    @property
    def project(self) -> Project:
        return Project.locate(self._project_arg)

    @property
    def build_dir(self) -> Path:
        return Path(self._build_dir_arg) if self._build_dir_arg else self.project.default_build_dir()


pass_context = click.make_pass_decorator(Context)


timeout_option = click.option(
    "--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True, metavar="SECONDS",
    help="How long to wait for the remote store at each step of a request (connect, send, each read); "
         "for a query on the built graph, how long the whole query may run.")
auth_option = click.option(
    "--auth", type=click.Choice(["digest", "basic"]), default=None,
    help="How to send PEELKG_USER/PEELKG_PASSWORD (default: the store's usual kind; digest for query).")


class PeelkgGroup(click.Group):
    """Turns UserError into a one-line message and its exit code, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


@click.group(cls=PeelkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--project", metavar="DIR", envvar="PEELKG_PROJECT",
              help="The peelkg project folder (default: the current folder or its parents).")
@click.option("--build-dir", metavar="DIR", envvar="PEELKG_BUILD_DIR",
              help="Where the built store lives (default: PROJECT/build).")
@click.version_option(package_name="peelkg")
@click.pass_context
def main(ctx: click.Context, project: str | None, build_dir: str | None) -> None:
    """peelkg: the PEEL police inspection reports as a knowledge graph.

    Build the graph once with `peelkg build`, then ask it questions with
    `peelkg queries` and `peelkg query NAME`.
    """
    ctx.obj = Context(project, build_dir)


@main.command()
@click.option("--jobs", "-j", type=click.IntRange(1), default=None,
              help="Processes for reasoning and validation (default: one per core).")
@click.option("--full", is_flag=True, help="Rebuild every report, even unchanged ones.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@pass_context
def build(ctx: Context, jobs: int | None, full: bool, quiet: bool) -> None:
    """Reason over, validate and store every report of the project.

    Loads the ontology, reference data and reports, adds what the ontology
    entails, validates each report as `peelkg validate` does and writes the dataset
    (one named graph per report) to BUILD_DIR/store. Unchanged reports are
    reused from the last build. If any report does not conform, the problems
    are listed, nothing is written and the exit code is 1.

    Example: peelkg build
    """
    from .pipeline.build import build as run_build
    from .progress import ProgressBar

    bar = None if quiet else ProgressBar("reports")
    summary = run_build(ctx.project, ctx.build_dir, jobs=jobs, incremental=not full,
                        progress=bar.update if bar else None)
    if bar:
        bar.close()
    if not quiet:
        click.echo(f"built {ctx.build_dir / 'store'}")
        for line in summary.lines():
            click.echo(f"  {line}")
        for message in summary.warning_messages:
            click.echo(f"  warning: {message}")


@main.command("queries")
@click.option("--tag", help="Only queries with this tag.")
@pass_context
def list_queries(ctx: Context, tag: str | None) -> None:
    """List the stored queries with their summaries and parameters.

    A query file that cannot be read is reported (exit code 2) after the others.

    Example: peelkg queries --tag judgments
    """
    from .query.library import Library

    library = Library(ctx.project.queries_dir)
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


@main.command()
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
    from .answer import execute

    remote = {}
    if endpoint:
        from .remote.client import credentials

        user, password = credentials()
        remote = {"timeout": timeout, "user": user, "password": password, "auth": auth or "digest"}
    click.echo(execute(ctx.project, ctx.build_dir, name, query_file, list(params), fmt, endpoint,
                       local_timeout=None if endpoint else timeout, **remote), nl=False)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the catalogue to this file (default: docs/queries.md of the project).")
@pass_context
def catalogue(ctx: Context, output: Path | None) -> None:
    """Write the Markdown catalogue of the stored queries (name, summary, parameters, example).

    Example: peelkg catalogue
    """
    from .pipeline.atomic import write_file
    from .query.catalogue import render

    project = ctx.project
    target = output or project.root / "docs" / "queries.md"
    write_file(target, render(project.queries_dir).encode("utf-8"))
    click.echo(f"wrote {target}")


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(list(RDF_FORMATS)),
              default="trig", show_default=True, help="RDF format; nquads and trig keep the named graphs.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Output file (default: stdout).")
@click.option("--graph", "graphs", multiple=True, metavar="NAME",
              help="Only this graph (IRI or short name such as report/peel-2015-effectiveness-metropolitan); repeatable.")
@click.option("--asserted-only", is_flag=True, help="Leave out the inferred graphs.")
@pass_context
def export_command(ctx: Context, fmt: str, output: Path | None, graphs, asserted_only: bool) -> None:
    """Export the built dataset for another graph store, sorted and reproducible.

    Examples:

        peelkg export --format nquads -o peelkg.nq

        peelkg export --format turtle --graph report/peel-2015-effectiveness-metropolitan --asserted-only
    """
    from .pipeline.export import export, resolve_graph, write_export
    from .pipeline.store import open_store

    store = open_store(ctx.build_dir)
    names = [resolve_graph(store, g) for g in graphs] or None
    write_export(export(store, fmt, graphs=names, asserted_only=asserted_only), output)


@main.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FILE_OR_FOLDER...")
@click.option("--format", "fmt", type=click.Choice(["human", "json", "turtle"]), default="human", show_default=True,
              help="human: grouped by node; json: a flat list; turtle: a SHACL sh:ValidationReport.")
@click.option("--source", type=click.Path(path_type=Path), metavar="FILE",
              help="The report's text (data/sources/...): check every quote, page and number against it.")
@click.option("--fail-on", type=click.Choice(["violation", "warning"]), default="violation", show_default=True,
              help="Exit with 1 on violations only, or on warnings too.")
@pass_context
def validate_command(ctx: Context, paths, fmt: str, source: Path | None, fail_on: str) -> None:
    """Validate one report (its files, or its folder) before adding it.

    The files are read together as ONE report and checked with the ontology
    and reference data against the shapes, plus what the shapes cannot see:
    unknown forces, grades and questions, a report IRI already used in
    data/reports, IRIs outside https://w3id.org/peelkg/id/, TODO placeholders
    and, with --source, quotes, pages and numbers against the report's text.
    Each problem gives the file and line of its node.

    Exit codes: 0 conforms (warnings are printed), 1 violations (or warnings
    with --fail-on warning), 2 the input cannot be read.

    Examples:

    \b
        peelkg validate data/reports/peel-2015-effectiveness-metropolitan
        peelkg validate report.ttl --source data/sources/peel-2015-effectiveness-kent.txt --format json
    """
    from .pipeline.context import load_base
    from .validation.report import render
    from .validation.validator import Validator

    outcome = Validator(ctx.project, load_base(ctx.project)).validate(list(paths), source=source)
    click.echo(render(outcome, fmt, fail_on), nl=False)
    code = outcome.exit_code(fail_on)
    if code:
        click.get_current_context().exit(code)


@main.command("cycles")
@pass_context
def cycles_command(ctx: Context) -> None:
    """List the inspection cycles of the reference data with their grading scale and questions.

    Each cycle is given by the id that `peelkg new-report --cycle` takes, then
    its scale and its graded and ungraded questions by the ids that stored
    queries take (-p question peel-2016-effectiveness/q1). A cycle or question
    its sources do not fully confirm is marked so.

    Example: peelkg cycles
    """
    from .authoring.cycles import cycles, describe
    from .pipeline.context import load_base
    from .rdf.index import Index

    index = Index(load_base(ctx.project).reference)
    for cycle in cycles(index):
        click.echo("\n".join(describe(index, cycle)))


@main.command("new-report")
@click.option("--force", "force", required=True, metavar="ID", help="The inspected force's id (e.g. kent).")
@click.option("--cycle", "cycle_id", metavar="ID", help="The inspection cycle (e.g. peel-2023-25); `peelkg cycles` lists them.")
@click.option("--year", type=int, metavar="YYYY", help="Instead of --cycle: the year of the cycle (e.g. 2015).")
@click.option("--pillar", default="effectiveness", show_default=True, help="With --year: the PEEL pillar of the cycle.")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="FOLDER",
              help="Where to write: a folder (gets report.ttl) or a .ttl file "
                   "(default: data/drafts/CYCLE-FORCE/report.ttl).")
@pass_context
def new_report_command(ctx: Context, force: str, cycle_id: str | None, year: int | None, pillar: str,
                       output: Path | None) -> None:
    """Write the skeleton of a new report, to fill in from the report's text.

    The skeleton has the report's metadata, its inspection, one judgment per
    graded question of the cycle (and an ungraded judgment per ungraded one),
    and one example each of a finding, an area for improvement and a
    statistic, all with evidence. Its TODO placeholders fail `peelkg validate`
    until they are filled in. Never overwrites a file. See docs/authoring.md.

    Example: peelkg new-report --force kent --cycle peel-2023-25
    """
    from .authoring.skeleton import write_skeleton

    written = write_skeleton(ctx.project, force, year, pillar, output, cycle_id)
    click.echo(f"wrote {written}")
    click.echo(f"next: fill in every TODO, then `peelkg validate {written.parent} --source data/sources/...`")


@main.command("add")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FILE_OR_FOLDER...")
@click.option("--source", type=click.Path(path_type=Path), metavar="FILE",
              help="The report's text: checked against the report, then copied into data/sources/.")
@pass_context
def add_command(ctx: Context, paths, source: Path | None) -> None:
    """Validate a report and, only if it conforms, copy it into data/reports/<report-id>/.

    With --source the text is checked too and copied into data/sources/ (under
    the report's peel:fileName). Nothing is written if the report does not
    conform (exit 1), and an existing report folder is never replaced.

    Example:

    \b
        peelkg add data/drafts/peel-2015-effectiveness-kent \\
            --source data/sources/peel-2015-effectiveness-kent.txt
    """
    from .authoring.add import add_report
    from .validation.report import format_human

    outcome, added = add_report(ctx.project, list(paths), source)
    if added is None:
        click.echo(format_human(outcome), nl=False)
        click.echo("Nothing was written: fix the violations above, then run `peelkg add` again.")
        click.get_current_context().exit(1)
    for issue in outcome.warnings:
        file, line = (issue.statement_file, issue.statement_line) if issue.statement_line else (issue.file, issue.line)
        where = f"{file}:{line}: " if file and line else ""
        click.echo(f"{where}warning: {issue.node}: {issue.message}")
    click.echo(f"added {added.report_id}: {len(added.files)} file(s) in {added.folder}")
    if added.source is not None:
        click.echo(f"source text: {added.source}")
    click.echo("next: peelkg build")


@main.command("push")
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

    from .pipeline.export import resolve_graph, select_quads
    from .pipeline.store import open_store
    from .remote.client import Client, credentials
    from .remote.profiles import resolve
    from .remote.payload import graphs_from_quads
    from .remote.push import PushFailed, PushInterrupted, drop_temporary as drop_tmp, push_graphs

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


@main.command("serve")
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
    from .serve.server import run_server
    from .serve.config import ServeConfig

    config = ServeConfig(project=ctx.project, build_dir=ctx.build_dir, host=host, port=port, timeout=timeout,
                         max_rows=row_limit, max_query_bytes=max_query_bytes, cors=cors)
    run_server(config)


def run() -> None:
    """Entry point for `python -m peelkg`."""
    main(prog_name="peelkg")


if __name__ == "__main__":
    sys.exit(run())
