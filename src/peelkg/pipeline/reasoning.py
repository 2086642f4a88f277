"""Reasoning that scales: owlrl closes the ontology once, then a few rules run on each report.

A full OWL RL closure of ontology + data with owlrl grows faster than the data (42 s at 100k
triples here, and its RDFS pass compares every pair of literals). The entailments the stored
queries rely on need much less. ``TBox`` takes owlrl's closure of the ontology alone (a few
hundred triples) and compiles it into tables; ``TBox.infer`` then applies to instance data:

* class hierarchy:   x a C, C rdfs:subClassOf D            => x a D
* property hierarchy: x p y, p rdfs:subPropertyOf q        => x q y
* inverses:          x p y, p owl:inverseOf q              => y q x
* transitivity:      x p y, y p z, p a owl:TransitiveProperty => x p z
* domain and range:  x p y, p rdfs:domain C (rdfs:range C)  => x a C (y a C)

applied to a fixpoint. ``tests/test_reasoning.py`` shows that on the Met report this yields
exactly the triples of these kinds that owlrl's full closure yields.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import owlrl
import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ..rdf.vocab import TYPE

# Classes every resource belongs to: stating them adds nothing a query can use.
_TRIVIAL_CLASSES = {str(OWL.Thing), str(RDFS.Resource), str(OWL.NamedIndividual)}
# owlrl axiomatic triples about the RDF/RDFS/OWL vocabularies themselves are not ours to compile.
_BUILTIN_PREFIXES = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")


def _builtin(iri: str) -> bool:
    return iri.startswith(_BUILTIN_PREFIXES)


def owlrl_closure(graph: Graph) -> Graph:
    """A copy of ``graph`` with owlrl's OWL RL closure added."""
    closed = Graph()
    for triple in graph:
        closed.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closed)
    return closed


@dataclass(frozen=True)
class Closed:
    """Triples closed under the rules (TBox.close), with their transitive-property triples."""

    triples: frozenset
    edges: tuple


