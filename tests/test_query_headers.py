"""The parsed headers a build keeps (query.library.known_headers): used only for the exact text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peelkg.pipeline.publish import QUERY_HEADERS, current_dir, read_query_headers, write_query_headers
from peelkg.query.library import Library, known_headers

QUERY = """#+ summary: Every subject
#+ tags: [test]
#+ params:
#+   report: {type: report, default: peel-2015-effectiveness-metropolitan}

SELECT ?s WHERE { ?s ?p ?o }
"""


@pytest.fixture
def queries(tmp_path) -> Path:
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "everything.rq").write_text(QUERY, encoding="utf-8")
    return folder


def test_the_build_keeps_the_header_of_every_stored_query(built, project):
    kept = read_query_headers(built)
    assert len(kept) == len(list(project.queries_dir.glob("*.rq")))
    assert kept == known_headers(project.queries_dir)


def test_a_kept_header_is_used_for_the_same_text(queries):
    (source,) = known_headers(queries)
    known = {source: {"summary": "as the build parsed it"}}
    assert Library(queries, known).get("everything").summary == "as the build parsed it"


def test_a_header_edited_since_the_build_is_parsed_again(queries):
    known = known_headers(queries)
    (queries / "everything.rq").write_text(QUERY.replace("Every subject", "Every subject, edited"), encoding="utf-8")
    assert Library(queries, known).get("everything").summary == "Every subject, edited"


def test_a_header_json_would_change_is_not_kept(queries):
    (queries / "dated.rq").write_text("#+ summary: Dated\n#+ since: 2016-02-01\n\nASK {}\n", encoding="utf-8")
    assert [json.loads(json.dumps(meta))["summary"] for meta in known_headers(queries).values()] == [
        "Every subject"]


def test_a_broken_header_is_not_kept_and_fails_when_asked_for(queries):
    (queries / "broken.rq").write_text("#+ summary: [unclosed\n\nASK {}\n", encoding="utf-8")
    assert len(known_headers(queries)) == 1
    with pytest.raises(Exception, match=r"broken\.rq:1: the '#\+' header is not valid YAML"):
        Library(queries, known_headers(queries)).get("broken")


@pytest.mark.parametrize("damage", [b"{not json", b"[]", b'{"summary: x": "not a dict"}'])
def test_a_damaged_headers_file_is_ignored(tmp_path, damage):
    write_query_headers(tmp_path, {"summary: x": {"summary": "x"}})
    assert read_query_headers(tmp_path) == {"summary: x": {"summary": "x"}}
    (current_dir(tmp_path) / QUERY_HEADERS).write_bytes(damage)
    assert read_query_headers(tmp_path) == {}
