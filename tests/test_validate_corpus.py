"""A corpus of invalid reports: each is the invented Kent fixture with ONE defect, validated with
`peelkg validate --format json`; each case states the exact problems (severity, node, message)
and the exit code. Plus: the Met report and the fixture itself raise no violation."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from peelkg.cli import main

from fixture_paths import FIXTURE, KENT, MET, MET_SOURCE, REPORT_TTL, ROOT, SOURCE

FORCES = ("force:kent, force:gwent, force:dorset, force:cleveland, force:devon-and-cornwall, "
          "force:greater-manchester, force:northumbria, force:west-mercia, force:metropolitan, force:warwickshire, "
          "force:hertfordshire, force:west-midlands, force:city-of-london, force:leicestershire, "
          "force:west-yorkshire, force:essex, force:gloucestershire, force:north-yorkshire, force:south-yorkshire, "
          "force:avon-and-somerset, force:surrey, force:sussex, force:norfolk, force:suffolk, force:cheshire, "
          "force:hampshire, force:wiltshire, force:derbyshire, force:humberside, force:lancashire, "
          "force:merseyside, force:dyfed-powys, force:north-wales, force:south-wales, force:bedfordshire, "
          "force:lincolnshire, force:staffordshire, force:thames-valley, force:cambridgeshire, "
          "force:nottinghamshire, force:northamptonshire, force:cumbria, force:durham")


# -- Editing the fixture ----


def replace(old: str, new: str) -> Callable[[str], str]:
    """An edit replacing the one occurrence of ``old``."""

    def edit(text: str) -> str:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in the fixture"
        return text.replace(old, new)

    return edit


def replace_all(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text
        return text.replace(old, new)

    return edit


def drop_block(first_line: str) -> Callable[[str], str]:
    """An edit removing the statement that starts with ``first_line`` (up to its closing ' .')."""

    def edit(text: str) -> str:
        lines = text.split("\n")
        start = lines.index(first_line)
        end = next(i for i in range(start, len(lines)) if lines[i].rstrip().endswith(" ."))
        return "\n".join(lines[:start] + lines[end + 1:])

    return edit


def both(*edits: Callable[[str], str]) -> Callable[[str], str]:
    def edit(text: str) -> str:
        for e in edits:
            text = e(text)
        return text

    return edit


def as_jsonld(text: str) -> str:
    triples = [q.triple for q in ox.parse(text, format=ox.RdfFormat.TURTLE)]
    data = json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD))
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def as_ntriples(text: str) -> str:
    triples = [q.triple for q in ox.parse(text, format=ox.RdfFormat.TURTLE)]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()


@dataclass
class Case:
    edit: Callable[[str], str]
    expected: list[tuple[str, str, str]]  # (severity, node, message)
    exit_code: int = 1
    source: bool = False
    file_name: str = "report.ttl"
    convert: Callable[[str], str] | None = None
    extra_args: list[str] = field(default_factory=list)


GRADE_MSG = "A judgment needs exactly one peel:grade, a grade of the reference data (e.g. grade:good)."
Q = "id:question/peel-2015-effectiveness/"

CASES: dict[str, Case] = {
    "missing-grade": Case(
        replace("    peel:grade grade:requires-improvement ;\n", ""),
        [("Violation", "judgment:q2", GRADE_MSG)],
    ),
    "two-grades": Case(
        replace("    peel:grade grade:requires-improvement ;\n",
                "    peel:grade grade:requires-improvement , grade:good ;\n"),
        [("Violation", "judgment:q2", GRADE_MSG)],
    ),
    "grade-from-the-five-point-scale": Case(
        replace("peel:grade grade:requires-improvement ;", "peel:grade grade:five-requires-improvement ;"),
        [("Violation", "judgment:q2",
          "The grade grade:five-requires-improvement is not on the grading scale id:scale/four-point of the "
          "report's cycle; use a grade of that scale. The grades of id:scale/four-point are grade:outstanding, "
          "grade:good, grade:requires-improvement, grade:inadequate.")],
    ),
    "unknown-grade": Case(
        replace("peel:grade grade:requires-improvement ;", "peel:grade grade:requires-improvment ;"),
        [("Violation", "judgment:q2",
          "grade:requires-improvment is not a grade of the reference data. Grades of the cycle's scale "
          "id:scale/four-point, closest first: grade:requires-improvement, grade:inadequate, grade:outstanding, "
          "grade:good.")],
    ),
    "grade-placeholder-left": Case(
        replace("peel:grade grade:requires-improvement ;", "peel:grade grade:TODO ;"),
        [("Violation", "judgment:q2",
          "grade:TODO is not a grade of the reference data. Grades of the cycle's scale id:scale/four-point, "
          "closest first: grade:good, grade:outstanding, grade:inadequate, grade:requires-improvement.")],
    ),
    "unknown-force": Case(
        replace("peel:inspectedForce force:kent ;\n    peel:sourceDocument",
                "peel:inspectedForce force:kennt ;\n    peel:sourceDocument"),
        [("Violation", "report:peel-2015-effectiveness-kent",
          f"force:kennt is not a police force of the reference data. Valid forces, closest first: {FORCES}.")],
    ),
    "unknown-question": Case(
        replace("peel:question q:q4 ;\n    peel:ordinal 1 ;", "peel:question q:q5 ;\n    peel:ordinal 1 ;"),
        [("Violation", "finding:q4-01",
          "q:q5 is not a question of the reference data. Questions of id:question/peel-2015-effectiveness, "
          "closest first: q:q1, q:q2, q:q3, q:q4, q:q1-1, q:q1-2, q:q2-1, q:q2-2, q:q2-3, q:q4-1, q:q4-2, q:q4-3, "
          "q:q4-4, q:q1-1-1, q:q1-1-2, q:q1-1-3, q:q1-2-1, q:q1-2-2, q:q1-2-3, q:q2-2-1, q:q2-2-2, q:q2-2-3, "
          "q:q2-2-4, q:q2-3-1, q:q2-3-2, q:q2-3-3, q:overall.")],
    ),
    "graded-question-without-judgment": Case(
        both(drop_block("judgment:q3 a peel:Judgment ;"), drop_block("ev:judgment-q3 a peel:Evidence ;")),
        [("Violation", "report:peel-2015-effectiveness-kent",
          f"The report has no judgment for the graded question {Q}q3; add a peel:Judgment with peel:judgmentIn "
          f"this report and peel:question {Q}q3.")],
    ),
    "two-judgments-for-one-question": Case(
        replace("# -- Findings ----\n",
                "judgment:q2-again a peel:Judgment ;\n    peel:judgmentIn report:peel-2015-effectiveness-kent ;\n"
                "    peel:question q:q2 ;\n    peel:grade grade:good ;\n    peel:evidence ev:judgment-q2 .\n\n"
                "# -- Findings ----\n"),
        [("Violation", "report:peel-2015-effectiveness-kent",
          f"The report has more than one judgment for the question {Q}q2; keep exactly one judgment per graded "
          "question.")],
    ),
    "finding-without-evidence": Case(
        replace("    peel:ordinal 2 ;\n    peel:evidence ev:finding-q1-02 .", "    peel:ordinal 2 ."),
        [("Violation", "finding:q1-02",
          "Every statement needs peel:evidence: a peel:Evidence with the verbatim quote (oa:exact), its page and "
          "section.")],
    ),
    "finding-without-question": Case(
        replace("    peel:question q:q1 ;\n    peel:ordinal 2 ;", "    peel:ordinal 2 ;"),
        [("Violation", "finding:q1-02",
          "A finding needs exactly one peel:question: the in-depth question (or q:overall) it is reported under.")],
    ),
    "finding-both-strength-and-weakness": Case(
        replace("finding:q1-02 a peel:Strength ;", "finding:q1-02 a peel:Strength , peel:Weakness ;"),
        [("Violation", "finding:q1-02",
          "A finding must be exactly one of peel:Strength, peel:Weakness or peel:Observation (peel:BestPractice "
          "counts as a strength).")],
    ),
    "sub-question-not-under-the-question": Case(
        replace("    peel:question q:q1 ;\n    peel:ordinal 1 ;",
                "    peel:question q:q1 ;\n    peel:subQuestion q:q2-2-1 ;\n    peel:ordinal 1 ;"),
        [("Violation", "finding:q1-01",
          f"The sub-question {Q}q2-2-1 is not part of the finding's question {Q}q1; give the diagnostic "
          "question of the section the finding is in.")],
    ),
    "evidence-without-page": Case(
        replace('understand well." ;\n    peel:page 2 ;\n', 'understand well." ;\n'),
        [("Violation", "ev:finding-q1-01",
          "Evidence needs exactly one peel:page, the page ordinal (an integer from 1) where the quote begins.")],
    ),
    "page-zero": Case(
        replace('understand well." ;\n    peel:page 2 ;\n', 'understand well." ;\n    peel:page 0 ;\n'),
        [("Violation", "ev:finding-q1-01",
          "Evidence needs exactly one peel:page, the page ordinal (an integer from 1) where the quote begins.")],
    ),
    "language-tagged-quote": Case(
        replace('"Neighbourhood officers work closely with local councils to solve problems early." ;',
                '"Neighbourhood officers work closely with local councils to solve problems early."@en ;'),
        [("Violation", "ev:finding-q1-02",
          "Evidence needs exactly one oa:exact: the verbatim quote from the report text (a plain string, "
          "whitespace normalised).")],
    ),
    "quote-not-in-source": Case(
        replace('"Neighbourhood officers work closely with local councils to solve problems early." ;',
                '"Neighbourhood officers work closely with local schools to solve problems early." ;'),
        [("Violation", "ev:finding-q1-02",
          "The quote \"Neighbourhood officers work closely with local schools to solve pro...\" is not "
          "in the source text: it matches the text up to \"Neighbourhood officers work closely with local\" "
          "(word 6 of 11); copy it verbatim from the source.")],
        source=True,
    ),
    "page-not-where-the-quote-first-occurs": Case(
        replace('understand well." ;\n    peel:page 2 ;\n', 'understand well." ;\n    peel:page 3 ;\n'),
        [("Warning", "ev:finding-q1-01",
          "The quote first occurs on page 2 of the source text, not on page 3; peel:page is the page where the "
          "quote begins.")],
        exit_code=0,
        source=True,
    ),
    "page-not-where-the-quote-first-occurs-fail-on-warning": Case(
        replace('understand well." ;\n    peel:page 2 ;\n', 'understand well." ;\n    peel:page 3 ;\n'),
        [("Warning", "ev:finding-q1-01",
          "The quote first occurs on page 2 of the source text, not on page 3; peel:page is the page where the "
          "quote begins.")],
        source=True,
        extra_args=["--fail-on", "warning"],
    ),
    "statistic-value-not-in-source": Case(
        replace("peel:value 84.5 ;", "peel:value 84.6 ;"),
        [("Violation", "stat:victim-satisfaction-kent",
          "The value 84.6 is not written anywhere in the source text; check the figure against the report (as "
          "printed, without thousands separators).")],
        source=True,
    ),
    "negative-count": Case(
        replace("peel:value 600 ;", "peel:value -600 ;"),
        [("Violation", "stat:out-of-court-formal-count-kent",
          "The count -600 is negative; a count is zero or more (a fall is a peel:Statistic with "
          "unit:percent-change)."),
         ("Violation", "stat:out-of-court-formal-count-kent",
          "The parts of this group total add up to 600, not to the total -600; check the figures of the group "
          "and of its parts (measures with skos:broader the group's measure).")],
    ),
    "percentage-over-100": Case(
        replace("peel:value 84.5 ;", "peel:value 184.5 ;"),
        [("Violation", "stat:victim-satisfaction-kent",
          "The percentage 184.5 is outside 0 to 100; a percentage lies between 0 and 100 (use "
          "unit:percent-change for a change).")],
    ),
    "parts-not-adding-up-to-the-group-total": Case(
        replace("peel:value 350 ;", "peel:value 340 ;"),
        [("Violation", "stat:out-of-court-formal-count-kent",
          "The parts of this group total add up to 590, not to the total 600; check the figures of the group "
          "and of its parts (measures with skos:broader the group's measure).")],
    ),
    "value-not-a-number": Case(
        replace("peel:value 84.5 ;", 'peel:value "abc" ;'),
        [("Violation", "stat:victim-satisfaction-kent",
          "A statistic needs exactly one peel:value, a number typed xsd:integer (95237) or xsd:decimal (13.3), "
          "without thousands separators.")],
    ),
    "statistic-without-unit": Case(
        replace("    peel:unit unit:percent ;\n", ""),
        [("Violation", "stat:victim-satisfaction-kent",
          "A statistic needs exactly one peel:unit, a unit of the reference data (e.g. unit:count, "
          "unit:percent).")],
    ),
    "bad-issue-date": Case(
        replace('"2016-02"^^xsd:gYearMonth', '"2016-13"^^xsd:gYearMonth'),
        [("Violation", "report:peel-2015-effectiveness-kent",
          "A report needs exactly one dcterms:issued date, typed xsd:date (\"2016-02-01\"^^xsd:date) or "
          "xsd:gYearMonth (\"2016-02\"^^xsd:gYearMonth).")],
    ),
    "bad-isbn": Case(
        replace('peel:isbn "978-0-000000-00-0"', 'peel:isbn "978-0-000000-00"'),
        [("Violation", "report:peel-2015-effectiveness-kent",
          "peel:isbn must be one ISBN-13 written with hyphens as printed, e.g. \"978-1-911194-96-5\".")],
    ),
    "dangling-reference": Case(
        replace("peel:grade grade:requires-improvement ;", "peel:grade judgment:requires-improvement ;"),
        [("Violation", "judgment:q2",
          "judgment:requires-improvement is used here (peel:grade) but described nowhere: neither in this "
          "report nor in the reference data. Check the spelling, or describe it.")],
    ),
    "report-iri-of-the-met-report": Case(
        replace_all("report:peel-2015-effectiveness-kent", "report:peel-2015-effectiveness-metropolitan"),
        [("Violation", "report:peel-2015-effectiveness-metropolitan",
          "The report report:peel-2015-effectiveness-metropolitan is already declared in "
          "data/reports/peel-2015-effectiveness-metropolitan/; give this report its own IRI "
          "(report:peel-<year>-<pillar>-<force>), or validate that folder itself.")],
    ),
    "iri-outside-the-project-namespace": Case(
        replace("finding:q4-01 a peel:Observation ;", "<http://example.org/finding/q4-01> a peel:Observation ;"),
        [("Violation", "<http://example.org/finding/q4-01>",
          "<http://example.org/finding/q4-01> is minted (used as a subject) outside the project's namespace "
          "https://w3id.org/peelkg/id/; give it an IRI under that namespace (see docs/modelling.md, 'IRIs and "
          "prefixes').")],
    ),
    "blank-node-evidence": Case(
        replace("    peel:evidence ev:finding-q4-01 .",
                "    peel:evidence [ a peel:Evidence ; oa:exact \"The force understands well the threat\" ;"
                " peel:page 3 ; peel:section \"Serious and organised crime\" ] ."),
        [("Violation", "finding:q4-01",
          "The value of peel:evidence is a blank node; give every node an IRI so that messages, diffs and other "
          "stores can name it.")],
    ),
    "class-name-misspelt": Case(
        replace("judgment:q4 a peel:Judgment ;", "judgment:q4 a peel:Judgement ;"),
        [("Violation", "judgment:q4",
          "peel:Judgement is not a class of the peel ontology (ontology/peel.ttl); did you mean peel:Judgment?")],
    ),
    "afi-ordinal-twice": Case(
        replace("    peel:ordinal 2 ;\n    peel:text", "    peel:ordinal 1 ;\n    peel:text"),
        [("Violation", "afi:1",
          f"Another area for improvement of the same report (report:{KENT}/afi/2) has the ordinal 1; number them "
          "1, 2, ... in the order printed."),
         ("Violation", "afi:2",
          f"Another area for improvement of the same report (report:{KENT}/afi/1) has the ordinal 1; number them "
          "1, 2, ... in the order printed.")],
    ),
    "inspection-starts-after-it-ends": Case(
        replace('peel:periodStart "2015-09"^^xsd:gYearMonth', 'peel:periodStart "2015-12"^^xsd:gYearMonth'),
        [("Violation", "r:inspection",
          "The inspection starts (2015-12) after it ends (2015-11); swap or correct peel:periodStart and "
          "peel:periodEnd.")],
    ),
    "reference-period-starts-after-it-ends": Case(
        replace("# -- Statistics ----\n",
                "period:kent-backwards a peel:ReferencePeriod ;\n    rdfs:label \"a period the wrong way round\"@en ;\n"
                "    peel:periodStart \"2015-06-30\"^^xsd:date ;\n    peel:periodEnd \"2014-07-01\"^^xsd:date .\n\n"
                "# -- Statistics ----\n"),
        [("Violation", "period:kent-backwards",
          "The period starts (2015-06-30) after it ends (2014-07-01); swap or correct the dates.")],
    ),
    "finding-label-with-a-number-is-a-warning": Case(
        replace('"Too few trained detectives delay some investigations"@en',
                '"Too few trained detectives delay 3 investigations"@en'),
        [("Warning", "finding:q2-2-1-01",
          "A finding's label should not contain numbers: numbers belong in statistics, where they are checked "
          "against the text.")],
        exit_code=0,
    ),
    "json-ld-input-missing-grade": Case(
        replace("    peel:grade grade:requires-improvement ;\n", ""),
        [("Violation", f"report:{KENT}/judgment/q2", GRADE_MSG)],  # JSON-LD without a context: no prefixes
        file_name="report.jsonld",
        convert=as_jsonld,
    ),
    "n-triples-input-page-zero": Case(
        replace('understand well." ;\n    peel:page 2 ;\n', 'understand well." ;\n    peel:page 0 ;\n'),
        [("Violation", f"report:{KENT}/evidence/finding-q1-01",
          "Evidence needs exactly one peel:page, the page ordinal (an integer from 1) where the quote begins.")],
        file_name="report.nt",
        convert=as_ntriples,
    ),
}

@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def write_case(case: Case, folder: Path) -> Path:
    folder.mkdir(parents=True)
    text = case.edit(REPORT_TTL.read_text(encoding="utf-8"))
    if case.convert is not None:
        text = case.convert(text)
    (folder / case.file_name).write_text(text, encoding="utf-8")
    return folder


def run_validate(runner: CliRunner, *args: str):
    return runner.invoke(main, ["--project", str(ROOT), "validate", *args])


@pytest.mark.parametrize("name", list(CASES))
def test_invalid_report_is_reported_exactly(name, runner, tmp_path):
    case = CASES[name]
    folder = write_case(case, tmp_path / KENT)
    args = [str(folder), "--format", "json", *case.extra_args]
    if case.source:
        args += ["--source", str(SOURCE)]
    result = run_validate(runner, *args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    problems = json.loads(result.stdout)
    assert sorted((p["severity"], p["node"], p["message"]) for p in problems) == sorted(case.expected)
    assert result.exit_code == case.exit_code


def test_corpus_has_at_least_thirty_invalid_reports():
    assert len(CASES) + len(UNREADABLE) >= 30


# -- Inputs that cannot be read: exit code 2 and a one-line message, never a traceback ----


def _syntax_error(tmp_path: Path) -> list[str]:
    folder = tmp_path / KENT
    folder.mkdir()
    text = REPORT_TTL.read_text(encoding="utf-8").replace("    peel:ordinal 2 ;\n    peel:text", "    peel:ordinal 2\n    peel:text", 1)
    (folder / "report.ttl").write_text(text, encoding="utf-8")
    return [str(folder / "report.ttl")]


def _unknown_suffix(tmp_path: Path) -> list[str]:
    path = tmp_path / "report.txt"
    path.write_text(REPORT_TTL.read_text(encoding="utf-8"), encoding="utf-8")
    return [str(path)]


def _missing_file(tmp_path: Path) -> list[str]:
    return [str(tmp_path / "no-such-report.ttl")]


def _jsonld_syntax_error(tmp_path: Path) -> list[str]:
    path = tmp_path / "report.jsonld"
    path.write_text('{"@id": "https://w3id.org/peelkg/id/report/x",\n  "@type": }\n', encoding="utf-8")
    return [str(path)]


UNREADABLE: dict[str, tuple[Callable[[Path], list[str]], str]] = {
    "syntax-error": (
        _syntax_error,
        r"^error: .*/report\.ttl:\d+:\d+: syntax error: .+\. Fix the \w+ syntax there\.$",
    ),
    "unknown-file-suffix": (
        _unknown_suffix,
        r"^error: .*/report\.txt: unknown RDF format '\.txt'; use one of the suffixes .+\.$",
    ),
    "missing-file": (_missing_file, r"^error: .*/no-such-report\.ttl: no such file or folder\.$"),
    "json-ld-syntax-error": (_jsonld_syntax_error, r"^error: .*/report\.jsonld(:\d+:\d+)?: (syntax error|cannot read).*$"),
}


@pytest.mark.parametrize("name", list(UNREADABLE))
def test_unreadable_input_exits_2_with_a_message(name, runner, tmp_path):
    make, pattern = UNREADABLE[name]
    result = run_validate(runner, *make(tmp_path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert re.match(pattern, result.stderr.strip()), result.stderr
    assert "Traceback" not in result.stderr


def test_syntax_error_names_the_line_and_column(runner, tmp_path):
    [path] = _syntax_error(tmp_path)
    line = next(i for i, text in enumerate(Path(path).read_text().splitlines(), 1)
                if text == "    peel:text \"The force should improve how it records the outcomes of its investigations.\" ;")
    result = run_validate(runner, path)
    assert f"report.ttl:{line}:" in result.stderr


# -- No false alarms ----


def test_met_report_folder_has_no_violation(runner):
    result = run_validate(runner, str(MET), "--format", "json")
    assert [p for p in json.loads(result.stdout) if p["severity"] == "Violation"] == []
    assert result.exit_code == 0


def test_met_report_has_no_violation_against_its_source_text(runner):
    result = run_validate(runner, str(MET), "--source", str(MET_SOURCE), "--format", "json")
    assert [p for p in json.loads(result.stdout) if p["severity"] == "Violation"] == []
    assert result.exit_code == 0


def test_fixture_report_has_no_problem_at_all(runner):
    result = run_validate(runner, str(FIXTURE / KENT), "--source", str(SOURCE), "--format", "json")
    assert json.loads(result.stdout) == []
    assert result.exit_code == 0
