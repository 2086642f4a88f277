"""`peelkg validate`: check one report's files before they join the corpus.

The files given (or the RDF files of a report folder) are read together as ONE report and
validated with the ontology and the reference data against the shapes, never against the whole
corpus. On top of the shapes, checks that SHACL cannot make on one report alone:

* reference checks: a force, grade or question IRI the report uses must exist in the reference
  data (the error lists the valid ones, closest first); peel: classes and properties must exist
  in the ontology; every IRI under https://w3id.org/peelkg/ the report points to must be
  described somewhere (report, reference data or ontology);
* the report's IRI must not already belong to another folder of data/reports;
* every IRI the report mints (every subject) lies in https://w3id.org/peelkg/id/, and there are
  no blank nodes;
* placeholders left by `peelkg new-report` (anything containing ``TODO``) are errors;
* with a source text (``--source``): every quote is in the text, its page is where it first
  occurs, and every statistic's value is written in the text.

Each problem is placed at the file and line where its node is written, and described in PEEL
terms ("the judgment for 'investigating crime' in report ...").
"""

from __future__ import annotations

import contextlib
import difflib
import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .namespaces import ID, OA, PEEL, PREFIXES
from .project import RDF_SUFFIXES, Project
from .rdfio import FORMATS, read_triples
from .shapes import Problem, compact
from .sourcetext import SourceText, normalise

CHECKS = "https://w3id.org/peelkg/checks#"
"""Namespace of the checks made here (the ``peelkg:`` shape names) in JSON and Turtle output."""

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV_GENERATED = "http://www.w3.org/ns/prov#wasGeneratedBy"
SH = "http://www.w3.org/ns/shacl#"
ID_NS = str(ID)
PEELKG_NS = "https://w3id.org/peelkg/"
FORCE_NS = ID_NS + "force/"
GRADE_NS = ID_NS + "grade/"
QUESTION_NS = ID_NS + "question/"
REPORT_NS = ID_NS + "report/"
PLACEHOLDER = "TODO"
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}

# The prefixes used to write node names when the input files do not declare one.
NAME_PREFIXES = {**PREFIXES, "peelkg": CHECKS}


def P(local: str) -> ox.NamedNode:
    return ox.NamedNode(str(PEEL) + local)


# --------------------------------------------------------------------------------------------
# Result


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

    def sort_key(self):
        return (self.file is None, self.file or "", self.line or 0, self.node,
                SEVERITY_ORDER.get(self.severity, 9), self.message)


@dataclass
class Outcome:
    """What validating one report found."""

    files: list[Path]
    issues: list[Issue]
    reports: list[str]
    terms: dict  # (focus, path, value) -> ox term, for the Turtle report

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


# --------------------------------------------------------------------------------------------
# Inputs


def input_files(paths: Sequence[Path | str]) -> list[Path]:
    """The RDF files named by ``paths``: files as given, folders as all their RDF files."""
    if not paths:
        raise InputError("Give at least one file or report folder to validate.")
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in RDF_SUFFIXES)
            if not found:
                raise InputError(
                    f"{path}: no RDF files in this folder (looked for {', '.join(sorted(RDF_SUFFIXES))})."
                )
            files.extend(found)
        elif not path.exists():
            raise InputError(f"{path}: no such file or folder.")
        else:
            files.append(path)
    unique: list[Path] = []
    seen: set[Path] = set()
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def read_inputs(files: Iterable[Path]) -> list[ox.Triple]:
    triples: list[ox.Triple] = []
    for path in files:
        triples.extend(read_triples(path))  # InputError (exit 2) with file:line:col
    return triples


