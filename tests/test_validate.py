"""`peelkg validate`: output formats, locations, descriptions, exit codes and scope."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from peelkg.cli import main
from peelkg.project import Project
from peelkg.pipeline.context import load_base
from peelkg.validation.locate import SourceFile

from fixture_paths import FIXTURE, KENT, MET, R, REPORT_TTL, ROOT, SOURCE
PEELKG_CHECKS = "https://w3id.org/peelkg/checks#"


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def validate(runner: CliRunner, *args: str):
    return runner.invoke(main, ["--project", str(ROOT), "validate", *args])


def broken(tmp_path: Path, old: str, new: str, name: str = "report.ttl") -> Path:
    """A copy of the fixture report with ``old`` replaced by ``new``; returns its folder."""
    text = REPORT_TTL.read_text(encoding="utf-8")
    assert text.count(old) == 1
    folder = tmp_path / KENT
    folder.mkdir()
    (folder / name).write_text(text.replace(old, new), encoding="utf-8")
    return folder


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(text))


NO_GRADE = ("    peel:grade grade:requires-improvement ;\n", "")


# -- human output ----


def test_human_output_gives_file_line_and_node(runner, tmp_path):
    folder = broken(tmp_path, *NO_GRADE)
    result = validate(runner, str(folder))
    line = line_of(folder / "report.ttl", "judgment:q2 a peel:Judgment")
    assert f"report.ttl:{line}: judgment:q2\n" in result.stdout


def test_human_output_describes_a_judgment_by_its_question_and_report(runner, tmp_path):
    result = validate(runner, str(broken(tmp_path, *NO_GRADE)))
    assert f"  the judgment for 'investigating crime' in report {KENT}\n" in result.stdout


def test_human_output_gives_message_severity_and_shape(runner, tmp_path):
    result = validate(runner, str(broken(tmp_path, *NO_GRADE)))
    assert ("  violation: A judgment needs exactly one peel:grade, a grade of the reference data (e.g. grade:good).\n"
            "    [peel:grade; shape peelsh:Judgment-grade (sh:MinCountConstraintComponent)]\n") in result.stdout


def test_human_output_describes_a_finding_by_its_kind(runner, tmp_path):
    folder = broken(tmp_path, "finding:q1-02 a peel:Strength ;", "finding:q1-02 a peel:Strength , peel:Weakness ;")
    result = validate(runner, str(folder))
    assert f"  finding finding:q1-02 (Strength, Weakness) in report {KENT}\n" in result.stdout


def test_human_output_describes_a_statistic_by_measure_value_and_area(runner, tmp_path):
    folder = broken(tmp_path, "peel:value 84.5 ;", "peel:value 184.5 ;")
    result = validate(runner, str(folder))
    assert ("  statistic stat:victim-satisfaction-kent ('victims satisfied with their whole experience of the "
            f"police' = 184.5 percent for Kent) in report {KENT}\n") in result.stdout


def test_human_output_describes_evidence_by_what_it_supports(runner, tmp_path):
    folder = broken(tmp_path, 'understand well." ;\n    peel:page 2 ;\n', 'understand well." ;\n    peel:page 0 ;\n')
    result = validate(runner, str(folder))
    assert (f"  the evidence ev:finding-q1-01 of finding finding:q1-01 (Strength) in report {KENT}\n"
            in result.stdout)


def test_human_output_groups_problems_by_node_in_file_order(runner, tmp_path):
    folder = tmp_path / KENT
    folder.mkdir()
    text = (REPORT_TTL.read_text()
            .replace("    peel:ordinal 2 ;\n    peel:text", "    peel:ordinal 1 ;\n    peel:text")  # afi:1 and afi:2
            .replace("peel:question q:q4 ;\n    peel:grade grade:good ;", "peel:question q:q4 ;"))  # judgment:q4
    (folder / "report.ttl").write_text(text)
    out = validate(runner, str(folder)).stdout
    assert out.count(": afi:1\n") == out.count(": afi:2\n") == out.count(": judgment:q4\n") == 1
    assert out.index(": judgment:q4\n") < out.index(": afi:1\n") < out.index(": afi:2\n")


def test_human_output_ends_with_a_verdict(runner, tmp_path):
    result = validate(runner, str(broken(tmp_path, *NO_GRADE)))
    assert result.stdout.endswith(f"{KENT}: does not conform (1 violation, 0 warnings; 1 file).\n")


def test_conforming_report_prints_only_the_verdict(runner):
    result = validate(runner, str(FIXTURE / KENT))
    assert result.stdout == f"{KENT}: conforms (0 violations, 0 warnings; 1 file).\n"
    assert result.exit_code == 0


# -- JSON output ----


def test_json_output_is_a_flat_list_with_the_documented_keys(runner, tmp_path):
    result = validate(runner, str(broken(tmp_path, *NO_GRADE)), "--format", "json")
    [problem] = json.loads(result.stdout)
    assert {"file", "line", "focus", "severity", "message", "path", "value", "shape", "component"} <= set(problem)
    assert problem["focus"] == R + "judgment/q2"
    assert problem["path"] == "https://w3id.org/peelkg/def#grade"
    assert problem["shape"] == "https://w3id.org/peelkg/shapes#Judgment-grade"
    assert problem["component"] == str(SH.MinCountConstraintComponent)


def test_json_output_names_peelkg_checks_in_their_namespace(runner, tmp_path):
    folder = broken(tmp_path, "peel:grade grade:requires-improvement ;", "peel:grade grade:excellent ;")
    [problem] = json.loads(validate(runner, str(folder), "--format", "json").stdout)
    assert problem["shape"] == PEELKG_CHECKS + "reference-grade"
    assert problem["value"] == "grade:excellent"


def test_json_output_names_the_sparql_constraint(runner, tmp_path):
    folder = broken(tmp_path, "peel:value 84.5 ;", "peel:value 184.5 ;")
    [problem] = json.loads(validate(runner, str(folder), "--format", "json").stdout)
    assert problem["shape"] == "https://w3id.org/peelkg/shapes#StatisticShape"
    assert problem["constraint"] == "https://w3id.org/peelkg/shapes#Statistic-percentRange"
    assert problem["component"] == str(SH.SPARQLConstraintComponent)


# -- Turtle output: a SHACL validation report ----


def _report_graph(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


def test_turtle_output_is_a_shacl_validation_report(runner, tmp_path):
    folder = broken(tmp_path, 'understand well." ;\n    peel:page 2 ;\n', 'understand well." ;\n    peel:page 0 ;\n')
    graph = _report_graph(validate(runner, str(folder), "--format", "turtle").stdout)
    report = graph.value(None, RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms) == Literal(False)
    [result] = list(graph.objects(report, SH.result))
    assert graph.value(result, SH.focusNode) == URIRef(R + "evidence/finding-q1-01")
    assert graph.value(result, SH.resultPath) == URIRef("https://w3id.org/peelkg/def#page")
    assert graph.value(result, SH.value) == Literal(0)
    assert graph.value(result, SH.resultSeverity) == SH.Violation
    assert graph.value(result, SH.sourceShape) == URIRef("https://w3id.org/peelkg/shapes#Evidence-page")
    assert graph.value(result, SH.sourceConstraintComponent) == SH.MinInclusiveConstraintComponent
    assert str(graph.value(result, SH.resultMessage)).startswith("Evidence needs exactly one peel:page")


def test_turtle_output_of_a_conforming_report_says_it_conforms(runner):
    graph = _report_graph(validate(runner, str(FIXTURE / KENT), "--format", "turtle").stdout)
    report = graph.value(None, RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms) == Literal(True)
    assert list(graph.objects(report, SH.result)) == []


def test_turtle_output_gives_a_checks_value_as_the_term_itself(runner, tmp_path):
    # A unit minted under a force the reference data does not have: the value is the force's IRI.
    folder = broken(tmp_path, "# -- Statistics ----\n", "<https://w3id.org/peelkg/id/force/kentt/cid> "
                    "<http://www.w3.org/2000/01/rdf-schema#label> \"CID\"@en .\n\n# -- Statistics ----\n")
    graph = _report_graph(validate(runner, str(folder), "--format", "turtle").stdout)
    values = {graph.value(r, SH.value) for r in graph.subjects(SH.sourceShape, URIRef(PEELKG_CHECKS + "reference-force"))}
    assert values == {URIRef("https://w3id.org/peelkg/id/force/kentt")}


def test_turtle_output_with_warnings_only_does_not_conform(runner, tmp_path):
    # SHACL: sh:conforms is true only when there is no validation result at all, warnings too.
    folder = broken(tmp_path, '"Too few trained detectives delay some investigations"@en',
                    '"Too few trained detectives delay 3 investigations"@en')
    result = validate(runner, str(folder), "--format", "turtle")
    graph = _report_graph(result.stdout)
    report = graph.value(None, RDF.type, SH.ValidationReport)
    severities = {graph.value(r, SH.resultSeverity) for r in graph.objects(report, SH.result)}
    assert (result.exit_code, severities, graph.value(report, SH.conforms)) == (0, {SH.Warning}, Literal(False))


# -- Locations ----


def test_location_of_a_subject_written_with_a_prefix(tmp_path):
    path = tmp_path / "a.ttl"
    path.write_text("@prefix ex: <https://w3id.org/peelkg/id/x/> .\n\nex:a ex:p ex:b ;\n    ex:q ex:c .\nex:b ex:p ex:a .\n")
    lines = SourceFile(path, "a.ttl").subject_lines
    assert lines["https://w3id.org/peelkg/id/x/a"] == 3
    assert lines["https://w3id.org/peelkg/id/x/b"] == 5


def test_location_of_a_subject_written_as_a_full_iri(tmp_path):
    path = tmp_path / "a.ttl"
    path.write_text("# comment\n<https://w3id.org/peelkg/id/x/a>\n    <https://w3id.org/peelkg/id/x/p> 1 .\n")
    assert SourceFile(path, "a.ttl").subject_lines == {"https://w3id.org/peelkg/id/x/a": 2}


def test_location_ignores_objects_at_the_start_of_a_continuation_line(tmp_path):
    path = tmp_path / "a.ttl"
    path.write_text("@prefix ex: <https://w3id.org/peelkg/id/x/> .\nex:a ex:p\n    ex:b .\n")
    assert "https://w3id.org/peelkg/id/x/b" not in SourceFile(path, "a.ttl").subject_lines


def test_location_falls_back_to_the_first_line_mentioning_the_node(tmp_path):
    path = tmp_path / "a.ttl"
    path.write_text("@prefix ex: <https://w3id.org/peelkg/id/x/> .\nex:a ex:p\n    ex:b .\n")
    assert SourceFile(path, "a.ttl").mention_line("https://w3id.org/peelkg/id/x/b") == 3


def test_location_in_json_ld_is_the_node_object_not_a_reference(tmp_path):
    path = tmp_path / "a.jsonld"
    path.write_text(json.dumps([
        {"@id": "https://w3id.org/peelkg/id/x/a", "https://w3id.org/peelkg/def#p": [{"@id": "https://w3id.org/peelkg/id/x/b"}]},
        {"@id": "https://w3id.org/peelkg/id/x/b", "https://w3id.org/peelkg/def#page": [{"@value": 0}]},
    ], indent=2))
    lines = path.read_text().splitlines()
    expected = next(i for i, line in enumerate(lines, 1) if line.strip() == '"@id": "https://w3id.org/peelkg/id/x/b",')
    assert SourceFile(path, "a.jsonld").subject_lines["https://w3id.org/peelkg/id/x/b"] == expected


def test_location_in_n_triples(runner, tmp_path):
    import pyoxigraph as ox

    text = REPORT_TTL.read_text().replace('understand well." ;\n    peel:page 2 ;\n', 'understand well." ;\n    peel:page 0 ;\n')
    triples = [q.triple for q in ox.parse(text, format=ox.RdfFormat.TURTLE)]
    path = tmp_path / "report.nt"
    path.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    [problem] = json.loads(validate(runner, str(path), "--format", "json").stdout)
    first = line_of(path, f"<{R}evidence/finding-q1-01>")
    assert problem["line"] == first


# -- Scope: one report, not the corpus ----


def test_files_given_together_are_one_report(runner, tmp_path):
    text = REPORT_TTL.read_text()
    head, rest = text.split("# -- Judgments ----\n")
    prefixes = "".join(line + "\n" for line in head.splitlines() if line.startswith("@prefix"))
    (tmp_path / "report.ttl").write_text(head)
    (tmp_path / "judgments.ttl").write_text(prefixes + rest)
    result = validate(runner, str(tmp_path / "report.ttl"), str(tmp_path / "judgments.ttl"))
    assert result.exit_code == 0, result.stdout


def test_a_part_of_a_report_alone_is_not_a_report(runner, tmp_path):
    text = REPORT_TTL.read_text()
    head, rest = text.split("# -- Judgments ----\n")
    prefixes = "".join(line + "\n" for line in head.splitlines() if line.startswith("@prefix"))
    (tmp_path / "judgments.ttl").write_text(prefixes + rest)
    problems = json.loads(validate(runner, str(tmp_path / "judgments.ttl"), "--format", "json").stdout)
    assert ("peelkg:one-report" in {p["shape"].replace(PEELKG_CHECKS, "peelkg:") for p in problems})
    assert any(p["message"].startswith("The files declare no peel:Report") for p in problems)


def test_a_copy_of_the_met_report_clashes_with_data_reports(runner, tmp_path):
    copy = tmp_path / "met-copy"
    shutil.copytree(MET, copy)
    problems = json.loads(validate(runner, str(copy), "--format", "json").stdout)
    assert [(p["node"], p["shape"]) for p in problems if p["severity"] == "Violation"] == [
        ("report:peel-2015-effectiveness-metropolitan", PEELKG_CHECKS + "duplicate-report")
    ]


def test_validating_a_report_folder_of_data_reports_is_no_clash(runner):
    problems = json.loads(validate(runner, str(MET), "--format", "json").stdout)
    assert not any(p["shape"] == PEELKG_CHECKS + "duplicate-report" for p in problems)


def test_two_reports_in_one_input_are_refused(runner, tmp_path):
    text = REPORT_TTL.read_text()
    second = text.replace(KENT, "peel-2015-effectiveness-surrey").replace("force:kent", "force:surrey")
    (tmp_path / "a.ttl").write_text(text)
    (tmp_path / "b.ttl").write_text(second)
    problems = json.loads(validate(runner, str(tmp_path), "--format", "json").stdout)
    messages = {p["message"] for p in problems if p["shape"] == PEELKG_CHECKS + "one-report"}
    assert messages == {"The files declare 2 reports (report:peel-2015-effectiveness-kent, "
                        "report:peel-2015-effectiveness-surrey); validate one report at a time."}


# -- Exit codes and options ----


def test_warnings_alone_exit_0(runner, tmp_path):
    folder = broken(tmp_path, '"Too few trained detectives delay some investigations"@en',
                    '"Too few trained detectives delay 3 investigations"@en')
    assert validate(runner, str(folder)).exit_code == 0


def test_fail_on_warning_makes_warnings_exit_1(runner, tmp_path):
    folder = broken(tmp_path, '"Too few trained detectives delay some investigations"@en',
                    '"Too few trained detectives delay 3 investigations"@en')
    assert validate(runner, str(folder), "--fail-on", "warning").exit_code == 1


def test_missing_source_text_exits_2(runner):
    result = validate(runner, str(FIXTURE / KENT), "--source", str(FIXTURE / "no-such.txt"))
    assert result.exit_code == 2
    assert "no-such.txt: no such source text file." in result.stderr


def test_folder_without_rdf_files_exits_2(runner, tmp_path):
    (tmp_path / "notes.md").write_text("nothing here")
    result = validate(runner, str(tmp_path))
    assert result.exit_code == 2
    assert "no RDF files in this folder" in result.stderr


def test_source_file_named_otherwise_than_the_report_says_is_a_warning(runner, tmp_path):
    other = tmp_path / "kent.txt"
    shutil.copyfile(SOURCE, other)
    problems = json.loads(validate(runner, str(FIXTURE / KENT), "--source", str(other), "--format", "json").stdout)
    assert [(p["severity"], p["node"]) for p in problems] == [("Warning", "r:source")]


def test_quote_in_the_source_but_number_missing_from_its_own_quote_is_a_warning(runner, tmp_path):
    folder = broken(tmp_path, 'oa:exact "100 by cautioning young people" ;', 'oa:exact "by cautioning young people" ;')
    problems = json.loads(validate(runner, str(folder), "--source", str(SOURCE), "--format", "json").stdout)
    assert [(p["severity"], p["node"], p["shape"]) for p in problems] == [
        ("Warning", "stat:caution-youths-count-kent", PEELKG_CHECKS + "source-number-quote")
    ]


def test_no_traceback_logged_for_ill_typed_literals(runner, tmp_path):
    folder = broken(tmp_path, '"2016-02"^^xsd:gYearMonth', '"2016-13"^^xsd:gYearMonth')
    result = validate(runner, str(folder))
    assert "Traceback" not in result.stderr
    assert result.exit_code == 1


def test_base_is_loaded_once_per_process():
    project = Project(ROOT)
    assert load_base(project) is load_base(project)


def test_a_violation_points_at_the_line_of_the_offending_statement(runner, tmp_path):
    folder = broken(tmp_path, 'understand well." ;\n    peel:page 2 ;\n', 'understand well." ;\n    peel:page 0 ;\n')
    [problem] = json.loads(validate(runner, str(folder), "--format", "json").stdout)
    subject = line_of(folder / "report.ttl", "ev:finding-q1-01 a peel:Evidence")
    statement = line_of(folder / "report.ttl", "    peel:page 0 ;")
    assert (problem["line"], problem["statement_file"], problem["statement_line"]) == (
        subject, str(folder / "report.ttl"), statement)
    assert subject < statement


def test_human_output_puts_the_statement_line_before_the_severity(runner, tmp_path):
    folder = broken(tmp_path, 'understand well." ;\n    peel:page 2 ;\n', 'understand well." ;\n    peel:page 0 ;\n')
    statement = line_of(folder / "report.ttl", "    peel:page 0 ;")
    assert f"\n  {folder / 'report.ttl'}:{statement}: violation: Evidence needs exactly one peel:page" in validate(
        runner, str(folder)).stdout


def test_statement_line_in_n_triples_is_the_line_of_that_triple(tmp_path):
    path = tmp_path / "a.nt"
    path.write_text('<https://w3id.org/peelkg/id/x/a> <http://www.w3.org/2000/01/rdf-schema#label> "a" .\n'
                    '<https://w3id.org/peelkg/id/x/a> <https://w3id.org/peelkg/def#page> "0" .\n'
                    '<https://w3id.org/peelkg/id/x/a> <https://w3id.org/peelkg/def#page> "2" .\n')
    source = SourceFile(path, "a.nt")
    assert (source.statement_line("https://w3id.org/peelkg/id/x/a", "https://w3id.org/peelkg/def#page", "2"),
            source.statement_line("https://w3id.org/peelkg/id/x/a", "https://w3id.org/peelkg/def#grade")) == (3, None)


def test_an_owl_file_is_read_as_rdf_xml(runner, tmp_path):
    import pyoxigraph as ox

    triples = [q.triple for q in ox.parse(REPORT_TTL.read_bytes(), format=ox.RdfFormat.TURTLE)]
    folder = tmp_path / KENT
    folder.mkdir()
    (folder / "report.owl").write_bytes(ox.serialize(triples, format=ox.RdfFormat.RDF_XML))
    result = validate(runner, str(folder))
    assert (result.exit_code, result.stdout) == (0, f"{KENT}: conforms (0 violations, 0 warnings; 1 file).\n")
