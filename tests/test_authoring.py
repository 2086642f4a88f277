"""docs/authoring.md, followed on the invented Kent fixture: `peelkg new-report` writes a skeleton
that fails validation until filled in; the filled-in report validates with no problem, also
against its source text; `peelkg add` copies only a conforming report into data/reports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from peelkg.cli import main
from peelkg.project import Project

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "authoring"
KENT = "peel-2015-effectiveness-kent"
FILLED = FIXTURE / KENT
SOURCE = FIXTURE / f"{KENT}.txt"
MET = "peel-2015-effectiveness-metropolitan"


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def project(tmp_path) -> Path:
    """A scratch project sharing the real ontology, reference data and shapes, with the Met
    report in data/reports and an empty data/sources: commands may write into it."""
    root = tmp_path / "project"
    (root / "data" / "reports").mkdir(parents=True)
    (root / "data" / "sources").mkdir()
    for part in ("ontology", "shapes", "queries"):
        (root / part).symlink_to(ROOT / part)
    (root / "data" / "reference").symlink_to(ROOT / "data" / "reference")
    (root / "data" / "reports" / MET).symlink_to(ROOT / "data" / "reports" / MET)
    return root


def peelkg(runner: CliRunner, project: Path, *args: str):
    return runner.invoke(main, ["--project", str(project), *args])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- new-report ----


def test_new_report_writes_the_skeleton_to_data_drafts_by_default(runner, project):
    result = peelkg(runner, project, "new-report", "--force", "kent", "--year", "2015")
    assert result.exit_code == 0, result.output
    assert (project / "data" / "drafts" / KENT / "report.ttl").is_file()


def test_new_report_writes_into_the_output_folder(runner, project, tmp_path):
    result = peelkg(runner, project, "new-report", "--force", "kent", "--year", "2015", "-o", str(tmp_path / "draft"))
    assert result.exit_code == 0
    assert result.stdout.startswith(f"wrote {tmp_path / 'draft' / 'report.ttl'}\n")


def test_skeleton_has_one_judgment_per_graded_question_of_the_cycle(runner, project, tmp_path):
    peelkg(runner, project, "new-report", "--force", "kent", "--year", "2015", "-o", str(tmp_path / "draft"))
    triples = [q.triple for q in ox.parse(path=str(tmp_path / "draft" / "report.ttl"), format=ox.RdfFormat.TURTLE)]
    questions = sorted(t.object.value.rsplit("/", 1)[-1] for t in triples
                       if t.predicate.value == "https://w3id.org/peelkg/def#question"
                       and "/judgment/" in t.subject.value)
    assert questions == ["overall", "q1", "q2", "q3", "q4"]


def test_skeleton_has_every_kind_of_statement_with_evidence(runner, project, tmp_path):
    peelkg(runner, project, "new-report", "--force", "kent", "--year", "2015", "-o", str(tmp_path / "draft"))
    triples = [q.triple for q in ox.parse(path=str(tmp_path / "draft" / "report.ttl"), format=ox.RdfFormat.TURTLE)]
    types = {t.object.value.rsplit("#", 1)[-1] for t in triples
             if t.predicate.value.endswith("#type") and t.object.value.startswith("https://w3id.org/peelkg/def#")}
    assert {"Report", "SourceDocument", "Inspection", "Judgment", "Strength", "AreaForImprovement",
            "Statistic", "Evidence"} <= types


def test_skeleton_fails_validation_on_its_placeholders(runner, project, tmp_path):
    peelkg(runner, project, "new-report", "--force", "kent", "--year", "2015", "-o", str(tmp_path / "draft"))
    result = peelkg(runner, project, "validate", str(tmp_path / "draft"), "--format", "json")
    problems = json.loads(result.stdout)
    assert result.exit_code == 1
    assert {p["shape"].rsplit("#", 1)[-1] for p in problems} == {"placeholder", "reference-grade"}
    assert ("judgment:q2",
            "grade:TODO is not a grade of the reference data. Grades of the cycle's scale id:scale/four-point, "
            "closest first: grade:good, grade:outstanding, grade:inadequate, grade:requires-improvement.") in {
        (p["node"], p["message"]) for p in problems}


def test_skeleton_escapes_a_reference_label_with_a_quote(runner, project, tmp_path):
    reference = project / "data" / "reference"
    reference.unlink()
    shutil.copytree(ROOT / "data" / "reference", reference)
    forces = reference / "forces.ttl"
    forces.write_text(forces.read_text().replace('rdfs:label "Kent Police"@en', 'rdfs:label "Kent \\"County\\" Police"@en'))
    result = peelkg(runner, project, "new-report", "--force", "kent", "--year", "2015", "-o", str(tmp_path / "out"))
    triples = list(ox.parse(path=str(tmp_path / "out" / "report.ttl"), format=ox.RdfFormat.TURTLE))
    labels = {q.object.value for q in triples if q.predicate.value.endswith("#label") and "County" in q.object.value}
    assert (result.exit_code, labels) == (0, {
        'PEEL: Police effectiveness 2015 – Kent "County" Police',
        'PEEL 2015 effectiveness inspection of Kent "County" Police',
        'Statistics stated in PEEL: Police effectiveness 2015 – Kent "County" Police'})


def test_new_report_with_an_unknown_force_lists_the_valid_ids_closest_first(runner, project):
    result = peelkg(runner, project, "new-report", "--force", "kentt", "--year", "2015")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: Unknown force 'kentt'. Valid force ids, closest first: kent, ")
    assert "metropolitan" in result.stderr
    assert not (project / "data" / "drafts").exists()


def test_new_report_for_a_year_without_a_cycle_names_the_known_cycles(runner, project):
    result = peelkg(runner, project, "new-report", "--force", "kent", "--year", "2019")
    assert result.exit_code == 2
    # No PEEL assessments were published in 2020: the cycle after 2018/19 is 2021/22.
    assert result.stderr == (
        "error: There is no PEEL effectiveness cycle of 2019 in the reference data. Cycles of effectiveness: "
        "peel-2014-effectiveness (2014), peel-2015-effectiveness (2015), peel-2016-effectiveness (2016), "
        "peel-2017-effectiveness (2017), peel-2018-19 (2018/19), peel-2021-22 (2021/22), peel-2023-25 (2023–25), "
        "peel-2025-27 (2025–27). Give --cycle ID (`peelkg cycles` lists them with their questions), or add the "
        "cycle to data/reference first (docs/authoring.md, 'Cycles').\n")


def test_new_report_refuses_to_overwrite_a_file(runner, project, tmp_path):
    target = tmp_path / "mine.ttl"
    target.write_text("# my work\n")
    result = peelkg(runner, project, "new-report", "--force", "kent", "--year", "2015", "-o", str(target))
    assert result.exit_code == 1
    assert "already exists; nothing was written" in result.stderr
    assert target.read_text() == "# my work\n"


def test_new_report_refuses_a_folder_that_is_not_empty(runner, project, tmp_path):
    (tmp_path / "draft").mkdir()
    (tmp_path / "draft" / "notes.txt").write_text("notes")
    result = peelkg(runner, project, "new-report", "--force", "kent", "--year", "2015", "-o", str(tmp_path / "draft"))
    assert result.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "draft").iterdir()) == ["notes.txt"]


def test_filled_in_fixture_keeps_every_property_of_the_skeleton(runner, project, tmp_path):
    peelkg(runner, project, "new-report", "--force", "kent", "--year", "2015", "-o", str(tmp_path / "draft"))

    def properties(path: Path) -> set[str]:
        return {q.triple.predicate.value for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)}

    assert properties(tmp_path / "draft" / "report.ttl") <= properties(FILLED / "report.ttl")


# -- the filled-in report ----


def test_filled_in_fixture_validates_with_no_problem(runner):
    result = peelkg(runner, ROOT, "validate", str(FILLED), "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_filled_in_fixture_validates_against_its_source_with_no_problem(runner):
    result = peelkg(runner, ROOT, "validate", str(FILLED), "--source", str(SOURCE), "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_fixture_source_text_says_it_is_invented():
    assert SOURCE.read_text(encoding="utf-8").startswith(" INVENTED EXAMPLE - NOT A REAL HMIC REPORT.")


# -- add ----


def test_add_copies_a_conforming_report_and_its_source(runner, project):
    result = peelkg(runner, project, "add", str(FILLED), "--source", str(SOURCE))
    assert result.exit_code == 0, result.output
    assert (project / "data" / "reports" / KENT / "report.ttl").read_bytes() == (FILLED / "report.ttl").read_bytes()
    assert (project / "data" / "sources" / f"{KENT}.txt").read_bytes() == SOURCE.read_bytes()


def test_added_report_is_a_report_of_the_project(runner, project):
    peelkg(runner, project, "add", str(FILLED))
    assert sorted(r.id for r in Project(project).reports()) == [KENT, MET]


def test_add_writes_nothing_when_the_report_does_not_conform(runner, project, tmp_path):
    folder = tmp_path / KENT
    shutil.copytree(FILLED, folder)
    text = (folder / "report.ttl").read_text().replace("peel:grade grade:requires-improvement ;", "peel:grade grade:TODO ;")
    (folder / "report.ttl").write_text(text)
    before = snapshot(project / "data")
    result = peelkg(runner, project, "add", str(folder), "--source", str(SOURCE))
    assert result.exit_code == 1
    assert "Nothing was written" in result.stdout
    assert snapshot(project / "data") == before
    assert not (project / "data" / "reports" / KENT).exists()


def test_add_writes_nothing_when_a_quote_is_not_in_the_source(runner, project, tmp_path):
    folder = tmp_path / KENT
    shutil.copytree(FILLED, folder)
    text = (folder / "report.ttl").read_text().replace("work closely with local councils", "work closely with local schools")
    (folder / "report.ttl").write_text(text)
    result = peelkg(runner, project, "add", str(folder), "--source", str(SOURCE))
    assert result.exit_code == 1
    assert not (project / "data" / "reports" / KENT).exists()
    assert not (project / "data" / "sources" / f"{KENT}.txt").exists()


def test_add_refuses_to_replace_an_existing_report_folder(runner, project):
    existing = project / "data" / "reports" / KENT
    existing.mkdir()
    (existing / "report.ttl").write_text("# an older version\n")
    result = peelkg(runner, project, "add", str(FILLED))
    assert result.exit_code == 1
    assert "never replaces a report" in result.stderr
    assert (existing / "report.ttl").read_text() == "# an older version\n"


def test_add_accepts_a_source_already_in_data_sources(runner, project):
    shutil.copyfile(SOURCE, project / "data" / "sources" / f"{KENT}.txt")
    result = peelkg(runner, project, "add", str(FILLED), "--source", str(project / "data" / "sources" / f"{KENT}.txt"))
    assert result.exit_code == 0, result.output
    assert (project / "data" / "reports" / KENT / "report.ttl").is_file()
