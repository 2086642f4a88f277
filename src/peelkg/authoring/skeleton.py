"""`peelkg new-report`: the skeleton of a new report, to fill in from the report's text.

The skeleton has every part a report needs, with ``TODO`` placeholders (``grade:TODO``,
``"TODO: ..."``) that `peelkg validate` reports as errors until they are filled in, so an
unfinished report cannot be added by mistake. See docs/authoring.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import RefusedError, UserError
from ..pipeline.atomic import write_file
from ..pipeline.context import load_base
from ..project import Project
from ..rdf.index import Index
from ..rdf.vocab import ID_NS, IN_SCHEME, LABEL, PEEL, PREF_LABEL, TYPE, peel
from ..validation.checks import closest_first

DRAFTS = Path("data") / "drafts"
LICENCE = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


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
    for prop in (PREF_LABEL, LABEL):
        value = index.value(node, prop)
        if isinstance(value, ox.Literal):
            return value.value
    return node.value.rsplit("/", 1)[-1]


def _cycles(index: Index) -> list[Cycle]:
    cycles = []
    for node in index.subjects(TYPE, peel("InspectionCycle")):
        year = index.value(node, peel("year"))
        pillar = index.value(node, peel("pillar"))
        scale = index.value(node, peel("gradingScale"))
        programme = index.value(node, peel("programme"))
        publisher = index.value(programme, ox.NamedNode("http://purl.org/dc/terms/publisher")) if programme else None

        def order(q):
            number = index.value(q, peel("questionNumber"))
            return (0 if str(PEEL) + "OverallQuestion" in index.types(q) else 1,
                    int(number.value) if isinstance(number, ox.Literal) else 0, q.value)

        graded = sorted(index.objects(node, peel("gradedQuestion")), key=order)
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
        s.value[len(ID_NS + "force/"):]: s
        for s in index.subjects(TYPE, peel("PoliceForce"))
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
    area = index.value(force_node, peel("policeForceArea"))
    report_id = f"peel-{year}-{pillar}-{force_id}"
    text = _skeleton_text(index, cycle, report_id, force_id, force_name,
                          area.value if area is not None else None)
    return Skeleton(report_id, project.root / DRAFTS / report_id / "report.ttl", text)


def _q(iri: str) -> str:
    return "q:" + iri.rsplit("/", 1)[-1]


def _skeleton_text(index: Index, cycle: Cycle, report_id: str, force_id: str, force_name: str,
                   area: str | None) -> str:
    q_ns = cycle.graded[0].rsplit("/", 1)[0] + "/" if cycle.graded else ID_NS + "question/"
    r_ns = f"{ID_NS}report/{report_id}/"
    publisher = cycle.publisher or ID_NS + "org/hmic"
    inspected = [q for q in cycle.graded if str(PEEL) + "OverallQuestion" not in index.types(ox.NamedNode(q))]
    core = inspected or cycle.graded
    scale_grades = sorted(
        (g for g in index.subjects(IN_SCHEME, ox.NamedNode(cycle.scale))),
        key=lambda g: int(index.value(g, peel("rank")).value) if index.value(g, peel("rank")) is not None else 99,
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
        ("oa", "http://www.w3.org/ns/oa#"), ("report", ID_NS + "report/"), ("organisation", ID_NS + "org/"),
        ("cycle", ID_NS + "cycle/"), ("force", ID_NS + "force/"), ("area", ID_NS + "area/"), ("grade", ID_NS + "grade/"),
        ("q", q_ns), ("measure", ID_NS + "measure/"), ("period", ID_NS + "period/"), ("unit", ID_NS + "unit/"),
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
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"Cannot create the folder {target.parent}: {exc.strerror or exc}. Nothing was written; "
                        "give -o a path you can write to.") from None
    write_file(target, made.text.encode("utf-8"), overwrite=False)
    return target
