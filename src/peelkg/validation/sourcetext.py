"""The text of a source report: whitespace normalisation, quote lookup and page ordinals.

Evidence quotes in the data are compared with the report text after normalisation, because the
text was extracted from a PDF and its line breaks are an accident of layout:

* a hyphen at the end of a line joins the next line without a space ("anti-\\nsocial" becomes
  "anti-social"), since PDF extraction keeps only real hyphens;
* every other run of whitespace becomes one space.

Pages: in the extracted text a line that starts with exactly one space begins a new PDF page.
"""

from __future__ import annotations

import bisect
import re
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import InputError

_LINE_END_HYPHEN = re.compile(r"-[ \t]*\n[ \t]*")
_WHITESPACE = re.compile(r"\s+")
_PAGE_START = re.compile(r"^ \S", re.MULTILINE)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
# Reports write small numbers in words ("three cases", "six cyber prevention officers").
_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"single": "1"}
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)


def normalise(text: str) -> str:
    """Return ``text`` with line-end hyphens joined and whitespace runs collapsed to one space."""
    return _WHITESPACE.sub(" ", _LINE_END_HYPHEN.sub("-", text)).strip()


@dataclass(frozen=True)
class QuoteLocation:
    """Where a quote was found: its offset in the normalised text and its page ordinal."""

    offset: int
    page: int


class SourceText:
    """One report's extracted text, normalised once and searched many times."""

    def __init__(self, raw: str, path: Path | None = None):
        self.raw = raw
        self.path = path

    @classmethod
    def from_file(cls, path: Path | str) -> "SourceText":
        path = Path(path)
        return cls(path.read_text(encoding="utf-8"), path)

    @cached_property
    def _normalised_with_pages(self) -> tuple[str, list[int]]:
        # Normalise page by page so that the offset where each page starts is known.
        starts = [0] + [m.start() for m in _PAGE_START.finditer(self.raw) if m.start() > 0]
        bounds = starts + [len(self.raw)]
        pieces: list[str] = []
        page_offsets: list[int] = []
        length = 0
        for begin, end in zip(bounds, bounds[1:]):
            piece = normalise(self.raw[begin:end])
            if pieces:
                length += 1  # the joining space
            page_offsets.append(length)
            pieces.append(piece)
            length += len(piece)
        return " ".join(pieces), page_offsets

    @property
    def normalised(self) -> str:
        return self._normalised_with_pages[0]

    @property
    def page_count(self) -> int:
        return len(self._normalised_with_pages[1])

    def page_span(self, page: int) -> tuple[int, int]:
        """Where the 1-based ``page`` starts and ends in the normalised text."""
        offsets = self._normalised_with_pages[1]
        if not 1 <= page <= len(offsets):
            raise IndexError(f"page {page} is not between 1 and {len(offsets)}")
        end = offsets[page] - 1 if page < len(offsets) else len(self.normalised)
        return offsets[page - 1], end

    def page_at(self, offset: int) -> int:
        """The 1-based page ordinal containing ``offset`` of the normalised text."""
        return bisect.bisect_right(self._normalised_with_pages[1], offset)

    def find(self, quote: str) -> QuoteLocation | None:
        """Locate ``quote`` (normalised first); None when it is not in the text."""
        offset = self.normalised.find(normalise(quote))
        if offset < 0:
            return None
        return QuoteLocation(offset, self.page_at(offset))

    @cached_property
    def numbers(self) -> frozenset[str]:
        """Every number written in the text, thousands separators removed ("95,237" -> "95237"),
        and small numbers written in words ("three" -> "3")."""
        digits = {m.group().replace(",", "") for m in _NUMBER.finditer(self.raw)}
        words = {_NUMBER_WORDS[m.group().lower()] for m in _NUMBER_WORD.finditer(self.raw)}
        return frozenset(digits | words)

    def states_number(self, value: str) -> bool:
        """True when the text writes the number ``value`` (sign ignored: a fall is stated as a
        positive change in words)."""
        digits = value.lstrip("+-")
        candidates = {digits}
        if "." in digits:
            candidates.add(digits.rstrip("0").rstrip("."))
        return any(c in self.numbers for c in candidates)


def read_source(path: Path | str) -> SourceText:
    """A report's source text, or an InputError saying why it cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such source text file.")
    try:
        return SourceText.from_file(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the source text: {exc}") from None


def main(argv: list[str] | None = None) -> int:
    """Developer aid: ``python -m peelkg.validation.sourcetext FILE 'quote'`` prints the quote's page."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m peelkg.validation.sourcetext FILE QUOTE", file=sys.stderr)
        return 2
    text = SourceText.from_file(args[0])
    found = text.find(args[1])
    if found is None:
        print("not found", file=sys.stderr)
        return 1
    print(f"page {found.page} (offset {found.offset})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
