"""Structure checks: one report per input, IRIs in the project's namespace, no blank nodes,
no placeholders left, no report IRI of another folder, periods in order."""

from __future__ import annotations


import pyoxigraph as ox

from ...errors import InputError
from ...rdf.io import RDF_SUFFIXES, read_triples
from ...rdf.names import compact, local_name
from ...rdf.vocab import EXACT, FORCE_NS, GRADE_NS, ID_NS, LABEL, PEEL, PLACEHOLDER, QUESTION_NS, TYPE, peel
from ..shapes import Problem
from .base import CheckInput, check


_PLACEHOLDER_HINTS = {
    EXACT.value: "the sentence quoted verbatim from the source text",
    str(PEEL) + "page": "the page where the quote begins (python -m peelkg.validation.sourcetext SOURCE \"quote\" prints it)",
    str(PEEL) + "section": "the heading the quote stands under, as printed",
    "http://purl.org/dc/terms/title": "the title as printed",
    "http://purl.org/dc/terms/issued": "the month of publication, e.g. \"2016-02\"^^xsd:gYearMonth",
    "http://purl.org/dc/terms/rights": "the copyright line as printed, e.g. \"© HMIC 2016\"@en",
    str(PEEL) + "isbn": "the ISBN-13 as printed, e.g. \"978-1-911194-96-5\" (or delete the line)",
    str(PEEL) + "periodStart": "the month the fieldwork began, e.g. \"2015-09\"^^xsd:gYearMonth",
    str(PEEL) + "periodEnd": "the month the fieldwork ended, e.g. \"2015-11\"^^xsd:gYearMonth",
    str(PEEL) + "summary": "the sentence stating the grade, verbatim",
    LABEL.value: "a short paraphrase in your own words (no numbers)",
    str(PEEL) + "text": "its wording as printed",
    str(PEEL) + "value": "the number as printed, without thousands separators",
    str(PEEL) + "measure": "a measure of data/reference/statistics.ttl",
    str(PEEL) + "refPeriod": "a reference period of data/reference/statistics.ttl",
    str(PEEL) + "unit": "a unit of the reference data (unit:count, unit:percent, ...)",
    str(PEEL) + "topic": "the themes it is about, topics of data/reference/topics.ttl (e.g. topic:burglary)",
}



class StructureChecks(CheckInput):
    """The report as a whole: its IRIs, its parts, its placeholders."""

    def one_report(self) -> list[Problem]:
        if len(self.reports) > 1:
            names = ", ".join(self.name(r) for r in self.reports)
            return [
                check(r, f"The files declare {len(self.reports)} reports ({names}); validate one report at a time.",
                       "one-report", family="Report")
                for r in self.reports
            ]
        if self.reports:
            return []
        referenced = sorted({
            t.object.value for t in self.triples
            if t.predicate in (peel("judgmentIn"), peel("statedIn")) and isinstance(t.object, ox.NamedNode)
        })
        focus = referenced[0] if referenced else (str(self.files[0]) if self.files else "")
        return [check(
            focus,
            "The files declare no peel:Report; validate all the files of one report together "
            "(or give the report's folder).",
            "one-report", family="Report",
        )]

    def namespace(self) -> list[Problem]:
        minted = sorted({
            v for v in (s.value for s in self._own_subjects if isinstance(s, ox.NamedNode)) if not v.startswith(ID_NS)
        })
        return [
            check(iri, f"<{iri}> is minted (used as a subject) outside the project's namespace {ID_NS}; "
                   "give it an IRI under that namespace (see docs/modelling.md, 'IRIs and prefixes').",
                   "namespace", family="Namespace")
            for iri in minted
        ]

    def blank_nodes(self) -> list[Problem]:
        problems = []
        seen = set()
        for s, p, o in self.rows:
            if isinstance(o, ox.BlankNode) and isinstance(s, ox.NamedNode):
                key = (s.value, p.value)
                if key not in seen:
                    seen.add(key)
                    problems.append(check(
                        s.value,
                        f"The value of {compact(p.value)} is a blank node; give every node an IRI "
                        "so that messages, diffs and other stores can name it.",
                        "blank-node", path=p.value, family="Namespace"))
        orphans = sorted({s.value for s in self._own_subjects if isinstance(s, ox.BlankNode)}
                         - {o.value for _, _, o in self.rows if isinstance(o, ox.BlankNode)})
        for label in orphans:
            problems.append(check(f"_:{label}", "A blank node is described here; give every node an IRI.",
                                   "blank-node", family="Namespace"))
        return problems

    def duplicate_report(self) -> list[Problem]:
        if not self.reports:
            return []
        if self.corpus is not None:
            return self._duplicate_in_corpus()
        own_folders = {f.resolve().parent for f in self.files}
        problems = []
        reports_dir = self.project.reports_dir
        if not reports_dir.is_dir():
            return []
        rtype, report_class = TYPE, peel("Report")
        for folder in sorted(p for p in reports_dir.iterdir() if p.is_dir()):
            if folder.resolve() in own_folders:
                continue
            files = [p for p in sorted(folder.iterdir()) if p.is_file() and p.suffix.lower() in RDF_SUFFIXES]
            for report in self.reports:
                local = local_name(report)
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
                    problems.append(self._declared_elsewhere(report, f"{where}/"))
        return problems

    def _duplicate_in_corpus(self) -> list[Problem]:
        problems = []
        for report in self.reports:
            folder = self.corpus.report_folder(report)
            if folder is not None:
                problems.append(self._declared_elsewhere(report, f"data/reports/{folder}/"))
        return problems

    def _declared_elsewhere(self, report: str, where: str) -> Problem:
        return check(report, f"The report {self.name(report)} is already declared in {where}; give this report its "
                     "own IRI (report:peel-<year>-<pillar>-<force>), or validate that folder itself.",
                     "duplicate-report", family="Report")

    def placeholders(self) -> list[Problem]:
        problems = []
        renamed = set()
        for s, p, o in self.rows:
            if isinstance(s, ox.NamedNode) and PLACEHOLDER in s.value and s.value not in renamed \
                    and not s.value.startswith((FORCE_NS, GRADE_NS, QUESTION_NS)):
                renamed.add(s.value)
                problems.append(check(
                    s.value, f"Placeholder left in the IRI {self.name(s.value)}: rename it after what it is "
                    "(see docs/modelling.md, 'IRIs and prefixes'), everywhere it is used.",
                    "placeholder", family="Placeholder"))
            shown = None
            if isinstance(o, ox.Literal) and PLACEHOLDER in o.value:
                shown = o.value
            elif isinstance(o, ox.NamedNode) and PLACEHOLDER in o.value and not self.data.is_subject(o) \
                    and not o.value.startswith((FORCE_NS, GRADE_NS, QUESTION_NS)):
                shown = compact(o.value)
            if shown is None:
                continue
            hint = _PLACEHOLDER_HINTS.get(p.value, "the value the report gives (see docs/modelling.md)")
            focus = s.value if isinstance(s, ox.NamedNode) else f"_:{s.value}"
            problems.append(check(
                focus, f"Placeholder left in {compact(p.value)}: replace \"{shown}\" with {hint}.",
                "placeholder", path=p.value, value=o, family="Placeholder"))
        return problems
