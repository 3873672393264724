"""Reading RAT filings from a JSON file: one object, an array, or JSON lines."""
import json

import pytest

from cli.json_files import Unparseable, read_json_items, validate_filing_item
from streams.validation import InvalidEvent


def json_file(tmp_path, text, name="filings.json", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_single_object_is_one_item_called_the_object(tmp_path):
    path = json_file(tmp_path, '{"filing_id": "F1"}')
    assert list(read_json_items(path)) == [("the object", {"filing_id": "F1"})]


def test_an_array_yields_its_items_numbered_from_one(tmp_path):
    path = json_file(tmp_path, json.dumps([{"filing_id": "F1"}, {"filing_id": "F2"}], indent=2))
    assert list(read_json_items(path)) == [("item 1", {"filing_id": "F1"}), ("item 2", {"filing_id": "F2"})]


def test_a_file_with_a_byte_order_mark_is_read(tmp_path):
    path = json_file(tmp_path, '[{"filing_id": "F1"}]', encoding="utf-8-sig")
    assert list(read_json_items(path)) == [("item 1", {"filing_id": "F1"})]


def test_json_lines_yield_one_item_per_line(tmp_path):
    path = json_file(tmp_path, '{"filing_id": "F1"}\n{"filing_id": "F2"}\n', name="filings.jsonl")
    assert list(read_json_items(path)) == [("line 1", {"filing_id": "F1"}), ("line 2", {"filing_id": "F2"})]


def test_a_broken_json_line_is_reported_by_its_line_number_and_the_others_are_kept(tmp_path):
    path = json_file(tmp_path, '{"filing_id": "F1"}\n{"filing_id": \n{"filing_id": "F3"}\n', name="filings.jsonl")
    assert list(read_json_items(path)) == [
        ("line 1", {"filing_id": "F1"}),
        ("line 2", Unparseable("not valid JSON: Expecting value at column 15")),
        ("line 3", {"filing_id": "F3"}),
    ]


def test_blank_lines_between_json_lines_are_skipped_without_renumbering(tmp_path):
    path = json_file(tmp_path, '{"filing_id": "F1"}\n\n{"filing_id": "F3"}\n', name="filings.jsonl")
    assert list(read_json_items(path)) == [("line 1", {"filing_id": "F1"}), ("line 3", {"filing_id": "F3"})]


def test_blank_lines_at_the_top_of_a_json_lines_file_do_not_shift_line_numbers(tmp_path):
    path = json_file(tmp_path, '\n\n{"filing_id": "F3"}\n{broken\n', name="filings.jsonl")
    assert [where for where, _ in read_json_items(path)] == ["line 3", "line 4"]


def test_a_broken_pretty_printed_object_is_reported_as_one_problem(tmp_path):
    path = json_file(tmp_path, '{\n  "filing_id": "F1",\n  "members": \n}\n')
    assert len(list(read_json_items(path))) == 1


def test_a_broken_line_becomes_a_refusal_naming_the_json_error(tmp_path):
    path = json_file(tmp_path, '{"filing_id": "F1"\n', name="filings.jsonl")
    [(where, item)] = read_json_items(path)
    with pytest.raises(InvalidEvent, match="not valid JSON"):
        validate_filing_item(item)


def test_an_array_item_that_is_not_an_object_is_refused_as_such():
    with pytest.raises(InvalidEvent, match="expected a JSON object"):
        validate_filing_item(42)


def test_an_array_item_that_is_a_json_string_is_refused_as_not_an_object(tmp_path):
    [(where, item)] = read_json_items(json_file(tmp_path, '["RAT 2024 sudah dilaksanakan"]'))
    with pytest.raises(InvalidEvent, match="expected a JSON object"):
        validate_filing_item(item)
