"""The inspection cycles of the reference data, as `peelkg cycles` lists them and `peelkg
new-report` picks one: each with its year, pillars, grading scale, graded and ungraded questions,
and whether its sources confirm all of that."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import UserError
from ..rdf.index import Index
from ..rdf.vocab import ID_NS, IN_SCHEME, LABEL, PEEL, PREF_LABEL, TYPE, peel

DCTERMS_PUBLISHER = ox.NamedNode("http://purl.org/dc/terms/publisher")
NOTATION = ox.NamedNode("http://www.w3.org/2004/02/skos/core#notation")
UNCONFIRMED = ox.NamedNode(ID_NS + "status/unconfirmed")


@dataclass
class Question:
    iri: str
    id: str          # after .../question/, e.g. peel-2016-effectiveness/q1
    local: str       # e.g. q1
    label: str
    kind: str        # OverallQuestion, PillarQuestion, CoreQuestion, AssessmentArea, ...
    unconfirmed: bool = False


@dataclass
class Cycle:
    iri: str
    slug: str
    label: str
    year: str
    notation: str    # how the cycle is written, e.g. 2018/19 (else its year)
    pillars: list[str]
    scale: str
    scale_label: str
    graded: list[Question]    # the overall or pillar questions first, then by number
    ungraded: list[Question] = field(default_factory=list)
    publisher: str | None = None
    unconfirmed: bool = False
    questions_not_recorded: bool = False

    @property
    def pillar(self) -> str:
        return self.pillars[0] if len(self.pillars) == 1 else ""

    @property
    def question_namespace(self) -> str:
        return f"{ID_NS}question/{self.slug}/"

    def grades(self, index: Index) -> list[str]:
        """The grade IRIs of the cycle's scale, best first."""
        grades = index.subjects(IN_SCHEME, ox.NamedNode(self.scale)) if self.scale else []

        def rank(g):
            value = index.value(g, peel("rank"))
            return int(value.value) if isinstance(value, ox.Literal) else 99
        return [g.value for g in sorted(grades, key=rank)]


def label_of(index: Index, node) -> str:
    for prop in (PREF_LABEL, LABEL):
        value = index.value(node, prop)
        if isinstance(value, ox.Literal):
            return value.value
    return node.value.rsplit("/", 1)[-1]


_LEVEL = {"OverallQuestion": 0, "PillarQuestion": 0}


def _question(index: Index, node) -> Question:
    types = [t[len(str(PEEL)):] for t in sorted(index.types(node)) if t.startswith(str(PEEL))]
    kind = next((k for k in ("OverallQuestion", "PillarQuestion", "AssessmentArea", "CoreQuestion",
                             "DiagnosticQuestion") if k in types), types[0] if types else "InspectionQuestion")
    qid = node.value.split("/question/", 1)[-1]
    return Question(iri=node.value, id=qid, local=qid.rsplit("/", 1)[-1], label=label_of(index, node), kind=kind,
                    unconfirmed=UNCONFIRMED in index.objects(node, peel("confirmationStatus")))


def _order(index: Index, question: Question):
    number = index.value(ox.NamedNode(question.iri), peel("questionNumber"))
    return (_LEVEL.get(question.kind, 1), question.local.split("-q")[0] if "-q" in question.local else "",
            int(number.value) if isinstance(number, ox.Literal) else 0, question.iri)


