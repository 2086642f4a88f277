"""Exact results of every stored query on the built graph of the Met report.

One test per query file, its id the query's name. Each runs the query in-process with its
default parameters (and, where it has parameters, with other values too) and states the full
expected result, or for long results the row count and several exact rows. The expected values
were checked against the report text (data/sources/peel-2015-effectiveness-metropolitan.txt):
the grades on pages 1-3, the eight areas for improvement on pages 24 and 36, the outcome table
of Figure 4 (page 17), the statistics in the text, footnote 4 for the inspection periods, etc.
"""

from __future__ import annotations

import json
from collections import Counter

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from peelkg.answer import execute
from peelkg.query.binding import bind
from peelkg.query.library import load_query


def run_json(project, build_dir, name, **params):
    out = execute(project, build_dir, name, None, [(k, str(v)) for k, v in params.items()], "json")
    return json.loads(out)


# -- Helpers ----

_INTEGER_TYPES = ("integer", "int", "long", "short", "positiveInteger", "nonNegativeInteger",
                  "negativeInteger", "nonPositiveInteger")


def _cell(binding):
    """A JSON result binding as a Python value: numbers as int/float, booleans as bool,
    everything else (IRIs, strings, dates) as its string value; unbound as None."""
    if binding is None:
        return None
    value = binding["value"]
    datatype = binding.get("datatype", "")
    local = datatype.rsplit("#", 1)[-1] if datatype.startswith("http://www.w3.org/2001/XMLSchema#") else ""
    if local in _INTEGER_TYPES:
        return int(value)
    if local in ("decimal", "double", "float"):
        return float(value)
    if local == "boolean":
        return value in ("true", "1")
    return value


def rows(project, built, name, **params) -> list[tuple]:
    data = run_json(project, built, name, **params)
    names = data["head"]["vars"]
    return [tuple(_cell(b.get(v)) for v in names) for b in data["results"]["bindings"]]


def columns(project, built, name, **params) -> list[str]:
    return run_json(project, built, name, **params)["head"]["vars"]


def ask(project, built, name, **params) -> bool:
    return run_json(project, built, name, **params)["boolean"]


def construct(project, built, name, **params) -> Graph:
    turtle = execute(project, built, name, None, [(k, str(v)) for k, v in params.items()], "table")
    graph = Graph()
    graph.parse(data=turtle, format="turtle")
    return graph


ID = "https://w3id.org/peelkg/id/"
REPORT = ID + "report/peel-2015-effectiveness-metropolitan"
R = REPORT + "/"
MET = ID + "force/metropolitan/"
METROPOLITAN = ID + "force/metropolitan"
Q = ID + "question/peel-2015-effectiveness/"
PEEL = "https://w3id.org/peelkg/def#"
ORG = "http://www.w3.org/ns/org#"

MPS = "Metropolitan Police Service"
MPS_AREA = "Metropolitan Police"   # the ONS name of the police force area
EW = "England and Wales"
Y12 = "12 months to 30 June 2015"
AT_INSPECTION = "at the time of the PEEL 2015 effectiveness inspection (September to November 2015)"
FY = "2014/15 (financial year 1 April 2014 to 31 March 2015)"
RI = "Requires improvement"

Q0 = "How effective is the force at keeping people safe and reducing crime?"
Q1 = "How effective is the force at preventing crime and anti-social behaviour, and keeping people safe?"
Q2 = "How effective is the force at investigating crime and managing offenders?"
Q3 = "How effective is the force at protecting from harm those who are vulnerable, and supporting victims?"
Q4 = ("How effective is the force at tackling serious and organised crime, including its arrangements "
      "for fulfilling its national policing responsibilities?")

S_ALLOCATE = "How well does the force initially investigate and allocate cases?"
S_TYPES = "How well does the force investigate different types of crime?"
S_DIGITAL = "How well does the force gather digital evidence?"
S_SOC_PARTNERS = "How effectively is the force working with partners to prevent serious and organised crime?"

# The eight areas for improvement, as printed on pages 24 (question 2) and 36 (question 4).
AFI = {
    1: "The force should ensure that it allocates all crimes promptly to investigators with the appropriate "
       "skills, accreditation and experience to investigate them to a high standard.",
    2: "The force should ensure that officers attending the scenes of crime are appropriately trained and "
       "equipped to record all available evidence.",
    3: "The force should improve its ability to retrieve digital evidence from mobile phones, computers and "
       "other electronic devices quickly enough to ensure that investigations are not delayed.",
    4: "The force should ensure that its integrated offender management programme is implemented "
       "consistently across all areas.",
    5: "The force should improve its neighbourhood teams' awareness of organised crime groups to ensure that "
       "they can reliably identify these groups, collect intelligence and disrupt their activity.",
    6: "The force should ensure that it re-assesses mapped organised crime groups at regular intervals, in "
       "line with national standards.",
    7: "The force should develop a better understanding of the impact of its activity on serious and "
       "organised crime, and ensure that it learns from experience to maximise the force's disruptive effect.",
    8: "The force should ensure that it takes opportunities to communicate with the public about serious and "
       "organised crime, in particular to publicise successful operations, offer reassurance and provide "
       "advice to help people to protect themselves from serious and organised crime.",
}

SUMMARY = {
    0: "HMIC judges that overall the Metropolitan Police Service requires improvement in the way it keeps "
       "people safe and reduces crime.",
    1: "The Metropolitan Police Service is good at preventing crime and anti-social behaviour and keeping "
       "people safe.",
    2: "The Metropolitan Police Service's investigation and management of offenders requires improvement.",
    3: "Given the scale of the challenge in this area and the risk that is posed to some of the most "
       "vulnerable people, overall HMIC judges that the force requires improvement.",
    4: "The Metropolitan Police Service is good at tackling serious organised crime (SOC) and is well "
       "prepared to meet its national policing responsibilities.",
}


# -- One check per stored query ----

CHECKS = {}


def check(name):
    def register(function):
        CHECKS[name] = function
        return function
    return register


@check("grades-by-question")
def _grades_by_question(project, built):
    expected = [
        (0, Q0, RI, 3, SUMMARY[0]),
        (1, Q1, "Good", 2, SUMMARY[1]),
        (2, Q2, RI, 3, SUMMARY[2]),
        (3, Q3, RI, 3, SUMMARY[3]),
        (4, Q4, "Good", 2, SUMMARY[4]),
    ]
    assert rows(project, built, "grades-by-question") == expected
    assert rows(project, built, "grades-by-question", report=REPORT) == expected


@check("questions-better-than")
def _questions_better_than(project, built):
    good = [(1, Q1, "Good", 2), (4, Q4, "Good", 2)]
    assert rows(project, built, "questions-better-than") == good
    assert rows(project, built, "questions-better-than", grade="inadequate") == [
        (0, Q0, RI, 3), (1, Q1, "Good", 2), (2, Q2, RI, 3), (3, Q3, RI, 3), (4, Q4, "Good", 2)]
    assert rows(project, built, "questions-better-than", grade="good") == []
    assert rows(project, built, "questions-better-than", grade="outstanding") == []
    # A grade of the five-point scale is compared through its skos:closeMatch.
    assert rows(project, built, "questions-better-than", grade="five-requires-improvement") == good


@check("areas-for-improvement")
def _areas_for_improvement(project, built):
    assert rows(project, built, "areas-for-improvement") == [
        (n, AFI[n], MPS, f"{R}afi/{n}") for n in (1, 2, 3, 4)]
    # Each question's list is numbered from 1 (issue 11: afi:5 ... afi:8 are items 1-4 of question 4).
    assert rows(project, built, "areas-for-improvement", question="q4") == [
        (n - 4, AFI[n], MPS, f"{R}afi/{n}") for n in (5, 6, 7, 8)]
    assert rows(project, built, "areas-for-improvement", question="q1") == []


@check("programmes-and-operations")
def _programmes_and_operations(project, built):
    initiative = ID + "initiative/"
    assert rows(project, built, "programmes-and-operations") == [
        ("initiative", "Mi Investigation", MPS, "quality of its initial investigations", MET + "mi-investigation"),
        ("initiative", "Rate your PC", MPS, None, MET + "rate-your-pc"),
        ("initiative", "SARA approach", None, "policing problems such as anti-social behaviour",
         initiative + "sara-approach"),
        ("initiative", "Safer Cash", None, None, initiative + "safer-cash"),
        ("initiative", "Safer Gems", None, None, initiative + "safer-gems"),
        # Issue 11: the pilot of Mi Investigation (early 2016) and the female offender triage pilot.
        ("initiative", "full pilot of Mi Investigation", MPS, None, MET + "mi-investigation-pilot"),
        ("initiative", "traceable liquid property marking kits", MPS, "homes in high burglary areas",
         MET + "traceable-liquid-property-marking"),
        ("initiative", "triage pilot for female offenders", MPS,
         "female offenders who are suitable for non-criminal justice outcomes", MET + "female-offender-triage-pilot"),
        ("operation", "Operation Alambadi", MPS, "high-risk sex offenders", MET + "operation-alambadi"),
        ("operation", "Operation Dauntless", MPS, "potentially dangerous domestic abuse offenders",
         MET + "operation-dauntless"),
        ("operation", "Operation Makesafe", MPS, None, MET + "operation-makesafe"),
        ("programme", "Leading Investigation Programme", MPS, "those who supervise initial responders",
         MET + "leading-investigation-programme"),
        ("programme", "Nexus", "Home Office", "dangerous foreign national offenders", MET + "nexus"),
        ("programme", "Nexus", MPS, "dangerous foreign national offenders", MET + "nexus"),
        ("programme", "Total Victim Care", MPS, "updates provided to victims of crime", MET + "total-victim-care"),
        ("programme", "integrated offender management", MPS, "repeat offenders", MET + "iom"),
        ("programme", "multi-agency public protection arrangements", None, "violent and sexual offenders",
         initiative + "mappa"),
        ("programme", "national OCG mapping programme", None, "organised crime groups",
         initiative + "national-ocg-mapping-programme"),
        ("programme", "troubled families programme", None, None, initiative + "troubled-families-programme"),
    ]


