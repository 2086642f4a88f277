"""`peelkg build` and `peelkg export`: the built store, made and written out."""

from __future__ import annotations

from pathlib import Path

import click

from ..rdf.io import FORMATS as RDF_FORMATS
from .common import Context, pass_context


@click.command()
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
    from ..pipeline.build import build as run_build
    from ..progress import ProgressBar

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


@click.command("export")
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
    from ..pipeline.export import export, resolve_graph, write_export
    from ..pipeline.store import open_store

    store = open_store(ctx.build_dir)
    names = [resolve_graph(store, g) for g in graphs] or None
    write_export(export(store, fmt, graphs=names, asserted_only=asserted_only), output)
