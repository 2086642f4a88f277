"""Issue 11's corrections to the Met report's data, one test each (facts checked against
data/sources/peel-2015-effectiveness-metropolitan.txt)."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from peelkg.rdf.vocab import ID, OA, ORG, PEEL

R = ID + "report/peel-2015-effectiveness-metropolitan/"
MET = ID + "force/metropolitan/"
STAT = R + "statistic/"
QUALIFIER = ID + "qualifier/"


def _stat(name):
    return URIRef(STAT + name)


def test_areas_for_improvement_are_numbered_within_their_question(met_graph):
    numbering = {str(a)[len(R):]: (str(met_graph.value(a, PEEL.question)).rsplit("/", 1)[-1],
                                   int(met_graph.value(a, PEEL.ordinal)))
                 for a in met_graph.subjects(RDF.type, PEEL.AreaForImprovement)}
    assert numbering == {"afi/1": ("q2", 1), "afi/2": ("q2", 2), "afi/3": ("q2", 3), "afi/4": ("q2", 4),
                         "afi/5": ("q4", 1), "afi/6": ("q4", 2), "afi/7": ("q4", 3), "afi/8": ("q4", 4)}


def test_the_question_3_judgment_quote_stands_under_summary_of_findings(met_graph, met_source):
    evidence = URIRef(R + "evidence/judgment-q3")
    assert str(met_graph.value(evidence, PEEL.section)) == "Summary of findings"
    assert met_source.find(str(met_graph.value(evidence, OA.exact))).page == 25


def test_no_sentence_is_both_a_finding_and_a_recommendation(met_graph):
    def quotes(cls):
        return {str(met_graph.value(e, OA.exact)) for s in met_graph.subjects(RDF.type, cls)
                for e in met_graph.objects(s, PEEL.evidence)}

    texts = {str(t) for t in met_graph.objects(None, PEEL.text)}
    findings = quotes(PEEL.Finding) | quotes(PEEL.Strength) | quotes(PEEL.Weakness) | quotes(PEEL.Observation)
    assert findings & (quotes(PEEL.Recommendation) | quotes(PEEL.AreaForImprovement) | texts) == set()
    assert (URIRef(R + "finding/q4-03"), None, None) not in met_graph
    assert (URIRef(R + "recommendation/increase-frontline-intelligence-flow"), RDF.type, PEEL.Recommendation) in met_graph


def test_only_organisational_units_are_units_of_something(met_graph):
    assert [s for s in met_graph.subjects(ORG.unitOf, None)
            if (s, RDF.type, PEEL.PartnerOrganisation) in met_graph] == []
    immigration = URIRef(ID + "org/uk-immigration-enforcement")
    assert set(met_graph.objects(immigration, RDF.type)) == {PEEL.OrganisationalUnit}
    assert met_graph.value(immigration, ORG.unitOf) == URIRef(ID + "org/home-office")


def test_qualified_figures_say_how_they_are_qualified(met_graph):
    qualified = {str(s)[len(STAT):]: (str(q)[len(QUALIFIER):], str(met_graph.value(s, PEEL.value)))
                 for s, q in met_graph.subject_objects(PEEL.qualifier)}
    assert qualified == {
        "sco7-establishment-shortfall": ("approximately", "15"),        # "approximately 15 percent below strength"
        "organised-crime-group-member-arrests": ("at-least", "2702"),   # "at least 2,702 OCG members"
        "maximum-crime-allocation-delay": ("up-to", "3"),                # "delays of up to three days"
        "iom-staff-per-borough": ("usually", "1"),                       # "usually have only one member of staff"
        "london-resilience-partnership-members": ("more-than", "170"),  # "more than 170 organisations"
    }
    assert (None, PEEL.lowerBound, None) not in met_graph


def test_a_figure_for_england_and_wales_without_the_met_names_that_area(met_graph):
    assert met_graph.value(_stat("organised-crime-groups-drug-activity-share-ew"), PEEL.refArea) == URIRef(
        ID + "area/england-and-wales-excluding-the-met")


def test_firearms_seized_are_parts_of_the_firearms_submitted(met_graph):
    total = _stat("firearms-submitted-for-forensic-examination")
    assert set(met_graph.subjects(PEEL.partOfTotal, total)) == {_stat("firearms-seized-sco7"), _stat("firearms-seized-sco8")}


def test_property_marking_kits_are_planned_over_the_projects_three_years(met_graph):
    period = met_graph.value(_stat("property-marking-kit-homes-planned"), PEEL.refPeriod)
    assert period == URIRef(ID + "period/property-marking-project")
    assert met_graph.value(period, PEEL.durationMonths) == Literal(36)
    assert met_graph.value(URIRef(MET + "traceable-liquid-property-marking"), PEEL.durationMonths) == Literal(36)


def test_dates_of_the_pilot_and_the_crime_prevention_strategy_are_typed(met_graph):
    pilot, strategy = URIRef(MET + "mi-investigation-pilot"), URIRef(MET + "crime-prevention-strategy-2013-2016")
    assert met_graph.value(pilot, PEEL.partOfInitiative) == URIRef(MET + "mi-investigation")
    assert met_graph.value(pilot, PEEL.startDate) == Literal("2016", datatype=XSD.gYear)
    assert met_graph.value(strategy, PEEL.startDate) == Literal("2013", datatype=XSD.gYear)
    assert met_graph.value(strategy, PEEL.endDate) == Literal("2016", datatype=XSD.gYear)


def test_the_relations_the_issue_found_missing_are_stated(met_graph):
    assert (URIRef(MET + "falcon-team"), PEEL.worksWith, URIRef(ID + "org/london-digital-security-centre")) in met_graph
    for initiative in ("safer-gems", "safer-cash"):
        assert (URIRef(MET + "flying-squad"), PEEL.worksWith, URIRef(ID + "initiative/" + initiative)) in met_graph
    assert (URIRef(ID + "partnership/city-of-london-police-iom"), PEEL.deliveredBy, URIRef(MET + "iom")) in met_graph
    assert (URIRef(ID + "partnership/nexus"), PEEL.deliveredBy, URIRef(MET + "nexus")) in met_graph