def read_source(path: Path | str) -> SourceText:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such source text file.")
    try:
        return SourceText.from_file(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the source text: {exc}") from None


_BASES: dict = {}


def load_base(project: Project):
    """The project's Base (ontology, reference data, shapes), loaded once per process and
    reloaded when any of their files changes."""
    from .build import Base

    key = (str(project.root), project.base_hash())
    base = _BASES.get(key)
    if base is None:
        _BASES.clear()
        base = _BASES[key] = Base(project)
    return base


# --------------------------------------------------------------------------------------------
# Where nodes are written


_TURTLE_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_FIRST_TERM = re.compile(r"^\s*(?:<([^<>\s]*)>|([A-Za-z][\w.-]*)?:((?:\\.|[^\s;,()\[\]\"'<>#])*))")
_JSONLD_ID = re.compile(r'"@id"\s*:\s*"([^"]+)"')
_LOCAL_ESCAPE = re.compile(r"\\(.)")


class SourceFile:
    """One input file's text: its prefixes, and the line where each subject is written."""

    def __init__(self, path: Path, display: str):
        self.path = path
        self.display = display
        try:
            self.lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            self.lines = []
        self.jsonld = FORMATS.get(path.suffix.lower()) == ox.RdfFormat.JSON_LD
        self.prefixes: dict[str, str] = self._jsonld_prefixes() if self.jsonld else self._turtle_prefixes()
        self.subject_lines: dict[str, int] = {}
        if self.jsonld:
            self._index_jsonld()
        else:
            self._index_turtle()

    def _turtle_prefixes(self) -> dict[str, str]:
        found = {}
        for line in self.lines:
            m = _TURTLE_PREFIX.match(line)
            if m:
                found[m.group(1) or ""] = m.group(2)
        return found

    def _jsonld_prefixes(self) -> dict[str, str]:
        try:
            data = json.loads("\n".join(self.lines))
        except ValueError:
            return {}
        contexts = []
        for node in data if isinstance(data, list) else [data]:
            if isinstance(node, dict):
                ctx = node.get("@context")
                contexts.extend(ctx if isinstance(ctx, list) else [ctx])
        found = {}
        for ctx in contexts:
            if isinstance(ctx, dict):
                for key, value in ctx.items():
                    if isinstance(value, str) and value.endswith(("/", "#")) and not key.startswith("@"):
                        found[key] = value
        return found

    def expand(self, prefix: str | None, local: str) -> str | None:
        namespace = self.prefixes.get(prefix or "")
        if namespace is None:
            return None
        return namespace + _LOCAL_ESCAPE.sub(r"\1", local).rstrip(".")

    def _index_turtle(self) -> None:
        at_start = True
        for number, line in enumerate(self.lines, 1):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if at_start and not _TURTLE_PREFIX.match(line):
                m = _FIRST_TERM.match(line)
                if m:
                    iri = m.group(1) if m.group(1) is not None else self.expand(m.group(2), m.group(3))
                    if iri:
                        self.subject_lines.setdefault(iri, number)
            code = re.sub(r"\s#[^\"'<>]*$", "", stripped).rstrip()
            at_start = code.endswith((".", "{", "}"))

    def _index_jsonld(self) -> None:
        definitions: dict[str, int] = {}
        references: dict[str, int] = {}
        for number, line in enumerate(self.lines, 1):
            for m in _JSONLD_ID.finditer(line):
                value = m.group(1)
                prefix, _, local = value.partition(":")
                iri = self.expand(prefix, local) if local and not local.startswith("//") else value
                iri = iri or value
                # A node object goes on after its "@id" ("@id": "x", ...); a reference does not.
                rest = line[m.end():].strip()
                (definitions if rest.startswith(",") else references).setdefault(iri, number)
        self.subject_lines = {**references, **definitions}

    def mention_line(self, iri: str) -> int | None:
        """The first line that mentions ``iri``, written in full or with one of the prefixes."""
        forms = [f"<{iri}>", f'"{iri}"']
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                forms.append(f"{prefix}:{iri[len(namespace):]}")
        patterns = [re.compile(r"(?<![\w:/-])" + re.escape(f) + r"(?![\w/-])") for f in forms]
        for number, line in enumerate(self.lines, 1):
            if line.lstrip().startswith("#"):
                continue
            if any(p.search(line) for p in patterns):
                return number
        return None


class Locator:
    """Finds the file and line where a node is written, across the input files."""

    def __init__(self, files: list[Path]):
        self.files = [SourceFile(f, _display(f)) for f in files]

    def locate(self, iri: str) -> tuple[str | None, int | None]:
        for f in self.files:
            line = f.subject_lines.get(iri)
            if line:
                return f.display, line
        for f in self.files:
            line = f.mention_line(iri)
            if line:
                return f.display, line
        return None, None

    def prefixes(self) -> dict[str, str]:
        merged: dict[str, str] = {}
        for f in self.files:
            for prefix, namespace in f.prefixes.items():
                if prefix:
                    merged.setdefault(prefix, namespace)
        return merged


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------------------------
# Graph access and descriptions


class Index:
    """Triples indexed by subject and by object (IRI strings and ox terms)."""

    def __init__(self, triples: Iterable[ox.Triple]):
        self.out: dict = defaultdict(lambda: defaultdict(list))
        self.into: dict = defaultdict(lambda: defaultdict(list))
        for t in triples:
            self.out[t.subject][t.predicate].append(t.object)
            self.into[t.object][t.predicate].append(t.subject)

    def objects(self, s, p: ox.NamedNode) -> list:
        return self.out.get(s, {}).get(p, [])

    def value(self, s, p: ox.NamedNode):
        values = self.objects(s, p)
        return values[0] if values else None

    def subjects(self, p: ox.NamedNode, o) -> list:
        return self.into.get(o, {}).get(p, [])

    def types(self, s) -> set[str]:
        return {o.value for o in self.objects(s, ox.NamedNode(RDF_TYPE)) if isinstance(o, ox.NamedNode)}

    def is_subject(self, s) -> bool:
        return s in self.out


class Namer:
    """Writes IRIs with the input's own prefixes (judgment:q2), else the project's."""

    def __init__(self, prefixes: dict[str, str]):
        self.prefixes = sorted({**NAME_PREFIXES, **prefixes}.items(), key=lambda kv: -len(kv[1]))

    def __call__(self, iri: str) -> str:
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace):
                local = iri[len(namespace):]
                if local and re.fullmatch(r"[\w.-]*[\w-]", local):
                    return f"{prefix}:{local}"
        return compact(iri)


def _text(term) -> str | None:
    return term.value if isinstance(term, ox.Literal) else None


def _label(index: Index, node, namer: Namer) -> str:
    for prop in (SKOS + "altLabel", SKOS + "prefLabel", RDFS_LABEL):
        value = _text(index.value(node, ox.NamedNode(prop)))
        if value:
            return value
    return namer(node.value) if isinstance(node, ox.NamedNode) else str(node)


def report_id(iri: str) -> str:
    return iri[len(REPORT_NS):] if iri.startswith(REPORT_NS) else iri


