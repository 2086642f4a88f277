"""The `peelkg` command line. One function per command, in a module per stage (build, authoring,
queries, remote, serve); each docstring is its --help. The modules import click and little else:
what a command needs is imported when it runs, so that `peelkg --help` and `peelkg query NAME`
start fast."""

from __future__ import annotations

import sys

import click

from ..errors import UserError
from . import authoring, build, queries, remote, serve
from .common import Context


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


for _command in (build.build, build.export_command, authoring.cycles_command, authoring.new_report_command,
                 authoring.validate_command, authoring.add_command, queries.list_queries, queries.query,
                 queries.catalogue, remote.push_command, serve.serve):
    main.add_command(_command)


def run() -> None:
    """Entry point for `python -m peelkg`."""
    main(prog_name="peelkg")


if __name__ == "__main__":
    sys.exit(run())
