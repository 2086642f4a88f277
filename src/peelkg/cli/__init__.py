"""The `peelkg` command line. One function per command, in a module per stage (build, authoring,
queries, remote, serve); each docstring is its --help. The modules import click and little else:
what a command needs is imported when it runs, and a command's module is imported only when that
command is asked for (or `peelkg --help` lists them all), so that `peelkg query NAME` starts fast."""

from __future__ import annotations

import importlib
import sys

import click

from ..errors import UserError
from .common import Context

# Each command's name, and the module and function that define it (imported when it is used).
COMMANDS = {
    "add": ("authoring", "add_command"),
    "build": ("build", "build"),
    "catalogue": ("queries", "catalogue"),
    "cycles": ("authoring", "cycles_command"),
    "export": ("build", "export_command"),
    "new-report": ("authoring", "new_report_command"),
    "push": ("remote", "push_command"),
    "queries": ("queries", "list_queries"),
    "query": ("queries", "query"),
    "serve": ("serve", "serve"),
    "validate": ("authoring", "validate_command"),
}


class PeelkgGroup(click.Group):
    """Loads a command's module when the command is used; turns UserError into a one-line
    message and its exit code, never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, function = COMMANDS[name]
        return getattr(importlib.import_module(f"{__name__}.{module}"), function)

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


def run() -> None:
    """Entry point for `python -m peelkg`."""
    main(prog_name="peelkg")


if __name__ == "__main__":
    sys.exit(run())