@check("statistics-for-period")
def _statistics_for_period(project, built):
    got = rows(project, built, "statistics-for-period")
    assert columns(project, built, "statistics-for-period") == [
        "measure", "area", "qualifier", "value", "unit", "about", "statistic"]
    # Figure 4 (9 outcome types and groups x number and rate x MPS and England and Wales), the
    # crime rate (2), the five-year (2 x 2) and one-year (2) changes, anti-social behaviour (3).
    assert len(got) == 47
    stat = R + "statistic/"
    for row in [
        ("outcomes: charged/summonsed", MPS_AREA, None, 95237, "count", None, stat + "charged-summonsed-count-mps"),
        ("outcomes: charged/summonsed", EW, None, 577678, "count", None, stat + "charged-summonsed-count-ew"),
        ("outcome rate: charged/summonsed", MPS_AREA, None, 13.3, "rate per 100 offences", None,
         stat + "charged-summonsed-rate-mps"),
        ("outcome rate: charged/summonsed", EW, None, 16.0, "rate per 100 offences", None,
         stat + "charged-summonsed-rate-ew"),
        ("police recorded crime (excluding fraud) per 1,000 population", MPS_AREA, None, 84.0,
         "rate per 1,000 population", None, stat + "recorded-crime-rate-mps"),
        ("incidents of anti-social behaviour", MPS_AREA, None, 256322, "count", None,
         stat + "anti-social-behaviour-incidents-mps"),
        ("change in police recorded crime (excluding fraud) over five years", MPS_AREA, None, -11,
         "percentage change", None, stat + "recorded-crime-change-five-years-mps"),
    ]:
        assert row in got
    assert got[0] == ("change in incidents of anti-social behaviour on the previous year", EW, None, -9,
                      "percentage change", None, stat + "anti-social-behaviour-change-one-year-ew")
    assert rows(project, built, "statistics-for-period", period="period:2014-15") == [
        ("arrests of organised crime group members", MPS_AREA, "at least", 2702, "count", None,
         stat + "organised-crime-group-member-arrests"),
        ("assets subject to forfeiture or confiscation orders", MPS_AREA, None, 38, "million pounds sterling", None,
         stat + "assets-subject-to-forfeiture-or-confiscation"),
        ("cash seized", MPS_AREA, None, 27.1, "million pounds sterling", None, stat + "cash-seized"),
        ("firearms seized", MPS_AREA, None, 41, "count", "organised crime command", stat + "firearms-seized-sco7"),
        ("firearms seized", MPS_AREA, None, 185, "count", "Trident gang crime command", stat + "firearms-seized-sco8"),
        ("firearms submitted for forensic examination", MPS_AREA, None, 984, "count", None,
         stat + "firearms-submitted-for-forensic-examination"),
        ("foreign national offenders removed from the UK", MPS_AREA, None, 1797, "count", None,
         stat + "foreign-national-offenders-removed"),
        ("organised crime groups disrupted", MPS_AREA, None, 171, "count", None, stat + "organised-crime-groups-disrupted"),
    ]
    assert [r[:5] for r in rows(project, built, "statistics-for-period",
                                period=ID + "period/12-months-to-2015-03-31")] == [
        ("victims satisfied with their whole experience of the police", EW, None, 83.8, "percent"),
        ("victims satisfied with their whole experience of the police", MPS_AREA, None, 79.9, "percent"),
    ]


@check("force-vs-england-and-wales")
def _force_vs_england_and_wales(project, built):
    per100 = "rate per 100 offences"
    change = "percentage change"
    got = rows(project, built, "force-vs-england-and-wales")
    assert [tuple(pytest.approx(v) if isinstance(v, float) else v for v in r) for r in got] == [
        ("change in incidents of anti-social behaviour on the previous year", Y12, change, -21, -9, -12),
        ("change in police recorded crime (excluding fraud) on the previous year", Y12, change, 3, 4, -1),
        ("change in police recorded crime (excluding fraud) over five years", Y12, change, -11, -13, 2),
        ("change in police recorded victim-based crime over five years", Y12, change, -9, -12, 3),
        ("outcome rate: cannabis/khat warning", Y12, per100, 2.0, 1.2, 0.8),
        ("outcome rate: caution - adults", Y12, per100, 3.8, 3.2, 0.6),
        ("outcome rate: caution - youths", Y12, per100, 0.1, 0.5, -0.4),
        ("outcome rate: charged/summonsed", Y12, per100, 13.3, 16.0, -2.7),
        ("outcome rate: community resolution", Y12, per100, 1.2, 3.3, -2.1),
        ("outcome rate: out-of-court (formal)", Y12, per100, 5.0, 4.6, 0.4),
        ("outcome rate: out-of-court (informal)", Y12, per100, 3.2, 4.4, -1.2),
        ("outcome rate: penalty notices for disorder", Y12, per100, 1.1, 0.8, 0.3),
        ("outcome rate: taken into consideration", Y12, per100, 0.1, 0.6, -0.5),
        ("outcomes: cannabis/khat warning", Y12, "count", 14077, 41964, -27887),
        ("outcomes: caution - adults", Y12, "count", 27093, 115000, -87907),
        ("outcomes: caution - youths", Y12, "count", 1043, 19703, -18660),
        ("outcomes: charged/summonsed", Y12, "count", 95237, 577678, -482441),
        ("outcomes: community resolution", Y12, "count", 8605, 117951, -109346),
        ("outcomes: out-of-court (formal)", Y12, "count", 35862, 165384, -129522),
        ("outcomes: out-of-court (informal)", Y12, "count", 22682, 159915, -137233),
        ("outcomes: penalty notices for disorder", Y12, "count", 7726, 30681, -22955),
        ("outcomes: taken into consideration", Y12, "count", 575, 21318, -20743),
        ("police recorded crime (excluding fraud) per 1,000 population", Y12, "rate per 1,000 population",
         84.0, 63.0, 21.0),
        ("victims satisfied with their whole experience of the police", "12 months to 31 March 2015", "percent",
         79.9, 83.8, -3.9),
    ]


@check("outcomes-above-national-rate")
def _outcomes_above_national_rate(project, built):
    got = rows(project, built, "outcomes-above-national-rate")
    # Figure 4: Cannabis/Khat warning 2.0 > 1.2, Caution - adults 3.8 > 3.2,
    # Out-of-court (formal) 5.0 > 4.6, Penalty Notices for Disorder 1.1 > 0.8.
    assert [tuple(pytest.approx(v) if isinstance(v, float) else v for v in r) for r in got] == [
        ("outcome rate: cannabis/khat warning", 2.0, 1.2, 0.8, "outcome rate: out-of-court (informal)", Y12),
        ("outcome rate: caution - adults", 3.8, 3.2, 0.6, "outcome rate: out-of-court (formal)", Y12),
        ("outcome rate: out-of-court (formal)", 5.0, 4.6, 0.4, None, Y12),
        ("outcome rate: penalty notices for disorder", 1.1, 0.8, 0.3, "outcome rate: out-of-court (formal)", Y12),
    ]


