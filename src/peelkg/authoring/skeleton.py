"""`peelkg new-report`: the skeleton of a new report, to fill in from the report's text.

The skeleton has every part a report needs, with ``TODO`` placeholders (``grade:TODO``,
``"TODO: ..."``) that `peelkg validate` reports as errors until they are filled in, so an
unfinished report cannot be added by mistake. See docs/authoring.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
import pyoxigraph as ox

from ..errors import RefusedError, UserError
from ..pipeline.atomic import write_file
from ..pipeline.context import load_base
from ..project import Project
from ..rdf.index import Index
from ..rdf.names import closest_first, local_name
from ..rdf.vocab import (DCTERMS, FORCE_NS, GRADE_NS, ID_NS, IN_SCHEME, LABEL, OA, PEEL, PREF_LABEL, PREFIXES, PROV,
                         QB, RDFS, REPORT_NS, TYPE, XSD, peel)

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
    return local_name(node.value)


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
            iri=node.value, slug=local_name(node.value), label=_label(index, node),
            year=year.value if isinstance(year, ox.Literal) else "",
            pillar=local_name(pillar.value) if pillar is not None else "",
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
    index = load_base(project).validator.reference.index  # the reference data, indexed once per load
    forces = {
        local_name(s.value, FORCE_NS): s
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


def _turtle_string(value: str) -> str:
    """``value`` escaped for a Turtle "..." string."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("peelkg.authoring", "templates"),
    autoescape=False,  # Turtle, not HTML: values go into strings through the `turtle` filter
    keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
)
_TEMPLATES.filters["turtle"] = _turtle_string


def _skeleton_text(index: Index, cycle: Cycle, report_id: str, force_id: str, force_name: str,
                   area: str | None) -> str:
    q_ns = cycle.graded[0].rsplit("/", 1)[0] + "/" if cycle.graded else ID_NS + "question/"
    r_ns = f"{ID_NS}report/{report_id}/"
    inspected = [q for q in cycle.graded if str(PEEL) + "OverallQuestion" not in index.types(ox.NamedNode(q))]
    core = inspected or cycle.graded
    scale_grades = sorted(
        (g for g in index.subjects(IN_SCHEME, ox.NamedNode(cycle.scale))),
        key=lambda g: int(index.value(g, peel("rank")).value) if index.value(g, peel("rank")) is not None else 99,
    )
    prefixes = [
        ("peel", str(PEEL)), ("rdfs", str(RDFS)), ("xsd", str(XSD)), ("dcterms", str(DCTERMS)),
        ("prov", str(PROV)), ("qb", str(QB)), ("oa", str(OA)), ("report", REPORT_NS),
        ("organisation", PREFIXES["organisation"]), ("cycle", PREFIXES["cycle"]), ("force", FORCE_NS),
        ("area", PREFIXES["area"]), ("grade", GRADE_NS), ("q", q_ns), ("measure", PREFIXES["measure"]),
        ("period", PREFIXES["period"]), ("unit", PREFIXES["unit"]), ("topic", PREFIXES["topic"]),
        ("judgment", r_ns + "judgment/"), ("finding", r_ns + "finding/"), ("afi", r_ns + "afi/"),
        ("stat", r_ns + "statistic/"), ("ev", r_ns + "evidence/"), ("r", r_ns),
    ]
    return _TEMPLATES.get_template("report.ttl.j2").render(
        cycle=cycle, report_id=report_id, force_id=force_id, force_name=force_name, licence=LICENCE,
        publisher=local_name(cycle.publisher or PREFIXES["organisation"] + "hmic"),
        prefixes=prefixes, prefix_width=max(len(prefix) for prefix, _ in prefixes),
        inspected=["q:" + local_name(q) for q in core],
        grades=["grade:" + local_name(g.value) for g in scale_grades],
        questions=[{"local": local_name(q), "wording": _label(index, ox.NamedNode(q))} for q in cycle.graded],
        first=local_name(core[0]) if core else "overall",
        area=local_name(area) if area else "TODO",
    )


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
