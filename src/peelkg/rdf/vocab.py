"""The IRIs peelkg mints and the vocabularies it uses: every IRI the code names, once.

Namespaces are plain strings here (``PEEL_NS``, ``ID_NS``, ...), and the pyoxigraph terms the
code matches triples against are the NamedNode constants at the end (``TYPE``, ``LABEL``, ...) and
``peel(local)``. The rdflib ``Namespace`` objects of the same namespaces (``PEEL.Report`` is an
rdflib URIRef, and a str), and the graph IRIs as URIRefs, are made on first use by
``__getattr__`` below: importing rdflib takes ~150 ms, which `peelkg query` must not pay.
"""

from functools import lru_cache

import pyoxigraph as ox

PEEL_NS = "https://w3id.org/peelkg/def#"
ONTOLOGY_IRI = "https://w3id.org/peelkg/def"
SHAPES_NS = "https://w3id.org/peelkg/shapes#"
ID_NS = "https://w3id.org/peelkg/id/"
GRAPH_NS = "https://w3id.org/peelkg/graph/"
ORG_NS = "http://www.w3.org/ns/org#"
QB_NS = "http://www.w3.org/ns/qb#"
OA_NS = "http://www.w3.org/ns/oa#"
# The checks peelkg makes beyond the shapes (``peelkg:`` names in validation reports).
CHECKS_NS = "https://w3id.org/peelkg/checks#"
# The W3C and other vocabularies, as rdflib.namespace names them.
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS_NS = "http://purl.org/dc/terms/"
PROV_NS = "http://www.w3.org/ns/prov#"
SH_NS = "http://www.w3.org/ns/shacl#"

# The prefixes used when writing Turtle/TriG and in the docs.
PREFIXES: dict[str, str] = {
    "peel": PEEL_NS,
    "peelsh": SHAPES_NS,
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
    "owl": OWL_NS,
    "xsd": XSD_NS,
    "skos": SKOS_NS,
    "dcterms": DCTERMS_NS,
    "prov": PROV_NS,
    "org": ORG_NS,
    "qb": QB_NS,
    "oa": OA_NS,
    "sh": SH_NS,
    "id": ID_NS,
    "graph": GRAPH_NS,
    "report": ID_NS + "report/",
    "force": ID_NS + "force/",
    "organisation": ID_NS + "org/",
    "area": ID_NS + "area/",
    "grade": ID_NS + "grade/",
    "measure": ID_NS + "measure/",
    "period": ID_NS + "period/",
    "unit": ID_NS + "unit/",
    "threat": ID_NS + "threat/",
    "cycle": ID_NS + "cycle/",
    "pub": ID_NS + "publication/",
    "award": ID_NS + "award/",
    "partnership": ID_NS + "partnership/",
    "initiative": ID_NS + "initiative/",
    "topic": ID_NS + "topic/",
    "qualifier": ID_NS + "qualifier/",
}


def report_graph(report_id: str):
    """The named graph holding one report's statements (an rdflib URIRef)."""
    return __getattr__("GRAPH")[f"report/{report_id}"]


def inferred_graph(report_id: str):
    """The named graph holding what reasoning adds to one report (an rdflib URIRef)."""
    return __getattr__("GRAPH")[f"inferred/{report_id}"]


def report_iri(report_id: str):
    return __getattr__("ID")[f"report/{report_id}"]


# Namespaces under ID, as plain strings for prefix tests (iri.startswith(FORCE_NS)).
PEELKG_NS = "https://w3id.org/peelkg/"
FORCE_NS = PREFIXES["force"]
GRADE_NS = PREFIXES["grade"]
QUESTION_NS = ID_NS + "question/"
REPORT_NS = PREFIXES["report"]

# What `peelkg new-report` leaves for the user to fill in.
PLACEHOLDER = "TODO"


@lru_cache(maxsize=None)
def peel(local: str) -> ox.NamedNode:
    """The pyoxigraph term of a peel: ontology term (``peel("Report")``)."""
    return ox.NamedNode(PEEL_NS + local)


TYPE = ox.NamedNode(RDF_NS + "type")
LABEL = ox.NamedNode(RDFS_NS + "label")
PREF_LABEL = ox.NamedNode(SKOS_NS + "prefLabel")
ALT_LABEL = ox.NamedNode(SKOS_NS + "altLabel")
IN_SCHEME = ox.NamedNode(SKOS_NS + "inScheme")
GENERATED_BY = ox.NamedNode(PROV_NS + "wasGeneratedBy")
EXACT = ox.NamedNode(OA_NS + "exact")

# The rdflib names this module hands on, made from the strings above on first use.
_NAMESPACES = {"PEEL": PEEL_NS, "SHAPES": SHAPES_NS, "ID": ID_NS, "GRAPH": GRAPH_NS, "ORG": ORG_NS,
               "QB": QB_NS, "OA": OA_NS, "CHECKS": CHECKS_NS}
_RDFLIB_NAMESPACES = ("DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SH", "SKOS", "XSD")
_GRAPHS = {"ONTOLOGY_GRAPH": "ontology", "REFERENCE_GRAPH": "reference", "INFERRED_BASE_GRAPH": "inferred/reference"}


def __getattr__(name: str):
    """``PEEL``, ``GRAPH``, ``RDFS``, ``ONTOLOGY_GRAPH``, ...: the rdflib objects, imported and
    kept on first use (PEP 562), so that only the code that works on rdflib graphs loads rdflib."""
    if name in _NAMESPACES:
        from rdflib import Namespace

        value = Namespace(_NAMESPACES[name])
    elif name in _RDFLIB_NAMESPACES:
        import rdflib.namespace

        value = getattr(rdflib.namespace, name)
    elif name in _GRAPHS:
        value = __getattr__("GRAPH")[_GRAPHS[name]]
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
