"""Every command and stored query is documented where users look for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from peelkg.cli import COMMANDS as COMMAND_MODULES, main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(COMMAND_MODULES)


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_in_the_readme(command):
    assert f"`peelkg {command}`" in README


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_has_an_example(command):
    assert "Example" in (main.get_command(None, command).help or "")


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_is_loaded_under_its_own_name(command):
    assert main.get_command(None, command).name == command


def test_readme_starts_with_the_two_commands():
    blocks = README.split("```sh\n")
    assert blocks[1].startswith("python3.11 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/peelkg build")
    assert blocks[2].startswith("python3.11 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest -q")


def test_ci_runs_the_readmes_test_command():
    test_command = README.split("```sh\n")[2].splitlines()[0]
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
