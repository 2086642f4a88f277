"""Short descriptions of nodes in PEEL terms ("the judgment for 'investigating crime' in report ...")."""

from __future__ import annotations

import re

import pyoxigraph as ox

from ..rdf.index import Index
from ..rdf.names import Namer, local_name
from ..rdf.vocab import ALT_LABEL, GENERATED_BY, LABEL, PEEL, PREF_LABEL, REPORT_NS, peel


def text_of(term) -> str | None:
    return term.value if isinstance(term, ox.Literal) else None


def _label(index: Index, node, namer: Namer) -> str:
    for prop in (ALT_LABEL, PREF_LABEL, LABEL):
        value = text_of(index.value(node, prop))
        if value:
            return value
    return namer(node.value) if isinstance(node, ox.NamedNode) else str(node)


def report_id(iri: str) -> str:
    return local_name(iri, REPORT_NS)


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
            value = ix.value(node, peel(prop))
            if isinstance(value, ox.NamedNode):
                return value.value
        if str(PEEL) + "Report" in ix.types(node):
            return node.value
        if depth < 2:
            for owner in ix.subjects(peel("evidence"), node) + ix.subjects(GENERATED_BY, node):
                found = self.report_of(owner, depth + 1)
                if found:
                    return found
        return None

    def __call__(self, iri: str) -> str:
        node = ox.NamedNode(iri) if not iri.startswith("_:") else ox.BlankNode(iri[2:])
        return self.describe(node)

    def describe(self, node, depth: int = 0) -> str:
        ix, name = self.index, self.namer(node.value) if isinstance(node, ox.NamedNode) else str(node)
        types = {local_name(t, PEEL) for t in ix.types(node) if t.startswith(PEEL)}
        report = self.report_of(node)
        in_report = f" in report {report_id(report)}" if report else ""
        if "Judgment" in types:
            question = ix.value(node, peel("question"))
            about = f"'{_label(ix, question, self.namer)}'" if question is not None else "no question"
            return f"the judgment for {about}{in_report}"
        kinds = [k for k in self.KINDS if k in types]
        if "Finding" in types or kinds:
            return f"finding {name} ({', '.join(kinds) or 'no kind'}){in_report}"
        if "AreaForImprovement" in types:
            ordinal = text_of(ix.value(node, peel("ordinal")))
            question = ix.value(node, peel("question"))
            under = f" under '{_label(ix, question, self.namer)}'" if question is not None else ""
            number = f" no. {ordinal}" if ordinal else ""
            return f"area for improvement {name}{number}{under}{in_report}"
        if "Recommendation" in types:
            return f"recommendation {name}{in_report}"
        if "Statistic" in types:
            parts = []
            measure = ix.value(node, peel("measure"))
            if measure is not None:
                parts.append(f"'{_label(ix, measure, self.namer)}'")
            value = text_of(ix.value(node, peel("value")))
            unit = ix.value(node, peel("unit"))
            if value is not None:
                parts.append(f"= {value}" + (f" {_label(ix, unit, self.namer)}" if unit is not None else ""))
            area = ix.value(node, peel("refArea"))
            if area is not None:
                parts.append(f"for {_label(ix, area, self.namer)}")
            detail = f" ({' '.join(parts)})" if parts else ""
            return f"statistic {name}{detail}{in_report}"
        if "GlossaryEntry" in types:
            term = text_of(ix.value(node, PREF_LABEL))
            return f"glossary entry {name}" + (f" '{term}'" if term else "") + in_report
        if "Report" in types:
            extra = []
            force = ix.value(node, peel("inspectedForce"))
            if force is not None:
                extra.append(_label(ix, force, self.namer))
            cycle = ix.value(node, peel("cycle"))
            if cycle is not None:
                extra.append(_label(ix, cycle, self.namer))
            return f"report {report_id(node.value)}" + (f" ({', '.join(extra)})" if extra else "")
        owners = ix.subjects(peel("evidence"), node)
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
