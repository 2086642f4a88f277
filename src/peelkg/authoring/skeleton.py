"""`peelkg new-report`: the skeleton of a new report, to fill in from the report's text.

The skeleton has every part a report needs, with ``TODO`` placeholders (``grade:TODO``,
``"TODO: ..."``) that `peelkg validate` reports as errors until they are filled in, so an
unfinished report cannot be added by mistake. See docs/authoring.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..errors import RefusedError, UserError
from ..pipeline.atomic import write_file
from ..pipeline.context import load_base
from ..project import Project
from ..rdf.index import Index
from ..rdf.names import closest_first, local_name
from ..rdf.vocab import (DCTERMS, FORCE_NS, GRADE_NS, ID_NS, OA, PEEL, PREFIXES, PROV,
                         QB, RDFS, REPORT_NS, TYPE, XSD, peel)
from .cycles import Cycle, cycle_for, find_cycle, label_of

DRAFTS = Path("data") / "drafts"
LICENCE = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


_label = label_of


@dataclass
class Skeleton:
    report_id: str
    path: Path
    text: str


def skeleton(project: Project, force: str, year: int | str | None = None, pillar: str = "effectiveness",
             cycle_id: str | None = None) -> Skeleton:
    """The skeleton Turtle for a report on ``force`` in the cycle ``cycle_id`` (or the cycle of
    ``pillar`` in ``year``)."""
    base = load_base(project)
    index = Index(base.reference)
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
    if cycle_id is not None:
        cycle = find_cycle(index, cycle_id)
    elif year is not None:
        cycle = cycle_for(index, year, pillar)
    else:
        raise UserError("Give the cycle with --cycle ID (`peelkg cycles` lists them), or --year and --pillar.")
    force_node = forces[force_id]
    force_name = _label(index, force_node)
    area = index.value(force_node, peel("policeForceArea"))
    report_id = f"{cycle.slug}-{force_id}"
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
    q_ns = cycle.question_namespace
    r_ns = f"{ID_NS}report/{report_id}/"
    inspected = [q.iri for q in cycle.graded + cycle.ungraded if q.kind not in ("OverallQuestion", "PillarQuestion")]
    core = inspected or [q.iri for q in cycle.graded]
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
        # A pillar's reports are titled "PEEL: Police effectiveness 2015"; an integrated cycle by its label.
        title=f"PEEL: Police {cycle.pillar} {cycle.notation}" if cycle.pillar else cycle.label,
        cycle=cycle, report_id=report_id, force_id=force_id, force_name=force_name, licence=LICENCE,
        publisher=local_name(cycle.publisher or PREFIXES["organisation"] + "hmic"),
        prefixes=prefixes, prefix_width=max(len(prefix) for prefix, _ in prefixes),
        inspected=["q:" + local_name(q) for q in core],
        grades=["grade:" + local_name(g) for g in cycle.grades(index)],
        questions=[{"local": q.local, "wording": q.label} for q in cycle.graded],
        ungraded=[{"local": q.local, "wording": q.label} for q in cycle.ungraded],
        first=local_name(core[0]) if core else "overall",
        area=local_name(area) if area else "TODO",
    )


def write_skeleton(project: Project, force: str, year: int | str | None, pillar: str = "effectiveness",
                   output: Path | None = None, cycle_id: str | None = None) -> Path:
    """Write the skeleton to ``output`` (a .ttl file, or a folder to hold report.ttl; default
    data/drafts/<report-id>/report.ttl) and return the file written. Never overwrites."""
    made = skeleton(project, force, year, pillar, cycle_id)
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