def cycles(index: Index) -> list[Cycle]:
    """Every cycle of the reference data, in order of year, then id."""
    found = []
    for node in index.subjects(TYPE, peel("InspectionCycle")):
        year = index.value(node, peel("year"))
        scale = index.value(node, peel("gradingScale"))
        programme = index.value(node, peel("programme"))
        publisher = index.value(node, DCTERMS_PUBLISHER) or (
            index.value(programme, DCTERMS_PUBLISHER) if programme is not None else None)
        notation = index.value(node, NOTATION)
        graded = [_question(index, q) for q in index.objects(node, peel("gradedQuestion"))]
        ungraded = [_question(index, q) for q in index.objects(node, peel("ungradedQuestion"))]
        found.append(Cycle(
            iri=node.value, slug=node.value.rsplit("/", 1)[-1], label=label_of(index, node),
            year=year.value if isinstance(year, ox.Literal) else "",
            notation=notation.value if isinstance(notation, ox.Literal) else (year.value if year else ""),
            pillars=sorted(p.value.rsplit("/", 1)[-1] for p in index.objects(node, peel("pillar"))),
            scale=scale.value if scale is not None else "",
            scale_label=label_of(index, scale) if scale is not None else "",
            graded=sorted(graded, key=lambda q: _order(index, q)),
            ungraded=sorted(ungraded, key=lambda q: _order(index, q)),
            publisher=publisher.value if publisher is not None else None,
            unconfirmed=UNCONFIRMED in index.objects(node, peel("confirmationStatus")),
            questions_not_recorded=peel("gradedQuestion") in index.objects(node, peel("notRecorded")),
        ))
    return sorted(found, key=lambda c: (c.year, c.slug))


def find_cycle(index: Index, cycle_id: str) -> Cycle:
    """The cycle with id ``cycle_id`` (peel-2016-effectiveness, or cycle:..., or its IRI)."""
    wanted = cycle_id.strip()
    for prefix in ("cycle:", ID_NS + "cycle/"):
        if wanted.startswith(prefix):
            wanted = wanted[len(prefix):]
    known = cycles(index)
    for cycle in known:
        if cycle.slug == wanted:
            return cycle
    from ..rdf.names import closest_first

    raise UserError(f"There is no cycle '{cycle_id}' in the reference data. Cycles, closest first: "
                    f"{', '.join(closest_first(wanted, [c.slug for c in known]))}. `peelkg cycles` lists them "
                    "with their questions; a cycle not listed must be added to data/reference first "
                    "(docs/authoring.md, 'Cycles').")


def cycle_for(index: Index, year: int | str, pillar: str) -> Cycle:
    """The cycle of ``pillar`` in ``year`` (an integrated cycle counts for each of its pillars)."""
    known = cycles(index)
    matching = [c for c in known if c.year == str(year) and pillar in c.pillars]
    if matching:
        return sorted(matching, key=lambda c: len(c.pillars))[0]
    of_pillar = [c for c in known if pillar in c.pillars]
    if not of_pillar:
        pillars = sorted({p for c in known for p in c.pillars})
        raise UserError(f"Unknown pillar '{pillar}': the reference data has cycles for {', '.join(pillars)}. "
                        "Give --cycle ID instead (`peelkg cycles` lists them).")
    listing = ", ".join(f"{c.slug} ({c.notation})" for c in of_pillar)
    raise UserError(f"There is no PEEL {pillar} cycle of {year} in the reference data. Cycles of {pillar}: "
                    f"{listing}. Give --cycle ID (`peelkg cycles` lists them with their questions), or add the "
                    "cycle to data/reference first (docs/authoring.md, 'Cycles').")


def describe(index: Index, cycle: Cycle) -> list[str]:
    """Lines for `peelkg cycles`: the cycle, its scale and its questions."""
    flags = " [partly unconfirmed: see its skos:editorialNote]" if cycle.unconfirmed else ""
    pillars = ", ".join(cycle.pillars) or "no pillar"
    lines = [f"{cycle.slug}  {cycle.label} ({cycle.notation}; {pillars}){flags}",
             f"  scale: {cycle.scale_label} ({', '.join(label_of(index, ox.NamedNode(g)) for g in cycle.grades(index))})"]
    for title, questions in (("graded", cycle.graded), ("ungraded", cycle.ungraded)):
        for q in questions:
            mark = " (unconfirmed)" if q.unconfirmed else ""
            lines.append(f"  {title:8} {q.id}: {q.label}{mark}")
    if cycle.questions_not_recorded:
        lines.append("  questions not recorded: the sources read do not give them")
    return lines
