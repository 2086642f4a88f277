"""Reports of every cycle and kind (the invented fixtures of tests/fixtures/kinds): each validates,
is added and builds, references between reports resolve against the corpus, and broken variants
fail with their exact messages. Plus `peelkg cycles`, `new-report --cycle` and the parameters a
user gives by name (a grade on the report's scale, a bare question id)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelkg.cli import main

ROOT = Path(__file__).resolve().parents[1]
KINDS = ROOT / "tests" / "fixtures" / "kinds"
ID = "https://w3id.org/peelkg/id/"
# In the order `peelkg add` must take them: a report before the reports that point to it.
ORDER = ["peel-2015-efficiency-kent-example", "peel-2015-legitimacy-kent-example",
         "peel-2016-effectiveness-kent-example", "peel-2017-effectiveness-kent-example",
         "peel-2018-19-kent-example", "peel-2023-25-kent-example", "peel-2024-revisit-kent-example"]
NEEDS_CORPUS = {"peel-2017-effectiveness-kent-example", "peel-2024-revisit-kent-example"}


def peelkg(project: Path, *args: str):
    return CliRunner().invoke(main, ["--project", str(project), *args])


def source_args(name: str) -> list[str]:
    text = KINDS / f"{name}.txt"
    return ["--source", str(text)] if text.exists() else []


def problems(result) -> list[tuple[str, str, str]]:
    return sorted((p["severity"], p["node"], p["message"]) for p in json.loads(result.stdout))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A copy of the project (the Met report and the 43 grade-only records) with every fixture
    added by `peelkg add`, and built."""
    root = tmp_path_factory.mktemp("kinds")
    for part in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / part, root / part)
    for name in ORDER:
        result = peelkg(root, "add", str(KINDS / name), *source_args(name))
        assert result.exit_code == 0, (name, result.output)
    result = peelkg(root, "--build-dir", str(root / "build"), "build", "--jobs", "1")
    assert result.exit_code == 0, result.output
    return root


def query(project: Path, name: str, *params: str) -> list[dict]:
    args = [a for p in params for a in ("-p", *p.split("=", 1))]
    result = peelkg(project, "--build-dir", str(project / "build"), "query", name, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


# -- Each fixture on its own ----


@pytest.mark.parametrize("name", sorted(set(ORDER) - NEEDS_CORPUS))
def test_fixture_validates_on_its_own(name):
    result = peelkg(ROOT, "validate", str(KINDS / name), *source_args(name))
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"{name}: conforms (0 violations, 0 warnings; 1 file).\n")


def test_carried_forward_to_nothing_fails_with_its_message():
    name = "peel-2017-effectiveness-kent-example"
    result = peelkg(ROOT, "validate", str(KINDS / name), "--format", "json")
    assert result.exit_code == 1
    assert problems(result) == [
        ("Violation", "judgment:q1",
         "The judgment carries forward the grade of earlier:q1, which is not a judgment of any report in "
         "data/reports: add the earlier report first (peelkg add), or correct the IRI."),
        ("Violation", f"report:{name}",
         "The report follows report:peel-2016-effectiveness-kent-example, which is not a report in data/reports: "
         "add that report first (peelkg add), or correct the IRI."),
    ]


def test_revisit_of_a_missing_report_fails_with_its_message():
    name = "peel-2024-revisit-kent-example"
    result = peelkg(ROOT, "validate", str(KINDS / name), "--format", "json")
    assert result.exit_code == 1
    assert problems(result) == [
        ("Violation", f"report:{name}",
         "The report revisits report:peel-2023-25-kent-example, which is not a report in data/reports: add that "
         "report first (peelkg add), or correct the IRI."),
        ("Violation", f"report:{name}",
         "The report revisits the cause of concern earlier:cause-of-concern-1, which is not a cause of concern of "
         "any report in data/reports: add the revisited report first, or correct the IRI."),
    ]


