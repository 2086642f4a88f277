"""Hostile and broken input files: each is refused with exit 2 and one message naming the file,
never a traceback, a crash or the machine's memory. Files are read in a child process
(peelkg_process) so that a crash or a runaway allocation fails the test, not the test run."""

from __future__ import annotations

import os

import pytest

from peelkg_process import WITHOUT_ROOT_POWERS, assert_clean_failure, run

pytestmark = pytest.mark.reliability

MET = "peel-2015-effectiveness-metropolitan"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _validate(path, env=None):
    return run("validate", str(path), env=env)


def _billion_laughs(levels: int) -> str:
    entities = ['<!ENTITY l0 "ha">'] + [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, levels + 1)]
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{chr(10).join(entities)}\n]>\n'
            f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:e="http://example.org/">\n'
            f'<rdf:Description rdf:about="http://example.org/x"><e:p>&l{levels};</e:p></rdf:Description>\n'
            "</rdf:RDF>\n")


def test_billion_laughs_is_refused_before_it_expands(tmp_path):
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(_billion_laughs(9))  # 2 * 10^9 characters if expanded
    result = _validate(bomb)
    assert_clean_failure(result, 2, f"{bomb}: its XML entities (&l9; and others) would expand to over 1,000,000 "
                                    "characters", "PEELKG_MAX_ENTITY_EXPANSION")


def test_entities_within_the_limit_are_expanded(tmp_path):
    small = tmp_path / "small.rdf"
    small.write_text(_billion_laughs(3))  # 2,000 characters
    result = _validate(small)
    assert "Traceback" not in result.stderr
    assert "entities" not in result.stderr
    assert result.returncode == 1  # read fine; it is just not a PEEL report


def test_entity_limit_can_be_lowered(tmp_path):
    small = tmp_path / "small.rdf"
    small.write_text(_billion_laughs(3))
    result = _validate(small, env={"PEELKG_MAX_ENTITY_EXPANSION": "1k"})
    assert_clean_failure(result, 2, "would expand to over 1,000 characters")


def test_deeply_nested_json_ld_is_refused_not_a_crash(tmp_path):
    deep = tmp_path / "deep.jsonld"
    deep.write_text('{"@id": "http://example.org/x", "http://example.org/p": ' * 5000 + '"v"' + "}" * 5000)
    result = _validate(deep)
    assert_clean_failure(result, 2, f"{deep}: the JSON nests objects and arrays 101 deep by line 1, more than "
                                    "the limit of 100 levels (PEELKG_MAX_JSONLD_DEPTH)")


def test_json_ld_braces_inside_strings_are_not_nesting(tmp_path):
    doc = tmp_path / "strings.jsonld"
    doc.write_text('{"@id": "http://example.org/x", "http://example.org/p": "' + "{[" * 500 + '"}')
    result = _validate(doc)
    assert "JSON nests" not in result.stderr
    assert result.returncode == 1, result.stderr


def test_file_over_the_size_limit_is_refused_unread(tmp_path):
    big = tmp_path / "big.ttl"
    big.write_text("<http://example.org/x> <http://example.org/p> \"" + "a" * 99_949 + "\" .\n")
    result = _validate(big, env={"PEELKG_MAX_FILE_SIZE": "99k"})  # above the ontology's size
    assert_clean_failure(result, 2, f"{big}: the file has 100,000 bytes, more than the limit of 99,000 bytes "
                                    "(PEELKG_MAX_FILE_SIZE)")


def test_hundred_megabyte_file_is_refused_by_default(tmp_path):
    big = tmp_path / "literal.ttl"
    with open(big, "w") as handle:  # 100 MB in one literal: once a MemoryError traceback
        handle.write('<http://example.org/x> <http://example.org/p> "')
        for _ in range(100):
            handle.write("a" * 1_000_000)
        handle.write('" .\n')
    result = _validate(big)
    assert_clean_failure(result, 2, f"{big}: the file has 100,000,051 bytes, more than the limit of 64,000,000 "
                                    "bytes (PEELKG_MAX_FILE_SIZE)")


def test_literal_over_the_limit_is_refused_with_its_subject(tmp_path):
    big = tmp_path / "literal.ttl"
    big.write_text('<http://example.org/x> <http://example.org/p> "' + "a" * 2_000_000 + '" .\n')
    result = _validate(big)
    assert_clean_failure(result, 2, f"{big}: a literal of <http://example.org/x> has 2,000,000 characters, more "
                                    "than the limit of 1,000,000 characters (PEELKG_MAX_LITERAL_SIZE)")


def test_a_bad_limit_value_is_explained(tmp_path):
    doc = tmp_path / "x.ttl"
    doc.write_text("<http://example.org/x> <http://example.org/p> 1 .\n")
    result = _validate(doc, env={"PEELKG_MAX_FILE_SIZE": "lots"})
    assert_clean_failure(result, 2, "PEELKG_MAX_FILE_SIZE='lots' is not a number")


def test_byte_order_mark_is_named_not_an_invisible_subject(tmp_path):
    doc = tmp_path / "bom.ttl"
    doc.write_bytes(b"\xef\xbb\xbf@prefix e: <http://example.org/> .\ne:x e:p 1 .\n")
    result = _validate(doc)
    assert_clean_failure(result, 2, f"{doc}:1:1: the file starts with a byte order mark (U+FEFF")
    assert "\ufeff" not in result.stderr


def test_rdf_xml_error_has_a_line(tmp_path):
    doc = tmp_path / "bad.rdf"
    doc.write_text(f'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="{RDF}" xmlns:e="http://example.org/">\n'
                   '<rdf:Description rdf:about="http://example.org/x">\n  <e:p>ok</e:p>\n  <e:q>bad</e:r>\n'
                   "</rdf:Description>\n</rdf:RDF>\n")
    result = _validate(doc)
    assert_clean_failure(result, 2, f"{doc}:5:")


# -- Report folders the build cannot read ----

def _build(project_copy):
    return run("--project", str(project_copy), "build", "-q")


def _report(project_copy):
    return project_copy / "data" / "reports" / MET


def test_symlink_loop_in_a_report_folder(project_copy):
    loop = _report(project_copy) / "loop.ttl"
    os.symlink(loop, loop)
    assert_clean_failure(_build(project_copy), 2, f"{loop}: a symbolic link that leads nowhere")


def test_dangling_link_in_a_report_folder(project_copy):
    link = _report(project_copy) / "gone.ttl"
    os.symlink(project_copy / "missing.ttl", link)
    assert_clean_failure(_build(project_copy), 2, f"{link}: a symbolic link that leads nowhere")


def test_folder_named_like_a_turtle_file(project_copy):
    folder = _report(project_copy) / "x.ttl"
    folder.mkdir()
    assert_clean_failure(_build(project_copy), 2, f"{folder}: a folder, but its name ends in .ttl")


def test_unreadable_file_in_a_report_folder(project_copy):
    secret = _report(project_copy) / "judgments.ttl"
    secret.chmod(0)
    result = run("--project", str(project_copy), "build", "-q", prefix=WITHOUT_ROOT_POWERS)
    assert_clean_failure(result, 2, f"{secret}: cannot read: Permission denied")


def test_build_dir_that_is_a_file(project_copy, tmp_path):
    file = tmp_path / "not-a-folder"
    file.write_text("x")
    result = run("--project", str(project_copy), "--build-dir", str(file), "build", "-q")
    assert_clean_failure(result, 2, f"The build folder {file} is a file, not a folder")
    assert file.read_text() == "x"