@check("outcome-groups")
def _outcome_groups(project, built):
    per100 = "rate per 100 offences"
    formal, informal = "outcome rate: out-of-court (formal)", "outcome rate: out-of-court (informal)"
    formal_n, informal_n = "outcomes: out-of-court (formal)", "outcomes: out-of-court (informal)"
    got = rows(project, built, "outcome-groups")
    assert [tuple(pytest.approx(v) if isinstance(v, float) else v for v in r) for r in got] == [
        # Rates are rounded to one decimal: England and Wales 0.5 + 3.2 + 0.8 = 4.5, printed 4.6.
        (formal, EW, Y12, per100, 4.6, "outcome rate: caution - adults", 3.2, 4.5, "no"),
        (formal, EW, Y12, per100, 4.6, "outcome rate: caution - youths", 0.5, 4.5, "no"),
        (formal, EW, Y12, per100, 4.6, "outcome rate: penalty notices for disorder", 0.8, 4.5, "no"),
        (formal, MPS_AREA, Y12, per100, 5.0, "outcome rate: caution - adults", 3.8, 5.0, "yes"),
        (formal, MPS_AREA, Y12, per100, 5.0, "outcome rate: caution - youths", 0.1, 5.0, "yes"),
        (formal, MPS_AREA, Y12, per100, 5.0, "outcome rate: penalty notices for disorder", 1.1, 5.0, "yes"),
        # England and Wales 1.2 + 3.3 = 4.5, printed 4.4.
        (informal, EW, Y12, per100, 4.4, "outcome rate: cannabis/khat warning", 1.2, 4.5, "no"),
        (informal, EW, Y12, per100, 4.4, "outcome rate: community resolution", 3.3, 4.5, "no"),
        (informal, MPS_AREA, Y12, per100, 3.2, "outcome rate: cannabis/khat warning", 2.0, 3.2, "yes"),
        (informal, MPS_AREA, Y12, per100, 3.2, "outcome rate: community resolution", 1.2, 3.2, "yes"),
        # Counts add up: 19,703 + 115,000 + 30,681 = 165,384; 1,043 + 27,093 + 7,726 = 35,862.
        (formal_n, EW, Y12, "count", 165384, "outcomes: caution - adults", 115000, 165384, "yes"),
        (formal_n, EW, Y12, "count", 165384, "outcomes: caution - youths", 19703, 165384, "yes"),
        (formal_n, EW, Y12, "count", 165384, "outcomes: penalty notices for disorder", 30681, 165384, "yes"),
        (formal_n, MPS_AREA, Y12, "count", 35862, "outcomes: caution - adults", 27093, 35862, "yes"),
        (formal_n, MPS_AREA, Y12, "count", 35862, "outcomes: caution - youths", 1043, 35862, "yes"),
        (formal_n, MPS_AREA, Y12, "count", 35862, "outcomes: penalty notices for disorder", 7726, 35862, "yes"),
        # 41,964 + 117,951 = 159,915; 14,077 + 8,605 = 22,682.
        (informal_n, EW, Y12, "count", 159915, "outcomes: cannabis/khat warning", 41964, 159915, "yes"),
        (informal_n, EW, Y12, "count", 159915, "outcomes: community resolution", 117951, 159915, "yes"),
        (informal_n, MPS_AREA, Y12, "count", 22682, "outcomes: cannabis/khat warning", 14077, 22682, "yes"),
        (informal_n, MPS_AREA, Y12, "count", 22682, "outcomes: community resolution", 8605, 22682, "yes"),
    ]


@check("define-term")
def _define_term(project, built):
    iom = ("integrated offender management", "IOM",
           "IOM brings a multi-agency response to the crime and reoffending threats faced by local communities. "
           "The most persistent and problematic offenders are identified and managed jointly by partner agencies "
           "working together.", 1, R + "term/integrated-offender-management")
    assert rows(project, built, "define-term") == [iom]
    assert rows(project, built, "define-term", term="Integrated Offender MANAGEMENT") == [iom]
    assert rows(project, built, "define-term", term="mappa") == [
        ("multi-agency public protection arrangements", "MAPPA",
         "Multi-agency public protection arrangements (MAPPA) are in place to ensure the successful management "
         "of violent and sexual offenders. Agencies involved include, as responsible bodies, the police, "
         "probation trusts and prison service. Other agencies may become involved, for example the Youth "
         "Justice Board will be responsible for the care of young offenders.",
         1, R + "term/multi-agency-public-protection-arrangements")]
    assert rows(project, built, "define-term", term="Outcome Rate") == [
        ("outcome rate", None,
         "Rate based on number of outcomes recorded in 12 months to 30 June 2015 divided by number of offences "
         "recorded in 12 months to 30 June 2015.", 1, R + "term/outcome-rate")]
    assert rows(project, built, "define-term", term="no such term") == []


# An invented glossary of three reports, for the one case the Met report cannot show: a term
# defined alike by several reports is one row, with their number and the first entry.
_GLOSSARIES = """
@prefix peel: <https://w3id.org/peelkg/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix t: <https://example.org/report/> .
t:b-term-x a peel:GlossaryEntry ; skos:prefLabel "example term"@en ; skos:altLabel "XT"@en ;
    skos:definition "Wording one."@en .
t:a-term-x a peel:GlossaryEntry ; skos:prefLabel "example term"@en ; skos:altLabel "XT"@en ;
    skos:definition "Wording one."@en .
t:c-term-x a peel:GlossaryEntry ; skos:prefLabel "example term"@en ;
    skos:definition "Wording two."@en .
"""


def test_define_term_gives_one_row_per_wording_with_its_number_of_reports_and_first_entry(project):
    store = ox.Store()
    store.load(_GLOSSARIES.encode(), ox.RdfFormat.TURTLE)
    query = load_query(project.queries_dir / "define-term.rq")
    answer = store.query(bind(query.text, {"_term": ox.Literal("Example TERM")}))
    got = [tuple(None if row[v] is None else row[v].value for v in answer.variables) for row in answer]
    assert got == [("example term", None, "Wording two.", "1", "https://example.org/report/c-term-x"),
                   ("example term", "XT", "Wording one.", "2", "https://example.org/report/a-term-x")]


@check("national-threats")
def _national_threats(project, built):
    spr = "The Strategic Policing Requirement"
    # Page 29: "terrorism, serious and organised crime, national cyber-crime incidents, threats to
    # public order or public safety, civil emergencies, and child sexual abuse".
    assert rows(project, built, "national-threats") == [
        ("child sexual abuse", spr, ID + "threat/child-sexual-abuse"),
        ("civil emergencies", spr, ID + "threat/civil-emergencies"),
        ("national cyber-crime incidents", spr, ID + "threat/national-cyber-crime-incidents"),
        ("serious and organised crime", spr, ID + "threat/serious-and-organised-crime"),
        ("terrorism", spr, ID + "threat/terrorism"),
        ("threats to public order or public safety", spr, ID + "threat/threats-to-public-order-or-public-safety"),
    ]


@check("partners")
def _partners(project, built):
    p = ID + "partnership/"
    soc = "Partnership with the London boroughs and the City of London Corporation through London Councils"
    money = "Partnership against organised money laundering"
    assets = "Partnership to recover assets from convicted OCG members"
    nexus = "Nexus partnership with Home Office immigration enforcement"
    assert rows(project, built, "partners") == [
        ("Applications for serious crime prevention orders with the CPS", "Crown Prosecution Service",
         "the application for SCPOs", p + "cps-serious-crime-prevention-orders"),
        ("Information sharing with businesses through the Safer London Business Partnership",
         "Safer London Business Partnership",
         "sharing information with businesses to help prevent crime and keep people safe",
         p + "safer-london-business-partnership-information-sharing"),
        ("Information-sharing agreement across London on child sexual exploitation", None,
         "to disrupt the activity of potential perpetrators", p + "child-sexual-exploitation-information-sharing"),
        ("London Digital Security Centre partnership", "London Digital Security Centre",
         "supports small and medium businesses in London by providing crime prevention support",
         p + "london-digital-security-centre"),
        ("London Resilience Partnership", None,
         "to assess what risks London faces, and prepare how to respond to a major emergency",
         p + "london-resilience-partnership"),
        ("Management of repeat offenders with the City of London Police", "City of London Police",
         "managing repeat offenders", p + "city-of-london-police-iom"),
        (nexus, "Home Office", "to remove dangerous individuals who are not entitled legally to remain in the UK",
         p + "nexus"),
        (nexus, "UK immigration enforcement department of the Home Office",
         "to remove dangerous individuals who are not entitled legally to remain in the UK", p + "nexus"),
        ("Organised crime partnership team with the National Crime Agency", "National Crime Agency",
         "to provide a proactive response to organised crime in London", p + "organised-crime-partnership-team"),
        (money, "Department for Business Innovation and Skills", "to tackle organised money laundering",
         p + "money-laundering"),
        (money, "Her Majesty’s Revenue and Customs", "to tackle organised money laundering", p + "money-laundering"),
        (money, "Serious Fraud Office", "to tackle organised money laundering", p + "money-laundering"),
        (assets, "Crown Prosecution Service", "to recover assets from convicted OCG members", p + "asset-recovery"),
        (assets, "Her Majesty’s Courts and Tribunals Service", "to recover assets from convicted OCG members",
         p + "asset-recovery"),
        (soc, "City of London Corporation", "to implement the government’s Serious and Organised Crime Strategy",
         p + "london-councils-soc-strategy"),
        (soc, "London Councils", "to implement the government’s Serious and Organised Crime Strategy",
         p + "london-councils-soc-strategy"),
        ("Use of Ambulance Service data on gang violence", "Ambulance Service",
         "to improve its understanding of the impact of gang violence and to identify possible unreported incidents",
         p + "ambulance-service-gang-violence-data"),
        ("Work with Her Majesty’s Prison Service on released offenders", "Her Majesty’s Prison Service",
         "to put in place plans to manage released offenders", p + "prison-service-released-offenders"),
        ("Work with MOPAC on victim satisfaction", "Mayor’s Office for Policing And Crime",
         "to improve its overall victim satisfaction rating", p + "mopac-victim-satisfaction"),
        ("Work with community safety partnerships", "community safety partnerships", "keeping people safe",
         p + "community-safety-partnerships"),
        ("Work with partners in youth offending teams across London", "youth offending teams",
         "to prevent crime and anti-social behaviour and keep people safe", p + "youth-offending-teams"),
    ]
    assert rows(project, built, "partners", force="city-of-london") == [
        ("Management of repeat offenders with the City of London Police", MPS, "managing repeat offenders",
         p + "city-of-london-police-iom")]
    assert rows(project, built, "partners", force="kent") == []


