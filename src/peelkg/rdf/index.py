"""Triples indexed by subject and by object, for the checks and descriptions that walk a report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from .vocab import TYPE


class Index:
    """Triples indexed by subject and by object (IRI strings and ox terms)."""

    def __init__(self, triples: Iterable[ox.Triple | tuple]):
        """``triples``: ox.Triple or (subject, predicate, object) tuples (both unpack alike)."""
        self.out: dict = defaultdict(lambda: defaultdict(list))
        self.into: dict = defaultdict(lambda: defaultdict(list))
        out, into = self.out, self.into
        for s, p, o in triples:
            out[s][p].append(o)
            into[o][p].append(s)

    def objects(self, s, p: ox.NamedNode) -> list:
        return self.out.get(s, {}).get(p, [])

    def value(self, s, p: ox.NamedNode):
        values = self.objects(s, p)
        return values[0] if values else None

    def subjects(self, p: ox.NamedNode, o) -> list:
        return self.into.get(o, {}).get(p, [])

    def types(self, s) -> set[str]:
        return {o.value for o in self.objects(s, TYPE) if isinstance(o, ox.NamedNode)}

    def is_subject(self, s) -> bool:
        return s in self.out
