"""What validating one report found, and its output: human text, JSON or a SHACL report in Turtle."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.util import from_n3

from ..rdf.names import NAME_PREFIXES, compact
from ..rdf.vocab import CHECKS

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Issue:
    """One problem, placed in the source files and described in PEEL terms."""

    file: str | None
    line: int | None
    focus: str
    node: str
    description: str
    severity: str
    message: str
    path: str | None = None
    value: str | None = None
    shape: str | None = None
    constraint: str | None = None
    component: str | None = None
    # Where the offending statement itself is written (None when it is missing, or in JSON-LD).
    statement_file: str | None = None
    statement_line: int | None = None
    term: str | None = None  # the offending value in N-Triples, as the shape or check saw it

    def sort_key(self):
        return (self.file is None, self.file or "", self.line or 0, self.node,
                SEVERITY_ORDER.get(self.severity, 9), self.message)


@dataclass
class Outcome:
    """What validating one report found."""

    files: list[Path]
    issues: list[Issue]
    reports: list[str]

    @property
    def violations(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "Violation"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "Warning"]

    def conforms(self, fail_on: str = "violation") -> bool:
        if fail_on == "warning":
            return not self.violations and not self.warnings
        return not self.violations

    def exit_code(self, fail_on: str = "violation") -> int:
        return 0 if self.conforms(fail_on) else 1



def _short(iri: str | None) -> str | None:
    if iri is None:
        return None
    return iri if iri.startswith("peelkg:") else compact(iri)


def _full(name: str | None) -> str | None:
    if name is None:
        return None
    return CHECKS + name[len("peelkg:"):] if name.startswith("peelkg:") else name


def format_human(outcome: Outcome, fail_on: str = "violation") -> str:
    lines: list[str] = []
    groups: dict[str, list[Issue]] = {}
    for issue in outcome.issues:
        groups.setdefault(issue.focus, []).append(issue)
    for focus, issues in groups.items():
        first = issues[0]
        where = f"{first.file}:{first.line}" if first.file and first.line else (first.file or "(not in the input)")
        lines.append(f"{where}: {first.node}")
        lines.append(f"  {first.description}")
        for issue in issues:
            at = f"{issue.statement_file}:{issue.statement_line}: " if issue.statement_line else ""
            lines.append(f"  {at}{issue.severity.lower()}: {issue.message}")
            details = []
            if issue.path:
                details.append(_short(issue.path) + (f" = {issue.value}" if issue.value is not None else ""))
            elif issue.value is not None:
                details.append(f"value {issue.value}")
            source = _short(issue.constraint) or _short(issue.shape)
            if source:
                details.append(f"shape {source}" + (f" ({_short(issue.component)})" if issue.component else ""))
            if details:
                lines.append(f"    [{'; '.join(details)}]")
        lines.append("")
    n_v, n_w = len(outcome.violations), len(outcome.warnings)
    what = ", ".join(outcome.reports) if outcome.reports else ", ".join(str(f) for f in outcome.files)
    counts = f"{n_v} violation{'s' if n_v != 1 else ''}, {n_w} warning{'s' if n_w != 1 else ''}"
    verdict = "conforms" if outcome.conforms(fail_on) else "does not conform"
    lines.append(f"{what}: {verdict} ({counts}; {len(outcome.files)} file{'s' if len(outcome.files) != 1 else ''}).")
    return "\n".join(lines) + "\n"


def issue_dicts(outcome: Outcome) -> list[dict]:
    rows = []
    for issue in outcome.issues:
        row = asdict(issue)
        row["shape"] = _full(issue.shape)
        row["constraint"] = _full(issue.constraint)
        row["component"] = _full(issue.component)
        rows.append(row)
    return rows


def format_json(outcome: Outcome) -> str:
    return json.dumps(issue_dicts(outcome), indent=2, ensure_ascii=False) + "\n"


def format_turtle(outcome: Outcome) -> str:
    """A SHACL validation report (sh:ValidationReport); peelkg:file and peelkg:line say where.
    As SHACL defines it, sh:conforms is true only when there is no result at all: a warning makes
    it false too (the exit code, not the report, is what --fail-on chooses)."""
    sh = SH
    checks = CHECKS
    graph = Graph()
    for prefix, namespace in NAME_PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("sh", SH)
    report = BNode()
    graph.add((report, RDF.type, sh.ValidationReport))
    graph.add((report, sh.conforms, Literal(not outcome.issues)))
    for issue in outcome.issues:
        result = BNode()
        graph.add((report, sh.result, result))
        graph.add((result, RDF.type, sh.ValidationResult))
        focus = URIRef(issue.focus) if issue.focus.startswith("http") else (
            BNode(issue.focus[2:]) if issue.focus.startswith("_:") else Literal(issue.focus))
        graph.add((result, sh.focusNode, focus))
        if issue.path:
            graph.add((result, sh.resultPath, URIRef(issue.path)))
        if issue.value is not None:
            graph.add((result, sh.value, from_n3(issue.term) if issue.term else Literal(issue.value)))
        graph.add((result, sh.resultSeverity, sh[issue.severity]))
        if issue.shape:
            graph.add((result, sh.sourceShape, URIRef(_full(issue.shape))))
        if issue.constraint:
            graph.add((result, sh.sourceConstraint, URIRef(_full(issue.constraint))))
        if issue.component:
            graph.add((result, sh.sourceConstraintComponent, URIRef(_full(issue.component))))
        graph.add((result, sh.resultMessage, Literal(issue.message)))
        if issue.file:
            graph.add((result, checks.file, Literal(issue.file)))
        if issue.line:
            graph.add((result, checks.line, Literal(issue.line, datatype=XSD.integer)))
        if issue.statement_line:
            graph.add((result, checks.statementFile, Literal(issue.statement_file)))
            graph.add((result, checks.statementLine, Literal(issue.statement_line, datatype=XSD.integer)))
    return graph.serialize(format="turtle")


def render(outcome: Outcome, fmt: str, fail_on: str = "violation") -> str:
    if fmt == "json":
        return format_json(outcome)
    if fmt == "turtle":
        return format_turtle(outcome)
    return format_human(outcome, fail_on)
