"""Issue 11: every statement of the Met report is linked to its topics and named things, every
named thing is linked to something, and the relations the report states carry their quotes."""

from __future__ import annotations

from collections import Counter

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from peelkg.rdf.vocab import ID, OA, ORG, PEEL

Q = ID + "question/peel-2015-effectiveness/"
KINDS = ("BestPractice", "Strength", "Weakness", "Observation", "AreaForImprovement", "Recommendation", "Statistic")
RELATIONS = {ORG.unitOf, ORG.postIn, ORG.hasMember, PEEL.runBy, PEEL.ledBy, PEEL.chairedBy, PEEL.uses, PEEL.usedBy,
             PEEL.partOfInitiative, PEEL.worksWith, PEEL.deliveredBy, PEEL.nominatedFor, PEEL.addressedTo,
             DCTERMS.publisher}

# Named things no statement is about and no stated relation leads to, because the report only
# mentions them in passing (about the police nationally, or as a citation), not as something the
# Met does, works with or is judged on.
MENTIONED_IN_PASSING = {
    "org/border-force": "named only as one of the national users of OCG mapping (page 31)",
    "org/youth-justice-board": "named only as an agency that may take part in MAPPA, in footnote 16",
    "publication/crime-outcomes-in-england-and-wales-2014-15": "cited for the outcome types, footnote 10",
    "publication/peel-2015-effectiveness-vulnerability-metropolitan": "cited as the full report on question 3, footnote 19",
    "publication/regional-organised-crime-units-review-2015": "cited for HMIC's national recommendation on ROCUs, footnote 25",
}


def _kind(graph, node):
    types = {str(t)[len(str(PEEL)):] for t in graph.objects(node, RDF.type) if str(t).startswith(str(PEEL))}
    return next((k for k in KINDS if k in types), None)


def _statements(graph):
    return {s for s in graph.subjects(PEEL.statedIn, None) if _kind(graph, s)}


def test_no_finding_recommendation_or_statistic_is_without_a_topic(met_graph):
    statements = _statements(met_graph)
    assert Counter(_kind(met_graph, s) for s in statements) == {
        "Strength": 71, "BestPractice": 1, "Weakness": 38, "Observation": 40, "AreaForImprovement": 8,
        "Recommendation": 13, "Statistic": 83}
    assert [s for s in statements if (s, PEEL.topic, None) not in met_graph] == []


def test_topic_and_about_links_by_kind_of_statement(met_graph):
    topics = Counter(_kind(met_graph, s) for s, _ in met_graph.subject_objects(PEEL.topic))
    about = Counter(_kind(met_graph, s) for s, _ in met_graph.subject_objects(PEEL.about))
    assert topics == {"Strength": 131, "BestPractice": 2, "Weakness": 69, "Observation": 71,
                      "AreaForImprovement": 15, "Recommendation": 22, "Statistic": 111}
    # Before issue 11 only 16 statistics had peel:about (one link each).
    assert about == {"Strength": 72, "BestPractice": 1, "Weakness": 19, "Observation": 48,
                     "AreaForImprovement": 1, "Recommendation": 6, "Statistic": 20}


def test_every_peel_about_names_a_thing_the_report_mentions(met_graph):
    mentioned = set(met_graph.objects(None, PEEL.mentions))
    assert {o for o in met_graph.objects(None, PEEL.about)} - mentioned == set()


def test_every_statistic_has_the_question_and_sub_question_of_its_section(met_graph, project):
    from rdflib import Graph

    questions = Graph().parse(project.root / "data" / "reference" / "peel.ttl")
    by_heading = {str(label): q for q, label in questions.subject_objects(RDFS.label) if str(q).startswith(Q)}
    for stat in met_graph.subjects(RDF.type, PEEL.Statistic):
        sections = {str(met_graph.value(e, PEEL.section)) for e in met_graph.objects(stat, PEEL.evidence)}
        [section] = sections
        question, sub = met_graph.value(stat, PEEL.question), met_graph.value(stat, PEEL.subQuestion)
        heading = by_heading.get(section)
        local = str(heading)[len(Q):] if heading is not None else ""
        if "-" in local:                                                   # a diagnostic question's heading
            assert sub == heading, stat
            assert str(question) == Q + local.split("-")[0], stat
        else:                                                              # a chapter introduction or summary
            assert sub is None, stat
            expected = {"How much crime and anti-social behaviour is there in the Metropolitan Police area?": "q1",
                        "Summary of findings": "q3"}.get(section) or local
            assert str(question) == Q + expected, stat