class Describer:
    """Short descriptions of nodes in PEEL terms."""

    KINDS = ("Strength", "Weakness", "Observation", "BestPractice")

    def __init__(self, index: Index, namer: Namer, reports: list[str]):
        self.index = index
        self.namer = namer
        self.reports = reports

    def report_of(self, node, depth: int = 0) -> str | None:
        ix = self.index
        for prop in ("judgmentIn", "statedIn"):
            value = ix.value(node, P(prop))
            if isinstance(value, ox.NamedNode):
                return value.value
        if str(PEEL) + "Report" in ix.types(node):
            return node.value
        if depth < 2:
            for owner in ix.subjects(P("evidence"), node) + ix.subjects(ox.NamedNode(PROV_GENERATED), node):
                found = self.report_of(owner, depth + 1)
                if found:
                    return found
        return None

    def __call__(self, iri: str) -> str:
        node = ox.NamedNode(iri) if not iri.startswith("_:") else ox.BlankNode(iri[2:])
        return self.describe(node)

    def describe(self, node, depth: int = 0) -> str:
        ix, name = self.index, self.namer(node.value) if isinstance(node, ox.NamedNode) else str(node)
        types = {t[len(str(PEEL)):] for t in ix.types(node) if t.startswith(str(PEEL))}
        report = self.report_of(node)
        in_report = f" in report {report_id(report)}" if report else ""
        if "Judgment" in types:
            question = ix.value(node, P("question"))
            about = f"'{_label(ix, question, self.namer)}'" if question is not None else "no question"
            return f"the judgment for {about}{in_report}"
        kinds = [k for k in self.KINDS if k in types]
        if "Finding" in types or kinds:
            return f"finding {name} ({', '.join(kinds) or 'no kind'}){in_report}"
        if "AreaForImprovement" in types:
            ordinal = _text(ix.value(node, P("ordinal")))
            question = ix.value(node, P("question"))
            under = f" under '{_label(ix, question, self.namer)}'" if question is not None else ""
            number = f" no. {ordinal}" if ordinal else ""
            return f"area for improvement {name}{number}{under}{in_report}"
        if "Recommendation" in types:
            return f"recommendation {name}{in_report}"
        if "Statistic" in types:
            parts = []
            measure = ix.value(node, P("measure"))
            if measure is not None:
                parts.append(f"'{_label(ix, measure, self.namer)}'")
            value = _text(ix.value(node, P("value")))
            unit = ix.value(node, P("unit"))
            if value is not None:
                parts.append(f"= {value}" + (f" {_label(ix, unit, self.namer)}" if unit is not None else ""))
            area = ix.value(node, P("refArea"))
            if area is not None:
                parts.append(f"for {_label(ix, area, self.namer)}")
            detail = f" ({' '.join(parts)})" if parts else ""
            return f"statistic {name}{detail}{in_report}"
        if "GlossaryEntry" in types:
            term = _text(ix.value(node, ox.NamedNode(SKOS + "prefLabel")))
            return f"glossary entry {name}" + (f" '{term}'" if term else "") + in_report
        if "Report" in types:
            extra = []
            force = ix.value(node, P("inspectedForce"))
            if force is not None:
                extra.append(_label(ix, force, self.namer))
            cycle = ix.value(node, P("cycle"))
            if cycle is not None:
                extra.append(_label(ix, cycle, self.namer))
            return f"report {report_id(node.value)}" + (f" ({', '.join(extra)})" if extra else "")
        owners = ix.subjects(P("evidence"), node)
        if "Evidence" in types or owners:
            if owners and depth == 0:
                return f"the evidence {name} of {self.describe(owners[0], depth + 1)}"
            return f"evidence {name}{in_report}"
        if "Inspection" in types:
            return f"inspection {name}{in_report}"
        if "SourceDocument" in types:
            return f"source document {name}{in_report}"
        if "ReferencePeriod" in types:
            return f"reference period {name} '{_label(ix, node, self.namer)}'"
        if "Measure" in types:
            return f"measure {name}"
        if types:
            kind = re.sub(r"(?<!^)(?=[A-Z])", " ", sorted(types)[0]).lower()
            return f"{kind} {name}"
        if isinstance(node, ox.NamedNode) and node.value == (self.reports[0] if len(self.reports) == 1 else None):
            return f"report {report_id(node.value)}"
        return name


# --------------------------------------------------------------------------------------------
# Checks beyond the shapes


def closest_first(word: str, options: Iterable[str]) -> list[str]:
    """``options`` ordered by similarity to ``word``, most similar first."""
    return sorted(
        set(options),
        key=lambda o: (-difflib.SequenceMatcher(None, word.lower(), o.lower()).ratio(), o),
    )


def _check(focus: str, message: str, name: str, *, severity: str = "Violation", path: str | None = None,
           value: str | None = None, family: str = "Reference") -> Problem:
    return Problem(focus=focus, message=message, severity=severity, path=path, value=value,
                   shape=f"peelkg:{name}", component=f"peelkg:{family}CheckComponent")


