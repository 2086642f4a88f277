"""Writing a report: `peelkg cycles`, `new-report`, `validate` and `add`."""

from __future__ import annotations

from pathlib import Path

import click

from .common import Context, pass_context


@click.command("cycles")
@pass_context
def cycles_command(ctx: Context) -> None:
    """List the inspection cycles of the reference data with their grading scale and questions.

    Each cycle is given by the id that `peelkg new-report --cycle` takes, then
    its scale and its graded and ungraded questions by the ids that stored
    queries take (-p question peel-2016-effectiveness/q1). A cycle or question
    its sources do not fully confirm is marked so.

    Example: peelkg cycles
    """
    from ..authoring.cycles import cycles, describe
    from ..pipeline.context import load_base
    from ..rdf.index import Index

    index = Index(load_base(ctx.project).reference)
    for cycle in cycles(index):
        click.echo("\n".join(describe(index, cycle)))


@click.command("new-report")
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
    from ..authoring.skeleton import write_skeleton

    written = write_skeleton(ctx.project, force, year, pillar, output, cycle_id)
    click.echo(f"wrote {written}")
    click.echo(f"next: fill in every TODO, then `peelkg validate {written.parent} --source data/sources/...`")


@click.command("validate")
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
    from ..pipeline.context import load_base
    from ..validation.report import render
    from ..validation.validator import Validator

    outcome = Validator(ctx.project, load_base(ctx.project)).validate(list(paths), source=source)
    click.echo(render(outcome, fmt, fail_on), nl=False)
    code = outcome.exit_code(fail_on)
    if code:
        click.get_current_context().exit(code)


@click.command("add")
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
    from ..authoring.add import add_report
    from ..validation.report import format_human

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
