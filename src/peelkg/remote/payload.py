"""What a push sends: a graph's triples as one Graph Store body, or as SPARQL INSERT blocks."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

import pyoxigraph as ox

from ..query.binding import term_to_sparql


class GraphData(NamedTuple):
    """One graph to push: its IRI, its triples as N-Triples and how many triples it has."""

    graph: str
    ntriples: bytes
    expected: int


def graphs_from_quads(quads) -> list[GraphData]:
    """One GraphData per named graph of ``quads``."""
    by_graph: dict[str, list[ox.Triple]] = {}
    for quad in quads:
        by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
    return [GraphData(graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), len(triples))
            for graph, triples in by_graph.items()]


def insert_operations(graph_iri: str, triples: Sequence[ox.Triple], chunk_size: int) -> Iterator[str]:
    """SPARQL updates that together insert ``triples`` into the graph ``graph_iri`` (an ``<IRI>``),
    about ``chunk_size`` triples each.

    Triples sharing a blank node (directly or through other blank nodes) go in the same
    operation, since each has its own blank node scope. Virtuoso refuses blank nodes in INSERT
    DATA ("not allowed in a constant clause"), so those chunks use the standard equivalent, an
    INSERT template with an empty WHERE (one solution: one fresh blank node per label)."""
    for block, has_bnodes in _chunks(triples, chunk_size):
        body = f"GRAPH {graph_iri} {{\n{block}\n}}"
        yield f"INSERT {{ {body} }} WHERE {{ }}" if has_bnodes else f"INSERT DATA {{ {body} }}"


def _chunks(triples: Sequence[ox.Triple], chunk_size: int) -> Iterator[tuple[str, bool]]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for t in triples:
        bnodes = [n.value for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)]
        for b in bnodes:
            parent.setdefault(b, b)
        if len(bnodes) == 2 and find(bnodes[0]) != find(bnodes[1]):
            parent[find(bnodes[0])] = find(bnodes[1])

    labels: dict[str, str] = {}
    groups: dict[object, list[str]] = {}
    for i, t in enumerate(triples):
        b = next((n.value for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)), None)
        key = ("b", find(b)) if b is not None else ("t", i)
        groups.setdefault(key, []).append(" ".join(_term(x, labels) for x in (t.subject, t.predicate, t.object)) + " .")

    chunk: list[str] = []
    has_bnodes = False
    for key, lines in groups.items():
        if chunk and len(chunk) + len(lines) > chunk_size:
            yield "\n".join(chunk), has_bnodes
            chunk, has_bnodes = [], False
        chunk.extend(lines)
        has_bnodes = has_bnodes or key[0] == "b"
    if chunk:
        yield "\n".join(chunk), has_bnodes


def _term(term, labels: dict[str, str]) -> str:
    if isinstance(term, ox.BlankNode):
        # relabelled: N-Triples labels may hold characters SPARQL does not allow
        return labels.setdefault(term.value, f"_:b{len(labels)}")
    return term_to_sparql(term)
