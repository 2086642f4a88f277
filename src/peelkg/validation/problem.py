"""One validation result in plain terms, as every engine and check reports it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import SH

from ..rdf.names import compact

SEVERITIES = {str(SH.Violation): "Violation", str(SH.Warning): "Warning", str(SH.Info): "Info"}


@dataclass(frozen=True, order=True)
class Problem:
    """One validation result, in plain terms."""

    focus: str
    message: str
    severity: str = "Violation"
    path: str | None = None
    value: str | None = None
    shape: str | None = None
    component: str | None = None
    extra: tuple = field(default=(), compare=False)
    # The offending value itself, in N-Triples (``value`` is how it is shown): what sh:value says.
    term: str | None = field(default=None, compare=False)


def show(term) -> str:
    """How a term is shown in a problem: an IRI by its short name, a literal by its text."""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, URIRef):
        return compact(str(term))
    return str(term)
