"""Reference checks: every force, grade, question and peel: term the report uses exists."""

from __future__ import annotations

import difflib

import pyoxigraph as ox

from ...rdf.names import closest_first, compact, local_name
from ...rdf.vocab import FORCE_NS, GRADE_NS, PEEL, PEELKG_NS, PLACEHOLDER, QUESTION_NS, TYPE, peel
from ..shapes import Problem
from .base import CheckInput, check
from .corpus import CROSS_REPORT



def closest_terms(word: str, pool: list[str]) -> list[str]:
    """Up to three terms of ``pool`` spelt like ``word``: those about as close as the closest
    (a misspelt peel:Judgement should suggest peel:Judgment, not every class ending in
    Judgment)."""
    scored = sorted(((difflib.SequenceMatcher(None, word, t).ratio(), t) for t in pool), key=lambda s: (-s[0], s[1]))
    scored = [s for s in scored if s[0] >= 0.6]
    return [t for ratio, t in scored[:3] if ratio >= scored[0][0] - 0.1]

class ReferenceChecks(CheckInput):
    """The IRIs a report points to must exist in the reference data or the ontology."""

    def reference_forces(self) -> list[Problem]:
        forces = self._of_type("PoliceForce")
        valid = sorted(local_name(f, FORCE_NS) for f in forces)
        problems = []
        seen_namespaces = set()
        for subject, via, iri in self._usages(lambda v: v.startswith(FORCE_NS)):
            local = local_name(iri.value, FORCE_NS)
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
                problems.append(check(iri.value, message, "reference-force", value=ox.NamedNode(FORCE_NS + force_id)))
                continue
            message = (f"{self.name(iri.value)} is not a police force of the reference data. "
                       f"Valid forces, closest first: {listing}.")
            problems.append(check(subject.value, message, "reference-force",
                                   path=via.value if via is not None else None, value=iri))
        return problems

    def reference_grades(self) -> list[Problem]:
        grades = self._of_type("Grade")
        scale, scale_grades = self._cycle_scale_grades()
        problems = []
        for subject, via, iri in self._usages(lambda v: v.startswith(GRADE_NS)):
            if iri.value in grades:
                continue
            local = local_name(iri.value, GRADE_NS)
            if scale_grades:
                options = closest_first(local, [local_name(g, GRADE_NS) for g in scale_grades])
                listing = f"Grades of the cycle's scale {compact(scale)}, closest first: "
            else:
                options = closest_first(local, [local_name(g, GRADE_NS) for g in grades])
                listing = "Valid grades, closest first: "
            message = (f"{self.name(iri.value)} is not a grade of the reference data. "
                       + listing + ", ".join(self.name(GRADE_NS + g) for g in options) + ".")
            problems.append(check(subject.value, message, "reference-grade",
                                   path=via.value if via is not None else None, value=iri))
        return problems

    def reference_cycles(self) -> list[Problem]:
        """The cycle a report or inspection names must be a cycle of the reference data."""
        cycles = self._of_type("InspectionCycle")
        problems = []
        cycle_of = peel("cycle")
        for subject, cycle in sorted({(s.value, o.value) for s, p, o in self.rows
                                      if p == cycle_of and isinstance(o, ox.NamedNode)}):
            if cycle in cycles:
                continue
            slug = cycle.rsplit("/", 1)[-1]
            listing = ", ".join(c.rsplit("/", 1)[-1] for c in closest_first(cycle, sorted(cycles))[:8])
            problems.append(check(
                subject, f"{self.name(cycle)} is not a cycle of the reference data: there is no cycle '{slug}'. "
                f"Cycles, closest first: {listing} (`peelkg cycles` lists them all).",
                "reference-cycle", path=peel("cycle").value, value=ox.NamedNode(cycle)))
        return problems

    def reference_questions(self) -> list[Problem]:
        questions = self._questions()
        in_cycle = self._cycle_questions()
        cycles = {c.rsplit("/", 1)[-1] for c in self._of_type("InspectionCycle")}
        missing_sets: set[str] = set()
        problems = []
        for subject, via, iri in self._usages(lambda v: v.startswith(QUESTION_NS)):
            if iri.value in questions:
                continue
            namespace = iri.value.rsplit("/", 1)[0] + "/"
            same_set = {q for q in questions if q.startswith(namespace)}
            set_id = namespace[len(QUESTION_NS):].strip("/")
            if not same_set and set_id and set_id not in cycles:
                # q:... under the question set of a cycle that does not exist: the cycle is missing.
                if set_id in missing_sets:
                    continue
                missing_sets.add(set_id)
                message = (f"{self.name(iri.value)} is a question of the cycle '{set_id}', which is not in the "
                           "reference data: there is no such cycle. `peelkg cycles` lists the cycles and their "
                           "questions; give the question of one of them (or add the cycle to data/reference).")
                problems.append(check(subject.value, message, "reference-question",
                                      path=via.value if via is not None else None, value=iri))
                continue
            if same_set:
                local = local_name(iri.value, namespace)
                options = [namespace + o for o in closest_first(local, [local_name(q, namespace) for q in same_set])]
                listing = f"Questions of {compact(namespace.rstrip('/'))}, closest first: "
            else:
                local = local_name(iri.value, QUESTION_NS)
                pool = in_cycle or questions
                options = [QUESTION_NS + o for o in closest_first(local, [local_name(q, QUESTION_NS) for q in pool])]
                listing = "Valid questions, closest first: "
            message = (f"{self.name(iri.value)} is not a question of the reference data. "
                       + listing + ", ".join(self.name(o) for o in options) + ".")
            problems.append(check(subject.value, message, "reference-question",
                                   path=via.value if via is not None else None, value=iri))
        return problems

    def vocabulary(self) -> list[Problem]:
        peel = str(PEEL)
        rtype = TYPE
        terms = {t for t in self.ontology_terms if t.startswith(peel)}
        problems = []
        seen = set()
        for subject, predicate, obj in self.rows:
            candidates = [("property", predicate, None)]
            if predicate == rtype and isinstance(obj, ox.NamedNode):
                candidates.append(("class", obj, TYPE.value))
            for kind, term, path in candidates:
                if not term.value.startswith(peel) or term.value in terms:
                    continue
                key = (subject, term)
                if key in seen:
                    continue
                seen.add(key)
                local = local_name(term.value, peel)
                pool = [name for name in (local_name(x, peel) for x in terms) if name[:1].isupper() == (kind == "class")]
                best = closest_terms(local, pool)
                hint = (f"did you mean {' or '.join('peel:' + b for b in best)}?" if best
                        else f"see the {kind} list in ontology/peel.ttl.")
                message = f"peel:{local} is not a {kind} of the peel ontology (ontology/peel.ttl); {hint}"
                problems.append(check(subject.value if isinstance(subject, ox.NamedNode) else f"_:{subject.value}",
                                       message, "vocabulary", path=path, value=term))
        return problems

    def dangling(self) -> list[Problem]:
        problems = []
        rtype = TYPE
        cycle_of = peel("cycle")
        for s, p, o in self.rows:
            if not isinstance(o, ox.NamedNode) or p == rtype:
                continue
            v = o.value
            if (not v.startswith(PEELKG_NS) or v.startswith(str(PEEL)) or v.startswith((FORCE_NS, GRADE_NS, QUESTION_NS))
                    or PLACEHOLDER in v or self.knows(o) or p in CROSS_REPORT
                    or p == cycle_of):  # an unknown cycle: reference_cycles says so
                continue
            focus = s.value if isinstance(s, ox.NamedNode) else f"_:{s.value}"
            problems.append(check(
                focus,
                f"{self.name(v)} is used here ({compact(p.value)}) but described nowhere: "
                "neither in this report nor in the reference data. Check the spelling, or describe it.",
                "dangling-reference", path=p.value, value=o,
            ))
        return problems
