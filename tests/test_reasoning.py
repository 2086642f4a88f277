"""The compiled rules give exactly the entailments of owlrl's full closure that queries use."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF

from peelkg.rdf.bridge import term_to_rdflib, to_rdflib
from peelkg.pipeline.reasoning import owlrl_closure

ORG = "http://www.w3.org/ns/org#"


@pytest.fixture(scope="session")
def owlrl_entailed(base, met_triples):
    """owlrl's full OWL RL closure of ontology + reference data + the Met report."""
    union = to_rdflib(base.ontology + base.reference + met_triples)
    closed = owlrl_closure(union)
    return {t for t in closed if t not in union}


@pytest.fixture(scope="session")
def rules_entailed(base, met_triples):
    asserted = base.reference + met_triples
    inferred = base.tbox.infer(asserted)
    return {tuple(term_to_rdflib(x) for x in (t.subject, t.predicate, t.object)) for t in inferred}


def _in_scope(triple, tbox) -> bool:
    """The entailment kinds the rules cover, about instance data (not the ontology's own terms)."""
    s, p, o = triple
    if isinstance(s, (BNode, Literal)) or isinstance(o, BNode):
        return False
    if not str(s).startswith("https://w3id.org/peelkg/id/"):
        return False
    if p == RDF.type:
        return str(o) in tbox.classes
    return str(p) in tbox.properties


def test_rules_yield_every_in_scope_entailment_of_owlrl(owlrl_entailed, rules_entailed, base):
    expected = {t for t in owlrl_entailed if _in_scope(t, base.tbox)}
    assert sorted(expected - rules_entailed) == []


def test_rules_yield_nothing_owlrl_does_not(owlrl_entailed, rules_entailed):
    assert sorted(rules_entailed - owlrl_entailed) == []


def test_best_practice_is_inferred_to_be_a_strength_and_a_finding(rules_entailed):
    practice = URIRef("https://w3id.org/peelkg/id/report/peel-2015-effectiveness-metropolitan/finding/q4-3-06")
    peel = "https://w3id.org/peelkg/def#"
    assert (practice, RDF.type, URIRef(peel + "Strength")) in rules_entailed
    assert (practice, RDF.type, URIRef(peel + "Finding")) in rules_entailed


def test_unit_membership_is_transitive(rules_entailed):
    flying_squad = URIRef("https://w3id.org/peelkg/id/force/metropolitan/flying-squad")
    met = URIRef("https://w3id.org/peelkg/id/force/metropolitan")
    assert (flying_squad, URIRef(ORG + "transitiveSubOrganizationOf"), met) in rules_entailed


def test_inverse_of_run_by_is_inferred(rules_entailed, met_graph):
    peel = "https://w3id.org/peelkg/def#"
    run_by = [(s, o) for s, o in met_graph.subject_objects(URIRef(peel + "runBy"))]
    assert run_by
    assert all((o, URIRef(peel + "runs"), s) in rules_entailed or (o, URIRef(peel + "runs"), s) in met_graph for s, o in run_by)


def test_reasoning_with_the_reference_closed_beforehand_adds_what_reasoning_over_both_adds(base, met_triples):
    together = set(base.tbox.infer(base.reference + met_triples)) - set(base.reference_closed.triples)
    given = base.tbox.infer(met_triples, given=base.reference_closed)
    assert len(given) == len(set(given)) == len(together) and set(given) == together


def test_a_transitive_link_through_given_triples_is_inferred(base):
    # The given triples say the Met is a unit of a parent; a report's unit of the Met is then
    # transitively part of that parent, a join of a report triple with a given one.
    import pyoxigraph as ox

    unit, met, parent = (ox.NamedNode("https://w3id.org/peelkg/id/" + name)
                         for name in ("force/metropolitan/unit-x", "force/metropolitan", "organisation/parent"))
    unit_of, sub_of = ox.NamedNode(ORG + "unitOf"), ox.NamedNode(ORG + "transitiveSubOrganizationOf")
    given = base.tbox.close([ox.Triple(met, unit_of, parent)])
    assert given.edges == (ox.Triple(met, sub_of, parent),)
    inferred = base.tbox.infer([ox.Triple(unit, unit_of, met)], given=given)
    assert sorted(t.object.value for t in inferred if t.subject == unit and t.predicate == sub_of) == [
        "https://w3id.org/peelkg/id/force/metropolitan", "https://w3id.org/peelkg/id/organisation/parent"]
