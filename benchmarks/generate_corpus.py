"""Generate a synthetic peelkg project of N reports for scale benchmarks.

    python benchmarks/generate_corpus.py --reports 430 --out /tmp/corpus-430 [--seed 0]

DIR becomes a peelkg project: ontology/, shapes/, queries/, data/sources/ and data/reference/ are
copies of this repository's (a snapshot, so that edits in the checkout do not change a corpus
being benchmarked), data/reference/ also gets ``synthetic-cycles.ttl`` when the corpus spans
more than the 2015 cycle, and data/reports/ holds N report folders with one Turtle file each.

Every report is the Met report (data/reports/peel-2015-effectiveness-metropolitan) rewritten
for another force and cycle. Report i (from 0) is force i mod 43 in police-forces.csv order and
year 2015 + i // 43, so 43 reports are the 2015 cycle of every force and 430 are ten cycles.

* IRIs: the report (and every IRI under it: r:, judgment:, finding:, afi:, rec:, stat:, term:,
  ev:) becomes ``peel-<year>-effectiveness-<force>``; force:metropolitan and the Met's units
  (met:) become the force and ``id/force/<force>/...``; area:E23000001 the force's area;
  cycle:peel-2015-effectiveness ``cycle:peel-<year>-effectiveness``; reference periods and
  dates of the report, its inspections and its force's publications move by year - 2015
  (a unit's or initiative's dates stay: they are facts about it, the same in every report);
  partnerships become the force's own (``partnership:<force>-...``).
  Questions, grades, measures, units, organisations, initiatives and awards are shared.
* Cycles after 2015 are copies of the 2015 cycle in synthetic-cycles.ttl (same questions and
  four-point scale, ``peel:year`` changed), with shifted copies of the reference periods, so
  that every report keeps satisfying the shapes.
* Grades: each judgment (exactly one per graded question, as in the Met report) gets a grade of
  the four-point scale.
* Numbers: every statistic value is varied; counts and rates stay non-negative, percentages
  within 0-100, and a group total (a measure that other measures have as skos:broader) is set
  to the sum of its parts for the same area, period and unit. England and Wales figures vary
  by year only, so all reports of a cycle agree on them.
* Text literals keep their wording, with the force's name for "Metropolitan Police Service";
  evidence quotes therefore no longer match a source text (the source check is not part of
  `peelkg build`).

Generation is deterministic for a given seed, and report i is the same whatever N is.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import shutil
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pyoxigraph as ox

from peelkg.rdf.vocab import PREFIXES

REPO = Path(__file__).resolve().parents[1]
TEMPLATE_ID = "peel-2015-effectiveness-metropolitan"
TEMPLATE_FORCE = "metropolitan"
TEMPLATE_AREA = "E23000001"
TEMPLATE_FORCE_NAME = "Metropolitan Police Service"
FIRST_YEAR = 2015
MARKER = ".peelkg-synthetic-corpus"

ID = "https://w3id.org/peelkg/id/"
PEEL = "https://w3id.org/peelkg/def#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDF_SUBJECT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")
SKOS_BROADER = ox.NamedNode("http://www.w3.org/2004/02/skos/core#broader")
P_GRADE = ox.NamedNode(PEEL + "grade")
P_VALUE = ox.NamedNode(PEEL + "value")
P_UNIT = ox.NamedNode(PEEL + "unit")
P_MEASURE = ox.NamedNode(PEEL + "measure")
P_AREA = ox.NamedNode(PEEL + "refArea")
P_PERIOD = ox.NamedNode(PEEL + "refPeriod")
P_YEAR = ox.NamedNode(PEEL + "year")
REFERENCE_PERIOD = ox.NamedNode(PEEL + "ReferencePeriod")
XSD_INTEGER = ox.NamedNode(XSD + "integer")
XSD_DECIMAL = ox.NamedNode(XSD + "decimal")
XSD_GYEAR = ox.NamedNode(XSD + "gYear")
DATE_TYPES = {XSD + "date", XSD + "gYearMonth", XSD + "gYear"}
TEXT_TYPES = {XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}

GRADES = [  # the four-point scale, with rough national frequencies
    (ID + "grade/outstanding", 6),
    (ID + "grade/good", 56),
    (ID + "grade/requires-improvement", 31),
    (ID + "grade/inadequate", 7),
]
UNIT = ID + "unit/"
SIGNED_UNITS = {UNIT + "percent-change"}  # the only unit whose values may be negative
PERCENT_UNITS = {UNIT + "percent"}
EW_AREA = ID + "area/england-and-wales"

# The project's prefixes, plus the one for the 2015 questions the Met report's files use.
BASE_PREFIXES = {**PREFIXES, "q": ID + "question/peel-2015-effectiveness/"}
REPORT_KINDS = ("judgment", "finding", "afi", "recommendation", "statistic", "term", "evidence")
# A financial year ("2014-15", "2014/15") or a year ("2015"), not part of a longer number or date.
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?:([/-])([0-9]{2})(?![0-9-]))?(?![0-9])")


@dataclass(frozen=True)
class Force:
    id: str
    name: str
    area_code: str


def load_forces(repo: Path = REPO) -> list[Force]:
    with open(repo / "data" / "reference" / "police-forces.csv", newline="", encoding="utf-8") as f:
        return [Force(r["data_police_uk_id"], r["force_name"], r["ons_pfa_code"]) for r in csv.DictReader(f)]


def plan(n: int, forces: list[Force]) -> list[tuple[Force, int]]:
    """(force, year) of reports 0 .. n-1: every force of 2015, then every force of 2016, ..."""
    return [(forces[i % len(forces)], FIRST_YEAR + i // len(forces)) for i in range(n)]


def report_id(force: Force, year: int) -> str:
    return f"peel-{year}-effectiveness-{force.id}"


def shift_years(text: str, offset: int) -> str:
    """Every year in ``text`` moved by ``offset``; a financial year '2014-15' stays consistent."""
    if offset == 0:
        return text

    def shift(match: re.Match) -> str:
        start = int(match.group(1))
        if match.group(2) is None:
            return str(start + offset)
        if int(match.group(3)) == (start + 1) % 100:  # a financial year
            return f"{start + offset}{match.group(2)}{(start + offset + 1) % 100:02d}"
        return f"{start + offset}{match.group(2)}{match.group(3)}"  # a year and a month

    return _YEAR.sub(shift, text)


def shift_date(value: str, offset: int) -> str:
    year, sep, rest = value.partition("-")
    if offset == 0 or not year.isdigit():
        return value
    if rest == "02-29":  # no leap day in most target years
        rest = "02-28"
    return f"{int(year) + offset}{sep}{rest}"


def _read_dir(folder: Path) -> list[ox.Triple]:
    triples = []
    for path in sorted(folder.glob("*.ttl")):
        triples.extend(q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    return triples


class Template:
    """The Met report and the reference data it is rewritten against."""

    def __init__(self, repo: Path = REPO):
        self.repo = repo
        self.triples = _read_dir(repo / "data" / "reports" / TEMPLATE_ID)
        self.reference = _read_dir(repo / "data" / "reference")
        self.terms = {t for triple in self.triples for t in (triple.subject, triple.predicate, triple.object)}
        # measure -> its group measure (skos:broader), from the reference data
        self.group_of = {
            t.subject: t.object for t in self.reference if t.predicate == SKOS_BROADER and
            t.subject.value.startswith(ID + "measure/")
        }
        stats: dict = defaultdict(dict)
        for t in self.triples:
            if t.predicate in (P_VALUE, P_UNIT, P_MEASURE, P_AREA, P_PERIOD):
                stats[t.subject][t.predicate] = t.object
        self.statistics = {s: v for s, v in stats.items() if P_VALUE in v}
        self.judgments = sorted({t.subject for t in self.triples if t.predicate == P_GRADE}, key=str)
        self.periods = {t.subject for t in self.reference if t.predicate == RDF_TYPE and t.object == REFERENCE_PERIOD}
        self.reference_subjects = {t.subject for t in self.reference}
        self.cycle = ox.NamedNode(ID + "cycle/peel-2015-effectiveness")
        # Dates move with the cycle only on the report's own nodes (the report, its inspections)
        # and on publications of this report's force and year.
        self.dates = {t.object for t in self.triples
                      if isinstance(t.object, ox.Literal) and t.object.datatype.value in DATE_TYPES}
        own = ID + "report/" + TEMPLATE_ID
        self.dated_subjects = {
            t.subject for t in self.triples
            if t.subject.value == own or t.subject.value.startswith(own + "/")
            or (t.subject.value.startswith(ID + "publication/") and TEMPLATE_FORCE in t.subject.value)
        }
        # A stated relation (an rdf:Statement) dates what the triple it reifies dates: its
        # rdf:object moves with the cycle only if its rdf:subject's dates do.
        reified = {t.subject: t.object for t in self.triples if t.predicate == RDF_SUBJECT}
        self.dated_subjects -= {s for s, about in reified.items() if about not in self.dated_subjects}

    # -- Terms ----

    def map_iri(self, iri: str, force: Force, year: int) -> str:
        offset = year - FIRST_YEAR
        old_report = ID + "report/" + TEMPLATE_ID
        if iri == old_report or iri.startswith(old_report + "/"):
            return ID + "report/" + report_id(force, year) + iri[len(old_report):]
        old_force = ID + "force/" + TEMPLATE_FORCE
        if iri == old_force or iri.startswith(old_force + "/"):
            return ID + "force/" + force.id + iri[len(old_force):]
        if iri == ID + "area/" + TEMPLATE_AREA:
            return ID + "area/" + force.area_code
        if iri == self.cycle.value:
            return cycle_iri(year)
        if iri.startswith(ID + "period/"):
            return period_iri(iri, offset)
        if iri.startswith(ID + "partnership/"):
            return ID + "partnership/" + force.id + "-" + iri[len(ID + "partnership/"):]
        if iri.startswith(ID + "publication/") and TEMPLATE_FORCE in iri:
            return iri.replace("peel-2015-", f"peel-{year}-").replace(TEMPLATE_FORCE, force.id)
        return iri

    def map_literal(self, lit: ox.Literal, force: Force, year: int) -> ox.Literal:
        datatype = lit.datatype.value if lit.datatype is not None else None
        if datatype in DATE_TYPES:
            return ox.Literal(shift_date(lit.value, year - FIRST_YEAR), datatype=lit.datatype)
        if datatype in TEXT_TYPES or lit.language:
            text = lit.value
            new = text.replace(TEMPLATE_FORCE_NAME, force.name).replace(TEMPLATE_ID, report_id(force, year))
            if year != FIRST_YEAR:
                new = new.replace("Police effectiveness 2015", f"Police effectiveness {year}")
                new = new.replace("PEEL 2015 effectiveness", f"PEEL {year} effectiveness")
            if new == text:
                return lit
            return ox.Literal(new, language=lit.language) if lit.language else ox.Literal(new, datatype=lit.datatype)
        return lit

    def term_map(self, force: Force, year: int) -> dict:
        mapping = {}
        for term in self.terms:
            if isinstance(term, ox.NamedNode):
                new = self.map_iri(term.value, force, year)
                mapping[term] = term if new == term.value else ox.NamedNode(new)
            elif isinstance(term, ox.Literal):
                mapping[term] = self.map_literal(term, force, year)
            else:
                mapping[term] = term
        return mapping

    # -- Values ----

    def grades(self, rid: str, seed: int) -> dict:
        rng = random.Random(f"{seed}:{rid}:grades")
        iris, weights = zip(*GRADES)
        return {j: ox.NamedNode(rng.choices(iris, weights)[0]) for j in self.judgments}

    def values(self, rid: str, year: int, seed: int) -> dict:
        """template statistic node -> new value literal."""
        new: dict = {}
        for stat, props in sorted(self.statistics.items(), key=lambda kv: kv[0].value):
            value = props[P_VALUE]
            area = props.get(P_AREA)
            scope = str(year) if area is not None and area.value == EW_AREA else rid
            rng = random.Random(f"{seed}:{scope}:{stat.value.rsplit('/', 1)[-1]}")
            new[stat] = _round(_vary(Decimal(value.value), props.get(P_UNIT), rng), value)
        # Group totals: the sum of their parts with the same area, period and unit (deepest
        # groups first, so that a total that is itself a part is summed before its own group).
        by_key: dict = defaultdict(list)
        for stat, props in self.statistics.items():
            by_key[(props.get(P_MEASURE), props.get(P_AREA), props.get(P_PERIOD), props.get(P_UNIT))].append(stat)

        def depth(measure) -> int:
            d = 0
            while measure in self.group_of:
                measure, d = self.group_of[measure], d + 1
            return d

        groups = {g for g in self.group_of.values()}
        for stat, props in sorted(self.statistics.items(), key=lambda kv: (-depth(kv[1].get(P_MEASURE)), kv[0].value)):
            measure = props.get(P_MEASURE)
            if measure not in groups:
                continue
            parts = [
                s for (m, a, p, u), stats in by_key.items()
                if self.group_of.get(m) == measure and (a, p, u) == (props.get(P_AREA), props.get(P_PERIOD), props.get(P_UNIT))
                for s in stats
            ]
            if parts:
                new[stat] = sum((new[s] for s in parts), Decimal(0))
        return {stat: _literal(new[stat], self.statistics[stat][P_VALUE]) for stat in new}

    # -- A report ----

    def report_triples(self, force: Force, year: int, seed: int = 0) -> list[ox.Triple]:
        rid = report_id(force, year)
        mapping = self.term_map(force, year)
        grades = self.grades(rid, seed)
        values = self.values(rid, year, seed)
        out = []
        for t in self.triples:
            o = t.object
            if t.predicate == P_GRADE and t.subject in grades:
                o = grades[t.subject]
            elif t.predicate == P_VALUE and t.subject in values:
                o = values[t.subject]
            elif o in self.dates and t.subject not in self.dated_subjects:
                pass  # a shared unit's or initiative's dates are facts about it, the same in every report
            else:
                o = mapping[o]
            out.append(ox.Triple(mapping[t.subject], mapping[t.predicate], o))
        return out

    # -- Reference data for cycles after 2015 ----

    def cycle_reference(self, years: list[int]) -> list[ox.Triple]:
        """Copies of the 2015 cycle and of the reference periods for each later year."""
        out: list[ox.Triple] = []
        minted: set[str] = set()
        existing = {s.value for s in self.reference_subjects}
        for year in sorted(set(years)):
            offset = year - FIRST_YEAR
            if offset == 0:
                continue
            cycle = ox.NamedNode(cycle_iri(year))
            for t in self.reference:
                if t.subject == self.cycle:
                    o = t.object
                    if t.predicate == P_YEAR:
                        o = ox.Literal(str(year), datatype=XSD_GYEAR)
                    elif isinstance(o, ox.Literal) and (o.language or o.datatype.value in TEXT_TYPES):
                        o = ox.Literal(shift_years(o.value, offset), language=o.language) if o.language else \
                            ox.Literal(shift_years(o.value, offset), datatype=o.datatype)
                    out.append(ox.Triple(cycle, t.predicate, o))
            for period in sorted(self.periods, key=str):
                new_iri = period_iri(period.value, offset)
                if new_iri in existing or new_iri in minted:
                    raise ValueError(f"shifting {period.value} by {offset} years gives {new_iri}, which exists already")
                minted.add(new_iri)
                node = ox.NamedNode(new_iri)
                for t in self.reference:
                    if t.subject != period:
                        continue
                    o = t.object
                    if isinstance(o, ox.Literal):
                        dt = o.datatype.value if o.datatype is not None else None
                        if dt in DATE_TYPES:
                            o = ox.Literal(shift_date(o.value, offset), datatype=o.datatype)
                        elif o.language:
                            o = ox.Literal(shift_years(o.value, offset), language=o.language)
                        elif dt in TEXT_TYPES:
                            o = ox.Literal(shift_years(o.value, offset), datatype=o.datatype)
                    out.append(ox.Triple(node, t.predicate, o))
        return out


def cycle_iri(year: int) -> str:
    return ID + f"cycle/peel-{year}-effectiveness"


def period_iri(iri: str, offset: int) -> str:
    base = ID + "period/"
    return base + shift_years(iri[len(base):], offset) if offset else iri


def _vary(value: Decimal, unit, rng: random.Random) -> Decimal:
    unit = unit.value if unit is not None else None
    factor = Decimal(str(round(rng.uniform(0.6, 1.4), 3)))
    new = value * factor
    if unit in SIGNED_UNITS:
        new += rng.randint(-3, 3)
    else:
        new = max(new, Decimal(0))
    if unit in PERCENT_UNITS:
        new = min(new, Decimal(100))
    return new


def _round(value: Decimal, template: ox.Literal) -> Decimal:
    """``value`` rounded to the precision the template literal is written with."""
    places = 0 if template.datatype == XSD_INTEGER else len(template.value.partition(".")[2])
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _literal(value: Decimal, template: ox.Literal) -> ox.Literal:
    value = _round(value, template)
    if template.datatype == XSD_INTEGER:
        return ox.Literal(str(int(value)), datatype=XSD_INTEGER)
    text = str(value)
    if "." not in text:
        text += ".0"
    return ox.Literal(text, datatype=template.datatype)


def report_prefixes(rid: str, force: Force) -> dict[str, str]:
    prefixes = dict(BASE_PREFIXES)
    prefixes["local"] = ID + f"force/{force.id}/"
    root = ID + f"report/{rid}/"
    short = {"recommendation": "rec", "statistic": "stat", "evidence": "ev"}
    for kind in REPORT_KINDS:
        prefixes[short.get(kind, kind)] = root + kind + "/"
    prefixes["r"] = root
    return prefixes


def write_turtle(path: Path, triples, prefixes: dict[str, str]) -> None:
    ox.serialize(triples, str(path), ox.RdfFormat.TURTLE, prefixes=prefixes)


def report_file(out: Path, rid: str) -> Path:
    return out / "data" / "reports" / rid / "report.ttl"


# -- The project folder ----

def make_project(out: Path, repo: Path = REPO) -> None:
    """DIR with copies of the repository's ontology, shapes, queries, reference data and sources."""
    out.mkdir(parents=True, exist_ok=True)
    marker = out / MARKER
    if any(out.iterdir()) and not marker.exists():
        raise SystemExit(f"{out} exists and is not a generated corpus: give an empty or new folder.")
    marker.write_text("generated by benchmarks/generate_corpus.py; safe to delete\n")
    for name in ("ontology", "shapes", "queries", "data/sources", "data/reference", "data/reports"):
        _remove(out / name)
    for name in ("ontology", "shapes", "queries", "data/sources", "data/reference"):
        # The real 2016 and 2017 effectiveness cycles are left out: their IRIs are those of the
        # synthetic copies of the 2015 cycle (synthetic-cycles.ttl), whose questions every report answers.
        shutil.copytree(repo / name, out / name,
                        ignore=shutil.ignore_patterns("__pycache__", ".*", "cycles-2016.ttl", "cycles-2017.ttl"))
    (out / "data" / "reports").mkdir()


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def write_corpus(out: Path, items: list[tuple[Force, int]], seed: int = 0, repo: Path = REPO,
                 template: Template | None = None) -> list[str]:
    """Write a project with one report per (force, year); returns the report ids."""
    out = Path(out)
    template = template or Template(repo)
    make_project(out, repo)
    years = sorted({year for _, year in items if year != FIRST_YEAR})
    if years:
        write_turtle(out / "data" / "reference" / "synthetic-cycles.ttl", template.cycle_reference(years),
                     BASE_PREFIXES)
    ids = []
    for force, year in items:
        rid = report_id(force, year)
        if rid in ids:
            raise ValueError(f"report {rid} twice")
        folder = out / "data" / "reports" / rid
        folder.mkdir()
        write_turtle(folder / "report.ttl", template.report_triples(force, year, seed), report_prefixes(rid, force))
        ids.append(rid)
    return ids


def generate(out: Path, n: int, seed: int = 0, repo: Path = REPO) -> list[str]:
    if n < 1:
        raise ValueError("--reports must be at least 1")
    return write_corpus(out, plan(n, load_forces(repo)), seed, repo)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, required=True, help="number of reports (43 per cycle)")
    parser.add_argument("--out", type=Path, required=True, help="project folder to create")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    ids = generate(args.out, args.reports, args.seed)
    print(f"{len(ids)} reports in {args.out} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
