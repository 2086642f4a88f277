"""What every command shares, defined once: the group's options (Context) and the options that
several commands take."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..project import Project


class Context:
    """Options shared by every command, defined once on the group."""

    def __init__(self, project: str | None, build_dir: str | None):
        self._project_arg = project
        self._build_dir_arg = build_dir

    @property
    def project(self) -> Project:
        from ..project import Project  # not needed for --help

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
