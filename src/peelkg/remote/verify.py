"""Does a remote graph hold exactly the local triples? Compared by content, not only by count.

The remote graph is read back through the query endpoint, a batch of subjects at a time
(``VALUES ?s { ... }``), so no answer is long enough to hit a store's result-size cap (Virtuoso
returns at most ResultSetMaxRows rows, 10,000 by default, and refuses ORDER BY paging past
MaxSortedTopRows). Together with an equal triple count, equal triples for every local subject
mean equal graphs. Literals are compared by value where stores are free to rewrite the lexical
form (numbers, booleans): Virtuoso stores ``"1.50"^^xsd:decimal`` as 1.5. Triples with blank
nodes, which have no name to look up, are read in one request and compared as a graph
(isomorphism); peelkg's own data has none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from . import sparql
from .client import Client

XSD = "http://www.w3.org/2001/XMLSchema#"
_DECIMALS = {XSD + t for t in ("integer", "decimal", "int", "long", "short", "byte", "nonNegativeInteger",
                               "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt",
                               "unsignedLong", "unsignedShort", "unsignedByte")}
_FLOATS = {XSD + "double", XSD + "float"}
BATCH_TRIPLES = 5000
BATCH_SUBJECTS = 1000
SHOWN = 3


def term_key(term) -> tuple:
    """A term as compared between stores: literals by value where the lexical form may change."""
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if term.language:
        return ("lang", term.value, term.language.lower())
    datatype = term.datatype.value
    try:
        if datatype in _DECIMALS:
            return ("number", Decimal(term.value.strip()).normalize())
        if datatype in _FLOATS:
            return ("number", float(term.value))
    except (InvalidOperation, ValueError):
        pass
    if datatype == XSD + "boolean":
        return ("boolean", term.value.strip() in ("true", "1"))
    return ("literal", term.value, datatype)


def _has_bnode(t: ox.Triple) -> bool:
    return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)


def _key(t: ox.Triple) -> tuple:
    return term_key(t.subject), term_key(t.predicate), term_key(t.object)


def _show(key: tuple) -> str:
    return " ".join(f"<{k[1]}>" if k[0] == "iri" else repr(k[1]) for k in key)


def _batches(subjects: dict[str, int]) -> list[list[str]]:
    batches: list[list[str]] = [[]]
    size = 0
    for subject, n in subjects.items():
        if batches[-1] and (size + n > BATCH_TRIPLES or len(batches[-1]) >= BATCH_SUBJECTS):
            batches.append([])
            size = 0
        batches[-1].append(subject)
        size += n
    return [b for b in batches if b]


def _as_rdflib(triples) -> Graph:
    """Blank-node triples as an rdflib graph, literals replaced by their comparison key."""
    from rdflib import BNode

    def convert(term):
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        return Literal(repr(term_key(term)))

    graph = Graph()
    for t in triples:
        graph.add((convert(t.subject), convert(t.predicate), convert(t.object)))
    return graph


def differences(client: Client, query_url: str, graph: str, triples: Sequence[ox.Triple], expected: int, *,
                what: str) -> list[str]:
    """How the remote ``graph`` differs from ``triples``, ``expected`` of them (empty if it holds
    exactly them)."""
    remote_count = sparql.count(client, query_url, graph, what=what)
    if remote_count != expected:
        return [f"expected {expected} triples, but the remote store holds {remote_count}"]
    local_plain = [t for t in triples if not _has_bnode(t)]
    local_bnode = [t for t in triples if _has_bnode(t)]
    per_subject = Counter(t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode))
    remote_plain: list[tuple] = []
    remote_bnode: list[ox.Triple] = []
    labels: dict = {}
    for batch in _batches(dict(per_subject)):
        values = " ".join(sparql.iri(s) for s in batch)
        query = f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} GRAPH {sparql.iri(graph)} {{ ?s ?p ?o }} }}"
        for row in sparql.select(client, query_url, query, what=what, labels=labels).rows:
            t = ox.Triple(row["s"], row["p"], row["o"])
            if _has_bnode(t):
                remote_bnode.append(t)
            else:
                remote_plain.append(_key(t))
    if local_bnode:
        query = f"SELECT ?s ?p ?o WHERE {{ GRAPH {sparql.iri(graph)} {{ ?s ?p ?o FILTER(isBlank(?s)) }} }}"
        remote_bnode += [ox.Triple(r["s"], r["p"], r["o"]) for r in sparql.select(client, query_url, query, what=what, labels=labels).rows]
    return _compare(Counter(map(_key, local_plain)), Counter(remote_plain), local_bnode, remote_bnode)


def _compare(local: Counter, remote: Counter, local_bnode: list, remote_bnode: list) -> list[str]:
    found = []
    missing, extra = local - remote, remote - local
    found += [f"missing {_show(k)}" for k in list(missing)[:SHOWN]]
    found += [f"unexpected {_show(k)}" for k in list(extra)[:SHOWN]]
    hidden = len(missing) + len(extra) - len(found)
    if hidden > 0:
        found.append(f"and {hidden} more difference(s)")
    if (local_bnode or remote_bnode) and not isomorphic(_as_rdflib(local_bnode), _as_rdflib(remote_bnode)):
        found.append("the triples with blank nodes differ")
    return found

