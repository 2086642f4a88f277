"""The ontology: parses, is consistent, and declares every project term that is used."""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from peelkg.rdf.vocab import ONTOLOGY_IRI, PEEL
from peelkg.rdf.bridge import to_rdflib
from peelkg.pipeline.reasoning import owlrl_closure

REUSED = (
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/ns/qb#",
    "http://www.w3.org/ns/oa#",
)
PEEL_TERM = re.compile(r"(?:peel:|https://w3id\.org/peelkg/def#)([A-Za-z][A-Za-z0-9_]*)")


def test_ontology_has_one_owl_ontology_with_version_and_licence(ontology_graph):
    ontologies = list(ontology_graph.subjects(RDF.type, OWL.Ontology))
    assert ontologies == [URIRef(ONTOLOGY_IRI)]
    assert ontology_graph.value(ontologies[0], OWL.versionIRI) == URIRef("https://w3id.org/peelkg/def/0.1.0")
    assert ontology_graph.value(ontologies[0], URIRef("http://purl.org/dc/terms/license")) is not None


def test_ontology_reference_and_met_report_are_consistent_under_owlrl(base, met_triples):
    closed = owlrl_closure(to_rdflib(base.ontology + base.reference + met_triples))
    errors = [str(m) for m in closed.objects(None, URIRef("http://www.daml.org/2002/03/agents/agent-ont#error"))]
    assert errors == []
    assert list(closed.subjects(RDF.type, OWL.Nothing)) == []


def _declared_terms(graph: Graph) -> set[str]:
    return {
        str(s)
        for s in graph.subjects(RDFS.isDefinedBy, URIRef(ONTOLOGY_IRI))
        if str(s).startswith(str(PEEL))
    }


def _used_terms(project) -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    files = (
        project.ontology_files
        + project.shapes_files
        + project.reference_files
        + [f for r in project.reports() for f in r.files]
        + sorted(project.queries_dir.glob("*.rq"))
    )
    for path in files:
        for name in PEEL_TERM.findall(path.read_text(encoding="utf-8")):
            used.setdefault(str(PEEL) + name, set()).add(path.name)
    return used


def test_every_project_term_used_anywhere_is_declared(project, ontology_graph):
    declared = _declared_terms(ontology_graph)
    undeclared = {term: sorted(files) for term, files in _used_terms(project).items() if term not in declared}
    assert undeclared == {}


def test_every_term_has_one_english_label_and_a_definition(ontology_graph):
    missing = []
    for term in sorted(_declared_terms(ontology_graph)):
        labels = [l for l in ontology_graph.objects(URIRef(term), RDFS.label) if isinstance(l, Literal)]
        english = [l for l in labels if l.language == "en"]
        definitions = list(ontology_graph.objects(URIRef(term), SKOS.definition))
        if len(english) != 1 or len(labels) != 1 or len(definitions) != 1:
            missing.append(term)
    assert missing == []


def test_every_term_is_typed_as_class_or_property(ontology_graph):
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    untyped = [t for t in sorted(_declared_terms(ontology_graph))
               if not kinds & set(ontology_graph.objects(URIRef(t), RDF.type))]
    assert untyped == []


def test_classes_are_upper_camel_and_properties_lower_camel(ontology_graph):
    wrong = []
    for term in _declared_terms(ontology_graph):
        local = term[len(str(PEEL)):]
        is_class = (URIRef(term), RDF.type, OWL.Class) in ontology_graph
        if is_class != local[0].isupper():
            wrong.append(local)
    assert wrong == []


def test_inverse_properties_are_declared_in_both_directions(ontology_graph):
    one_way = [
        (str(p), str(q))
        for p, q in ontology_graph.subject_objects(OWL.inverseOf)
        if str(p).startswith(str(PEEL)) and (q, OWL.inverseOf, p) not in ontology_graph
    ]
    assert one_way == []


def _exists(term: str, ontology_graph: Graph) -> bool:
    if term.startswith(str(PEEL)):
        return (URIRef(term), RDFS.isDefinedBy, URIRef(ONTOLOGY_IRI)) in ontology_graph
    return term.startswith(REUSED)


def test_every_shape_target_class_exists(shapes_graph, ontology_graph):
    targets = {str(c) for c in shapes_graph.objects(None, SH.targetClass)}
    assert sorted(t for t in targets if not _exists(t, ontology_graph)) == []
    assert len(targets) >= 25


def test_every_shape_path_exists(shapes_graph, ontology_graph):
    paths = {str(p) for p in shapes_graph.objects(None, SH.path) if isinstance(p, URIRef)}
    assert sorted(p for p in paths if not _exists(p, ontology_graph)) == []


def test_every_shape_is_named_and_has_a_message(shapes_graph):
    unnamed = []
    for shape in set(shapes_graph.subjects(RDF.type, SH.NodeShape)) | set(shapes_graph.subjects(RDF.type, SH.PropertyShape)):
        if not isinstance(shape, URIRef) or shapes_graph.value(shape, SH.name) is None:
            unnamed.append(str(shape))
        if (shape, RDF.type, SH.PropertyShape) in shapes_graph and shapes_graph.value(shape, SH.message) is None:
            unnamed.append(str(shape))
    for constraint in shapes_graph.objects(None, SH.sparql):
        if shapes_graph.value(constraint, SH.message) is None:
            unnamed.append(str(constraint))
    assert unnamed == []
