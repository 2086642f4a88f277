"""The fast shell: `peelkg query NAME`, `peelkg queries` and every `--help` import only what they use.

Each command runs in a fresh interpreter (a module imported by an earlier test would hide one the
command imports), through click's test runner, which then lists the heavy libraries that were
imported. Importing rdflib alone takes ~150 ms, more than the query (benchmarks/bench_shell.py
measures the time; these tests only say what was imported).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from fixture_paths import ROOT

HEAVY = ("rdflib", "pyshacl", "owlrl", "httpx", "jinja2", "starlette", "uvicorn", "yaml")

_RUN_AND_LIST_IMPORTS = f"""
import sys
from click.testing import CliRunner
from peelkg.cli import main

result = CliRunner().invoke(main, sys.argv[1:], prog_name="peelkg")
print(result.exit_code)
print((result.output.splitlines() or [""])[0])
print(",".join(m for m in {HEAVY!r} if m in sys.modules) or "none")
"""

COMMANDS = ("add", "build", "catalogue", "cycles", "export", "new-report", "push", "queries", "query",
            "serve", "validate")


def _run(*args: str) -> tuple[int, str, str]:
    """Exit code, first line of output, and the heavy libraries imported, of `peelkg ARGS`."""
    done = subprocess.run([sys.executable, "-c", _RUN_AND_LIST_IMPORTS, "--project", str(ROOT), *args],
                          capture_output=True, text=True, check=True, timeout=120)
    code, first_line, imported = done.stdout.splitlines()
    return int(code), first_line, imported


def test_a_stored_query_on_the_built_graph_imports_no_heavy_library(built):
    assert _run("--build-dir", str(built), "query", "grades-by-question") == (
        0, "questionNumber  " + "question".ljust(80) + "  " + "grade".ljust(20) + "  rank  summary", "none")


def test_listing_the_stored_queries_imports_no_heavy_library(built):
    assert _run("--build-dir", str(built), "queries") == (
        0, "areas-for-improvement  [recommendations, areas-for-improvement]", "none")


def test_without_a_build_the_headers_are_parsed_with_yaml(tmp_path):
    # The build keeps the parsed headers (query.library); without one, PyYAML parses them.
    assert _run("--build-dir", str(tmp_path / "none"), "queries") == (
        0, "areas-for-improvement  [recommendations, areas-for-improvement]", "yaml")


def test_the_help_imports_no_heavy_library():
    assert _run("--help") == (0, "Usage: peelkg [OPTIONS] COMMAND [ARGS]...", "none")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_commands_help_imports_no_heavy_library(command):
    assert _run(command, "--help") == (0, f"Usage: peelkg {command} [OPTIONS]" + _ARGUMENTS.get(command, ""),
                                       "none")


_ARGUMENTS = {"add": " FILE_OR_FOLDER...", "validate": " FILE_OR_FOLDER...", "query": " [NAME]"}


def test_a_stored_query_loads_only_the_queries_commands(built):
    script = ("import sys\nfrom click.testing import CliRunner\nfrom peelkg.cli import main\n"
              "result = CliRunner().invoke(main, sys.argv[1:], prog_name='peelkg')\n"
              "print(result.exit_code, sorted(m for m in sys.modules if m.startswith('peelkg.cli.')))\n")
    done = subprocess.run([sys.executable, "-c", script, "--project", str(ROOT), "--build-dir", str(built), "query",
                           "grades-by-question"], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == "0 ['peelkg.cli.common', 'peelkg.cli.queries']"
