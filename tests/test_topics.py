"""The topic scheme (data/reference/topics.ttl) and the qualifiers of figures (qualifiers.ttl)."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from peelkg.rdf.vocab import ID, PEEL

TOPICS = URIRef(ID + "topics")
TOPIC = ID + "topic/"


@pytest.fixture(scope="module")
def reference(project) -> Graph:
    graph = Graph()
    for path in project.reference_files:
        graph.parse(path)
    return graph


def _topics(graph: Graph) -> set:
    return set(graph.subjects(RDF.type, PEEL.Topic))


def test_the_scheme_has_forty_topics_each_in_it(reference):
    topics = _topics(reference)
    assert len(topics) == 40
    assert all((t, SKOS.inScheme, TOPICS) in reference for t in topics)


def test_the_themes_the_issue_names_are_topics(reference):
    wanted = {"anti-social-behaviour", "burglary", "missing-and-absent-children", "child-sexual-exploitation",
              "domestic-abuse", "gangs-and-youth-violence", "serious-and-organised-crime", "cyber-crime-and-fraud",
              "digital-forensics", "offender-management", "sexual-and-dangerous-offenders", "victims", "vulnerability",
              "partnership-working", "crime-prevention", "investigation", "workforce-and-training", "intelligence"}
    assert {URIRef(TOPIC + w) for w in wanted} <= _topics(reference)


def test_every_topic_has_one_english_label_and_one_definition(reference):
    for topic in _topics(reference):
        labels = list(reference.objects(topic, SKOS.prefLabel))
        assert len(labels) == 1 and labels[0].language == "en", topic
        assert len(list(reference.objects(topic, SKOS.definition))) == 1, topic


def test_broader_and_narrower_mirror_each_other(reference):
    topics = _topics(reference)
    broader = {(s, o) for s, o in reference.subject_objects(SKOS.broader) if s in topics}
    narrower = {(o, s) for s, o in reference.subject_objects(SKOS.narrower) if s in topics}
    assert broader == narrower
    assert len(broader) == 26


def test_top_concepts_are_exactly_the_topics_without_a_broader_one(reference):
    roots = {t for t in _topics(reference) if (t, SKOS.broader, None) not in reference}
    assert set(reference.objects(TOPICS, SKOS.hasTopConcept)) == roots
    assert {t for t in _topics(reference) if (t, SKOS.topConceptOf, TOPICS) in reference} == roots
    assert len(roots) == 15


def test_digital_forensics_is_under_forensic_services_and_investigation(reference):
    chain = [URIRef(TOPIC + "digital-forensics")]
    while (chain[-1], SKOS.broader, None) in reference:
        chain.append(reference.value(chain[-1], SKOS.broader))
    assert chain == [URIRef(TOPIC + t) for t in ("digital-forensics", "forensics", "investigation")]


def test_a_definition_that_follows_a_source_names_it(reference, met_graph):
    sources = {str(t)[len(TOPIC):]: str(o).rsplit("/", 1)[-1] for t, o in reference.subject_objects(DCTERMS.source)
               if str(t).startswith(TOPIC)}
    assert sources == {
        "anti-social-behaviour": "anti-social-behaviour-crime-and-policing-act-2014",
        "missing-and-absent-children": "acpo-missing-persons-interim-guidance-2013",
        "domestic-abuse": "cross-government-definition-of-domestic-violence-and-abuse-2013",
        "serious-and-organised-crime": "serious-and-organised-crime-strategy",
        "national-policing-responsibilities": "strategic-policing-requirement-2015",
        "volume-crime": "peel-2015-effectiveness-metropolitan",           # footnotes 3 and 15
        "integrated-offender-management": "peel-2015-effectiveness-metropolitan",  # footnotes 6 and 14
        "sexual-and-dangerous-offenders": "peel-2015-effectiveness-metropolitan",  # footnote 16 (MAPPA)
        "vulnerability": "peel-2015-effectiveness-metropolitan",           # footnote 2
    }
    # Every source is a publication or report that the data describes.
    both = reference + met_graph
    for source in set(reference.objects(None, DCTERMS.source)):
        assert (source, RDF.type, PEEL.Publication) in both or (source, RDF.type, PEEL.Report) in both, source


def test_qualifiers_are_six_concepts_with_a_notation(reference):
    qualifiers = set(reference.subjects(RDF.type, PEEL.FigureQualifier))
    assert {str(q).rsplit("/", 1)[-1]: str(reference.value(q, SKOS.notation)) for q in qualifiers} == {
        "approximately": "≈", "at-least": "≥", "more-than": ">", "up-to": "≤", "fewer-than": "<", "usually": "typically"}


def test_the_area_of_footnote_23_leaves_the_met_out_of_england_and_wales(reference):
    area = URIRef(ID + "area/england-and-wales-excluding-the-met")
    assert reference.value(area, PEEL.withinArea) == URIRef(ID + "area/england-and-wales")
    assert reference.value(area, PEEL.excludesArea) == URIRef(ID + "area/E23000001")
