"""Reading RDF files with clear errors, and moving triples between pyoxigraph and rdflib.

pyoxigraph parses about ten times faster than rdflib and reports syntax errors with line and
column, so every file is parsed with it. pySHACL and owlrl need rdflib graphs: ``to_rdflib``
converts, turning ``xsd:string`` literals back into plain literals (pyoxigraph types every plain
string as xsd:string, which rdflib 7 does not treat as equal to a plain literal, so ``sh:in``
and ``sh:hasValue`` would fail falsely).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from .errors import InputError

FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".owl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}

_XSD_STRING = str(XSD.string)


def format_for(path: Path) -> ox.RdfFormat:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise InputError(
            f"{path}: unknown RDF format '{path.suffix or '(no suffix)'}'; "
            f"use one of the suffixes {known}."
        ) from None


def read_triples(path: Path) -> list[ox.Triple]:
    """All triples of an RDF file (for quad formats, the triples of every graph)."""
    path = Path(path)
    fmt = format_for(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file.")
    try:
        return [q.triple for q in ox.parse(path=str(path), format=fmt)]
    except SyntaxError as exc:
        where = f"{path}:{exc.lineno}:{exc.offset}" if exc.lineno else str(path)
        raise InputError(f"{where}: syntax error: {exc.msg}. Fix the {fmt.name} syntax there.") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None


def read_many(paths: Iterable[Path]) -> list[ox.Triple]:
    triples: list[ox.Triple] = []
    for path in paths:
        triples.extend(read_triples(path))
    return triples


def term_to_rdflib(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported RDF term {term!r}")


def term_from_rdflib(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported RDF term {term!r}")


def to_rdflib(triples: Iterable[ox.Triple], graph: Graph | None = None) -> Graph:
    graph = Graph() if graph is None else graph
    add = graph.add
    for t in triples:
        add((term_to_rdflib(t.subject), term_to_rdflib(t.predicate), term_to_rdflib(t.object)))
    return graph


def from_rdflib(graph: Iterable) -> list[ox.Triple]:
    return [
        ox.Triple(term_from_rdflib(s), term_from_rdflib(p), term_from_rdflib(o)) for s, p, o in graph
    ]
