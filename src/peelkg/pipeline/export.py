"""`peelkg export`: the built dataset in a standard RDF format, byte-for-byte reproducible.

Quads are sorted (graph, subject, predicate, object by their N-Triples form) before pyoxigraph
writes them, so the same build always gives the same file and diffs between versions are
readable. Graph formats (Turtle, N-Triples, RDF/XML, JSON-LD) get the union of the chosen graphs;
dataset formats (N-Quads, TriG) keep one named graph per report, plus ontology, reference data
and inferred triples as graphs of their own.

Turtle is written with prefixes but without the `\\/`-style escapes and other rarely supported
syntax; it loads into Virtuoso's Turtle loader (DB.DBA.TTLP) as well as Jena's riot/TDB2.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ..errors import UserError
from ..rdf.io import FORMATS
from ..rdf.names import local_name
from ..rdf.vocab import GRAPH, PREFIXES

# The formats that keep the named graphs (JSON-LD could too, but is written as one graph, the form
# most JSON-LD tools read).
DATASET_FORMATS = {"nquads", "trig"}
INFERRED_PREFIX = str(GRAPH) + "inferred/"


def graph_names(store: ox.Store) -> list[str]:
    return sorted(g.value for g in store.named_graphs())


def resolve_graph(store: ox.Store, name: str) -> str:
    """A graph given as full IRI or as its short name (e.g. report/peel-2015-...)."""
    names = graph_names(store)
    for candidate in (name, str(GRAPH) + name):
        if candidate in names:
            return candidate
    short = ", ".join(local_name(n, GRAPH) for n in names)
    raise UserError(f"No graph {name!r} in the built dataset. Graphs: {short}")


def _key(quad: ox.Quad) -> tuple[str, str, str, str]:
    return (str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object))


def select_quads(store: ox.Store, graphs: list[str] | None, asserted_only: bool) -> list[ox.Quad]:
    names = graphs or graph_names(store)
    if asserted_only:
        names = [n for n in names if not n.startswith(INFERRED_PREFIX)]
    quads = []
    for name in names:
        quads.extend(store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    return sorted(quads, key=_key)


def export(store: ox.Store, fmt: str, *, graphs: list[str] | None = None, asserted_only: bool = False) -> bytes:
    if fmt not in FORMATS:
        raise UserError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
    quads = select_quads(store, graphs, asserted_only)
    if fmt in DATASET_FORMATS:
        data = quads
    else:
        seen = set()
        data = []
        for quad in quads:  # the union of the graphs: each triple once, in sorted order
            triple = quad.triple
            if triple not in seen:
                seen.add(triple)
                data.append(triple)
        data.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    prefixes = PREFIXES if fmt in ("turtle", "trig", "rdfxml", "jsonld") else None
    if fmt == "rdfxml":
        # RDF/XML needs prefixes whose local names are valid XML names; keep vocabulary ones only.
        prefixes = {k: v for k, v in PREFIXES.items() if v.endswith("#")}
    return ox.serialize(data, format=FORMATS[fmt], prefixes=prefixes)


def write_export(data: bytes, output: Path | None) -> None:
    """``data`` to standard output, or atomically to ``output`` (pipeline.atomic: written through
    a symbolic link, into a device, never half-written)."""
    import sys

    from .atomic import write_file

    if output is None:
        sys.stdout.buffer.write(data)
        return
    write_file(output, data)