@dataclass
class TBox:
    """The ontology's closure compiled into lookup tables (all keyed by IRI string)."""

    superclasses: dict[str, set[str]] = field(default_factory=dict)
    superproperties: dict[str, set[str]] = field(default_factory=dict)
    inverses: dict[str, set[str]] = field(default_factory=dict)
    transitive: set[str] = field(default_factory=set)
    domains: dict[str, set[str]] = field(default_factory=dict)
    ranges: dict[str, set[str]] = field(default_factory=dict)
    # What one triple entails, by predicate (see _consequences): filled as predicates are met.
    _templates: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_ontology(cls, ontology: Graph) -> "TBox":
        closed = owlrl_closure(ontology)
        tbox = cls()

        def table(predicate: URIRef) -> dict[str, set[str]]:
            result: dict[str, set[str]] = defaultdict(set)
            for s, o in closed.subject_objects(predicate):
                if isinstance(s, URIRef) and isinstance(o, URIRef) and s != o:
                    if not _builtin(str(s)) and str(o) not in _TRIVIAL_CLASSES:
                        result[str(s)].add(str(o))
            return dict(result)

        tbox.superclasses = table(RDFS.subClassOf)
        tbox.superproperties = table(RDFS.subPropertyOf)
        tbox.domains = table(RDFS.domain)
        tbox.ranges = table(RDFS.range)
        inverses: dict[str, set[str]] = defaultdict(set)
        for p, q in closed.subject_objects(OWL.inverseOf):
            inverses[str(p)].add(str(q))
            inverses[str(q)].add(str(p))
        tbox.inverses = dict(inverses)
        tbox.transitive = {
            str(p) for p in closed.subjects(RDF.type, OWL.TransitiveProperty) if isinstance(p, URIRef)
        }
        return tbox

    _TABLES = ("superclasses", "superproperties", "inverses", "domains", "ranges")

    def to_json(self) -> dict:
        tables = {name: {k: sorted(v) for k, v in getattr(self, name).items()} for name in self._TABLES}
        return tables | {"transitive": sorted(self.transitive)}

    @classmethod
    def from_json(cls, data: dict) -> "TBox":
        """The inverse of to_json; raises KeyError, TypeError or AttributeError on a damaged one."""
        tables = {name: {str(k): {str(x) for x in v} for k, v in data[name].items()} for name in cls._TABLES}
        return cls(**tables, transitive={str(x) for x in data["transitive"]})

    @property
    def classes(self) -> set[str]:
        found = set(self.superclasses)
        for supers in self.superclasses.values():
            found |= supers
        for table in (self.domains, self.ranges):
            for supers in table.values():
                found |= supers
        return found

    @property
    def properties(self) -> set[str]:
        found = set(self.superproperties) | set(self.inverses) | self.transitive
        found |= set(self.domains) | set(self.ranges)
        for supers in self.superproperties.values():
            found |= supers
        return found

    def infer(self, triples: Iterable[ox.Triple], given: Closed | None = None) -> list[ox.Triple]:
        """The triples these rules add to ``triples``, not including ``triples`` themselves.
        ``given``: triples already closed under the rules (the reference data with what it
        entails, from ``close``), which ``triples`` are reasoned with but which are not returned.

        Every rule but transitivity derives from one triple alone, so what one triple entails
        depends only on its predicate (and its class, for rdf:type; and whether its object is a
        literal): that closure is worked out once per predicate (``_consequences``) and stamped
        onto each triple. Only transitivity joins two triples; its new edges are stamped too,
        until nothing new is found. Triples are kept as ox.Triple, not as tuples of terms:
        pyoxigraph makes a new Python object each time a term is read from a triple, and hashing
        three terms costs ten times hashing their triple (measured on the generated reports)."""
        asserted = set(triples)
        known = set(given.triples) if given is not None else set()
        # Index of the transitive properties: p -> subject -> objects, p -> object -> subjects.
        forward: dict[str, dict] = defaultdict(lambda: defaultdict(set))
        backward: dict[str, dict] = defaultdict(lambda: defaultdict(set))
        if given is not None:
            for t in given.edges:
                forward[t.predicate.value][t.subject].add(t.object)
                backward[t.predicate.value][t.object].add(t.subject)
        edges: list[ox.Triple] = []  # transitive triples not yet joined
        transitive = self.transitive
        consequences = self._consequences

        def add(triple: ox.Triple) -> None:
            if triple in known:
                return
            known.add(triple)
            p, o = triple.predicate, triple.object
            if p.value in transitive:
                edges.append(triple)
            template = consequences(p, o)
            if not template:
                return
            s = triple.subject
            for ts, tp, to in template:
                derived = ox.Triple(s if ts is _S else o if ts is _O else ts, tp,
                                    s if to is _S else o if to is _O else to)
                if derived not in known:
                    known.add(derived)
                    if tp.value in transitive:
                        edges.append(derived)

        for t in asserted:
            add(t)

        while edges:
            edge = edges.pop()
            s, p, o = edge.subject, edge.predicate, edge.object
            if isinstance(o, ox.Literal):
                continue
            fwd, bwd = forward[p.value], backward[p.value]
            fwd[s].add(o)
            bwd[o].add(s)
            for z in list(fwd.get(o, ())):
                add(ox.Triple(s, p, z))
            for w in list(bwd.get(s, ())):
                add(ox.Triple(w, p, o))
        known -= asserted
        if given is not None:
            known -= given.triples
        return list(known)

    def close(self, triples: Iterable[ox.Triple]) -> Closed:
        """``triples`` with what they entail, ready to be given to ``infer``."""
        triples = list(triples)
        closed = frozenset(triples) | frozenset(self.infer(triples))
        return Closed(closed, tuple(t for t in closed if t.predicate.value in self.transitive
                                    and not isinstance(t.object, ox.Literal)))

    def _consequences(self, predicate: ox.NamedNode, obj) -> tuple:
        """What a triple (_S predicate obj) entails without transitivity, as templates whose
        subject and object may be _S or _O (the triple's own subject and object)."""
        cache = self._templates
        kind = obj if predicate == TYPE else isinstance(obj, ox.Literal)
        key = (predicate, kind)
        found = cache.get(key)
        if found is None:
            found = cache[key] = self._closure_of_one(predicate, obj if predicate == TYPE else
                                                      (_LITERAL if kind else _O))
        return found

    def _closure_of_one(self, predicate: ox.NamedNode, obj) -> tuple:
        """The one-triple rules applied to (_S predicate obj) until nothing new is derived."""
        node = _NodeCache()
        start = (_S, predicate, obj)
        found = {start}
        queue = [start]

        def add(s, p, o) -> None:
            if (s, p, o) not in found:
                found.add((s, p, o))
                queue.append((s, p, o))

        while queue:
            s, p, o = queue.pop()
            if p == TYPE:
                if isinstance(o, ox.NamedNode) and o is not _O:
                    for sup in self.superclasses.get(o.value, ()):
                        add(s, TYPE, node(sup))
                continue
            for sup in self.superproperties.get(p.value, ()):
                add(s, node(sup), o)
            if o is not _LITERAL:
                for inv in self.inverses.get(p.value, ()):
                    add(o, node(inv), s)
                for cls in self.ranges.get(p.value, ()):
                    add(o, TYPE, node(cls))
            for cls in self.domains.get(p.value, ()):
                add(s, TYPE, node(cls))
        found.discard(start)
        # The placeholder literal stands for the triple's own object.
        return tuple((s, p, _O if o is _LITERAL else o) for s, p, o in found)


# Placeholders for the subject and object of the triple a template is stamped onto.
_S = ox.NamedNode("urn:peelkg:template:subject")
_O = ox.NamedNode("urn:peelkg:template:object")
_LITERAL = ox.Literal("urn:peelkg:template:literal-object")


class _NodeCache(dict):
    """Reuses one NamedNode per IRI: the rules create the same few nodes many times."""

    def __call__(self, iri: str) -> ox.NamedNode:
        found = self.get(iri)
        if found is None:
            found = self[iri] = ox.NamedNode(iri)
        return found