@check("evidence")
def _evidence(project, built):
    ev = R + "evidence/"
    assert rows(project, built, "evidence") == [(SUMMARY[2], 2, Q2, ev + "judgment-q2")]
    assert rows(project, built, "evidence", statement=R + "recommendation/review-vulnerability-definition") == [
        ("The force needs to ensure that it is satisfied that this is a definition that allows it to make "
         "decisions about how to prioritise according to levels of risk.", 3, Q3,
         ev + "rec-review-vulnerability-definition"),
        ("This means that a large number of victims are placed in the vulnerable category and creates high "
         "demand which leads to managers finding it difficult to prioritise a response for the most vulnerable. "
         "The force needs to ensure that it is satisfied that this is a definition that allows it to make "
         "decisions about how to prioritise according to levels of risk.", 25, "Summary of findings",
         ev + "rec-review-vulnerability-definition-2"),
    ]
    assert rows(project, built, "evidence", statement=R + "statistic/charged-summonsed-count-mps") == [
        ("Charged/Summonsed 95,237 13.3 577,678 16.0", 17, "How well does the force bring offenders to justice?",
         ev + "stat-charged-summonsed-count-mps")]


@check("grades-for-question-and-year")
def _grades_for_question_and_year(project, built):
    assert rows(project, built, "grades-for-question-and-year") == [(MPS, RI, 3, REPORT)]
    assert rows(project, built, "grades-for-question-and-year", question="peel-2015-effectiveness/q4") == [(MPS, "Good", 2, REPORT)]
    assert rows(project, built, "grades-for-question-and-year", question="overall", year=2015) == [
        (MPS, RI, 3, REPORT)]
    assert rows(project, built, "grades-for-question-and-year", year=2016) == []


@check("findings-by-type")
def _findings_by_type(project, built):
    assert rows(project, built, "findings-by-type") == [
        (0, Q0, "strength", 4), (0, Q0, "weakness", 4),
        (1, Q1, "observation", 9), (1, Q1, "strength", 16), (1, Q1, "weakness", 1),
        (2, Q2, "observation", 16), (2, Q2, "strength", 20), (2, Q2, "weakness", 17),
        (3, Q3, "observation", 2), (3, Q3, "strength", 8), (3, Q3, "weakness", 8),
        (4, Q4, "best practice", 1), (4, Q4, "observation", 13), (4, Q4, "strength", 23), (4, Q4, "weakness", 8),
    ]  # issue 11: the sentence that was both finding q4-03 and a recommendation is only the recommendation


@check("findings-for-question")
def _findings_for_question(project, built):
    f = R + "finding/"
    got = rows(project, built, "findings-for-question")
    assert len(got) == 53
    assert list(Counter(row[0] for row in got).items()) == [
        ("How well does the force bring offenders to justice?", 3),
        (S_ALLOCATE, 6), (S_TYPES, 13), (S_DIGITAL, 5),
        ("How satisfied are victims of crime with the service provided by the force?", 5),
        ("How well does the force divert offenders away from crime?", 6),
        ("How well does the force deal with repeat offenders?", 9),
        ("How well does the force deal with sexual and other dangerous offenders?", 6),
    ]
    assert got[3] == (S_ALLOCATE, 1, "weakness", "Referral of crimes to specialist investigators is often delayed",
                      f + "q2-2-1-01")
    assert got[12] == (S_TYPES, 4, "weakness", "There is a shortage of trained detectives for serious crime investigation",
                       f + "q2-2-2-04")
    digital = [
        (S_DIGITAL, 1, "strength", "The force has a comprehensive digital forensic service", f + "q2-2-3-01"),
        (S_DIGITAL, 2, "strength", "Self-service kiosks in custody let investigators examine common devices "
         "themselves and use the results in interview", f + "q2-2-3-02"),
        (S_DIGITAL, 3, "observation", "Complex devices are examined at digital forensic hubs and by a central high "
         "tech crime unit", f + "q2-2-3-03"),
        (S_DIGITAL, 4, "weakness", "Digital forensic capacity is limited while demand grows", f + "q2-2-3-04"),
        (S_DIGITAL, 5, "weakness", "Delays in accessing digital evidence hold up the criminal justice process, "
         "notably for suspects on bail", f + "q2-2-3-05"),
    ]
    assert got[22:27] == digital
    assert rows(project, built, "findings-for-question", question="q2-2-3") == digital
    assert len(rows(project, built, "findings-for-question", question="q2-2")) == 6 + 13 + 5 + 5
    overview = rows(project, built, "findings-for-question", question="overall")
    assert [(r[0], r[1], r[2]) for r in overview] == [
        (None, 1, "strength"), (None, 2, "weakness"), (None, 3, "weakness"), (None, 4, "strength"),
        (None, 5, "weakness"), (None, 6, "strength"), (None, 7, "weakness"), (None, 8, "strength")]
    q4 = rows(project, built, "findings-for-question", question="q4")
    assert (S_SOC_PARTNERS, 6, "best practice", "A library of successfully used serious crime prevention order "
            "clauses is shared with other forces", f + "q4-3-06") in q4
    assert len(q4) == 45  # issue 11: finding q4-03 was the recommendation increase-frontline-intelligence-flow


@check("weaknesses")
def _weaknesses(project, built):
    f = R + "finding/"
    got = rows(project, built, "weaknesses")
    assert len(got) == 38  # issue 11: finding q4-03 was a recommendation, not a weakness
    assert Counter(row[0] for row in got) == {0: 4, 1: 1, 2: 17, 3: 8, 4: 8}
    assert got[0] == (0, None, 2, "Keeps vulnerable people, especially children, safe less consistently than it should",
                      f + "overview-02")
    assert got[4] == (1, "How well is the force prioritising the prevention of crime and anti-social behaviour?", 5,
                      "Emergency response officers do not treat crime prevention or anti-social behaviour as priorities",
                      f + "q1-1-1-05")
    assert got[-1] == (4, S_SOC_PARTNERS, 8, "Publicity about successful operations mostly comes only at trial or arrest",
                       f + "q4-3-08")


@check("best-practice")
def _best_practice(project, built):
    label = "A library of successfully used serious crime prevention order clauses is shared with other forces"
    # Page 34: "HMIC considers this to be an example of best practice by the MPS."
    assert rows(project, built, "best-practice") == [
        (4, S_SOC_PARTNERS, label,
         "The force maintains a library of successfully-used clauses which it has shared with other police "
         "forces to reduce the likelihood of orders being declined due to inappropriate clauses, and save "
         "duplication of research and drafting by other forces and their local CPS partners.",
         34, R + "finding/q4-3-06"),
        (4, S_SOC_PARTNERS, label, "HMIC considers this to be an example of best practice by the MPS.", 34,
         R + "finding/q4-3-06"),
    ]


@check("recommendations")
def _recommendations(project, built):
    afi, rec = "area for improvement", "recommendation"
    got = rows(project, built, "recommendations")
    assert len(got) == 21
    assert [(r[0], r[1], r[2]) for r in got] == (
        [(2, afi, n) for n in (1, 2, 3, 4)] + [(2, rec, 1)]
        + [(3, rec, n) for n in range(1, 7)]
        + [(4, afi, n) for n in (1, 2, 3, 4)] + [(4, rec, n) for n in range(1, 7)])  # issue 11: numbered per question
    assert [r[3] for r in got if r[1] == afi] == [AFI[n] for n in range(1, 9)]
    assert got[4] == (2, rec, 1, "The MPS needs to implement its IOM programme consistently.", MPS,
                      R + "recommendation/implement-iom-consistently")
    assert got[18] == (4, rec, 4, "Met Intel should provide a clear intelligence requirement for operational units "
                       "including uniformed officers in territorial policing, to make the most of the force's "
                       "intelligence-reporting capacity and therefore the force’s understanding of the threat.",
                       "Met Intel", R + "recommendation/met-intel-intelligence-requirement")
    assert {r[4] for r in got} == {MPS, "Met Intel"}


