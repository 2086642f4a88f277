"""The SHACL Core engines behind validation.shapes, chosen with the environment variable
PEELKG_SHACL_ENGINE.

- ``pyshacl-turbo`` (the default): pyshacl-turbo's native engine, evaluated on a pyoxigraph Store
  (no conversion to rdflib), the shapes compiled once per process. On the project's reports it is
  about 4-6 times faster than pySHACL including the conversion pySHACL needs.
- ``pyshacl``: pySHACL on an rdflib copy of the data, the reference engine.

Both give the same problems on every broken copy of a report the tests make and on every report
in data/reports (tests/test_shacl_engines.py). pyshacl-turbo reports a constraint it does not
support as an error when the shapes are compiled; it never skips one.
"""

from __future__ import annotations

import contextlib
import os

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from ..errors import UserError
from ..rdf.bridge import term_from_rdflib, to_rdflib
from .problem import SEVERITIES, Problem, show

ENGINE_VARIABLE = "PEELKG_SHACL_ENGINE"
TURBO, PYSHACL = "pyshacl-turbo", "pyshacl"
ENGINES = (TURBO, PYSHACL)


def chosen_engine() -> str:
    """The engine PEELKG_SHACL_ENGINE names (pyshacl-turbo when unset or empty)."""
    name = os.environ.get(ENGINE_VARIABLE, "").strip()
    if not name:
        return TURBO
    if name not in ENGINES:
        raise UserError(f"{ENGINE_VARIABLE}={name!r} is not a SHACL engine peelkg knows: set it to "
                        f"{' or '.join(ENGINES)}, or unset it for the default ({TURBO}).")
    return name


def core_engine(name: str, core: Graph, files):
    """The SHACL Core engine ``name`` for the shapes graph ``core`` (read from ``files``)."""
    if name == TURBO:
        return TurboCore(core, files)
    if name == PYSHACL:
        return PyshaclCore(core)
    raise UserError(f"Unknown SHACL engine {name!r}: use {' or '.join(ENGINES)}.")


class TurboCore:
    """pyshacl-turbo on a pyoxigraph Store; the shapes are compiled here, once."""

    name = TURBO

    def __init__(self, core: Graph, files):
        import pyshacl_turbo

        self._files = files
        with self._unsupported_is_an_error():
            self._program = pyshacl_turbo.compile_shapes(core)

    @contextlib.contextmanager
    def _unsupported_is_an_error(self):
        # pyshacl-turbo raises NotImplementedError for a feature it does not support (sh:js, a
        # misspelt constraint such as sh:minCont): a clear error naming the shapes files.
        try:
            yield
        except (NotImplementedError, ValueError) as error:
            names = ", ".join(str(f) for f in self._files)
            raise UserError(f"The shapes ({names}) cannot be evaluated by {TURBO}: {error}. Correct the "
                            f"shapes, or set {ENGINE_VARIABLE}={PYSHACL} to validate with pySHACL.") from error

    def problems(self, store: ox.Store, data: list[ox.Triple] | None, text: bytes | None = None) -> list[Problem]:
        """``text``: the store's triples as N-Triples, when the caller has them. pyshacl-turbo
        reads a Store by dumping it to N-Quads (pyshacl_turbo.rdf.input_graph) and parsing that
        text again in its native engine; given the text, the dump is skipped (7 ms a report)."""
        from pyshacl_turbo.rdf import Input

        # The same input input_graph makes of a Store: N-Quads text, blank node labels kept.
        data_input = store if text is None else Input(text.decode(), "oxigraph-nquads", None, {}, preserve_ids=True)
        # Without allow_warnings, so that warnings are reported too (conforms is then False).
        with self._unsupported_is_an_error():
            _, report, _ = self._program.validate(data_input)
        # pyshacl-turbo keeps each value's lexical form as the store gives it; pySHACL's values are
        # rdflib literals, whose lexical form rdflib normalises ("01"^^xsd:integer is "1"): do
        # the same, so that both engines show a value alike.
        return _problems_of(report, normalise=True)


class PyshaclCore:
    """pySHACL on an rdflib copy of the data (the reference engine)."""

    name = PYSHACL

    def __init__(self, core: Graph):
        self.core = core

    def problems(self, store: ox.Store, data: list[ox.Triple] | None, text: bytes | None = None) -> list[Problem]:
        import pyshacl

        if data is None:  # the store's default graph, as a list (the rdflib copy is made from it)
            data = [q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]

        _, report, _ = pyshacl.validate(to_rdflib(data), shacl_graph=self.core, inference="none", advanced=False)
        return _problems_of(report, normalise=False)


def _problems_of(report: Graph, *, normalise: bool) -> list[Problem]:
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        value = report.value(result, SH.value)
        if normalise and isinstance(value, Literal):
            value = Literal(str(value), lang=value.language, datatype=value.datatype)
        path = report.value(result, SH.resultPath)
        problems.append(
            Problem(
                focus=str(report.value(result, SH.focusNode)),
                message=str(report.value(result, SH.resultMessage) or "constraint failed"),
                severity=SEVERITIES[str(report.value(result, SH.resultSeverity))],
                path=str(path) if isinstance(path, URIRef) else None,
                value=None if value is None else show(value),
                term=None if value is None else str(term_from_rdflib(value)),
                shape=str(report.value(result, SH.sourceShape)),
                component=str(report.value(result, SH.sourceConstraintComponent)),
            )
        )
    return problems
