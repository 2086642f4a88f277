"""The `peelkg` command line. One function per command; each docstring is its --help."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import UserError
from .project import Project


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


class PeelkgGroup(click.Group):
    """Turns UserError into a one-line message and its exit code, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


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
    entails, validates each report against the shapes and writes the dataset
    (one named graph per report) to BUILD_DIR/store. Unchanged reports are
    reused from the last build. If any report does not conform, the problems
    are listed, nothing is written and the exit code is 1.

    Example: peelkg build
    """
    from .build import build as run_build
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


@main.command("queries")
@click.option("--tag", help="Only queries with this tag.")
@pass_context
def list_queries(ctx: Context, tag: str | None) -> None:
    """List the stored queries with their summaries and parameters.

    Example: peelkg queries --tag judgments
    """
    from .queries import Library

    library = Library(ctx.project.queries_dir)
    for query in library.queries.values():
        if tag and tag not in query.tags:
            continue
        click.echo(f"{query.name}  [{', '.join(query.tags)}]")
        click.echo(f"    {query.summary}")
        for param in query.params:
            default = f" (default: {param.default})" if param.default is not None else " (required)"
            click.echo(f"    -p {param.name} <{param.type}>{default}  {param.description}")


@main.command()
@click.argument("name", required=False)
@click.option("--file", "query_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Run the query in this .rq file instead of a stored one.")
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="NAME VALUE",
              help="A parameter value; repeat for several.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "xml", "csv", "tsv"]), default="table",
              show_default=True, help="Output format (CONSTRUCT queries always give Turtle).")
@click.option("--endpoint", metavar="URL", help="Run on this remote SPARQL endpoint instead of the built graph.")
@pass_context
def query(ctx: Context, name: str | None, query_file: Path | None, params, fmt: str, endpoint: str | None) -> None:
    """Run a stored query (by NAME) or an ad-hoc one (--file) on the built graph.

    Parameter values are checked against their declared type (an unknown
    force, grade, question or report is an error that lists the valid
    values) and bound as RDF terms, never pasted into the query.

    Examples:

        peelkg query grades-by-question

        peelkg query questions-better-than -p grade requires-improvement --format csv

        peelkg query --file my-query.rq --format json
    """
    from .execute import execute

    click.echo(execute(ctx.project, ctx.build_dir, name, query_file, list(params), fmt, endpoint), nl=False)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the catalogue to this file (default: docs/queries.md of the project).")
@pass_context
def catalogue(ctx: Context, output: Path | None) -> None:
    """Write the Markdown catalogue of the stored queries (name, summary, parameters, example).

    Example: peelkg catalogue
    """
    from .catalogue import render

    project = ctx.project
    target = output or project.root / "docs" / "queries.md"
    target.write_text(render(project.queries_dir), encoding="utf-8")
    click.echo(f"wrote {target}")


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"]),
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
    from .export import export, resolve_graph, write_export
    from .run import open_store

    store = open_store(ctx.build_dir)
    names = [resolve_graph(store, g) for g in graphs] or None
    write_export(export(store, fmt, graphs=names, asserted_only=asserted_only), output)


def run() -> None:
    """Entry point for `python -m peelkg`."""
    main(prog_name="peelkg")


if __name__ == "__main__":
    sys.exit(run())
