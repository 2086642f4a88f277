"""Source checks (with --source): every quote, page and number against the report's text."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from ...rdf.vocab import EXACT, PEEL, PLACEHOLDER, TYPE, peel
from ..shapes import Problem
from ..sourcetext import SourceText, normalise
from .base import CheckInput, check

_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


class SourceChecks(CheckInput):
    """Quotes, pages and numbers as the source text has them."""

    def _evidence_nodes(self) -> list:
        nodes = set(self.data.subjects(TYPE, peel("Evidence")))
        nodes |= {t.object for t in self.triples if t.predicate == peel("evidence") and not isinstance(t.object, ox.Literal)}
        return sorted(nodes, key=lambda n: n.value)

    def source_quotes(self, source: SourceText) -> list[Problem]:
        problems = []
        exact, page_p = EXACT, peel("page")
        for node in self._evidence_nodes():
            focus = node.value if isinstance(node, ox.NamedNode) else f"_:{node.value}"
            for quote in self.data.objects(node, exact):
                if not isinstance(quote, ox.Literal) or PLACEHOLDER in quote.value:
                    continue
                found = source.find(quote.value)
                if found is None:
                    problems.append(check(
                        focus, _quote_not_found(source, quote.value), "source-quote",
                        path=exact.value, value=quote, family="Source"))
                    continue
                for page in self.data.objects(node, page_p):
                    if isinstance(page, ox.Literal) and page.value.strip() != str(found.page):
                        problems.append(check(
                            focus,
                            f"The quote first occurs on page {found.page} of the source text, not on page "
                            f"{page.value}; peel:page is the page where the quote begins.",
                            "source-page", severity="Warning", path=page_p.value, value=page,
                            family="Source"))
        return problems

    def source_numbers(self, source: SourceText) -> list[Problem]:
        problems = []
        value_p, exact = peel("value"), EXACT
        for stat in sorted(self.data.subjects(TYPE, peel("Statistic")), key=lambda n: n.value):
            focus = stat.value if isinstance(stat, ox.NamedNode) else f"_:{stat.value}"
            for value in self.data.objects(stat, value_p):
                if not isinstance(value, ox.Literal) or not _NUMBER.match(value.value.strip()):
                    continue
                number = value.value.strip()
                if not source.states_number(number):
                    problems.append(check(
                        focus, f"The value {number} is not written anywhere in the source text; check the figure "
                        "against the report (as printed, without thousands separators).",
                        "source-number", path=value_p.value, value=value, family="Source"))
                    continue
                quotes = [q.value for e in self.data.objects(stat, peel("evidence"))
                          for q in self.data.objects(e, exact) if isinstance(q, ox.Literal)]
                if quotes and not any(SourceText(q).states_number(number) for q in quotes):
                    problems.append(check(
                        focus, f"The value {number} is in the source text but not in this statistic's own "
                        "quote; quote the sentence or table row that states it.",
                        "source-number-quote", severity="Warning", path=value_p.value, value=value,
                        family="Source"))
        return problems

    def source_file(self, source_path: Path | None) -> list[Problem]:
        if source_path is None:
            return []
        problems = []
        for report in self.reports:
            for doc in self.data.objects(ox.NamedNode(report), peel("sourceDocument")):
                for name in self.data.objects(doc, peel("fileName")):
                    if isinstance(name, ox.Literal) and name.value != source_path.name:
                        problems.append(check(
                            doc.value,
                            f"The report names its source text \"{name.value}\" but the source given is "
                            f"\"{source_path.name}\"; name the file as peel:fileName says (it is stored "
                            "in data/sources under that name).",
                            "source-file", severity="Warning", path=str(PEEL) + "fileName",
                            value=name, family="Source"))
        return problems



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
