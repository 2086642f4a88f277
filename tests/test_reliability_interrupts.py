"""Queries on the built graph that would run for hours: `--timeout` stops them, and so does
Ctrl-C (SIGINT), within a second, even while the engine is still computing its first row."""

from __future__ import annotations

import signal
import time

import pytest

from peelkg_process import assert_clean_failure, run, start

pytestmark = pytest.mark.reliability

# Hours of work on the built graph, and no row to show before the end.
CARTESIAN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }\n"
ANY_PATH_COUNT = ("SELECT (COUNT(*) AS ?n) WHERE { ?s (<http://example.org/p>|!<http://example.org/p>)* ?o . "
                  "?x ?y ?z }\n")


def _query_file(tmp_path, text: str):
    path = tmp_path / "long.rq"
    path.write_text(text)
    return path


def _interrupt_after(process, seconds: float) -> float:
    """Send SIGINT after ``seconds`` of work; the seconds the process then took to end."""
    time.sleep(seconds)
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGINT)
    sent = time.monotonic()
    process.wait(timeout=30)
    return time.monotonic() - sent


@pytest.mark.parametrize("text", [CARTESIAN_COUNT, ANY_PATH_COUNT], ids=["cartesian", "any-path"])
def test_ctrl_c_stops_a_running_query_within_a_second(built, tmp_path, text):
    process = start("--build-dir", str(built), "query", "--file", str(_query_file(tmp_path, text)))
    took = _interrupt_after(process, 2.0)
    out, err = process.communicate()
    assert took < 1.0
    assert process.returncode == 130
    assert err == "interrupted\n"
    assert out == ""


def test_timeout_stops_a_query_that_runs_too_long(built, tmp_path):
    started = time.monotonic()
    result = run("--build-dir", str(built), "query", "--file", str(_query_file(tmp_path, CARTESIAN_COUNT)),
                 "--timeout", "1")
    assert time.monotonic() - started < 15  # interpreter start and store opening included
    assert_clean_failure(result, 2, "The query ran longer than 1 s")
    assert result.stdout == ""


def test_a_quick_query_is_not_affected_by_the_timeout(built):
    result = run("--build-dir", str(built), "query", "grades-by-question", "--format", "csv", "--timeout", "5")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 6  # the header and the Met report's five graded questions
