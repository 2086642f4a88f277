"""The IRIs peelkg mints and the vocabularies it uses: every IRI the code names, once.

Namespaces are rdflib ``Namespace`` objects (``PEEL.Report`` is an rdflib URIRef, and a str);
the pyoxigraph terms the code matches triples against are the NamedNode constants at the end
(``TYPE``, ``LABEL``, ...) and ``peel(local)``. A name is never both.
"""

from functools import lru_cache

import pyoxigraph as ox
from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

PEEL = Namespace("https://w3id.org/peelkg/def#")
ONTOLOGY_IRI = "https://w3id.org/peelkg/def"
SHAPES = Namespace("https://w3id.org/peelkg/shapes#")
ID = Namespace("https://w3id.org/peelkg/id/")
GRAPH = Namespace("https://w3id.org/peelkg/graph/")
ORG = Namespace("http://www.w3.org/ns/org#")
QB = Namespace("http://www.w3.org/ns/qb#")
OA = Namespace("http://www.w3.org/ns/oa#")

# The prefixes used when writing Turtle/TriG and in the docs.
PREFIXES: dict[str, str] = {
    "peel": str(PEEL),
    "peelsh": str(SHAPES),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "qb": str(QB),
    "oa": str(OA),
    "sh": str(SH),
    "id": str(ID),
    "graph": str(GRAPH),
    "report": str(ID) + "report/",
    "force": str(ID) + "force/",
    "organisation": str(ID) + "org/",
    "area": str(ID) + "area/",
    "grade": str(ID) + "grade/",
    "measure": str(ID) + "measure/",
    "period": str(ID) + "period/",
    "unit": str(ID) + "unit/",
    "threat": str(ID) + "threat/",
    "cycle": str(ID) + "cycle/",
    "pub": str(ID) + "publication/",
    "award": str(ID) + "award/",
    "partnership": str(ID) + "partnership/",
    "initiative": str(ID) + "initiative/",
    "topic": str(ID) + "topic/",
    "qualifier": str(ID) + "qualifier/",
}

ONTOLOGY_GRAPH = GRAPH["ontology"]
REFERENCE_GRAPH = GRAPH["reference"]
INFERRED_BASE_GRAPH = GRAPH["inferred/reference"]


def report_graph(report_id: str):
    """The named graph holding one report's statements."""
    return GRAPH[f"report/{report_id}"]


def inferred_graph(report_id: str):
    """The named graph holding what reasoning adds to one report."""
    return GRAPH[f"inferred/{report_id}"]


def report_iri(report_id: str):
    return ID[f"report/{report_id}"]

# The checks peelkg makes beyond the shapes (``peelkg:`` names in validation reports).
CHECKS = Namespace("https://w3id.org/peelkg/checks#")

# Namespaces under ID, as plain strings for prefix tests (iri.startswith(FORCE_NS)).
PEELKG_NS = "https://w3id.org/peelkg/"
ID_NS = str(ID)
FORCE_NS = PREFIXES["force"]
GRADE_NS = PREFIXES["grade"]
QUESTION_NS = ID_NS + "question/"
REPORT_NS = PREFIXES["report"]

# What `peelkg new-report` leaves for the user to fill in.
PLACEHOLDER = "TODO"


@lru_cache(maxsize=None)
def peel(local: str) -> ox.NamedNode:
    """The pyoxigraph term of a peel: ontology term (``peel("Report")``)."""
    return ox.NamedNode(PEEL + local)


TYPE = ox.NamedNode(RDF.type)
LABEL = ox.NamedNode(RDFS.label)
PREF_LABEL = ox.NamedNode(SKOS.prefLabel)
ALT_LABEL = ox.NamedNode(SKOS.altLabel)
IN_SCHEME = ox.NamedNode(SKOS.inScheme)
GENERATED_BY = ox.NamedNode(PROV.wasGeneratedBy)
EXACT = ox.NamedNode(OA.exact)