def test_every_named_thing_is_about_something_or_related_or_listed_as_in_passing(met_graph):
    covered = set(met_graph.objects(None, PEEL.about))
    for s, p, o in met_graph:
        if p in RELATIONS and s != o:
            covered.add(o)
        if p == PEEL.worksWith:          # symmetric: both ends are related
            covered.add(s)
    left = {str(e)[len(ID):] for e in set(met_graph.objects(None, PEEL.mentions)) - covered}
    assert left == set(MENTIONED_IN_PASSING)


def test_every_stated_relation_is_asserted_and_quoted_in_the_source(met_graph, met_source):
    relations = list(met_graph.subjects(RDF.type, PEEL.StatedRelation))
    assert len(relations) == 25
    for rel in relations:
        triple = (met_graph.value(rel, RDF.subject), met_graph.value(rel, RDF.predicate), met_graph.value(rel, RDF.object))
        assert triple in met_graph, rel
        quotes = [str(met_graph.value(e, OA.exact)) for e in met_graph.objects(rel, PEEL.evidence)]
        assert quotes and all(met_source.find(q) is not None for q in quotes), rel


def test_the_relations_found_by_reading_the_report(met_graph):
    short = lambda node: str(node).replace(str(PEEL), "peel:").replace(str(ORG), "org:").replace(ID, "")  # noqa: E731
    found = sorted((short(met_graph.value(r, RDF.subject)), short(met_graph.value(r, RDF.predicate)),
                    short(met_graph.value(r, RDF.object)))
                   for r in met_graph.subjects(RDF.type, PEEL.StatedRelation))
    assert found == sorted([
        ("force/metropolitan/falcon-team", "peel:worksWith", "org/london-digital-security-centre"),
        ("partnership/london-digital-security-centre", "peel:deliveredBy", "force/metropolitan/falcon-team"),
        ("force/metropolitan/flying-squad", "peel:worksWith", "initiative/safer-gems"),
        ("force/metropolitan/flying-squad", "peel:worksWith", "initiative/safer-cash"),
        ("force/metropolitan/trident", "peel:worksWith", "force/metropolitan/sco7"),
        ("partnership/city-of-london-police-iom", "peel:deliveredBy", "force/metropolitan/iom"),
        ("partnership/nexus", "peel:deliveredBy", "force/metropolitan/nexus-team"),
        ("partnership/nexus", "peel:deliveredBy", "force/metropolitan/nexus"),
        ("partnership/organised-crime-partnership-team", "peel:deliveredBy",
         "force/metropolitan/organised-crime-partnership-team"),
        ("partnership/cps-serious-crime-prevention-orders", "peel:deliveredBy",
         "force/metropolitan/scpo-offender-management-team"),
        ("force/metropolitan/operation-dauntless", "peel:aimedAt", "topic/potential-offenders"),
        ("force/metropolitan/operation-dauntless", "peel:aimedAt", "topic/domestic-abuse"),
        ("force/metropolitan/operation-alambadi", "peel:aimedAt", "topic/potential-offenders"),
        ("force/metropolitan/operation-alambadi", "peel:aimedAt", "topic/sexual-and-dangerous-offenders"),
        ("force/metropolitan/mi-investigation-pilot", "peel:partOfInitiative", "force/metropolitan/mi-investigation"),
        ("force/metropolitan/mi-investigation-pilot", "peel:startDate", "2016"),
        ("force/metropolitan/crime-prevention-strategy-2013-2016", "peel:startDate", "2013"),
        ("force/metropolitan/crime-prevention-strategy-2013-2016", "peel:endDate", "2016"),
        ("force/metropolitan/traceable-liquid-property-marking", "peel:durationMonths", "36"),
        ("force/metropolitan/missing-persons-teams", "peel:worksWith", "force/metropolitan/sexual-exploitation-team"),
        ("force/metropolitan/missing-and-absent-coordinators", "org:postIn", "force/metropolitan/bocus"),
        ("force/metropolitan/diamond-groups", "peel:aimedAt", "topic/domestic-abuse"),
        ("force/metropolitan/diamond-groups", "peel:aimedAt", "topic/missing-and-absent-children"),
        ("force/metropolitan/partnership-information-sharing-database", "peel:usedBy",
         "org/safer-london-business-partnership"),
        ("org/london-councils", "org:hasMember", "org/city-of-london-corporation"),
    ])


def test_operations_that_target_people_not_yet_convicted(met_graph):
    potential = URIRef(ID + "topic/potential-offenders")
    assert sorted(str(s).rsplit("/", 1)[-1] for s in met_graph.subjects(PEEL.aimedAt, potential)
                  if (s, RDF.type, PEEL.Operation) in met_graph) == ["operation-alambadi", "operation-dauntless"]


def test_every_number_is_still_in_the_source_text(met_graph, met_source):
    values = [str(v) for v in met_graph.objects(None, PEEL.value)]
    assert len(values) == 83
    assert [v for v in values if not met_source.states_number(v)] == []