_PLACEHOLDER_HINTS = {
    str(OA) + "exact": "the sentence quoted verbatim from the source text",
    str(PEEL) + "page": "the page where the quote begins (python -m peelkg.sourcetext SOURCE \"quote\" prints it)",
    str(PEEL) + "section": "the heading the quote stands under, as printed",
    "http://purl.org/dc/terms/title": "the title as printed",
    "http://purl.org/dc/terms/issued": "the month of publication, e.g. \"2016-02\"^^xsd:gYearMonth",
    "http://purl.org/dc/terms/rights": "the copyright line as printed, e.g. \"© HMIC 2016\"@en",
    str(PEEL) + "isbn": "the ISBN-13 as printed, e.g. \"978-1-911194-96-5\" (or delete the line)",
    str(PEEL) + "periodStart": "the month the fieldwork began, e.g. \"2015-09\"^^xsd:gYearMonth",
    str(PEEL) + "periodEnd": "the month the fieldwork ended, e.g. \"2015-11\"^^xsd:gYearMonth",
    str(PEEL) + "summary": "the sentence stating the grade, verbatim",
    RDFS_LABEL: "a short paraphrase in your own words (no numbers)",
    str(PEEL) + "text": "its wording as printed",
    str(PEEL) + "value": "the number as printed, without thousands separators",
    str(PEEL) + "measure": "a measure of data/reference/statistics.ttl",
    str(PEEL) + "refPeriod": "a reference period of data/reference/statistics.ttl",
    str(PEEL) + "unit": "a unit of the reference data (unit:count, unit:percent, ...)",
}


def _closest_terms(word: str, pool: list[str]) -> list[str]:
    """Up to three terms of ``pool`` spelt like ``word``: those about as close as the closest
    (a misspelt peel:Judgement should suggest peel:Judgment, not every class ending in
    Judgment)."""
    scored = sorted(((difflib.SequenceMatcher(None, word, t).ratio(), t) for t in pool), key=lambda s: (-s[0], s[1]))
    scored = [s for s in scored if s[0] >= 0.6]
    return [t for ratio, t in scored[:3] if ratio >= scored[0][0] - 0.1] if scored else []


