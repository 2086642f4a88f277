"""Each kind of constraint: a broken copy of the Met report fails with the expected message."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from peelkg.rdf.vocab import ID, OA, PEEL, SHAPES

R = "https://w3id.org/peelkg/id/report/peel-2015-effectiveness-metropolitan/"
REPORT = ID["report/peel-2015-effectiveness-metropolitan"]
Q = Q_ = "https://w3id.org/peelkg/id/question/peel-2015-effectiveness/"
MET_AREA = ID["area/E23000001"]


def focus_and_message(problems, severity: str) -> list[tuple[str, str]]:
    return sorted({(p.focus, p.message) for p in problems if p.severity == severity})


@pytest.fixture
def violations(base, broken_met) -> Callable:
    """Apply a change to a copy of the Met report and return its violations as (focus, message)."""

    def run(change: Callable[[Graph], None], severity: str = "Violation") -> list[tuple[str, str]]:
        problems = base.shapes.validate(base.ontology + base.reference + broken_met(change))
        return focus_and_message(problems, severity)

    return run


def _stat(graph: Graph, slug: str) -> URIRef:
    return URIRef(R + "statistic/" + slug)


def _find_stat(graph: Graph, measure: str, area=MET_AREA) -> URIRef:
    return next(s for s in graph.subjects(PEEL.measure, ID["measure/" + measure]) if graph.value(s, PEEL.refArea) == area)


def test_missing_grade(violations):
    j = URIRef(R + "judgment/q2")
    assert violations(lambda g: g.remove((j, PEEL.grade, None))) == [
        (str(j), "A judgment needs exactly one peel:grade, a grade of the reference data (e.g. grade:good).")
    ]


def test_two_grades(violations):
    j = URIRef(R + "judgment/q2")
    assert violations(lambda g: g.add((j, PEEL.grade, ID["grade/good"]))) == [
        (str(j), "A judgment needs exactly one peel:grade, a grade of the reference data (e.g. grade:good).")
    ]


def test_grade_from_another_scale(violations):
    j = URIRef(R + "judgment/q2")

    def change(g):
        g.set((j, PEEL.grade, ID["grade/five-adequate"]))

    assert violations(change) == [
        (str(j), "The grade grade:five-adequate is not on the grading scale id:scale/four-point of the report's cycle; use a grade of that scale.")
    ]


def test_graded_question_without_judgment(violations):
    j = URIRef(R + "judgment/q3")
    assert violations(lambda g: g.remove((j, None, None))) == [
        (str(REPORT), "The report has no judgment for the graded question id:question/peel-2015-effectiveness/q3; add a peel:Judgment with peel:judgmentIn this report and peel:question id:question/peel-2015-effectiveness/q3.")
    ]


def test_two_judgments_for_one_question(violations):
    j = URIRef(R + "judgment/q4")

    def change(g):
        g.set((j, PEEL.question, URIRef(Q + "q2")))

    assert violations(change) == [
        (str(REPORT), "The report has more than one judgment for the question id:question/peel-2015-effectiveness/q2; keep exactly one judgment per graded question."),
        (str(REPORT), "The report has no judgment for the graded question id:question/peel-2015-effectiveness/q4; add a peel:Judgment with peel:judgmentIn this report and peel:question id:question/peel-2015-effectiveness/q4."),
    ]


def test_finding_without_evidence(violations):
    f = URIRef(R + "finding/q2-2-1-01")
    assert violations(lambda g: g.remove((f, PEEL.evidence, None))) == [
        (str(f), "Every statement needs peel:evidence: a peel:Evidence with the verbatim quote (oa:exact), its page and section.")
    ]


def test_finding_without_question(violations):
    f = URIRef(R + "finding/q2-2-1-01")
    assert violations(lambda g: g.remove((f, PEEL.question, None))) == [
        (str(f), "A finding needs exactly one peel:question: the in-depth question (or q:overall) it is reported under.")
    ]


def test_finding_both_strength_and_weakness(violations):
    f = URIRef(R + "finding/q2-2-1-01")
    assert violations(lambda g: g.add((f, RDF.type, PEEL.Strength))) == [
        (str(f), "A finding must be exactly one of peel:Strength, peel:Weakness or peel:Observation (peel:BestPractice counts as a strength).")
    ]


def test_sub_question_of_another_question(violations):
    f = URIRef(R + "finding/q2-2-1-01")
    assert violations(lambda g: g.set((f, PEEL.subQuestion, URIRef(Q + "q4-1")))) == [
        (str(f), "The sub-question id:question/peel-2015-effectiveness/q4-1 is not part of the finding's question id:question/peel-2015-effectiveness/q2; give the diagnostic question of the section the finding is in.")
    ]


def test_evidence_page_zero(violations):
    e = URIRef(R + "evidence/judgment-q2")
    assert violations(lambda g: g.set((e, PEEL.page, Literal(0)))) == [
        (str(e), "Evidence needs exactly one peel:page, the page ordinal (an integer from 1) where the quote begins.")
    ]


def test_language_tagged_quote(violations):
    e = URIRef(R + "evidence/judgment-q2")

    def change(g):
        quote = g.value(e, OA.exact)
        g.set((e, OA.exact, Literal(str(quote), lang="en")))

    assert violations(change) == [
        (str(e), "Evidence needs exactly one oa:exact: the verbatim quote from the report text (a plain string, whitespace normalised).")
    ]


def test_percentage_over_100(violations, met_graph):
    s = next(s for s in met_graph.subjects(PEEL.unit, ID["unit/percent"]))
    assert violations(lambda g: g.set((s, PEEL.value, Literal("150.5", datatype=XSD.decimal)))) == [
        (str(s), "The percentage 150.5 is outside 0 to 100; a percentage lies between 0 and 100 (use unit:percent-change for a change).")
    ]


def test_negative_count(violations, met_graph):
    s = _find_stat(met_graph, "outcomes-charged-summonsed")
    assert violations(lambda g: g.set((s, PEEL.value, Literal(-5)))) == [
        (str(s), "The count -5 is negative; a count is zero or more (a fall is a peel:Statistic with unit:percent-change).")
    ]


def test_parts_not_adding_up_to_total(violations, met_graph):
    part = _find_stat(met_graph, "outcomes-caution-youths")
    total = _find_stat(met_graph, "outcomes-out-of-court-formal")
    assert violations(lambda g: g.set((part, PEEL.value, Literal(1044)))) == [
        (str(total), "The parts of this group total add up to 35863, not to the total 35862; check the figures of the group and of its parts (measures with skos:broader the group's measure).")
    ]


def test_value_not_a_number(violations, met_graph):
    s = _find_stat(met_graph, "outcomes-charged-summonsed")
    assert violations(lambda g: g.set((s, PEEL.value, Literal("abc")))) == [
        (str(s), "A statistic needs exactly one peel:value, a number typed xsd:integer (95237) or xsd:decimal (13.3), without thousands separators.")
    ]


def test_statistic_without_unit(violations, met_graph):
    s = _find_stat(met_graph, "outcomes-charged-summonsed")
    assert violations(lambda g: g.remove((s, PEEL.unit, None))) == [
        (str(s), "A statistic needs exactly one peel:unit, a unit of the reference data (e.g. unit:count, unit:percent).")
    ]


def test_bad_issue_date(violations):
    from rdflib.namespace import DCTERMS

    assert violations(lambda g: g.set((REPORT, DCTERMS.issued, Literal("February 2016")))) == [
        (str(REPORT), "A report needs exactly one dcterms:issued date, typed xsd:date (\"2016-02-01\"^^xsd:date) or xsd:gYearMonth (\"2016-02\"^^xsd:gYearMonth).")
    ]


def test_bad_isbn(violations):
    assert violations(lambda g: g.set((REPORT, PEEL.isbn, Literal("9781911194965")))) == [
        (str(REPORT), "peel:isbn must be one ISBN-13 written with hyphens as printed, e.g. \"978-1-911194-96-5\".")
    ]


def test_unknown_force(violations):
    assert violations(lambda g: g.set((REPORT, PEEL.inspectedForce, ID["force/atlantis"]))) == [
        (str(REPORT), "A report needs exactly one peel:inspectedForce, one of the 43 forces of the reference data (e.g. force:kent).")
    ]


def test_area_for_improvement_ordinal_twice(violations):
    first, second = URIRef(R + "afi/1"), URIRef(R + "afi/2")
    assert violations(lambda g: g.set((second, PEEL.ordinal, Literal(1)))) == [
        (str(first), "Another area for improvement of the same report (report:peel-2015-effectiveness-metropolitan/afi/2) has the ordinal 1; number them 1, 2, ... in the order printed."),
        (str(second), "Another area for improvement of the same report (report:peel-2015-effectiveness-metropolitan/afi/1) has the ordinal 1; number them 1, 2, ... in the order printed."),
    ]


def test_finding_label_with_digits_is_a_warning(violations):
    f = URIRef(R + "finding/q2-2-1-01")
    warnings = violations(lambda g: g.set((f, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Delays of 3 days", lang="en"))), "Warning")
    assert [w for w in warnings if w[0] == str(f)] == [
        (str(f), "A finding's label should not contain numbers: numbers belong in statistics, where they are checked against the text.")
    ]


def test_sparql_constraints_bind_this_by_a_triple_pattern(base):
    """The fast SHACL-SPARQL evaluation (once per constraint) relies on this."""
    import re

    assert all(re.search(r"\?this\s+(peel|skos):|\?\w+\s+peel:\w+\s+\?this", c.query) for c in base.shapes.sparql)


def test_period_order_is_one_constraint_for_inspections_and_reference_periods(base):
    shapes = {c.shape for c in base.shapes.sparql if c.constraint == str(SHAPES["Period-order"])}
    assert shapes == {str(SHAPES["InspectionShape"]), str(SHAPES["ReferencePeriodShape"])}
