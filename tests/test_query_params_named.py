"""The `entity` and `subject` parameter types: a named thing or topic given by IRI, prefixed name,
id or label, checked against the built graph."""

from __future__ import annotations

import pytest
import pyoxigraph as ox

from peelkg.errors import UserError
from peelkg.pipeline.store import open_store
from peelkg.query.library import Param
from peelkg.query.local import lookup_on
from peelkg.query.params import Resolver

ID = "https://w3id.org/peelkg/id/"
MET = ID + "force/metropolitan/"
TOPIC = ID + "topic/"


@pytest.fixture(scope="module")
def resolver(built):
    return Resolver(lookup_on(open_store(built)))


@pytest.mark.parametrize("value", ["falcon-team", "Falcon", "falcon team", "  FALCON   TEAM ",
                                   "force:metropolitan/falcon-team", "force/metropolitan/falcon-team",
                                   MET + "falcon-team"])
def test_an_entity_by_id_label_prefixed_name_or_iri(resolver, value):
    assert resolver.resolve(Param("entity", "entity"), value) == ox.NamedNode(MET + "falcon-team")


def test_a_force_is_an_entity(resolver):
    assert resolver.resolve(Param("entity", "entity"), "force:metropolitan") == ox.NamedNode(ID + "force/metropolitan")


@pytest.mark.parametrize("value", ["missing-and-absent-children", "Missing and absent children",
                                   "topic:missing-and-absent-children", TOPIC + "missing-and-absent-children"])
def test_a_subject_by_topic_id_label_prefixed_name_or_iri(resolver, value):
    assert resolver.resolve(Param("topic", "subject"), value) == ox.NamedNode(TOPIC + "missing-and-absent-children")


def test_a_subject_that_is_no_topic_is_a_named_thing(resolver):
    assert resolver.resolve(Param("topic", "subject"), "Falcon") == ox.NamedNode(MET + "falcon-team")


def test_a_name_of_both_a_topic_and_a_thing_means_the_topic(resolver):
    # "integrated offender management" is the topic's label and the programme's (met:iom).
    assert resolver.resolve(Param("topic", "subject"), "integrated offender management") == ox.NamedNode(
        TOPIC + "integrated-offender-management")
    assert resolver.resolve(Param("entity", "entity"), "integrated offender management") == ox.NamedNode(MET + "iom")


def test_an_ambiguous_id_lists_the_things_it_could_mean(resolver):
    with pytest.raises(UserError) as error:
        resolver.resolve(Param("entity", "entity"), "nexus")
    assert str(error.value) == ("'nexus' names more than one named thing for parameter entity: "
                                "force:metropolitan/nexus, partnership:nexus; give one of these.")


def test_an_unknown_name_suggests_the_closest(resolver):
    with pytest.raises(UserError) as error:
        resolver.resolve(Param("topic", "subject"), "burglery")
    assert str(error.value) == ("Unknown topic or named thing 'burglery' for parameter topic. Closest names: "
                                "burglary, topic:burglary, topic/burglary, surrey. Give its IRI, prefixed name, id (the IRI's last "
                                "part) or label.")


@pytest.mark.parametrize("kind", ["entity", "subject"])
@pytest.mark.parametrize("payload", ['x" } ; DROP ALL ; #', "x> } UNION { ?s ?p ?o } #", "metropolitan\n} #"])
def test_injection_through_a_named_parameter_is_refused(resolver, kind, payload):
    with pytest.raises(UserError):
        resolver.resolve(Param("p", kind), payload)