def _broken(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    text = (KINDS / name / "report.ttl").read_text(encoding="utf-8")
    assert text.count(old) == 1
    (folder / "report.ttl").write_text(text.replace(old, new), encoding="utf-8")
    return folder


def violations(folder: Path, project: Path = ROOT) -> list[tuple[str, str, str]]:
    """The problems `peelkg validate` finds in ``folder``, which must not conform."""
    result = peelkg(project, "validate", str(folder), "--format", "json")
    assert result.exit_code == 1, result.output
    return problems(result)


def test_a_grade_off_its_cycles_scale_fails_with_its_message(tmp_path):
    folder = _broken(tmp_path, "peel-2023-25-kent-example", "peel:grade grade:five-adequate ;", "peel:grade grade:good ;")
    assert violations(folder) == [
        ("Violation", "judgment:q1",
         "The grade grade:good is not on the grading scale id:scale/five-point of the report's cycle; use a grade of "
         "that scale. The grades of id:scale/five-point are grade:five-outstanding, grade:five-good, "
         "grade:five-adequate, grade:five-requires-improvement, grade:five-inadequate."),
    ]


def test_adequate_in_a_four_point_cycle_fails_with_its_message(tmp_path):
    folder = _broken(tmp_path, "peel-2016-effectiveness-kent-example",
                     "peel:grade grade:requires-improvement ;", "peel:grade grade:five-adequate ;")
    assert violations(folder) == [
        ("Violation", "judgment:q2",
         "The grade grade:five-adequate is not on the grading scale id:scale/four-point of the report's cycle; use a "
         "grade of that scale. The grades of id:scale/four-point are grade:outstanding, grade:good, "
         "grade:requires-improvement, grade:inadequate."),
    ]


def test_a_grade_only_record_without_its_gaps_stated_warns(tmp_path):
    folder = _broken(tmp_path, "peel-2015-legitimacy-kent-example",
                     "    peel:notRecorded dcterms:title , dcterms:issued , dcterms:license , prov:wasGeneratedBy , "
                     "peel:sourceDocument ;\n", "")
    result = peelkg(ROOT, "validate", str(folder), "--format", "json")
    assert result.exit_code == 0
    node = "report:peel-2015-legitimacy-kent-example"
    assert [(s, n) for s, n, _ in problems(result)] == [("Warning", node)] * 5
    assert ("Warning", node, "The report has no dcterms:title; add the title as printed (\"...\"@en), or "
            "peel:notRecorded dcterms:title if its sources do not give it.") in problems(result)


def test_a_carried_forward_judgment_must_not_type_its_grade(corpus, tmp_path):
    folder = _broken(tmp_path, "peel-2017-effectiveness-kent-example",
                     "    peel:carriedForwardFrom earlier:q1 ;\n", "    peel:carriedForwardFrom earlier:q1 ;\n    peel:grade grade:good ;\n")
    result = peelkg(corpus, "validate", str(folder), "--format", "json")
    assert result.exit_code == 1
    messages = [m for _, node, m in problems(result) if node == "judgment:q1"]
    assert messages == ["A carried-forward judgment takes its grade from earlier:q1 (grade:good); remove peel:grade "
                        "rather than typing the grade again."]


# -- In the corpus: added, built, queried ----


def test_every_fixture_validates_in_the_corpus(corpus):
    for name in ORDER:
        result = peelkg(corpus, "validate", str(corpus / "data" / "reports" / name))
        assert result.exit_code == 0, (name, result.output)


def test_the_carried_forward_grade_is_resolved_in_the_grade_history(corpus):
    rows = [r for r in query(corpus, "grade-history", "force=kent") if r["cycle"] == "PEEL 2017 effectiveness"]
    assert [(r["questionId"], r["grade"], r["kind"], r["gradedIn"]) for r in rows] == [
        ("peel-2017-effectiveness/overall", "Good", "inspected", ID + "report/peel-2017-effectiveness-kent-example"),
        ("peel-2017-effectiveness/q1", "Good", "carried forward", ID + "report/peel-2016-effectiveness-kent-example"),
        ("peel-2017-effectiveness/q2", "Good", "inspected", ID + "report/peel-2017-effectiveness-kent-example"),
        ("peel-2017-effectiveness/q3", "Outstanding", "inspected", ID + "report/peel-2017-effectiveness-kent-example"),
        ("peel-2017-effectiveness/q4", "Good", "inspected", ID + "report/peel-2017-effectiveness-kent-example"),
    ]


def test_the_grade_distribution_counts_a_carried_forward_judgment_with_the_grade_it_keeps(corpus):
    rows = [(r["questionId"], r["grade"], r["rank"], r["forces"]) for r in query(corpus, "grade-distribution")
            if r["cycle"] == "PEEL 2017 effectiveness"]
    # q1 is carried forward from the 2016 report (Good there) and has no grade of its own.
    assert rows == [
        ("peel-2017-effectiveness/overall", "Good", "2", "1"),
        ("peel-2017-effectiveness/q1", "Good", "2", "1"),
        ("peel-2017-effectiveness/q2", "Good", "2", "1"),
        ("peel-2017-effectiveness/q3", "Outstanding", "1", "1"),
        ("peel-2017-effectiveness/q4", "Good", "2", "1"),
    ]


def test_grade_changes_compare_ranks_on_one_scale_and_refuse_across_scales(corpus):
    rows = query(corpus, "grade-changes", "from=cycle:peel-2016-effectiveness", "to=cycle:peel-2017-effectiveness")
    example = [(r["earlierQuestion"], r["earlierGrade"], r["laterGrade"], r["change"]) for r in rows
               if r["earlierQuestion"] != "peel-2016-effectiveness/overall" or r["earlierGrade"] == "Good"]
    assert ("peel-2016-effectiveness/q2", "Requires improvement", "Good", "rose") in example
    assert ("peel-2016-effectiveness/q3", "Good", "Outstanding", "rose") in example
    assert ("peel-2016-effectiveness/q1", "Good", "Good", "same") in example
    # Within 2023-25, the revisit's grade (Good) is better than the report's (Adequate).
    within = query(corpus, "grade-changes", "from=cycle:peel-2023-25", "to=cycle:peel-2023-25")
    assert ("peel-2023-25/q1", "Adequate", "Good", "rose") in [
        (r["earlierQuestion"], r["earlierGrade"], r["laterGrade"], r["change"]) for r in within]


def test_grade_changes_refuse_to_compare_the_four_and_five_point_scales(corpus):
    """No recorded question is matched across the scales, so the refusal is shown on a graph with
    one such match: the reference data's grades and two minimal reports."""
    import pyoxigraph as ox

    from peelkg.query.library import load_query
    from peelkg.query.binding import bind
    from rdflib import URIRef

    store = ox.Store()
    for path in sorted((ROOT / "data" / "reference").glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    store.load(input=f"""
        @prefix peel: <https://w3id.org/peelkg/def#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix id: <{ID}> .
        id:question\\/peel-2023-25\\/q1 skos:closeMatch id:question\\/peel-2018-19\\/effectiveness-q2 .
        id:report\\/a peel:cycle id:cycle\\/peel-2018-19 ; peel:inspectedForce id:force\\/kent .
        id:report\\/b peel:cycle id:cycle\\/peel-2023-25 ; peel:inspectedForce id:force\\/kent .
        id:report\\/a\\/j peel:judgmentIn id:report\\/a ; peel:question id:question\\/peel-2018-19\\/effectiveness-q2 ;
            peel:grade id:grade\\/good .
        id:report\\/b\\/j peel:judgmentIn id:report\\/b ; peel:question id:question\\/peel-2023-25\\/q1 ;
            peel:grade id:grade\\/five-adequate .
        """, format=ox.RdfFormat.TURTLE)
    text = bind(load_query(ROOT / "queries" / "grade-changes.rq").text,
                {"_from": URIRef(ID + "cycle/peel-2018-19"), "_to": URIRef(ID + "cycle/peel-2023-25")})
    rows = [(r["earlierGrade"].value, r["laterGrade"].value, r["change"].value) for r in store.query(text)]
    assert rows == [("Good", "Adequate", "not comparable (different grading scales)")]


def test_causes_of_concern_are_listed_with_their_recommendations_and_revisit(corpus):
    assert [(r["force"], r["concern"], r["ordinal"], r["recommendation"], r["revisitedBy"])
            for r in query(corpus, "causes-of-concern")] == [
        ("Kent Police", "The force does not answer enough emergency calls quickly enough.", "1",
         "Within three months, the force should make sure it has enough call handlers on every shift.",
         ID + "report/peel-2024-revisit-kent-example"),
        ("Kent Police", "The force does not answer enough emergency calls quickly enough.", "2",
         "Within six months, the force should review how it prioritises calls for service.",
         ID + "report/peel-2024-revisit-kent-example"),
    ]


def test_reports_are_listed_by_kind(corpus):
    kinds = {r["report"].rsplit("/", 1)[-1]: (r["kind"], r["record"]) for r in query(corpus, "reports-by-kind")}
    assert {name: kinds[name] for name in ORDER} == {
        "peel-2015-efficiency-kent-example": ("pillar report", "complete record"),
        "peel-2015-legitimacy-kent-example": ("pillar report", "partial record"),
        "peel-2016-effectiveness-kent-example": ("pillar report", "complete record"),
        "peel-2017-effectiveness-kent-example": ("pillar report", "complete record"),
        "peel-2018-19-kent-example": ("integrated assessment report", "complete record"),
        "peel-2023-25-kent-example": ("integrated assessment report", "complete record"),
        "peel-2024-revisit-kent-example": ("revisit report", "complete record"),
    }


def test_a_grade_is_taken_by_its_name_on_the_reports_scale(corpus):
    report = "report=peel-2023-25-kent-example"
    assert query(corpus, "questions-better-than", report, "grade=adequate") == []
    rows = query(corpus, "questions-better-than", report, "grade=requires improvement")
    assert [(r["grade"], r["rank"]) for r in rows] == [("Adequate", "3")]


def test_a_bare_question_id_ambiguous_across_cycles_is_refused(corpus):
    result = peelkg(corpus, "--build-dir", str(corpus / "build"), "query", "grades-for-question-and-year",
                    "-p", "question", "q2", "-p", "year", "2016")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: The question id 'q2' for parameter question is ambiguous: questions of several cycles have it "
        "(peel-2016-effectiveness/q2, peel-2016-legitimacy/q2). Give the cycle too, e.g. -p question "
        "peel-2016-effectiveness/q2.\n")
    rows = query(corpus, "grades-for-question-and-year", "question=peel-2016-effectiveness/q2", "year=2016")
    assert [(r["force"], r["grade"]) for r in rows] == [("Kent Police", "Requires improvement")]


# -- Authoring: cycles and skeletons ----


def test_cycles_lists_every_cycle_with_its_scale_and_questions():
    result = peelkg(ROOT, "cycles")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert sum(1 for line in lines if line.startswith("peel-")) == 18
    assert "peel-2023-25  PEEL 2023–25 (2023–25; effectiveness, efficiency, legitimacy) [partly unconfirmed: see its " \
           "skos:editorialNote]" in lines
    assert "  scale: PEEL five-point grading scale (since 2021) (Outstanding, Good, Adequate, Requires improvement, " \
           "Inadequate)" in lines
    assert "  ungraded peel-2015-legitimacy/q2: To what extent are forces recording crimes in accordance with the " \
           "Home Office Counting Rules?" in lines


def test_new_report_for_a_cycle_has_that_cycles_questions(tmp_path):
    target = tmp_path / "draft.ttl"
    result = peelkg(ROOT, "new-report", "--force", "kent", "--cycle", "peel-2016-effectiveness", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "report:peel-2016-effectiveness-kent a peel:Report ;" in text
    judged = [line.split()[0] for line in text.splitlines() if line.startswith("judgment:") and " a peel:" in line]
    assert judged == ["judgment:overall", "judgment:q1", "judgment:q2", "judgment:q3", "judgment:q4", "judgment:q5"]
    assert "judgment:q5 a peel:UngradedJudgment ;" in text
    assert "@prefix q:            <https://w3id.org/peelkg/id/question/peel-2016-effectiveness/> ." in text


def test_new_report_names_a_missing_cycle_as_such():
    result = peelkg(ROOT, "new-report", "--force", "kent", "--cycle", "peel-2019-effectiveness")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: There is no cycle 'peel-2019-effectiveness' in the reference data. "
                                    "Cycles, closest first: peel-2014-effectiveness, ")


def test_an_unknown_question_lists_only_the_reports_own_cycles_questions(tmp_path):
    folder = _broken(tmp_path, "peel-2016-effectiveness-kent-example", "    peel:question q:q4 ;", "    peel:question q:q9 ;")
    assert ("Violation", "judgment:q4",
            "q:q9 is not a question of the reference data. Questions of id:question/peel-2016-effectiveness, closest "
            "first: q:q1, q:q2, q:q3, q:q4, q:q5, q:q1-1, q:q1-2, q:q2-1, q:q2-2, q:q2-3, q:q3-1, q:q3-2, q:q3-3, "
            "q:q4-1, q:overall.") in violations(folder)


def test_a_report_of_a_missing_cycle_is_told_the_cycle_is_missing(tmp_path):
    folder = tmp_path / "peel-2019-effectiveness-kent-example"
    folder.mkdir()
    text = (KINDS / "peel-2016-effectiveness-kent-example" / "report.ttl").read_text(encoding="utf-8")
    (folder / "report.ttl").write_text(text.replace("peel-2016-effectiveness", "peel-2019-effectiveness"), encoding="utf-8")
    cycle_message = ("cycle:peel-2019-effectiveness is not a cycle of the reference data: there is no cycle "
                     "'peel-2019-effectiveness'. Cycles, closest first: peel-2014-effectiveness, peel-2015-effectiveness, "
                     "peel-2016-effectiveness, peel-2017-effectiveness, peel-2014-efficiency, peel-2015-efficiency, "
                     "peel-2016-efficiency, peel-2017-efficiency (`peelkg cycles` lists them all).")
    assert violations(folder) == [
        ("Violation", "r:inspection", cycle_message),
        ("Violation", "r:inspection",
         "q:q1 is a question of the cycle 'peel-2019-effectiveness', which is not in the reference data: there is no "
         "such cycle. `peelkg cycles` lists the cycles and their questions; give the question of one of them (or add "
         "the cycle to data/reference)."),
        ("Violation", "report:peel-2019-effectiveness-kent-example", cycle_message),
    ]


@pytest.fixture
def small_project(tmp_path) -> Path:
    """The project's ontology, shapes, queries and reference data with no report yet."""
    for part in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / part, tmp_path / part)
    for folder in (tmp_path / "data" / "reports").iterdir():
        shutil.rmtree(folder)
    return tmp_path