class Checks:
    """The checks the shapes cannot make, on one report's triples."""

    def __init__(self, project: Project, base, triples: list[ox.Triple], files: list[Path],
                 namer: "Namer | None" = None):
        self.project = project
        self.name = namer or compact
        self.base = base
        self.triples = triples
        self.files = files
        self.data = Index(triples)
        self.reference = Index(base.reference)
        self.ontology_terms = {t.subject.value for t in base.ontology if isinstance(t.subject, ox.NamedNode)}
        self.known = (
            {t.subject for t in base.reference}
            | {t.subject for t in base.ontology}
            | {t.subject for t in triples}
        )
        rtype = ox.NamedNode(RDF_TYPE)
        self.reports = sorted(
            t.subject.value for t in triples
            if t.predicate == rtype and t.object == P("Report") and isinstance(t.subject, ox.NamedNode)
        )

    # -- helpers

    def _of_type(self, cls: str) -> set[str]:
        return {s.value for s in self.reference.subjects(ox.NamedNode(RDF_TYPE), P(cls)) if isinstance(s, ox.NamedNode)}

    def _usages(self, predicate) -> list[tuple[ox.NamedNode, ox.NamedNode | None, ox.NamedNode]]:
        """(subject, predicate, iri) for every IRI of the input matching ``predicate(iri)``."""
        found = []
        seen = set()
        for t in self.triples:
            for term, via in ((t.subject, None), (t.object, t.predicate)):
                if isinstance(term, ox.NamedNode) and predicate(term.value):
                    key = (t.subject, via, term) if via is not None else (term, None, term)
                    if key not in seen:
                        seen.add(key)
                        found.append(key)
        return found

    def _cycle_scale_grades(self) -> tuple[str | None, set[str]]:
        for report in self.reports:
            cycle = self.data.value(ox.NamedNode(report), P("cycle"))
            scale = self.reference.value(cycle, P("gradingScale")) if cycle is not None else None
            if scale is not None:
                grades = {
                    g.value for g in self.reference.subjects(ox.NamedNode(SKOS + "inScheme"), scale)
                    if g.value in self._of_type("Grade")
                }
                return scale.value, grades
        return None, set()

    def _cycle_questions(self) -> set[str]:
        for report in self.reports:
            cycle = self.data.value(ox.NamedNode(report), P("cycle"))
            if cycle is None:
                continue
            graded = self.reference.objects(cycle, P("gradedQuestion"))
            namespaces = {q.value.rsplit("/", 1)[0] + "/" for q in graded}
            return {q for q in self._questions() if any(q.startswith(ns) for ns in namespaces)}
        return set()

    def _questions(self) -> set[str]:
        return {
            s.value for s in self.reference.out
            if isinstance(s, ox.NamedNode) and s.value.startswith(QUESTION_NS) and self.reference.types(s)
        }

    # -- the checks

    def run(self, source: SourceText | None, source_path: Path | None) -> list[Problem]:
        problems = []
        problems += self.one_report()
        problems += self.reference_forces()
        problems += self.reference_grades()
        problems += self.reference_questions()
        problems += self.vocabulary()
        problems += self.dangling()
        problems += self.namespace()
        problems += self.blank_nodes()
        problems += self.duplicate_report()
        problems += self.placeholders()
        problems += self.period_order()
        if source is not None:
            problems += self.source_quotes(source)
            problems += self.source_numbers(source)
            problems += self.source_file(source_path)
        return problems

    def one_report(self) -> list[Problem]:
        if len(self.reports) > 1:
            names = ", ".join(self.name(r) for r in self.reports)
            return [
                _check(r, f"The files declare {len(self.reports)} reports ({names}); validate one report at a time.",
                       "one-report", family="Report")
                for r in self.reports
            ]
        if self.reports:
            return []
        referenced = sorted({
            t.object.value for t in self.triples
            if t.predicate in (P("judgmentIn"), P("statedIn")) and isinstance(t.object, ox.NamedNode)
        })
        focus = referenced[0] if referenced else (str(self.files[0]) if self.files else "")
        return [_check(
            focus,
            "The files declare no peel:Report; validate all the files of one report together "
            "(or give the report's folder).",
            "one-report", family="Report",
        )]

    def reference_forces(self) -> list[Problem]:
        forces = self._of_type("PoliceForce")
        valid = sorted(f[len(FORCE_NS):] for f in forces)
        problems = []
        seen_namespaces = set()
        for subject, via, iri in self._usages(lambda v: v.startswith(FORCE_NS)):
            local = iri.value[len(FORCE_NS):]
            force_id, _, rest = local.partition("/")
            if FORCE_NS + force_id in forces:
                continue
            listing = ", ".join(self.name(FORCE_NS + f) for f in closest_first(force_id, valid))
            if rest:
                if via is not None or force_id in seen_namespaces:
                    continue  # units of an unknown force: reported once, where minted
                seen_namespaces.add(force_id)
                message = (f"{self.name(iri.value)} is minted under the force '{force_id}', which is not a police "
                           f"force of the reference data. Valid forces, closest first: {listing}.")
                problems.append(_check(iri.value, message, "reference-force", value=compact(FORCE_NS + force_id)))
                continue
            message = (f"{self.name(iri.value)} is not a police force of the reference data. "
                       f"Valid forces, closest first: {listing}.")
            problems.append(_check(subject.value, message, "reference-force",
                                   path=via.value if via is not None else None, value=compact(iri.value)))
        return problems

    def reference_grades(self) -> list[Problem]:
        grades = self._of_type("Grade")
        scale, scale_grades = self._cycle_scale_grades()
        problems = []
        for subject, via, iri in self._usages(lambda v: v.startswith(GRADE_NS)):
            if iri.value in grades:
                continue
            local = iri.value[len(GRADE_NS):]
            if scale_grades:
                options = closest_first(local, [g[len(GRADE_NS):] for g in scale_grades])
                listing = f"Grades of the cycle's scale {compact(scale)}, closest first: "
            else:
                options = closest_first(local, [g[len(GRADE_NS):] for g in grades])
                listing = "Valid grades, closest first: "
            message = (f"{self.name(iri.value)} is not a grade of the reference data. "
                       + listing + ", ".join(self.name(GRADE_NS + g) for g in options) + ".")
            problems.append(_check(subject.value, message, "reference-grade",
                                   path=via.value if via is not None else None, value=compact(iri.value)))
        return problems

    def reference_questions(self) -> list[Problem]:
        questions = self._questions()
        in_cycle = self._cycle_questions()
        problems = []
        for subject, via, iri in self._usages(lambda v: v.startswith(QUESTION_NS)):
            if iri.value in questions:
                continue
            namespace = iri.value.rsplit("/", 1)[0] + "/"
            same_set = {q for q in questions if q.startswith(namespace)}
            if same_set:
                local = iri.value[len(namespace):]
                options = [namespace + o for o in closest_first(local, [q[len(namespace):] for q in same_set])]
                listing = f"Questions of {compact(namespace.rstrip('/'))}, closest first: "
            else:
                local = iri.value[len(QUESTION_NS):]
                pool = in_cycle or questions
                options = [QUESTION_NS + o for o in closest_first(local, [q[len(QUESTION_NS):] for q in pool])]
                listing = "Valid questions, closest first: "
            message = (f"{self.name(iri.value)} is not a question of the reference data. "
                       + listing + ", ".join(self.name(o) for o in options) + ".")
            problems.append(_check(subject.value, message, "reference-question",
                                   path=via.value if via is not None else None, value=compact(iri.value)))
        return problems

    def vocabulary(self) -> list[Problem]:
        peel = str(PEEL)
        rtype = ox.NamedNode(RDF_TYPE)
        terms = {t for t in self.ontology_terms if t.startswith(peel)}
        problems = []
        seen = set()
        for t in self.triples:
            candidates = [("property", t.predicate, None)]
            if t.predicate == rtype and isinstance(t.object, ox.NamedNode):
                candidates.append(("class", t.object, RDF_TYPE))
            for kind, term, path in candidates:
                if not term.value.startswith(peel) or term.value in terms:
                    continue
                key = (t.subject, term)
                if key in seen:
                    continue
                seen.add(key)
                local = term.value[len(peel):]
                pool = [x[len(peel):] for x in terms
                        if (x[len(peel):][:1].isupper()) == (kind == "class")]
                best = _closest_terms(local, pool)
                hint = (f"did you mean {' or '.join('peel:' + b for b in best)}?" if best
                        else f"see the {kind} list in ontology/peel.ttl.")
                message = f"peel:{local} is not a {kind} of the peel ontology (ontology/peel.ttl); {hint}"
                problems.append(_check(t.subject.value if isinstance(t.subject, ox.NamedNode) else f"_:{t.subject.value}",
                                       message, "vocabulary", path=path, value=f"peel:{local}"))
        return problems

    def dangling(self) -> list[Problem]:
        problems = []
        rtype = ox.NamedNode(RDF_TYPE)
        for t in self.triples:
            o = t.object
            if not isinstance(o, ox.NamedNode) or t.predicate == rtype:
                continue
            v = o.value
            if (not v.startswith(PEELKG_NS) or v.startswith(str(PEEL)) or v.startswith((FORCE_NS, GRADE_NS, QUESTION_NS))
                    or PLACEHOLDER in v or o in self.known):
                continue
            focus = t.subject.value if isinstance(t.subject, ox.NamedNode) else f"_:{t.subject.value}"
            problems.append(_check(
                focus,
                f"{self.name(v)} is used here ({compact(t.predicate.value)}) but described nowhere: "
                "neither in this report nor in the reference data. Check the spelling, or describe it.",
                "dangling-reference", path=t.predicate.value, value=compact(v),
            ))
        return problems

    def namespace(self) -> list[Problem]:
        minted = sorted({
            t.subject.value for t in self.triples
            if isinstance(t.subject, ox.NamedNode) and not t.subject.value.startswith(ID_NS)
        })
        return [
            _check(iri, f"<{iri}> is minted (used as a subject) outside the project's namespace {ID_NS}; "
                   "give it an IRI under that namespace (see docs/modelling.md, 'IRIs and prefixes').",
                   "namespace", family="Namespace")
            for iri in minted
        ]

    def blank_nodes(self) -> list[Problem]:
        problems = []
        seen = set()
        for t in self.triples:
            if isinstance(t.object, ox.BlankNode) and isinstance(t.subject, ox.NamedNode):
                key = (t.subject.value, t.predicate.value)
                if key not in seen:
                    seen.add(key)
                    problems.append(_check(
                        t.subject.value,
                        f"The value of {compact(t.predicate.value)} is a blank node; give every node an IRI "
                        "so that messages, diffs and other stores can name it.",
                        "blank-node", path=t.predicate.value, family="Namespace"))
        orphans = sorted({t.subject.value for t in self.triples if isinstance(t.subject, ox.BlankNode)}
                         - {t.object.value for t in self.triples if isinstance(t.object, ox.BlankNode)})
        for label in orphans:
            problems.append(_check(f"_:{label}", "A blank node is described here; give every node an IRI.",
                                   "blank-node", family="Namespace"))
        return problems

    def duplicate_report(self) -> list[Problem]:
        if not self.reports:
            return []
        own_folders = {f.resolve().parent for f in self.files}
        problems = []
        reports_dir = self.project.reports_dir
        if not reports_dir.is_dir():
            return []
        rtype, report_class = ox.NamedNode(RDF_TYPE), P("Report")
        for folder in sorted(p for p in reports_dir.iterdir() if p.is_dir()):
            if folder.resolve() in own_folders:
                continue
            files = [p for p in sorted(folder.iterdir()) if p.is_file() and p.suffix.lower() in RDF_SUFFIXES]
            for report in self.reports:
                local = report.rsplit("/", 1)[-1]
                declared = False
                for path in files:
                    try:
                        if local not in path.read_text(encoding="utf-8", errors="replace"):
                            continue
                        triples = read_triples(path)
                    except (OSError, InputError):
                        continue
                    if any(t.subject == ox.NamedNode(report) and t.predicate == rtype and t.object == report_class
                           for t in triples):
                        declared = True
                        break
                if declared:
                    try:
                        where = folder.relative_to(self.project.root)
                    except ValueError:
                        where = folder
                    problems.append(_check(
                        report,
                        f"The report {self.name(report)} is already declared in {where}/; give this report its own "
                        "IRI (report:peel-<year>-<pillar>-<force>), or validate that folder itself.",
                        "duplicate-report", family="Report"))
        return problems

    def placeholders(self) -> list[Problem]:
        problems = []
        renamed = set()
        for t in self.triples:
            s = t.subject
            if isinstance(s, ox.NamedNode) and PLACEHOLDER in s.value and s.value not in renamed \
                    and not s.value.startswith((FORCE_NS, GRADE_NS, QUESTION_NS)):
                renamed.add(s.value)
                problems.append(_check(
                    s.value, f"Placeholder left in the IRI {self.name(s.value)}: rename it after what it is "
                    "(see docs/modelling.md, 'IRIs and prefixes'), everywhere it is used.",
                    "placeholder", family="Placeholder"))
            o = t.object
            shown = None
            if isinstance(o, ox.Literal) and PLACEHOLDER in o.value:
                shown = o.value
            elif isinstance(o, ox.NamedNode) and PLACEHOLDER in o.value and not self.data.is_subject(o) \
                    and not o.value.startswith((FORCE_NS, GRADE_NS, QUESTION_NS)):
                shown = compact(o.value)
            if shown is None:
                continue
            hint = _PLACEHOLDER_HINTS.get(t.predicate.value, "the value the report gives (see docs/modelling.md)")
            focus = s.value if isinstance(s, ox.NamedNode) else f"_:{s.value}"
            problems.append(_check(
                focus, f"Placeholder left in {compact(t.predicate.value)}: replace \"{shown}\" with {hint}.",
                "placeholder", path=t.predicate.value, value=shown, family="Placeholder"))
        return problems

    def period_order(self) -> list[Problem]:
        """An inspection's fieldwork must not end before it starts (the shapes check this for
        reference periods only)."""
        problems = []
        start_p, end_p = P("periodStart"), P("periodEnd")
        for subject in sorted(set(self.data.subjects(ox.NamedNode(RDF_TYPE), P("Inspection"))), key=lambda n: n.value):
            starts, ends = self.data.objects(subject, start_p), self.data.objects(subject, end_p)
            for start in starts:
                for end in ends:
                    a, b = _date_parts(start), _date_parts(end)
                    if a is None or b is None:
                        continue
                    common = min(len(a), len(b))
                    if a[:common] > b[:common]:
                        problems.append(_check(
                            subject.value,
                            f"The inspection starts ({start.value}) after it ends ({end.value}); swap or correct "
                            "peel:periodStart and peel:periodEnd.",
                            "period-order", path=start_p.value, value=start.value, family="Report"))
        return problems

    def _evidence_nodes(self) -> list:
        nodes = set(self.data.subjects(ox.NamedNode(RDF_TYPE), P("Evidence")))
        nodes |= {t.object for t in self.triples if t.predicate == P("evidence") and not isinstance(t.object, ox.Literal)}
        return sorted(nodes, key=lambda n: n.value)

    def source_quotes(self, source: SourceText) -> list[Problem]:
        problems = []
        exact, page_p = ox.NamedNode(str(OA) + "exact"), P("page")
        for node in self._evidence_nodes():
            focus = node.value if isinstance(node, ox.NamedNode) else f"_:{node.value}"
            for quote in self.data.objects(node, exact):
                if not isinstance(quote, ox.Literal) or PLACEHOLDER in quote.value:
                    continue
                found = source.find(quote.value)
                if found is None:
                    problems.append(_check(
                        focus, _quote_not_found(source, quote.value), "source-quote",
                        path=exact.value, value=quote.value, family="Source"))
                    continue
                for page in self.data.objects(node, page_p):
                    if isinstance(page, ox.Literal) and page.value.strip() != str(found.page):
                        problems.append(_check(
                            focus,
                            f"The quote first occurs on page {found.page} of the source text, not on page "
                            f"{page.value}; peel:page is the page where the quote begins.",
                            "source-page", severity="Warning", path=page_p.value, value=page.value,
                            family="Source"))
        return problems

    def source_numbers(self, source: SourceText) -> list[Problem]:
        problems = []
        value_p, exact = P("value"), ox.NamedNode(str(OA) + "exact")
        for stat in sorted(self.data.subjects(ox.NamedNode(RDF_TYPE), P("Statistic")), key=lambda n: n.value):
            focus = stat.value if isinstance(stat, ox.NamedNode) else f"_:{stat.value}"
            for value in self.data.objects(stat, value_p):
                if not isinstance(value, ox.Literal) or not _NUMBER.match(value.value.strip()):
                    continue
                number = value.value.strip()
                if not source.states_number(number):
                    problems.append(_check(
                        focus, f"The value {number} is not written anywhere in the source text; check the figure "
                        "against the report (as printed, without thousands separators).",
                        "source-number", path=value_p.value, value=number, family="Source"))
                    continue
                quotes = [q.value for e in self.data.objects(stat, P("evidence"))
                          for q in self.data.objects(e, exact) if isinstance(q, ox.Literal)]
                if quotes and not any(SourceText(q).states_number(number) for q in quotes):
                    problems.append(_check(
                        focus, f"The value {number} is in the source text but not in this statistic's own "
                        "quote; quote the sentence or table row that states it.",
                        "source-number-quote", severity="Warning", path=value_p.value, value=number,
                        family="Source"))
        return problems

    def source_file(self, source_path: Path | None) -> list[Problem]:
        if source_path is None:
            return []
        problems = []
        for report in self.reports:
            for doc in self.data.objects(ox.NamedNode(report), P("sourceDocument")):
                for name in self.data.objects(doc, P("fileName")):
                    if isinstance(name, ox.Literal) and name.value != source_path.name:
                        problems.append(_check(
                            doc.value,
                            f"The report names its source text \"{name.value}\" but the source given is "
                            f"\"{source_path.name}\"; name the file as peel:fileName says (it is stored "
                            "in data/sources under that name).",
                            "source-file", severity="Warning", path=str(PEEL) + "fileName",
                            value=name.value, family="Source"))
        return problems


