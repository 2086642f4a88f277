"""The checks SHACL cannot make on one report alone, by kind (reference, structure, source)."""

from __future__ import annotations

from pathlib import Path

from ..shapes import Problem
from ..sourcetext import SourceText
from .base import ReferenceData
from .corpus import CorpusChecks
from .reference import ReferenceChecks
from .source import SourceChecks
from .structure import StructureChecks

__all__ = ["Checks", "ReferenceData"]


class Checks(ReferenceChecks, StructureChecks, SourceChecks, CorpusChecks):
    """Every check, run in a fixed order."""

    def run(self, source: SourceText | None = None, source_path: Path | None = None, *,
            in_corpus: bool = False) -> list[Problem]:
        """Every check; ``in_corpus`` (peelkg build) leaves out the search of the other report
        folders for this report's IRI, which the build makes once for all reports instead."""
        problems = []
        problems += self.one_report()
        problems += self.reference_forces()
        problems += self.reference_cycles()
        problems += self.reference_grades()
        problems += self.reference_questions()
        problems += self.vocabulary()
        problems += self.dangling()
        problems += self.namespace()
        problems += self.blank_nodes()
        if not in_corpus:
            problems += self.duplicate_report()
        problems += self.carried_forward()
        problems += self.report_links()
        problems += self.placeholders()
        if source is not None:
            problems += self.source_quotes(source)
            problems += self.source_numbers(source)
            problems += self.source_file(source_path)
        return problems