@check("search-findings")
def _search_findings(project, built):
    f = R + "finding/"
    assert [(r[0], r[1], r[3]) for r in rows(project, built, "search-findings")] == [
        (0, "weakness", f + "overview-05"),
        (2, "weakness", f + "q2-2-1-01"),
        (2, "weakness", f + "q2-2-1-02"),
        (2, "weakness", f + "q2-2-2-04"),
        (2, "weakness", f + "q2-2-2-05"),
        (2, "observation", f + "q2-2-2-06"),
        (2, "weakness", f + "q2-2-2-07"),
        (2, "weakness", f + "q2-2-2-13"),
        (3, "observation", f + "q3-16"),
        (4, "weakness", f + "q4-2-03"),
    ]
    assert rows(project, built, "search-findings", text="Digital Evidence") == [
        (2, "weakness", "Delays in accessing digital evidence hold up the criminal justice process, notably for "
         "suspects on bail", f + "q2-2-3-05")]
    assert rows(project, built, "search-findings", text="best practice") == [
        (4, "best practice", "A library of successfully used serious crime prevention order clauses is shared with "
         "other forces", f + "q4-3-06")]


@check("report-metadata")
def _report_metadata(project, built):
    expected = [(
        "PEEL: Police effectiveness 2015 – An inspection of the Metropolitan Police Service", MPS,
        "PEEL 2015 effectiveness", "HM Inspectorate of Constabulary", "2016-02", "978-1-911194-96-5",
        "© HMIC 2016", "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "peel-2015-effectiveness-metropolitan.txt")]
    assert rows(project, built, "report-metadata") == expected
    assert rows(project, built, "report-metadata", report=REPORT) == expected


@check("inspection-periods")
def _inspection_periods(project, built):
    # Footnote 4: questions 1, 2 and 4 were inspected between September and November 2015,
    # question 3 between June and August 2015.
    main = "PEEL 2015 effectiveness inspection of the Metropolitan Police Service (questions 1, 2 and 4)"
    assert rows(project, built, "inspection-periods") == [
        ("PEEL 2015 effectiveness (vulnerability) inspection of the Metropolitan Police Service (question 3)",
         "2015-06", "2015-08", 3, Q3),
        (main, "2015-09", "2015-11", 1, Q1),
        (main, "2015-09", "2015-11", 2, Q2),
        (main, "2015-09", "2015-11", 4, Q4),
    ]


@check("units-of-force")
def _units_of_force(project, built):
    got = rows(project, built, "units-of-force")
    assert len(got) == 26  # issue 11: the gang diversion unit and the missing persons teams
    for row in [
        ("Flying Squad", "team", "organised crime command", MET + "flying-squad"),
        ("Jigsaw teams", "team", "borough operational command units", MET + "jigsaw-teams"),
        ("Trident gang crime command", "command", MPS, MET + "trident"),
        ("missing and absent diamond group", "governance group", "diamond groups",
         MET + "missing-and-absent-diamond-group"),
        ("organised crime command", "command", MPS, MET + "sco7"),
        ("safer neighbourhood teams", "team", "borough operational command units", MET + "safer-neighbourhood-teams"),
        ("specialist operations directorate", "organisational unit", MPS, MET + "specialist-operations-directorate"),
        ("team managing offenders subject to serious crime prevention orders", "team",
         "specialist operations directorate", MET + "scpo-offender-management-team"),
    ]:
        assert row in got
    assert got[0] == ("Falcon team", "team", MPS, MET + "falcon-team")
    kinds = {}
    for _, kind, *_ in got:
        kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds == {"command": 4, "team": 13, "governance group": 7, "organisational unit": 2}
    assert rows(project, built, "units-of-force", force="city-of-london") == []


@check("who-leads-what")
def _who_leads_what(project, built):
    sco7 = "organised crime command"
    assert rows(project, built, "who-leads-what") == [
        ("SC&O Crimefighters", "chaired by", "assistant commissioner for specialist crime and operations", MPS,
         MET + "sco-crimefighters"),
        ("anti-social behaviour performance group", "chaired by",
         "commander chairing the anti-social behaviour performance group", MPS,
         MET + "anti-social-behaviour-performance-group"),
        ("crime prevention board", "led by", "assistant commissioner leading the crime reduction portfolio", MPS,
         MET + "crime-prevention-board"),
        ("diamond groups", "chaired by", "chief officer", MPS, MET + "diamond-groups"),
        (sco7, "led by", "detective chief superintendent leading SC&O7", sco7, MET + "sco7"),
        ("organised crime development group", "chaired by", "commander for SC&O7", sco7,
         MET + "organised-crime-development-group"),
    ]


@check("timeline")
def _timeline(project, built):
    pub = ID + "publication/"
    assert rows(project, built, "timeline") == [
        ("1993", None, "started", "Herman Goldstein Award", ID + "award/herman-goldstein-award"),
        ("2012", None, "started", "Nexus", MET + "nexus"),
        ("2012", None, "started", "Total Victim Care", MET + "total-victim-care"),
        # Issue 11: the strategy's span, from its title.
        ("2013", "2016", "started", "Crime Prevention Strategy 2013-2016", MET + "crime-prevention-strategy-2013-2016"),
        ("2013-10", None, "published", "Serious and Organised Crime Strategy", pub + "serious-and-organised-crime-strategy"),
        ("2015-03", None, "published", "The Strategic Policing Requirement", pub + "strategic-policing-requirement-2015"),
        ("2015-06", "2015-08", "inspected",
         "PEEL 2015 effectiveness (vulnerability) inspection of the Metropolitan Police Service (question 3)",
         R + "inspection-vulnerability"),
        ("2015-06", "2016-02", "started", "Leading Investigation Programme", MET + "leading-investigation-programme"),
        ("2015-07", None, "published", "Crime Outcomes in England and Wales 2014/15",
         pub + "crime-outcomes-in-england-and-wales-2014-15"),
        ("2015-09", "2015-11", "inspected",
         "PEEL 2015 effectiveness inspection of the Metropolitan Police Service (questions 1, 2 and 4)",
         R + "inspection"),
        ("2015-10", None, "published", "Code of Practice for Victims of Crime", pub + "code-of-practice-for-victims-of-crime"),
        ("2015-12", None, "published", "PEEL: Police effectiveness 2015 (Vulnerability) – Metropolitan Police Service",
         pub + "peel-2015-effectiveness-vulnerability-metropolitan"),
        ("2015-12", None, "published", "Regional Organised Crime Units: A Review of Capability and Effectiveness",
         pub + "regional-organised-crime-units-review-2015"),
        ("2016", None, "started", "full pilot of Mi Investigation", MET + "mi-investigation-pilot"),  # "early 2016"
        ("2016-02", None, "published", "PEEL: Police effectiveness 2015 – Metropolitan Police Service", REPORT),
    ]


@check("glossary")
def _glossary(project, built):
    got = rows(project, built, "glossary")
    assert [r[:3] for r in got] == [
        ("Herman Goldstein Award", None, 7),
        ("Jigsaw team", None, 17),
        ("London Councils", None, 27),
        ("London Resilience Partnership", None, 29),
        ("Operation Nexus", "Nexus", 18),
        ("SARA approach", "SARA", None),
        ("Strategic Policing Requirement", "SPR", 24),
        ("Trident gang crime command", None, 5),
        ("community resolution", None, 11),
        ("control strategy", None, 26),
        ("integrated offender management", "IOM", 6),   # also footnote 14
        ("khat", None, 12),
        ("multi-agency public protection arrangements", "MAPPA", 16),
        ("multi-agency risk assessment conference", "MARAC", 8),
        ("outcome rate", None, 9),
        ("serious crime prevention order", "SCPO", None),
        ("taken into consideration", None, 11),
        ("target hardening", None, None),
        ("victim-based crime", None, None),
        ("volume crime", None, 3),                       # also footnote 15
        ("vulnerable person", None, 2),
    ]
    assert got[11] == ("khat", None, 12,
                       "A plant native to Africa and the Arabian Peninsula, the leaves of which are frequently chewed "
                       "as a stimulant; the possession and supply of khat became a criminal offence in England and "
                       "Wales in 2014.", R + "term/khat")


@check("measures")
def _measures(project, built):
    got = rows(project, built, "measures")
    assert len(got) == 57  # issue 11: organisations in a partnership ("more than 170")
    assert columns(project, built, "measures") == ["measure", "partOf", "statistics", "definition", "item"]
    m = ID + "measure/"
    assert got[0] == ("active information-sharing agreements", None, 1,
                      "Number of information-sharing agreements with partner organisations that a force has in force.",
                      m + "information-sharing-agreements")
    by_item = {r[4]: r for r in got}
    assert by_item[m + "outcomes-caution-adults"][:3] == (
        "outcomes: caution - adults", "outcomes: out-of-court (formal)", 2)
    assert by_item[m + "outcome-rate-community-resolution"][:3] == (
        "outcome rate: community resolution", "outcome rate: out-of-court (informal)", 2)
    assert by_item[m + "firearms-seized"][:3] == ("firearms seized", None, 2)
    assert by_item[m + "cash-seized"][:3] == ("cash seized", None, 1)
    # Ten outcome types are parts of the four outcome groups; every measure is used.
    assert sum(1 for r in got if r[1] is not None) == 10
    assert sum(r[2] for r in got) == 83
    assert min(r[2] for r in got) == 1


@check("statistics-about")
def _statistics_about(project, built):
    stat = R + "statistic/"
    sco7 = "organised crime command"
    at_sco7 = [
        (sco7, "firearms seized", FY, None, 41, "count", stat + "firearms-seized-sco7"),
        (sco7, "police officer establishment", AT_INSPECTION, None, 1234, "count",
         stat + "sco7-police-officer-establishment"),
        (sco7, "police staff establishment", AT_INSPECTION, None, 99, "count", stat + "sco7-police-staff-establishment"),
        # Issue 11: "approximately 15 percent below strength" is a qualified figure.
        (sco7, "shortfall against establishment", AT_INSPECTION, "approximately", 15, "percent",
         stat + "sco7-establishment-shortfall"),
    ]
    assert rows(project, built, "statistics-about") == at_sco7
    assert rows(project, built, "statistics-about", entity="force:metropolitan") == [
        # Issue 11: the Falcon team's six cyber prevention officers at the London Digital Security Centre.
        ("Falcon team", "officers assigned", AT_INSPECTION, None, 6, "count", stat + "cyber-prevention-officers-ldsc"),
        ("Trident gang crime command", "firearms seized", FY, None, 185, "count", stat + "firearms-seized-sco8"),
        ("borough operational command units", "borough operational command units", AT_INSPECTION, None, 32, "count",
         stat + "borough-operational-command-units"),
        ("central crime management unit", "longest delay in allocating a crime to an investigator", AT_INSPECTION,
         "up to", 3, "days", stat + "maximum-crime-allocation-delay"),  # "delays of up to three days"
        ("missing and absent diamond group", "time since a governance group last met",
         "at the time of the PEEL 2015 vulnerability inspection (June to August 2015)", None, 18, "months",
         stat + "missing-and-absent-diamond-group-months-not-met"),
        *at_sco7,
        ("team managing offenders subject to serious crime prevention orders", "officers assigned", AT_INSPECTION,
         None, 5, "count", stat + "scpo-team-officers"),
    ]
    assert rows(project, built, "statistics-about", entity=MET + "traceable-liquid-property-marking") == [
        # Issue 11: the 440,000 homes are planned over the project's three years, not "at the time of the inspection".
        ("traceable liquid property marking kits", "homes to receive property marking kits",
         "the three-year period of the traceable liquid property marking project", None,
         440000, "count", stat + "property-marking-kit-homes-planned"),
        ("traceable liquid property marking kits", "property marking kits issued", "as at 31 July 2015", None,
         16554, "count", stat + "property-marking-kits-issued"),
    ]


@check("entity-mentions")
def _entity_mentions(project, built):
    got = rows(project, built, "entity-mentions")
    # 112 things mentioned; two (a strategy that is also a publication, and the reverse) have two classes.
    assert len(got) == 114
    assert len({r[2] for r in got}) == 112
    classes = {}
    for cls, *_ in got:
        classes[cls] = classes.get(cls, 0) + 1
    assert classes == {
        # Issue 11: UK immigration enforcement is a unit of the Home Office, not a partner
        # organisation; two IT systems, two pilots, a post and two teams the report names added.
        "IT system": 5, "award": 1, "command": 4, "governance group": 8, "initiative": 8, "operation": 3,
        "organisational unit": 4, "partner organisation": 22, "partnership": 16, "police force": 1, "post": 7,
        "programme": 7, "publication": 8, "strategy": 6, "team": 14}
    assert got[0] == ("IT system", "Airspace", MET + "airspace")
    assert got[-1] == ("team", "unit diverting young people from gangs", MET + "gang-diversion-unit")
    assert ("team", "team managing offenders subject to serious crime prevention orders",
            MET + "scpo-offender-management-team") in got
    for row in [
        ("police force", "City of London Police", ID + "force/city-of-london"),
        ("publication", "Crime Prevention Strategy 2013-2016", MET + "crime-prevention-strategy-2013-2016"),
        ("strategy", "Crime Prevention Strategy 2013-2016", MET + "crime-prevention-strategy-2013-2016"),
        ("command", "organised crime command", MET + "sco7"),
        ("organisational unit", "London regional organised crime unit",
         ID + "org/london-regional-organised-crime-unit"),
    ]:
        assert row in got


@check("report-summary-counts")
def _report_summary_counts(project, built):
    assert columns(project, built, "report-summary-counts") == [
        "judgments", "findings", "strengths", "weaknesses", "observations", "bestPractices", "recommendations",
        "areasForImprovement", "statistics", "glossaryEntries", "entitiesMentioned", "evidenceQuotes"]
    # 150 findings = 71 strengths + 1 best practice (also a strength) + 38 weaknesses + 40 observations;
    # 21 recommendations = 8 areas for improvement + 13 others. Issue 11: finding q4-03 (a
    # recommendation) removed, one statistic ("more than 170 organisations"), seven things and 29
    # quotes (25 for stated relations, four naming a thing a finding is about) added; q4-03's went.
    expected = [(5, 150, 72, 38, 40, 1, 21, 8, 83, 21, 112, 366)]
    assert rows(project, built, "report-summary-counts") == expected
    assert rows(project, built, "report-summary-counts", report=REPORT) == expected


@check("report-has-all-judgments")
def _report_has_all_judgments(project, built):
    assert ask(project, built, "report-has-all-judgments") is True
    assert ask(project, built, "report-has-all-judgments", report=REPORT) is True
    # The 2016 grade-only record gives the overall grade alone, none for questions 1-4.
    assert ask(project, built, "report-has-all-judgments", report="peel-2016-effectiveness-avon-and-somerset") is False


@check("report-judgments-graph")
def _report_judgments_graph(project, built):
    graph = construct(project, built, "report-judgments-graph")
    assert len(graph) == 30
    peel = lambda name: URIRef(PEEL + name)  # noqa: E731
    judgments = sorted(str(s) for s in graph.subjects(RDF.type, peel("Judgment")))
    assert judgments == [R + "judgment/" + n for n in ("overall", "q1", "q2", "q3", "q4")]
    grades = {str(j).rsplit("/", 1)[1]: str(g).rsplit("/", 1)[1] for j, g in graph.subject_objects(peel("grade"))}
    assert grades == {"overall": "requires-improvement", "q1": "good", "q2": "requires-improvement",
                      "q3": "requires-improvement", "q4": "good"}
    good, ri = URIRef(ID + "grade/good"), URIRef(ID + "grade/requires-improvement")
    assert (good, SKOS.prefLabel, Literal("Good", lang="en")) in graph
    assert (ri, peel("rank"), Literal(3)) in graph
    assert (URIRef(Q + "q2"), RDFS.label, Literal(Q2, lang="en")) in graph
    assert (URIRef(R + "judgment/q4"), peel("question"), URIRef(Q + "q4")) in graph
    assert set(graph.objects(None, peel("judgmentIn"))) == {URIRef(REPORT)}
    assert (URIRef(REPORT), URIRef("http://purl.org/dc/terms/title"),
            Literal("PEEL: Police effectiveness 2015 – An inspection of the Metropolitan Police Service", lang="en")) in graph


@check("entity-network")
def _entity_network(project, built):
    graph = construct(project, built, "entity-network")
    unit_of, run_by, part_of = URIRef(ORG + "unitOf"), URIRef(PEEL + "runBy"), URIRef(PEEL + "partOfInitiative")
    # Issue 11 added two units (gang diversion, missing persons teams), two pilots (run by the Met)
    # and the pilot's part of Mi Investigation.
    assert len(list(graph.triples((None, unit_of, None)))) == 27    # 26 units of the Met + one of the Home Office
    assert len(list(graph.triples((None, run_by, None)))) == 17
    assert len(list(graph.triples((None, part_of, None)))) == 4
    assert len(list(graph.triples((None, RDFS.label, None)))) == 47
    assert len(graph) == 95
    met, sco7 = URIRef(METROPOLITAN), URIRef(MET + "sco7")
    for triple in [
        (URIRef(MET + "flying-squad"), unit_of, sco7),
        (sco7, unit_of, met),
        (URIRef(ID + "org/uk-immigration-enforcement"), unit_of, URIRef(ID + "org/home-office")),
        (URIRef(MET + "nexus"), run_by, URIRef(ID + "org/home-office")),
        (URIRef(MET + "nexus"), run_by, met),
        (URIRef(MET + "gangs-matrix"), run_by, URIRef(MET + "met-intel")),
        (URIRef(MET + "organised-crime-partnership-team"), run_by, URIRef(ID + "org/national-crime-agency")),
        (URIRef(MET + "jigsaw-teams"), part_of, URIRef(ID + "initiative/mappa")),
        (URIRef(MET + "nexus-team"), part_of, URIRef(MET + "nexus")),
        (met, RDFS.label, Literal(MPS, lang="en")),
        (sco7, RDFS.label, Literal("organised crime command", lang="en")),
    ]:
        assert triple in graph


# -- Queries across cycles: the Met report and the PEEL 2016 overall effectiveness grades of the
# 43 forces (data/reference/peel-2016-effectiveness-overall.csv: 1 Outstanding, 28 Good,
# 13 Requires improvement, 1 Inadequate), and the reference data on the monitoring of forces.

FOUR = "PEEL four-point grading scale (2014 to 2020)"
E15, E16 = "PEEL 2015 effectiveness", "PEEL 2016 effectiveness"
REPORT_2016 = ID + "report/peel-2016-effectiveness-metropolitan"


@check("grade-history")
def _grade_history(project, built):
    def row(year, cycle, qid, question, grade, rank, report):
        return (year, cycle, qid, question, grade, rank, FOUR, "inspected", report, report)

    expected = [
        row("2015", E15, "peel-2015-effectiveness/overall", Q0, RI, 3, REPORT),
        row("2015", E15, "peel-2015-effectiveness/q1", Q1, "Good", 2, REPORT),
        row("2015", E15, "peel-2015-effectiveness/q2", Q2, RI, 3, REPORT),
        row("2015", E15, "peel-2015-effectiveness/q3", Q3, RI, 3, REPORT),
        row("2015", E15, "peel-2015-effectiveness/q4", Q4, "Good", 2, REPORT),
        row("2016", E16, "peel-2016-effectiveness/overall", Q0, RI, 3, REPORT_2016),
    ]
    assert rows(project, built, "grade-history") == expected
    assert rows(project, built, "grade-history", force="durham") == [
        ("2016", E16, "peel-2016-effectiveness/overall", Q0, "Outstanding", 1, FOUR, "inspected",
         ID + "report/peel-2016-effectiveness-durham", ID + "report/peel-2016-effectiveness-durham")]


@check("grade-distribution")
def _grade_distribution(project, built):
    assert rows(project, built, "grade-distribution") == [
        (E15, "peel-2015-effectiveness/overall", RI, 3, FOUR, 1),
        (E15, "peel-2015-effectiveness/q1", "Good", 2, FOUR, 1),
        (E15, "peel-2015-effectiveness/q2", RI, 3, FOUR, 1),
        (E15, "peel-2015-effectiveness/q3", RI, 3, FOUR, 1),
        (E15, "peel-2015-effectiveness/q4", "Good", 2, FOUR, 1),
        (E16, "peel-2016-effectiveness/overall", "Outstanding", 1, FOUR, 1),
        (E16, "peel-2016-effectiveness/overall", "Good", 2, FOUR, 28),
        (E16, "peel-2016-effectiveness/overall", RI, 3, FOUR, 13),
        (E16, "peel-2016-effectiveness/overall", "Inadequate", 4, FOUR, 1),
    ]


@check("grade-changes")
def _grade_changes(project, built):
    # Only the Met has a 2015 report: its overall grade stayed Requires improvement in 2016.
    same = (MPS, "peel-2015-effectiveness/overall", "peel-2016-effectiveness/overall", RI, RI, 3, 3, "same")
    assert rows(project, built, "grade-changes") == [same]
    assert rows(project, built, "grade-changes", **{"from": "cycle:peel-2015-effectiveness",
                                                   "to": "cycle:peel-2016-effectiveness"}) == [same]
    # The other way round, the later grade is the 2015 one: still the same.
    assert rows(project, built, "grade-changes", **{"from": "cycle:peel-2016-effectiveness",
                                                   "to": "cycle:peel-2015-effectiveness"}) == [
        (MPS, "peel-2016-effectiveness/overall", "peel-2015-effectiveness/overall", RI, RI, 3, 3, "same")]
    assert rows(project, built, "grade-changes", **{"from": "cycle:peel-2015-effectiveness",
                                                   "to": "cycle:peel-2023-25"}) == []


@check("causes-of-concern")
def _causes_of_concern(project, built):
    # Neither the Met 2015 report nor the grade-only 2016 records state a cause of concern; the
    # query is checked on invented reports in tests/test_report_kinds.py.
    assert rows(project, built, "causes-of-concern") == []
    assert columns(project, built, "causes-of-concern") == [
        "force", "report", "concern", "ordinal", "recommendation", "revisitedBy"]


@check("reports-by-kind")
def _reports_by_kind(project, built):
    found = rows(project, built, "reports-by-kind")
    assert len(found) == 44
    assert Counter((kind, record) for kind, _, _, _, record in found) == {
        ("pillar report", "partial record"): 43, ("report", "complete record"): 1}
    assert found[0] == ("pillar report", ID + "report/peel-2016-effectiveness-avon-and-somerset", E16,
                        "Avon and Somerset Constabulary", "partial record")
    assert ("report", REPORT, E15, MPS, "complete record") in found


@check("monitoring-stage")
def _monitoring_stage(project, built):
    assert rows(project, built, "monitoring-stage") == [
        ("Engage", "2024-03-11", "2025-05", ID + "monitoring/nottinghamshire-engage-2024"),
        ("Scan", "2025-05", None, ID + "monitoring/nottinghamshire-scan-2025"),
    ]
    assert rows(project, built, "monitoring-stage", force="kent") == []

# -- Topics and named things (issue 11). Expected rows checked against the report text: the
#    question 3 summary (pages 3-4 and 25-27), the digital evidence section (page 20), the repeat
#    offenders section (page 22-23), the areas for improvement (page 24), pages 33-34 on Falcon.

S_Q3_BOX = Q3
S_SUMMARY = "Summary of findings"
TOPIC = ID + "topic/"


@check("findings-about")
def _findings_about(project, built):
    f, rec = R + "finding/", R + "recommendation/"
    missing = [
        ("observation", "Diamond groups chaired by chief officers oversee specific areas of vulnerability", 25,
         "Governance meetings known as ‘diamond groups’ are in place and are chaired at chief officer level to "
         "oversee specific areas of vulnerability including domestic violence, and missing and absent children.",
         S_SUMMARY, f + "q3-04"),
        ("weakness", "The diamond group for missing and absent children had not met for a long time", 25,
         "HMIC found however that at the time of the inspection the missing and absent diamond group had not met "
         "for 18 months.", S_SUMMARY, f + "q3-05"),
        ("strength", "A clear, well-supervised process for reports of missing children, with dedicated teams "
         "linked to the sexual exploitation team", 26,
         "The MPS has a clear, structured and well-supervised process for responding to reports that children "
         "are missing or absent. There are dedicated teams in place to deal with missing persons with effective "
         "links to the sexual exploitation team where any risk of child sexual exploitation is identified.",
         S_SUMMARY, f + "q3-10"),
        ("weakness", "Intelligence gaps hinder the prevention of repeat missing and absent episodes", 4,
         "there are intelligence gaps around repeat instances of missing and absent children.", S_Q3_BOX,
         f + "q3-11"),
        ("weakness", "Intelligence gaps hinder the prevention of repeat missing and absent episodes", 26,
         "HMIC has some concerns that there are intelligence gaps in this area which hinder the force's ability "
         "to prevent repeat instances of missing and absent children.", S_SUMMARY, f + "q3-11"),
        ("weakness", "Specialist missing and absent co-ordinators lack role-specific training", 4,
         "However, training for both specialists and response staff could improve", S_Q3_BOX, f + "q3-12"),
        ("weakness", "Specialist missing and absent co-ordinators lack role-specific training", 26,
         "The MPS has missing and absent co-ordinators on each borough, but we found a lack of role-specific "
         "training for specialists, as response staff are trained by way of Operation Makesafe.", S_SUMMARY,
         f + "q3-12"),
        ("weakness", "The force does not fully understand the nature and scale of missing and absent children, "
         "especially persistent cases", 4,
         "We found that the force does not have a full understanding of the nature and scale of the missing and "
         "absent challenge it faces, specifically in relation to persistent missing children.", S_Q3_BOX,
         f + "q3-13"),
        ("recommendation", "An up-to-date assessment of available data, including that of partner organisations "
         "would help the force to more fully understand this issue.", 4,
         "An up-to-date assessment of available data, including that of partner organisations would help the "
         "force to more fully understand this issue.", S_Q3_BOX, rec + "assess-missing-children-data"),
        ("recommendation", "Specialist staff need to receive appropriate training in relation to safeguarding and "
         "understanding how to prevent repeat instances of missing and absent children which could lead to harm.", 4,
         "Specialist staff need to receive appropriate training in relation to safeguarding and understanding how "
         "to prevent repeat instances of missing and absent children which could lead to harm.", S_Q3_BOX,
         rec + "train-specialists-missing-children"),
    ]
    assert rows(project, built, "findings-about") == missing
    assert rows(project, built, "findings-about", topic="missing-and-absent-children") == missing
    assert rows(project, built, "findings-about", topic="missing and absent children") == missing

    harm = "The force is exploring harm-based measures of impact, such as fraud prevented and assets forfeited"
    soc = "How effectively does the force respond to serious and organised crime?"
    assert rows(project, built, "findings-about", topic="falcon-team") == [
        ("strength", harm, 33, "The Falcon team, which is dedicated to tackling cyber-crime and fraud, works to "
         "understand its impact on preventing harm by assessing the value of fraud (particularly against "
         "businesses) that it prevents through its disruption and prevention activities.", soc, f + "q4-2-17"),
        ("strength", harm, 33, "The criminal assets teams undertake a similar approach using a measurement method "
         "designed to illustrate harm based on the value of asset forfeitures made by the team.", soc, f + "q4-2-17"),
        ("strength", harm, 33, "The force is exploring other means of assessing the impact of its activity to "
         "tackle SOC.", soc, f + "q4-2-17"),
        ("strength", "The Falcon cyber-crime and fraud response includes prevention officers at the London "
         "Digital Security Centre", 33, "The force’s response to cyber-crime and fraud (Falcon) has a specific "
         "crime reduction element. Six cyber prevention officers are allocated to the London Digital Security "
         "Centre, which is a partnership between the force, the private sector and academia.", S_SOC_PARTNERS,
         f + "q4-3-02"),
    ]
    # The label "Falcon" (skos:altLabel) and the full IRI name the same team.
    assert rows(project, built, "findings-about", topic="Falcon") == rows(
        project, built, "findings-about", topic="falcon-team") == rows(
        project, built, "findings-about", topic=MET + "falcon-team")

    digital = [(r[0], r[2], r[5]) for r in rows(project, built, "findings-about", topic="digital-forensics")]
    assert digital == [
        ("area for improvement", 24, R + "afi/3"),
        ("strength", 2, f + "q2-2-3-01"), ("strength", 20, f + "q2-2-3-01"),
        ("strength", 20, f + "q2-2-3-02"), ("strength", 20, f + "q2-2-3-02"),
        ("observation", 20, f + "q2-2-3-03"), ("observation", 20, f + "q2-2-3-03"),
        ("weakness", 2, f + "q2-2-3-04"), ("weakness", 20, f + "q2-2-3-04"),
        ("weakness", 2, f + "q2-2-3-05"), ("weakness", 20, f + "q2-2-3-05"),
    ]
    # A broader topic finds the statements of its narrower ones (forensic services > digital forensics).
    forensics = {r[5] for r in rows(project, built, "findings-about", topic="forensics")}
    assert forensics == {r[2] for r in digital} | {f + "q2-2-2-10", f + "q2-2-2-11", f + "q2-2-2-12"}

    iom = [(r[0], r[2], r[5]) for r in rows(project, built, "findings-about", topic="integrated-offender-management")]
    assert iom == [
        ("area for improvement", 24, R + "afi/4"),
        ("weakness", 1, f + "overview-03"), ("weakness", 1, f + "overview-07"),
        ("observation", 22, f + "q2-3-2-01"), ("observation", 22, f + "q2-3-2-02"),
        ("weakness", 2, f + "q2-3-2-03"), ("weakness", 22, f + "q2-3-2-03"),
        ("weakness", 22, f + "q2-3-2-04"), ("weakness", 22, f + "q2-3-2-05"),
        ("weakness", 2, f + "q2-3-2-06"), ("weakness", 22, f + "q2-3-2-06"),
        ("strength", 22, f + "q2-3-2-07"), ("strength", 23, f + "q2-3-2-08"),
        ("recommendation", 22, rec + "implement-iom-consistently"),
    ]
    # The programme itself (met:iom) is named by the same statements.
    assert [(r[0], r[2], r[5]) for r in rows(project, built, "findings-about", topic="force:metropolitan/iom")] == iom


@check("topics-of-report")
def _topics_of_report(project, built):
    got = rows(project, built, "topics-of-report")
    assert columns(project, built, "topics-of-report") == ["topic", "kind", "statements", "item"]
    assert len(got) == 146
    assert len({r[3] for r in got}) == 40           # every topic of the scheme is used
    assert [r for r in got if r[3] == TOPIC + "missing-and-absent-children"] == [
        ("missing and absent children", "observation", 1, TOPIC + "missing-and-absent-children"),
        ("missing and absent children", "recommendation", 2, TOPIC + "missing-and-absent-children"),
        ("missing and absent children", "statistic", 1, TOPIC + "missing-and-absent-children"),
        ("missing and absent children", "strength", 1, TOPIC + "missing-and-absent-children"),
        ("missing and absent children", "weakness", 4, TOPIC + "missing-and-absent-children"),
    ]
    assert [r[1:3] for r in got if r[3] == TOPIC + "digital-forensics"] == [
        ("area for improvement", 1), ("observation", 1), ("statistic", 2), ("strength", 2), ("weakness", 2)]
    by_kind = Counter()
    for _, kind, n, _ in got:
        by_kind[kind] += n
    # Topic links per kind of statement (a statement with three topics counts three times).
    assert by_kind == {"strength": 131, "weakness": 69, "observation": 71, "best practice": 2,
                       "area for improvement": 15, "recommendation": 22, "statistic": 111}
    assert rows(project, built, "topics-of-report", report=REPORT) == got


@check("everything-about")
def _everything_about(project, built):
    rel, f = R + "relation/", R + "finding/"
    falcon = [
        ("relation", "aimedAt", None, "to", "cyber-crime and fraud", None),
        ("relation", "deliveredBy", None, "from", "London Digital Security Centre partnership",
         rel + "ldsc-partnership-delivered-by-falcon"),
        ("relation", "unitOf", None, "to", MPS, None),
        ("relation", "worksWith", None, "to", "London Digital Security Centre", rel + "falcon-team-works-with-ldsc"),
        ("statement", "statistic", "officers assigned = 6", None, None, R + "statistic/cyber-prevention-officers-ldsc"),
        ("statement", "strength", "The Falcon cyber-crime and fraud response includes prevention officers at the "
         "London Digital Security Centre", None, None, f + "q4-3-02"),
        ("statement", "strength", "The force is exploring harm-based measures of impact, such as fraud prevented "
         "and assets forfeited", None, None, f + "q4-2-17"),
    ]
    assert rows(project, built, "everything-about") == falcon
    assert rows(project, built, "everything-about", entity="Falcon team") == falcon
    # The other end of a symmetric relation sees it too, with the same evidence.
    ldsc = rows(project, built, "everything-about", entity="organisation:london-digital-security-centre")
    assert ("relation", "worksWith", None, "to", "Falcon team", rel + "falcon-team-works-with-ldsc") in ldsc
    # Operation Dauntless: what it targets, as topics, with the quotes behind them.
    assert [r for r in rows(project, built, "everything-about", entity="operation-dauntless")
            if r[0] == "relation"] == [
        ("relation", "aimedAt", None, "to", "domestic abuse", rel + "dauntless-aimed-at-domestic-abuse"),
        ("relation", "aimedAt", None, "to", "people likely to offend who are not convicted",
         rel + "dauntless-aimed-at-potential-offenders"),
        ("relation", "runBy", None, "to", MPS, None),
    ]
    # Dates and lengths: the pilot starts in (early) 2016.
    assert ("relation", "startDate", None, "to", "2016", rel + "mi-investigation-pilot-start") in rows(
        project, built, "everything-about", entity="mi-investigation-pilot")
    statements = [r for r in rows(project, built, "everything-about", entity="iom") if r[0] == "statement"]
    assert len(statements) == 13  # the 12 findings, areas for improvement and recommendations of findings-about, and a statistic
    assert ("statement", "statistic", "staff managing offenders in a borough = usually 1", None, None,
            R + "statistic/iom-staff-per-borough") in statements


@check("partnerships-of")
def _partnerships_of(project, built):
    p = ID + "partnership/"
    assert rows(project, built, "partnerships-of") == [
        ("Management of repeat offenders with the City of London Police", "City of London Police",
         "managing repeat offenders", p + "city-of-london-police-iom")]
    assert rows(project, built, "partnerships-of", entity="Falcon") == [
        ("London Digital Security Centre partnership", "London Digital Security Centre",
         "supports small and medium businesses in London by providing crime prevention support",
         p + "london-digital-security-centre")]
    # Nexus is run by the Met and the Home Office, so its partner is the Home Office's department.
    assert rows(project, built, "partnerships-of", entity="force:metropolitan/nexus") == [
        ("Nexus partnership with Home Office immigration enforcement",
         "UK immigration enforcement department of the Home Office",
         "to remove dangerous individuals who are not entitled legally to remain in the UK", p + "nexus")]
    assert rows(project, built, "partnerships-of", entity="scpo-offender-management-team") == [
        ("Applications for serious crime prevention orders with the CPS", "Crown Prosecution Service",
         "the application for SCPOs", p + "cps-serious-crime-prevention-orders")]
    force = rows(project, built, "partnerships-of", entity="force:metropolitan")
    assert len(force) == 21
    assert len({r[3] for r in force}) == 16         # all 16 partnerships of the report
    assert ("London Resilience Partnership", None,
            "to assess what risks London faces, and prepare how to respond to a major emergency",
            p + "london-resilience-partnership") in force


# -- The tests ----

def test_every_query_has_an_expected_result(project):
    assert sorted(p.stem for p in project.queries_dir.glob("*.rq")) == sorted(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_query_result(project, built, name):
    CHECKS[name](project, built)