def _date_parts(term) -> tuple[int, ...] | None:
    if not isinstance(term, ox.Literal):
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", term.value.strip())
    if not m:
        return None
    return tuple(int(g) for g in m.groups() if g is not None)


def _quote_not_found(source: SourceText, quote: str) -> str:
    words = normalise(quote).split(" ")
    low, high = 0, len(words)  # the longest prefix of words found in the text
    while low < high:
        mid = (low + high + 1) // 2
        if source.normalised.find(" ".join(words[:mid])) >= 0:
            low = mid
        else:
            high = mid - 1
    short = quote if len(quote) <= 70 else quote[:67] + "..."
    if low == 0:
        return f"The quote \"{short}\" is not in the source text (not even its first word)."
    matched = " ".join(words[:low])
    tail = matched if len(matched) <= 50 else "..." + matched[-47:]
    return (f"The quote \"{short}\" is not in the source text: it matches the text up to \"{tail}\" "
            f"(word {low} of {len(words)}); copy it verbatim from the source.")


# --------------------------------------------------------------------------------------------
# Validation


_GRADE_SCALE = "Judgment-gradeScale"


@contextlib.contextmanager
def _quiet_rdflib():
    """rdflib logs a traceback for every ill-typed literal ("2016-13"^^xsd:gYearMonth); the
    shapes report those literals, so the log would only be noise."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


class Validator:
    """Validates reports of one project; the ontology, reference data and shapes load once."""

    def __init__(self, project: Project, base=None):
        self.project = project
        self.base = base if base is not None else load_base(project)

    def validate(self, paths: Sequence[Path | str], source: Path | str | None = None) -> Outcome:
        files = input_files(paths)
        triples = read_inputs(files)
        source_text = read_source(source) if source is not None else None
        base = self.base
        with _quiet_rdflib():
            shape_problems = base.shapes.validate(base.ontology + base.reference + triples)
        locator = Locator(files)
        namer = Namer(locator.prefixes())
        checks = Checks(self.project, base, triples, files, namer)
        extra = checks.run(source_text, Path(source) if source is not None else None)
        problems = _fold(shape_problems, extra) + extra

        index = Index(triples + base.reference)
        describe = Describer(index, namer, checks.reports)
        scale_grades = _scale_grades(index)
        issues = []
        terms = {}
        for p in sorted(set(problems)):
            is_node = p.focus.startswith(("http", "_:"))
            file, line = locator.locate(p.focus) if is_node else (p.focus, None)
            constraint = p.extra[0] if p.extra else None
            message = p.message
            if constraint and constraint.endswith(_GRADE_SCALE):
                message = _clarify_grade_scale(message, scale_grades)
            issue = Issue(
                file=file, line=line, focus=p.focus,
                node=namer(p.focus) if p.focus.startswith("http") else (p.focus if is_node else "(the files given)"),
                description=describe(p.focus) if is_node else "the files given",
                severity=p.severity, message=message, path=p.path, value=p.value, shape=p.shape,
                constraint=constraint, component=p.component,
            )
            issues.append(issue)
            term = _original_term(index, p)
            if term is not None:
                terms[(p.focus, p.path, p.value)] = term
        issues.sort(key=Issue.sort_key)
        return Outcome(files, issues, [report_id(r) for r in checks.reports], terms)


def _fold(shape_problems: list[Problem], checks: list[Problem]) -> list[Problem]:
    """Drop shape problems that say less about a term a check already reports (an unknown
    grade also fails sh:class peel:Grade and the grade-scale constraint)."""
    covered = [(c.focus, c.value) for c in checks if c.value and c.severity == "Violation"]
    kept = []
    for p in shape_problems:
        if any(p.focus == focus and (p.value == value or (" " not in value and ":" in value and value in p.message))
               for focus, value in covered):
            continue
        kept.append(p)
    return kept


def _scale_grades(index: Index) -> dict[str, list[str]]:
    grades: dict[str, list[tuple[int, str]]] = defaultdict(list)
    in_scheme = ox.NamedNode(SKOS + "inScheme")
    for grade in index.subjects(ox.NamedNode(RDF_TYPE), P("Grade")):
        rank = _text(index.value(grade, P("rank")))
        for scale in index.objects(grade, in_scheme):
            grades[compact(scale.value)].append((int(rank) if rank and rank.isdigit() else 99, compact(grade.value)))
    return {scale: [g for _, g in sorted(items)] for scale, items in grades.items()}


def _clarify_grade_scale(message: str, scale_grades: dict[str, list[str]]) -> str:
    m = re.search(r"grading scale (\S+)", message)
    if m and m.group(1) in scale_grades:
        return f"{message} The grades of {m.group(1)} are {', '.join(scale_grades[m.group(1)])}."
    return message


def _show(term) -> str:
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    return term.value


def _original_term(index: Index, problem: Problem):
    if problem.value is None or not problem.focus.startswith("http"):
        return None
    if problem.path:
        for o in index.objects(ox.NamedNode(problem.focus), ox.NamedNode(problem.path)):
            if _show(o) == problem.value or o.value == problem.value:
                return o
    return None


# --------------------------------------------------------------------------------------------
# Output


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
            lines.append(f"  {issue.severity.lower()}: {issue.message}")
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


def format_turtle(outcome: Outcome, fail_on: str = "violation") -> str:
    """A SHACL validation report (sh:ValidationReport); peelkg:file and peelkg:line say where."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, XSD

    from .rdfio import term_to_rdflib

    sh = Namespace(SH)
    checks = Namespace(CHECKS)
    graph = Graph()
    for prefix, namespace in NAME_PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("sh", SH)
    report = BNode()
    graph.add((report, RDF.type, sh.ValidationReport))
    graph.add((report, sh.conforms, Literal(outcome.conforms(fail_on))))
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
            term = outcome.terms.get((issue.focus, issue.path, issue.value))
            graph.add((result, sh.value, term_to_rdflib(term) if term is not None else Literal(issue.value)))
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
    return graph.serialize(format="turtle")


def render(outcome: Outcome, fmt: str, fail_on: str = "violation") -> str:
    if fmt == "json":
        return format_json(outcome)
    if fmt == "turtle":
        return format_turtle(outcome, fail_on)
    return format_human(outcome, fail_on)
