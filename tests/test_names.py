"""rdf.names: the one place IRIs are written short for people and read back."""

from __future__ import annotations


from peelkg.rdf.names import Namer, closest_first, compact, expand_iri, local_name
from peelkg.rdf.vocab import FORCE_NS

KENT = "https://w3id.org/peelkg/id/force/kent"


def test_compact_uses_the_longest_project_namespace():
    assert (compact(KENT), compact(KENT + "/cid"), compact("http://example.org/x")) == (
        "force:kent", "force:kent/cid", "<http://example.org/x>")


def test_expand_iri_reads_back_what_compact_writes():
    assert expand_iri(compact(KENT)) == expand_iri(f"<{KENT}>") == KENT


def test_namer_prefers_the_input_files_own_prefix_and_writes_slashed_locals_with_the_projects():
    namer = Namer({"kent": KENT + "/"})
    assert (namer(KENT + "/cid"), namer(KENT + "/cid/team")) == ("kent:cid", "force:kent/cid/team")


def test_local_name_in_a_namespace_and_after_the_last_slash_or_hash():
    assert (local_name(KENT, FORCE_NS), local_name(KENT), local_name("https://w3id.org/peelkg/def#Report"),
            local_name("http://example.org/x", FORCE_NS)) == ("kent", "kent", "Report", "http://example.org/x")


def test_closest_first_orders_names_by_similarity():
    assert closest_first("kentt", ["essex", "kent", "gwent"]) == ["kent", "gwent", "essex"]
