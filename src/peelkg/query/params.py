"""Query parameters: resolving command-line values to RDF terms, checked against the graph.

Parameters are the query's `?_name` variables. A value given on the command line is turned into
an RDF term of its declared type (and, for forces, grades, questions, reports and IRIs of a
class, looked up in the graph, so an unknown value is an error listing the valid ones); the term
is then bound into the query by query.binding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import UserError
from ..rdf.names import compact, expand_iri
from ..rdf.vocab import PREFIXES, XSD_NS
from .library import Param, StoredQuery

# -- Resolving command-line values to RDF terms ----

# ASCII digits only (Python's \d and int() take any script's digits), and at most 19 of them, so
# int() never meets a 5,000-digit string; the range is the store's (64-bit) integers.
_INTEGER = re.compile(r"[+-]?[0-9]{1,19}")
_INT64 = (-(2**63), 2**63 - 1)
_XSD_INTEGER = ox.NamedNode(XSD_NS + "integer")
_XSD_GYEAR = ox.NamedNode(XSD_NS + "gYear")


def _named_node(iri: str, param: Param) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:  # pyoxigraph checks the whole IRI grammar (a bad %-escape, say)
        raise UserError(f"Parameter {param.name}: {iri!r} is not a valid IRI ({exc}).") from None


def _shorten(value: str) -> str:
    return value if len(value) <= 40 else value[:20] + "..." + value[-10:] + f" ({len(value)} characters)"


Lookup = Callable[[str, dict], list[dict]]
"""Runs a SELECT (with bindings) on the graph and returns rows of pyoxigraph terms by variable name."""


@dataclass
class Resolver:
    """Turns parameter values into RDF terms, checking them against the graph."""

    lookup: Lookup
    _cache: dict = field(default_factory=dict)

    def resolve_all(self, query: StoredQuery, values: Mapping[str, str]) -> dict:
        """``{"_name": term}`` for every value given for ``query``. Questions and grades are
        resolved last, in the context of the other parameters: a bare question id (q2) or a
        grade name (good, adequate) means the question or grade of the given report's cycle,
        or of the cycles of the given year."""
        params = {name: query.param(name) for name in values}
        late = [n for n, p in params.items() if p is not None and p.type in ("question", "grade")]
        context: dict[str, object] = {}
        bindings: dict[str, object] = {}
        for name in [n for n in values if n not in late] + late:
            param = params[name]
            term = ox.Literal(values[name]) if param is None else self.resolve(param, values[name], context)
            if param is not None and param.type in ("report", "year"):
                context[param.type] = term
            bindings["_" + name] = term
        return bindings

    def resolve(self, param: Param, value: str, context: Mapping[str, object] | None = None):
        kind = param.type
        if kind == "string":
            return ox.Literal(value)
        if kind == "integer":
            digits = value.strip()
            if not _INTEGER.fullmatch(digits) or not _INT64[0] <= int(digits) <= _INT64[1]:
                raise UserError(f"Parameter {param.name} must be a whole number (digits 0-9, between {_INT64[0]} "
                                f"and {_INT64[1]}), not {_shorten(value)!r}.")
            return ox.Literal(str(int(digits)), datatype=_XSD_INTEGER)
        if kind == "year":
            if not re.fullmatch(r"[0-9]{4}", value.strip()):
                raise UserError(f"Parameter {param.name} must be a year like 2015, not {_shorten(value)!r}.")
            return ox.Literal(value.strip(), datatype=_XSD_GYEAR)
        if kind == "iri":
            return self._resolve_iri(param, value)
        if kind in ("question", "grade"):
            return getattr(self, f"_resolve_{kind}")(param, value, context or {})
        return getattr(self, f"_resolve_{kind}")(param, value)

    def choices(self, kind: str) -> dict[str, ox.NamedNode]:
        """name (lower case) -> IRI for every valid value of a looked-up parameter type
        (``LOOKED_UP_TYPES``); one IRI may have several names. The server fills its pickers
        and OpenAPI enums from it."""
        return self._choices(kind, _CHOICES[kind])

    def _choices(self, key: str, query: str) -> dict[str, ox.NamedNode]:
        """name -> IRI for every valid value of a parameter type."""
        if key not in self._cache:
            found: dict[str, ox.NamedNode] = {}
            for row in self.lookup(query, {}):
                if row.get("name") is not None:
                    found.setdefault(row["name"].value.lower(), row["item"])
            self._cache[key] = found
        return self._cache[key]

    def _pick(self, param: Param, value: str, choices: dict[str, ox.NamedNode], what: str) -> ox.NamedNode:
        key = value.strip().lower()
        if key in choices:
            return choices[key]
        for iri in choices.values():
            if iri.value == value.strip():
                return iri
        valid = sorted(set(choices))
        listing = ", ".join(valid[:60]) + (" ..." if len(valid) > 60 else "")
        raise UserError(f"Unknown {what} {value!r} for parameter {param.name}. Valid values: {listing}")

    def _resolve_report(self, param: Param, value: str) -> ox.NamedNode:
        # The report named is looked up on its own before every report is listed (for another
        # spelling of its name, or the error message): at 4,300 reports the listing took 70-110
        # ms, most of the time of a `peelkg query` from the shell.
        if "report" not in self._cache:
            named = _report_iri(value)
            if named is not None and self.lookup(_PREFIX + "SELECT ?item WHERE { ?item a peel:Report }",
                                                 {"item": named}):
                return named
        return self._pick(param, value, self.choices("report"), "report")

    def _resolve_force(self, param: Param, value: str) -> ox.NamedNode:
        return self._pick(param, value, self.choices("force"), "force")

    def _context_cycles(self, context: Mapping[str, object]) -> tuple[set[str], str]:
        """The cycles the other parameters point to (a report's cycle, or the cycles of a
        year), and how to name them in a message; empty when there is no such parameter."""
        if "report" in context:
            rows = self.lookup(_PREFIX + "SELECT ?item WHERE { ?report peel:cycle ?item }", {"report": context["report"]})
            return {r["item"].value for r in rows}, f"the cycle of report {context['report'].value.rsplit('/', 1)[-1]}"
        if "year" in context:
            rows = self.lookup(_PREFIX + "SELECT ?item WHERE { ?item a peel:InspectionCycle ; peel:year ?year }",
                               {"year": context["year"]})
            return {r["item"].value for r in rows}, f"the cycles of {context['year'].value}"
        return set(), ""

    def _questions(self) -> list[tuple[ox.NamedNode, str]]:
        """(IRI, id) of every question; the id is the IRI after .../question/, such as
        peel-2015-effectiveness/q2."""
        if "questions" not in self._cache:
            rows = self.lookup(_PREFIX + """
                SELECT DISTINCT ?item WHERE { ?item a peel:InspectionQuestion }""", {})
            marker = "/question/"
            self._cache["questions"] = sorted(
                (r["item"], r["item"].value.split(marker, 1)[1]) for r in rows if marker in r["item"].value)
        return self._cache["questions"]

    def _resolve_question(self, param: Param, value: str, context: Mapping[str, object]) -> ox.NamedNode:
        key = value.strip()
        questions = self._questions()
        for iri, qid in questions:
            if key.lower() == qid.lower() or key == iri.value:
                return iri
        bare = [(iri, qid) for iri, qid in questions if qid.rsplit("/", 1)[-1].lower() == key.lower()]
        cycles, where = self._context_cycles(context)
        if cycles:
            namespaces = {c.replace("/cycle/", "/question/", 1) + "/" for c in cycles}
            in_context = [(iri, qid) for iri, qid in bare if any(iri.value.startswith(ns) for ns in namespaces)]
            if len(in_context) == 1:
                return in_context[0][0]
            own = [qid for iri, qid in questions if any(iri.value.startswith(ns) for ns in namespaces)]
            if not in_context:
                listing = ", ".join(own[:60]) if own else "none recorded"
                raise UserError(f"Unknown question {value!r} for parameter {param.name} in {where}. "
                                f"Its questions: {listing}.")
            bare = in_context
        if len(bare) == 1:
            return bare[0][0]
        if len(bare) > 1:
            ids = ", ".join(qid for _, qid in bare)
            raise UserError(f"The question id {value!r} for parameter {param.name} is ambiguous: questions of "
                            f"several cycles have it ({ids}). Give the cycle too, e.g. -p {param.name} {bare[0][1]}.")
        cycles_listing = sorted({qid.split("/", 1)[0] for _, qid in questions})
        raise UserError(f"Unknown question {value!r} for parameter {param.name}: no cycle has a question of that id. "
                        f"Give it as <cycle>/<question>; cycles: {', '.join(cycles_listing)}.")

    def _resolve_grade(self, param: Param, value: str, context: Mapping[str, object]) -> ox.NamedNode:
        if "grades" not in self._cache:
            rows = self.lookup(_PREFIX + """
                SELECT ?item ?label ?scale WHERE {
                  ?item a peel:Grade ; skos:prefLabel ?label ; skos:inScheme ?scale }
                ORDER BY ?scale ?item""", {})
            self._cache["grades"] = [(r["item"], r["label"].value, r["scale"].value) for r in rows]
        grades = self._cache["grades"]
        key = value.strip().lower()
        for iri, _, _ in grades:
            if key == iri.value.rsplit("/", 1)[-1].lower() or value.strip() == iri.value:
                return iri
        named = [g for g in grades if g[1].lower() == key]
        cycles, where = self._context_cycles(context)
        if cycles:
            scales = {r["item"].value for c in cycles for r in self.lookup(
                _PREFIX + "SELECT ?item WHERE { ?cycle peel:gradingScale ?item }", {"cycle": ox.NamedNode(c)})}
            on_scale = [g for g in named if g[2] in scales]
            if len(on_scale) == 1:
                return on_scale[0][0]
            if not on_scale and named:
                listing = ", ".join(g[1] for g in grades if g[2] in scales)
                raise UserError(f"The grade {value!r} for parameter {param.name} is not on the scale of {where}; "
                                f"its grades are {listing}.")
            named = on_scale or named
        if len(named) == 1:
            return named[0][0]
        if len(named) > 1:
            # Without a report or year to say which scale is meant, a name on both scales means
            # the four-point one, as it always has; the five-point grade has its own id.
            four = [g for g in named if g[2].endswith("/scale/four-point")]
            if len(four) == 1:
                return four[0][0]
        valid = sorted({g[0].value.rsplit("/", 1)[-1] for g in grades} | {g[1].lower() for g in grades})
        raise UserError(f"Unknown grade {value!r} for parameter {param.name}. Valid values: {', '.join(valid)}")

    def _resolve_entity(self, param: Param, value: str) -> ox.NamedNode:
        return self._pick_named(param, value, self._named("entity", _ENTITIES), "named thing")

    def _resolve_subject(self, param: Param, value: str) -> ox.NamedNode:
        """A topic if the value names one (topics first: "integrated offender management" is
        both a topic and a programme's label), else a named thing."""
        topics = self._named("topic", _TOPICS)
        if _name_key(value) in topics or value.strip() in {i.value for i in _flatten(topics)}:
            return self._pick_named(param, value, topics, "topic")
        either: dict[str, set[ox.NamedNode]] = {}
        for names in (topics, self._named("entity", _ENTITIES)):
            for name, items in names.items():
                either.setdefault(name, set()).update(items)
        return self._pick_named(param, value, either, "topic or named thing")

    def _named(self, key: str, query: str) -> dict[str, set[ox.NamedNode]]:
        """name -> IRIs for things that may be called by their label, their IRI's last segment
        (falcon-team), their path under the id namespace (force/metropolitan/falcon-team) or a
        prefixed name (topic:burglary); unlike _choices, a name may be ambiguous."""
        if key not in self._cache:
            names: dict[str, set[ox.NamedNode]] = {}
            for row in self.lookup(query, {}):
                item = row["item"]
                forms = {item.value.rsplit("/", 1)[-1], compact(item.value)}
                if item.value.startswith(_ID):
                    forms.add(item.value[len(_ID):])
                if row.get("name") is not None:
                    forms.add(row["name"].value)
                for form in forms:
                    names.setdefault(_name_key(form), set()).add(item)
            self._cache[key] = names
        return self._cache[key]

    def _pick_named(self, param: Param, value: str, names: dict[str, set[ox.NamedNode]], what: str) -> ox.NamedNode:
        found = names.get(_name_key(value)) or {i for i in _flatten(names) if i.value == value.strip()}
        if len(found) == 1:
            return next(iter(found))
        if found:
            options = ", ".join(sorted(compact(i.value) for i in found))
            raise UserError(f"{value!r} names more than one {what} for parameter {param.name}: {options}; "
                            "give one of these.")
        import difflib  # only for a name not found: kept off the import path of `peelkg query`

        close = difflib.get_close_matches(_name_key(value), list(names), n=12, cutoff=0.5)
        hint = f" Closest names: {', '.join(close)}." if close else ""
        raise UserError(f"Unknown {what} {value!r} for parameter {param.name}.{hint} "
                        "Give its IRI, prefixed name, id (the IRI's last part) or label.")

    def _resolve_iri(self, param: Param, value: str) -> ox.NamedNode:
        iri = _named_node(expand_iri(value.strip()), param)
        if param.cls:
            cls = _named_node(expand_iri(param.cls), param)
            rows = self.lookup(_PREFIX + "SELECT ?item WHERE { ?item a ?class }", {"item": iri, "class": cls})
            if not rows:
                raise UserError(
                    f"Parameter {param.name}: {value!r} is not a {compact(cls.value)} in the graph. "
                    f"Give the IRI (or prefixed name, e.g. {next(iter(PREFIXES))}:...) of one."
                )
        return iri


_PREFIX = (
    "PREFIX peel: <https://w3id.org/peelkg/def#> "
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
)


# The valid values of each type looked up by name: rows of ?item and one of its ?name.
LOOKED_UP_TYPES = ("report", "force", "grade", "question")
_CHOICES = {
    "report": _PREFIX + """
            SELECT ?item ?name WHERE { ?item a peel:Report .
              BIND(REPLACE(STR(?item), "^.*/", "") AS ?name) }""",
    "force": _PREFIX + "SELECT ?item ?name WHERE { ?item a peel:PoliceForce ; peel:forceId ?name }",
    "grade": _PREFIX + """
            SELECT ?item ?name WHERE {
              { ?item a peel:Grade . BIND(REPLACE(STR(?item), "^.*/", "") AS ?name) }
              UNION { ?item a peel:Grade ; skos:prefLabel ?name .
                      FILTER NOT EXISTS { ?item skos:inScheme <https://w3id.org/peelkg/id/scale/five-point> } } }""",
    "question": _PREFIX + """
            SELECT ?item ?name WHERE {
              { ?item a peel:InspectionQuestion . BIND(REPLACE(STR(?item), "^.*/question/", "") AS ?name) }
              UNION { ?item a peel:InspectionQuestion . BIND(REPLACE(STR(?item), "^.*/", "") AS ?name) } }
            ORDER BY ?item""",
}
_ID = "https://w3id.org/peelkg/id/"
# What a report names (and the forces), with their labels; the topics of the topic scheme.
_ENTITIES = _PREFIX + """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT DISTINCT ?item ?name WHERE {
      { ?report peel:mentions ?item } UNION { ?item a peel:PoliceForce }
      OPTIONAL { { ?item rdfs:label ?name } UNION { ?item skos:altLabel ?name } } }"""
_TOPICS = _PREFIX + """SELECT DISTINCT ?item ?name WHERE {
      ?item a peel:Topic .
      OPTIONAL { { ?item skos:prefLabel ?name } UNION { ?item skos:altLabel ?name } } }"""


def _report_iri(value: str) -> ox.NamedNode | None:
    """The IRI a report id (or the IRI itself) names, if it is one."""
    key = value.strip()
    try:
        return ox.NamedNode(key if key.startswith(("http://", "https://")) else _ID + "report/" + key)
    except ValueError:
        return None


def _name_key(value: str) -> str:
    return " ".join(value.strip().lower().split())


def _flatten(names: dict[str, set[ox.NamedNode]]) -> set[ox.NamedNode]:
    return set().union(*names.values()) if names else set()