def test_build_runs_the_checks_validate_runs(small_project):
    name = "peel-2015-efficiency-kent-example"
    folder = small_project / "data" / "reports" / name
    shutil.copytree(KINDS / name, folder)
    text = (folder / "report.ttl").read_text(encoding="utf-8")
    (folder / "report.ttl").write_text(text.replace(
        'peel:summary "Kent Police\'s workforce model requires improvement." ;', 'peel:summary "TODO" ;'), encoding="utf-8")
    result = peelkg(small_project, "--build-dir", str(small_project / "build"), "build")
    assert result.exit_code == 1
    assert ("  report:peel-2015-efficiency-kent-example/judgment/q2 (peel:summary): Placeholder left in peel:summary: "
            "replace \"TODO\" with the sentence stating the grade, verbatim.") in result.output


def test_a_reused_report_is_checked_again_when_the_report_it_points_to_goes(small_project):
    for name in ("peel-2016-effectiveness-kent-example", "peel-2017-effectiveness-kent-example"):
        assert peelkg(small_project, "add", str(KINDS / name), *source_args(name)).exit_code == 0
    build_args = ["--build-dir", str(small_project / "build"), "build"]
    assert peelkg(small_project, *build_args).exit_code == 0
    shutil.rmtree(small_project / "data" / "reports" / "peel-2016-effectiveness-kent-example")
    result = peelkg(small_project, *build_args)
    assert result.exit_code == 1
    assert ("  report:peel-2017-effectiveness-kent-example/judgment/q1 (peel:carriedForwardFrom): The judgment carries "
            "forward the grade of report:peel-2016-effectiveness-kent-example/judgment/q1, which is not a judgment of "
            "any report in data/reports: add the earlier report first (peelkg add), or correct the IRI.") in result.output
