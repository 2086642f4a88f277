"""Writing a new report: `peelkg new-report` (a skeleton to fill in) and `peelkg add` (copy a
validated report into data/reports).

The skeleton has every part a report needs, with ``TODO`` placeholders (``grade:TODO``,
``"TODO: ..."``) that `peelkg validate` reports as errors until they are filled in, so an
unfinished report cannot be added by mistake. See docs/authoring.md.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import UserError
from .namespaces import PEEL
from .project import RDF_SUFFIXES, Project
from .validate import (RDF_TYPE, SKOS, Index, Outcome, Validator, closest_first, input_files, load_base,
                       read_inputs)

ID = "https://w3id.org/peelkg/id/"
DRAFTS = Path("data") / "drafts"
LICENCE = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def P(local: str) -> ox.NamedNode:
    return ox.NamedNode(str(PEEL) + local)


class RefusedError(UserError):
    """The command would overwrite something: nothing was written (exit code 1)."""

    exit_code = 1


@dataclass
class Cycle:
    iri: str
    slug: str
    label: str
    year: str
    pillar: str
    scale: str
    graded: list[str]  # question IRIs, overall first then by number
    publisher: str | None


def _label(index: Index, node) -> str:
    for prop in (SKOS + "prefLabel", "http://www.w3.org/2000/01/rdf-schema#label"):
        value = index.value(node, ox.NamedNode(prop))
        if isinstance(value, ox.Literal):
            return value.value
    return node.value.rsplit("/", 1)[-1]


def _cycles(index: Index) -> list[Cycle]:
    cycles = []
    for node in index.subjects(ox.NamedNode(RDF_TYPE), P("InspectionCycle")):
        year = index.value(node, P("year"))
        pillar = index.value(node, P("pillar"))
        scale = index.value(node, P("gradingScale"))
        programme = index.value(node, P("programme"))
        publisher = index.value(programme, ox.NamedNode("http://purl.org/dc/terms/publisher")) if programme else None

        def order(q):
            number = index.value(q, P("questionNumber"))
            return (0 if str(PEEL) + "OverallQuestion" in index.types(q) else 1,
                    int(number.value) if isinstance(number, ox.Literal) else 0, q.value)

        graded = sorted(index.objects(node, P("gradedQuestion")), key=order)
        cycles.append(Cycle(
            iri=node.value, slug=node.value.rsplit("/", 1)[-1], label=_label(index, node),
            year=year.value if isinstance(year, ox.Literal) else "",
            pillar=pillar.value.rsplit("/", 1)[-1] if pillar is not None else "",
            scale=scale.value if scale is not None else "",
            graded=[q.value for q in graded],
            publisher=publisher.value if publisher is not None else None,
        ))
    return sorted(cycles, key=lambda c: c.slug)


@dataclass
class Skeleton:
    report_id: str
    path: Path
    text: str


def skeleton(project: Project, force: str, year: int | str, pillar: str = "effectiveness") -> Skeleton:
    """The skeleton Turtle for a report on ``force`` in the ``year`` cycle of ``pillar``."""
    base = load_base(project)
    index = Index(base.reference)
    forces = {
        s.value[len(ID + "force/"):]: s
        for s in index.subjects(ox.NamedNode(RDF_TYPE), P("PoliceForce"))
    }
    force_id = force.strip().lower()
    if force_id.startswith("force:"):
        force_id = force_id[len("force:"):]
    if force_id not in forces:
        raise UserError(
            f"Unknown force '{force}'. Valid force ids, closest first: "
            f"{', '.join(closest_first(force_id, forces))}."
        )
    cycles = _cycles(index)
    known = "; ".join(f"{c.slug} ({c.pillar}, {c.year})" for c in cycles) or "none"
    pillars = sorted({c.pillar for c in cycles})
    if pillar not in pillars:
        raise UserError(f"Unknown pillar '{pillar}': the reference data has cycles for {', '.join(pillars)}. "
                        f"Known cycles: {known}.")
    matching = [c for c in cycles if c.year == str(year) and c.pillar == pillar]
    if not matching:
        raise UserError(f"The reference data has no PEEL {pillar} cycle for {year}. Known cycles: {known}. "
                        "Add the cycle, its questions and grading scale to data/reference/peel.ttl first.")
    cycle = matching[0]
    force_node = forces[force_id]
    force_name = _label(index, force_node)
    area = index.value(force_node, P("policeForceArea"))
    report_id = f"peel-{year}-{pillar}-{force_id}"
    text = _skeleton_text(index, cycle, report_id, force_id, force_name,
                          area.value if area is not None else None)
    return Skeleton(report_id, project.root / DRAFTS / report_id / "report.ttl", text)


def _q(iri: str) -> str:
    return "q:" + iri.rsplit("/", 1)[-1]


def _skeleton_text(index: Index, cycle: Cycle, report_id: str, force_id: str, force_name: str,
                   area: str | None) -> str:
    q_ns = cycle.graded[0].rsplit("/", 1)[0] + "/" if cycle.graded else ID + "question/"
    r_ns = f"{ID}report/{report_id}/"
    publisher = cycle.publisher or ID + "org/hmic"
    inspected = [q for q in cycle.graded if str(PEEL) + "OverallQuestion" not in index.types(ox.NamedNode(q))]
    core = inspected or cycle.graded
    scale_grades = sorted(
        (g for g in index.subjects(ox.NamedNode(SKOS + "inScheme"), ox.NamedNode(cycle.scale))),
        key=lambda g: int(index.value(g, P("rank")).value) if index.value(g, P("rank")) is not None else 99,
    )
    grade_list = ", ".join("grade:" + g.value.rsplit("/", 1)[-1] for g in scale_grades)
    out = []
    w = out.append
    w(f"# PEEL: Police {cycle.pillar} {cycle.year} – {force_name}.")
    w("# Skeleton written by `peelkg new-report`. Replace every TODO: `peelkg validate` reports each one")
    w("# as an error until none is left. How to model each part: docs/modelling.md; the steps from PDF")
    w("# to a valid report: docs/authoring.md. Split the file into several (judgments.ttl,")
    w("# findings.ttl, ...) whenever you like: the files of a report folder form one graph.")
    w(f"# Source text: data/sources/{report_id}.txt")
    w("")
    prefixes = [
        ("peel", str(PEEL)), ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"), ("dcterms", "http://purl.org/dc/terms/"),
        ("prov", "http://www.w3.org/ns/prov#"), ("qb", "http://www.w3.org/ns/qb#"),
        ("oa", "http://www.w3.org/ns/oa#"), ("report", ID + "report/"), ("organisation", ID + "org/"),
        ("cycle", ID + "cycle/"), ("force", ID + "force/"), ("area", ID + "area/"), ("grade", ID + "grade/"),
        ("q", q_ns), ("measure", ID + "measure/"), ("period", ID + "period/"), ("unit", ID + "unit/"),
        ("judgment", r_ns + "judgment/"), ("finding", r_ns + "finding/"), ("afi", r_ns + "afi/"),
        ("stat", r_ns + "statistic/"), ("ev", r_ns + "evidence/"), ("r", r_ns),
    ]
    width = max(len(p) for p, _ in prefixes)
    for prefix, namespace in prefixes:
        w(f"@prefix {(prefix + ':').ljust(width + 1)} <{namespace}> .")
    w("")
    w("# -- The report ----")
    w("")
    w(f"report:{report_id} a peel:Report ;")
    w(f"    rdfs:label \"PEEL: Police {cycle.pillar} {cycle.year} – {force_name}\"@en ;")
    w("    dcterms:title \"TODO: the title as printed on the cover\"@en ;")
    w(f"    dcterms:publisher organisation:{publisher.rsplit('/', 1)[-1]} ;")
    w("    dcterms:issued \"TODO\"^^xsd:gYearMonth ;          # month of publication, e.g. \"2016-02\"")
    w("    peel:isbn \"TODO\" ;                                # ISBN-13 as printed; delete if there is none")
    w("    dcterms:rights \"TODO: the copyright line, e.g. © HMIC 2016\"@en ;")
    w(f"    dcterms:license <{LICENCE}> ;")
    w(f"    peel:cycle cycle:{cycle.slug} ;")
    w(f"    peel:inspectedForce force:{force_id} ;")
    w("    peel:sourceDocument r:source ;")
    w("    prov:wasGeneratedBy r:inspection .")
    w("")
    w("r:source a peel:SourceDocument ;")
    w("    rdfs:label \"Text extracted from the published PDF of the report\"@en ;")
    w(f"    peel:fileName \"{report_id}.txt\" ;")
    w("    dcterms:format \"text/plain\" .")
    w("")
    w("# If some questions were inspected at another time, add a second peel:Inspection and point")
    w("# those judgments' prov:wasGeneratedBy at it.")
    w("r:inspection a peel:Inspection ;")
    w(f"    rdfs:label \"PEEL {cycle.year} {cycle.pillar} inspection of {force_name}\"@en ;")
    w(f"    peel:cycle cycle:{cycle.slug} ;")
    w(f"    peel:inspectedForce force:{force_id} ;")
    w(f"    prov:wasAssociatedWith organisation:{publisher.rsplit('/', 1)[-1]} ;")
    w(f"    peel:inspectedQuestion {' , '.join(_q(q) for q in core)} ;")
    w("    peel:periodStart \"TODO\"^^xsd:gYearMonth ;         # first month of fieldwork, e.g. \"2015-09\"")
    w("    peel:periodEnd \"TODO\"^^xsd:gYearMonth .           # last month of fieldwork, e.g. \"2015-11\"")
    w("")
    w("r:statistics a qb:DataSet ;")
    w(f"    rdfs:label \"Statistics stated in PEEL: Police {cycle.pillar} {cycle.year} – {force_name}\"@en ;")
    w("    qb:structure <https://w3id.org/peelkg/id/dsd/peel-statistics> .")
    w("")
    w(f"# -- Judgments: one per graded question of {cycle.label} ----")
    w(f"# Grades of this cycle's scale: {grade_list}.")
    for q in cycle.graded:
        local = q.rsplit("/", 1)[-1]
        wording = _label(index, ox.NamedNode(q))
        w("")
        w(f"# {wording}")
        w(f"judgment:{local} a peel:Judgment ;")
        w(f"    peel:judgmentIn report:{report_id} ;")
        w(f"    peel:question {_q(q)} ;")
        w("    peel:grade grade:TODO ;")
        w("    peel:summary \"TODO: the sentence stating the grade, verbatim\" ;")
        w("    prov:wasGeneratedBy r:inspection ;")
        w(f"    peel:evidence ev:judgment-{local} .")
        w(f"ev:judgment-{local} a peel:Evidence ;")
        w("    oa:exact \"TODO: the sentence stating the grade, verbatim\" ;")
        w("    peel:page \"TODO\" ;")
        w("    peel:section \"TODO: the heading the sentence stands under, as printed\" .")
    first = _q(core[0]) if core else "q:overall"
    first_local = first[2:]
    w("")
    w("# -- Findings: one per distinct point; copy this block for each ----")
    w("# Type: peel:Strength, peel:Weakness or peel:Observation (peel:BestPractice where the report says")
    w("# \"best practice\"). Add peel:subQuestion q:... for the section it stands in, if any.")
    w("")
    w(f"finding:{first_local}-01 a peel:Strength ;")
    w("    rdfs:label \"TODO: a short paraphrase in your own words, without numbers\"@en ;")
    w(f"    peel:statedIn report:{report_id} ;")
    w(f"    peel:question {first} ;")
    w("    peel:ordinal 1 ;")
    w(f"    peel:evidence ev:finding-{first_local}-01 .")
    w(f"ev:finding-{first_local}-01 a peel:Evidence ;")
    w("    oa:exact \"TODO: the sentence(s) making the point, verbatim\" ;")
    w("    peel:page \"TODO\" ;")
    w("    peel:section \"TODO: the heading, as printed\" .")
    w("")
    w("# -- Areas for improvement, numbered 1, 2, ... in the order printed ----")
    w("")
    w("afi:1 a peel:AreaForImprovement ;")
    w(f"    peel:statedIn report:{report_id} ;")
    w(f"    peel:question {first} ;")
    w("    peel:ordinal 1 ;")
    w("    peel:text \"TODO: the area for improvement as printed\" ;")
    w(f"    peel:addressedTo force:{force_id} ;")
    w("    peel:evidence ev:afi-1 .")
    w("ev:afi-1 a peel:Evidence ;")
    w("    oa:exact \"TODO: the area for improvement as printed\" ;")
    w("    peel:page \"TODO\" ;")
    w("    peel:section \"Areas for improvement\" .")
    w("")
    w("# -- Statistics: every number the report gives about the force or England and Wales ----")
    w("# Measures and periods are in data/reference/statistics.ttl (add new ones there).")
    w("")
    w("stat:TODO-slug a peel:Statistic ;")
    w("    qb:dataSet r:statistics ;")
    w(f"    peel:statedIn report:{report_id} ;")
    w("    peel:measure measure:TODO ;")
    w(f"    peel:refArea {'area:' + area.rsplit('/', 1)[-1] if area else 'area:TODO'} ;   # or area:england-and-wales")
    w("    peel:refPeriod period:TODO ;")
    w("    peel:value \"TODO\" ;                              # a number: 95237 or 13.3, negative for a fall")
    w("    peel:unit unit:TODO ;                              # unit:count, unit:percent, unit:percent-change, ...")
    w("    peel:evidence ev:stat-TODO-slug .")
    w("ev:stat-TODO-slug a peel:Evidence ;")
    w("    oa:exact \"TODO: the sentence or table row stating the number, verbatim\" ;")
    w("    peel:page \"TODO\" ;")
    w("    peel:section \"TODO: the heading, as printed\" .")
    return "\n".join(out) + "\n"


def write_skeleton(project: Project, force: str, year: int | str, pillar: str = "effectiveness",
                   output: Path | None = None) -> Path:
    """Write the skeleton to ``output`` (a .ttl file, or a folder to hold report.ttl; default
    data/drafts/<report-id>/report.ttl) and return the file written. Never overwrites."""
    made = skeleton(project, force, year, pillar)
    if output is None:
        target = made.path
    elif output.suffix.lower() == ".ttl":
        target = output
    else:
        if output.exists() and (not output.is_dir() or any(output.iterdir())):
            raise RefusedError(f"{output} already exists and is not an empty folder; nothing was written. "
                               "Give another -o, or remove it first.")
        target = output / "report.ttl"
    if target.exists():
        raise RefusedError(f"{target} already exists; nothing was written. Give another -o, or remove it first.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(made.text)
    return target


# -- peelkg add ----


@dataclass
class Added:
    report_id: str
    folder: Path
    files: list[Path]
    source: Path | None
    outcome: Outcome


def add_report(project: Project, paths: list[Path], source: Path | None = None) -> tuple[Outcome, Added | None]:
    """Validate ``paths`` as one report; if it conforms, copy it into data/reports/<report-id>/
    (and ``source`` into data/sources/). Returns the outcome and what was added (None when the
    report does not conform: then nothing is written)."""
    outcome = Validator(project).validate(paths, source=source)
    if not outcome.conforms():
        return outcome, None
    if len(outcome.reports) != 1 or "/" in outcome.reports[0] or ":" in outcome.reports[0]:
        raise RefusedError("The report's IRI must be report:<report-id> (https://w3id.org/peelkg/id/report/<id>) "
                           "to be added; nothing was written.")
    report_id = outcome.reports[0]
    files = input_files(paths)
    destination = project.reports_dir / report_id
    if destination.exists():
        raise RefusedError(f"{destination} already exists; `peelkg add` never replaces a report. Nothing was "
                           "written. Remove the folder first if you mean to replace it.")
    names: dict[str, Path] = {}
    for f in files:
        name = f.name if f.suffix.lower() in RDF_SUFFIXES else f.stem + {".json": ".jsonld", ".xml": ".rdf"}.get(
            f.suffix.lower(), f.suffix)
        if name in names:
            raise RefusedError(f"Two input files are both named {name}; rename one. Nothing was written.")
        names[name] = f
    source_target = None
    if source is not None:
        source = Path(source)
        source_target = project.sources_dir / _source_name(paths, source)
        if source_target.exists() and source_target.resolve() != source.resolve() \
                and source_target.read_bytes() != source.read_bytes():
            raise RefusedError(f"{source_target} already exists with other content; nothing was written.")
    project.reports_dir.mkdir(parents=True, exist_ok=True)
    copied_source = None
    staging = Path(tempfile.mkdtemp(prefix=f".{report_id}.", dir=project.reports_dir))
    try:
        for name, f in names.items():
            shutil.copyfile(f, staging / name)
        if source_target is not None and not source_target.exists():
            source_target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, source_target)
            copied_source = source_target
        staging.rename(destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if copied_source is not None:
            copied_source.unlink(missing_ok=True)
        raise
    return outcome, Added(report_id, destination, sorted(destination / n for n in names), source_target, outcome)


def _source_name(paths: list[Path], source: Path) -> str:
    """The name the report gives its source text (peel:fileName), else the file's own name."""
    triples = read_inputs(input_files(paths))
    names = sorted({t.object.value for t in triples
                    if t.predicate == P("fileName") and isinstance(t.object, ox.Literal)})
    return names[0] if len(names) == 1 else source.name
