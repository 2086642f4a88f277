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


@dataclass
class TBox:
    """The ontology's closure compiled into lookup tables (all keyed by IRI string)."""

    superclasses: dict[str, set[str]] = field(default_factory=dict)
    superproperties: dict[str, set[str]] = field(default_factory=dict)
    inverses: dict[str, set[str]] = field(default_factory=dict)
    transitive: set[str] = field(default_factory=set)
    domains: dict[str, set[str]] = field(default_factory=dict)
    ranges: dict[str, set[str]] = field(default_factory=dict)

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

    def infer(self, triples: Iterable[ox.Triple]) -> list[ox.Triple]:
        """The triples these rules add to ``triples`` (not including ``triples`` themselves)."""
        known: set[tuple] = set()
        # Index of the transitive properties: p -> subject -> objects, p -> object -> subjects.
        forward: dict[str, dict] = defaultdict(lambda: defaultdict(set))
        backward: dict[str, dict] = defaultdict(lambda: defaultdict(set))
        asserted: set[tuple] = set()
        queue: list[tuple] = []
        node = _NodeCache()

        def add(s, p, o) -> None:
            key = (s, p, o)
            if key not in known:
                known.add(key)
                queue.append(key)

        for t in triples:
            key = (t.subject, t.predicate, t.object)
            asserted.add(key)
            add(*key)

        while queue:
            s, p, o = queue.pop()
            piri = p.value
            if p == TYPE:
                if isinstance(o, ox.NamedNode):
                    for sup in self.superclasses.get(o.value, ()):
                        add(s, TYPE, node(sup))
                continue
            for sup in self.superproperties.get(piri, ()):
                add(s, node(sup), o)
            if not isinstance(o, ox.Literal):
                for inv in self.inverses.get(piri, ()):
                    add(o, node(inv), s)
                for cls in self.ranges.get(piri, ()):
                    add(o, TYPE, node(cls))
            for cls in self.domains.get(piri, ()):
                add(s, TYPE, node(cls))
            if piri in self.transitive and not isinstance(o, ox.Literal):
                fwd, bwd = forward[piri], backward[piri]
                fwd[s].add(o)
                bwd[o].add(s)
                for z in list(fwd.get(o, ())):
                    add(s, p, z)
                for w in list(bwd.get(s, ())):
                    add(w, p, o)
        return [ox.Triple(*key) for key in known - asserted]


class _NodeCache(dict):
    """Reuses one NamedNode per IRI: the rules create the same few nodes many times."""

    def __call__(self, iri: str) -> ox.NamedNode:
        found = self.get(iri)
        if found is None:
            found = self[iri] = ox.NamedNode(iri)
        return found
