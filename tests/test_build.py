"""`peelkg build` from the command line (in-process)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelkg.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project's data, ontology, shapes and queries that a test may break, with the
    Met report as its only report (the tests count its statements)."""
    for part in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / part, tmp_path / part)
    for folder in (tmp_path / "data" / "reports").iterdir():
        if folder.name != "peel-2015-effectiveness-metropolitan":
            shutil.rmtree(folder)
    return tmp_path


def _build(project: Path, *args: str):
    return CliRunner().invoke(main, ["--project", str(project), "build", *args])


def test_build_prints_the_summary_counts(project_copy):
    result = _build(project_copy)
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split()[1] for line in result.output.splitlines()[1:]}
    assert lines["reports"] == "1"
    assert lines["judgments"] == "5"
    # Issue 11: finding q4-03 was a recommendation; "more than 170 organisations" is a statistic.
    assert lines["findings"] == "150"
    assert lines["recommendations"] == "21"
    assert lines["statistics"] == "83"
    assert lines["definitions"] == "21"
    assert lines["violations"] == "0"
    assert (project_copy / "build" / "store").is_dir()


def test_build_reports_its_stage_timings_in_the_summary_and_the_manifest(project_copy):
    result = _build(project_copy)
    summary = json.loads((project_copy / "build" / "manifest.json").read_text())["summary"]
    assert (sorted(summary["stages"]), sorted(summary["load_stages"]), sorted(summary["report_stages"])) == (
        ["check reference data", "corpus", "duplicate reports", "hash", "load", "reports", "store", "summary"],
        ["index reference data", "ontology closure", "parse", "reason over reference data", "shapes"],
        ["checks", "parse", "reason", "serialise", "shapes"])
    assert all(s >= 0 for part in ("stages", "load_stages", "report_stages") for s in summary[part].values())
    assert sum(summary["stages"].values()) <= summary["seconds"]
    stages = next(line for line in result.output.splitlines() if line.startswith("  stages "))
    assert stages.startswith("  stages       hash ") and stages.endswith(" (s)")


def test_second_build_reuses_the_unchanged_report(project_copy):
    _build(project_copy)
    result = _build(project_copy)
    assert "reports      1 (0 rebuilt, 1 unchanged)" in result.output


def test_non_conforming_report_exits_1_and_writes_nothing(project_copy):
    judgments = project_copy / "data/reports/peel-2015-effectiveness-metropolitan/judgments.ttl"
    judgments.write_text(judgments.read_text().replace("peel:grade grade:good ;", "", 1))
    result = _build(project_copy)
    assert result.exit_code == 1
    assert "report:peel-2015-effectiveness-metropolitan/judgment/q1 (peel:grade): A judgment needs exactly one peel:grade" in result.output
    assert "Nothing was written." in result.output
    assert not (project_copy / "build").exists()


def test_failed_build_keeps_the_previous_store(project_copy):
    assert _build(project_copy).exit_code == 0
    before = (project_copy / "build" / "manifest.json").read_text()
    judgments = project_copy / "data/reports/peel-2015-effectiveness-metropolitan/judgments.ttl"
    judgments.write_text(judgments.read_text().replace("peel:grade grade:good ;", "", 1))
    assert _build(project_copy).exit_code == 1
    assert (project_copy / "build" / "manifest.json").read_text() == before
    assert (project_copy / "build" / "store").is_dir()


def test_syntax_error_names_file_line_and_column(project_copy):
    bad = project_copy / "data/reports/peel-2015-effectiveness-metropolitan/judgments.ttl"
    bad.write_text(bad.read_text() + "\nthis is not turtle\n")
    result = _build(project_copy)
    assert result.exit_code == 2
    assert "judgments.ttl:" in result.output and "syntax error" in result.output
    assert "Traceback" not in result.output


def test_duplicate_report_iri_in_two_folders_is_refused(project_copy):
    source = project_copy / "data/reports/peel-2015-effectiveness-metropolitan"
    shutil.copytree(source, project_copy / "data/reports/copy-of-met")
    result = _build(project_copy)
    assert result.exit_code == 1
    assert "is declared in more than one report folder (copy-of-met, peel-2015-effectiveness-metropolitan)" in result.output


def _copy_report_as(project: Path, new_id: str) -> None:
    source = project / "data/reports/peel-2015-effectiveness-metropolitan"
    target = project / "data/reports" / new_id
    target.mkdir()
    for f in source.iterdir():
        text = f.read_text().replace("report/peel-2015-effectiveness-metropolitan", f"report/{new_id}")
        (target / f.name).write_text(text.replace("report:peel-2015-effectiveness-metropolitan", f"report:{new_id}"))


def _query_rows(project: Path, *args: str) -> list[str]:
    result = CliRunner().invoke(main, ["--project", str(project), "query", *args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()[1:]


def test_triples_stated_by_two_reports_are_returned_once(project_copy):
    _build(project_copy)
    alone = _query_rows(project_copy, "units-of-force")
    _copy_report_as(project_copy, "second-report")
    assert _build(project_copy).exit_code == 0
    assert _query_rows(project_copy, "units-of-force") == alone


def test_a_warning_two_reports_give_is_printed_once_with_their_number(project_copy):
    _copy_report_as(project_copy, "second-report")
    lines = [line.strip() for line in _build(project_copy).output.splitlines() if "london-resilience" in line]
    assert lines == ["warning: partnership:london-resilience-partnership: A partnership usually has at least two "
                     "members, the force and a partner; add the partner if the report names it. (from 2 reports)"]


def test_removing_a_report_removes_only_what_no_other_report_states(project_copy):
    first = _build(project_copy).output
    _copy_report_as(project_copy, "second-report")
    _build(project_copy)
    shutil.rmtree(project_copy / "data/reports/second-report")
    again = _build(project_copy).output
    assert first.splitlines()[1] == again.splitlines()[1]  # the same triple counts
    assert "reports      1 (0 rebuilt, 1 unchanged)" in again


# -- One definition of valid: build fails on whatever `peelkg validate` fails on ----

MET_FOLDER = Path("data/reports/peel-2015-effectiveness-metropolitan")


def _validate(project: Path, folder: Path):
    return CliRunner().invoke(main, ["--project", str(project), "validate", str(folder)])


def test_build_fails_on_a_placeholder_as_validate_does(project_copy):
    judgments = project_copy / MET_FOLDER / "judgments.ttl"
    judgments.write_text(judgments.read_text().replace(
        '"The Metropolitan Police Service is good at preventing crime', '"TODO: The Metropolitan Police Service is good at preventing crime', 1))
    result = _build(project_copy)
    assert (result.exit_code, _validate(project_copy, project_copy / MET_FOLDER).exit_code) == (1, 1)
    assert ("report:peel-2015-effectiveness-metropolitan/judgment/q1 (peel:summary): Placeholder left in "
            "peel:summary: replace") in result.output
    assert not (project_copy / "build").exists()


def test_build_fails_on_a_subject_outside_the_project_namespace_as_validate_does(project_copy):
    report = project_copy / MET_FOLDER / "report.ttl"
    report.write_text(report.read_text() + '\n<http://example.org/thing> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n')
    result = _build(project_copy)
    assert (result.exit_code, _validate(project_copy, project_copy / MET_FOLDER).exit_code) == (1, 1)
    assert ("<http://example.org/thing>: <http://example.org/thing> is minted (used as a subject) outside the "
            "project's namespace https://w3id.org/peelkg/id/") in result.output
