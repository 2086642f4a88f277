"""The Met 2015 report's data: complete, conforming, and faithful to the source text."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from peelkg.rdf.vocab import ID, OA, PEEL

REPORT = ID["report/peel-2015-effectiveness-metropolitan"]
Q = "https://w3id.org/peelkg/id/question/peel-2015-effectiveness/"
GRADE = "https://w3id.org/peelkg/id/grade/"


def test_met_report_conforms_to_the_shapes(base, met_report):
    result = base.build_report(met_report)
    assert [p for p in result.problems if p.severity == "Violation"] == []


def test_reference_data_conforms_to_the_shapes(base):
    assert [p for p in base.check_reference() if p.severity == "Violation"] == []


def test_the_five_grades_are_as_the_report_states(met_graph):
    grades = {
        str(met_graph.value(j, PEEL.question))[len(Q):]: str(met_graph.value(j, PEEL.grade))[len(GRADE):]
        for j in met_graph.subjects(PEEL.judgmentIn, REPORT)
    }
    assert grades == {
        "overall": "requires-improvement",
        "q1": "good",
        "q2": "requires-improvement",
        "q3": "requires-improvement",
        "q4": "good",
    }


EXPECTED_AREAS_FOR_IMPROVEMENT = [
    ("q2", "The force should ensure that it allocates all crimes promptly to investigators with the appropriate skills, accreditation and experience to investigate them to a high standard."),
    ("q2", "The force should ensure that officers attending the scenes of crime are appropriately trained and equipped to record all available evidence."),
    ("q2", "The force should improve its ability to retrieve digital evidence from mobile phones, computers and other electronic devices quickly enough to ensure that investigations are not delayed."),
    ("q2", "The force should ensure that its integrated offender management programme is implemented consistently across all areas."),
    ("q4", "The force should improve its neighbourhood teams' awareness of organised crime groups to ensure that they can reliably identify these groups, collect intelligence and disrupt their activity."),
    ("q4", "The force should ensure that it re-assesses mapped organised crime groups at regular intervals, in line with national standards."),
    ("q4", "The force should develop a better understanding of the impact of its activity on serious and organised crime, and ensure that it learns from experience to maximise the force's disruptive effect."),
    ("q4", "The force should ensure that it takes opportunities to communicate with the public about serious and organised crime, in particular to publicise successful operations, offer reassurance and provide advice to help people to protect themselves from serious and organised crime."),
]


def test_the_eight_areas_for_improvement_are_as_printed(met_graph):
    # Each question's list is numbered from 1 (issue 11: afi:5 ... afi:8 are items 1-4 of question 4).
    afis = sorted(
        (str(met_graph.value(a, PEEL.question))[len(Q):], int(met_graph.value(a, PEEL.ordinal)), str(met_graph.value(a, PEEL.text)))
        for a in met_graph.subjects(RDF.type, PEEL.AreaForImprovement)
    )
    assert afis == [(q, i if q == "q2" else i - 4, text) for i, (q, text) in enumerate(EXPECTED_AREAS_FOR_IMPROVEMENT, 1)]


def test_every_evidence_quote_is_in_the_source_text(met_graph, met_source):
    missing = [
        str(quote) for quote in met_graph.objects(None, OA.exact) if met_source.find(str(quote)) is None
    ]
    assert missing == []


def test_every_evidence_page_is_where_the_quote_first_occurs(met_graph, met_source):
    wrong = []
    for evidence in met_graph.subjects(RDF.type, PEEL.Evidence):
        quote = str(met_graph.value(evidence, OA.exact))
        found = met_source.find(quote)
        if found is None or int(met_graph.value(evidence, PEEL.page)) != found.page:
            wrong.append(str(evidence))
    assert wrong == []


def test_every_statistic_value_occurs_in_the_source_text(met_graph, met_source):
    absent = [
        (str(s), str(v)) for s, v in met_graph.subject_objects(PEEL.value) if not met_source.states_number(str(v))
    ]
    assert absent == []


def test_every_statistic_value_occurs_in_its_own_quote(met_graph):
    from peelkg.validation.sourcetext import SourceText

    wrong = []
    for stat, value in met_graph.subject_objects(PEEL.value):
        quotes = [str(met_graph.value(e, OA.exact)) for e in met_graph.objects(stat, PEEL.evidence)]
        if not any(SourceText(q).states_number(str(value)) for q in quotes):
            wrong.append(str(stat))
    assert wrong == []


def test_numbers_in_other_literals_occur_in_the_source_text(met_graph, met_source):
    """Numbers in summaries, texts, labels and definitions must also be in the report."""
    import re

    absent = set()
    for p in (PEEL.summary, PEEL.text, PEEL.purpose, PEEL.target, URIRef("http://www.w3.org/2004/02/skos/core#definition")):
        for literal in met_graph.objects(None, p):
            for number in re.findall(r"\d[\d,]*(?:\.\d+)?", str(literal)):
                if not met_source.states_number(number.replace(",", "")):
                    absent.add(number)
    assert absent == set()


@pytest.mark.parametrize(
    ("cls", "expected"),
    [
        ("Judgment", 5),
        ("AreaForImprovement", 8),
        ("BestPractice", 1),
    ],
)
def test_count_of_instances(met_graph, cls, expected):
    assert len(set(met_graph.subjects(RDF.type, PEEL[cls]))) == expected


def test_every_finding_is_typed_strength_weakness_or_observation(met_graph):
    kinds = {PEEL.Strength, PEEL.Weakness, PEEL.Observation, PEEL.BestPractice}
    findings = {s for s in met_graph.subjects(PEEL.statedIn, REPORT) if "/finding/" in str(s)}
    untyped = [str(f) for f in findings if len(set(met_graph.objects(f, RDF.type)) & kinds) != 1]
    assert len(findings) >= 140
    assert untyped == []


def test_outcome_table_counts_for_the_met_are_as_printed(met_graph):
    """Figure 4, MPS 'Number of outcomes' column, typed as integers."""
    area = ID["area/E23000001"]
    unit = ID["unit/count"]
    values = sorted(
        int(met_graph.value(s, PEEL.value))
        for s in met_graph.subjects(PEEL.refArea, area)
        if met_graph.value(s, PEEL.unit) == unit and "outcomes" in str(met_graph.value(s, PEEL.measure))
    )
    assert values == sorted([95237, 575, 35862, 1043, 27093, 7726, 22682, 14077, 8605])


def test_no_blank_nodes_in_report_data(met_graph):
    from rdflib import BNode

    assert [t for t in met_graph if any(isinstance(x, BNode) for x in t)] == []


def test_report_metadata(met_graph):
    from rdflib.namespace import DCTERMS, XSD

    assert met_graph.value(REPORT, PEEL.isbn) == Literal("978-1-911194-96-5")
    assert met_graph.value(REPORT, DCTERMS.issued) == Literal("2016-02", datatype=XSD.gYearMonth)
    assert met_graph.value(REPORT, PEEL.inspectedForce) == ID["force/metropolitan"]
