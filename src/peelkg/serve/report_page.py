"""The report page: metadata, judgments, areas for improvement and other recommendations (the
ontology has no cause-of-concern class yet: 2015 reports give none),
findings grouped by question and sub-question, statistics of the force beside England and
Wales, and the glossary; every statement with a quote links to its evidence view."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from .templating import render


def _first_evidence(graph, iri: str) -> dict[str, object]:
    evidence: dict[str, object] = {}
    for row in graph.rows("report-evidence", report=iri):
        evidence.setdefault(row["statement"], row["evidence"])
    return evidence


def _group_findings(rows: list[dict]) -> list[dict]:
    """Questions in order, each with its sections (sub-questions) in order, each with its findings."""
    questions: dict[str, dict] = {}
    for row in rows:
        question = questions.setdefault(str(row["q"]), {"iri": row["q"], "number": int(row["questionNumber"]),
                                                        "label": row["question"], "sections": {}})
        key = str(row.get("sub") or "")
        section = question["sections"].setdefault(key, {"iri": row.get("sub"), "label": row.get("subQuestion"),
                                                         "findings": []})
        section["findings"].append(row)
    ordered = sorted(questions.values(), key=lambda q: q["number"])
    for question in ordered:
        question["sections"] = list(question["sections"].values())
    return ordered


def _side_by_side(rows: list[dict]) -> list[dict]:
    """One row per measure, period and unit the report gives for the force's area, with the
    England and Wales figure beside it when the report gives one."""
    national = {(str(r["m"]), str(r["p"]), str(r["u"])): r for r in rows if r["national"].toPython() is True}
    table = []
    for row in rows:
        if row["national"].toPython() is True:
            continue
        other = national.get((str(row["m"]), str(row["p"]), str(row["u"])))
        table.append({"measure": row["measure"], "period": row["period"], "unit": row["unit"],
                      "forceValue": row["value"], "forceStat": row["statistic"],
                      "englandAndWalesValue": other["value"] if other else None,
                      "nationalStat": other["statistic"] if other else None})
    return table


# The kinds the stored query `recommendations` gives, in the order the page lists them.
HEADINGS = {"area for improvement": "Areas for improvement", "recommendation": "Other recommendations"}


def _group_recommendations(rows: list[dict]) -> list[dict]:
    """Areas for improvement first, then the other recommendations (and any kind added later)."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(str(row["kind"]), []).append(row)
    order = list(HEADINGS) + sorted(k for k in groups if k not in HEADINGS)
    return [{"heading": HEADINGS.get(kind, kind.capitalize()), "slug": kind.replace(" ", "-"), "items": groups[kind]}
            for kind in order if kind in groups]


def page_context(graph, iri: str) -> dict:
    _, metadata = graph.stored("report-metadata", [("report", iri)])
    _, recommendations = graph.stored("recommendations", [("report", iri)])
    _, glossary = graph.stored("glossary", [("report", iri)])
    _, mentions = graph.stored("entity-mentions", [("report", iri)])
    return {
        "iri": iri,
        "meta": (metadata.rows or [{}])[0],
        "judgments": graph.rows("report-judgments", report=iri),
        "recommendations": _group_recommendations(recommendations.rows),
        "findings": _group_findings(graph.rows("report-findings", report=iri)),
        "statistics": _side_by_side(graph.rows("report-statistics", report=iri)),
        "glossary": glossary.rows,
        "mentions": mentions.rows,
        "evidence": _first_evidence(graph, iri),
    }


def render_page(request: Request, graph, iri: str, label) -> Response:
    return render(request, "report.html", page_context(graph, iri))
