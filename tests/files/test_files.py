"""Loading and dumping model files (SPEC §2): safe, stable, located."""

from __future__ import annotations

import re
import sys

import pytest
import yaml
from builders import VALID_YAML, valid_data

from workbook.files import (
    DEFAULT_MAX_BYTES,
    MAX_BYTES_ENV,
    ModelFileError,
    ModelInvalid,
    Problem,
    dump_model,
    format_location,
    load_model_file,
    load_model_text,
    model_from_data,
    model_to_data,
    parse_yaml,
    write_text_atomic,
)
from workbook.files import reading as wio
from workbook.model import ScoringModel

TOP_LEVEL_ORDER = [
    "schema_version", "name", "description", "team", "states", "profile_grades", "engagement_levels",
    "matrix", "missing", "knockout_state", "profile", "engagement", "scenarios",
]


def file_error(text: str | bytes, **kw) -> str:
    with pytest.raises(ModelFileError) as exc:
        load_model_text(text, **kw)
    return str(exc.value)


# --------------------------------------------------------------------------------------------
# dump: order, round trip, tidy numbers
# --------------------------------------------------------------------------------------------
def top_level_keys(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"^([a-z_]+):", text, re.M)]


def test_dump_key_order_is_the_file_order():
    text = dump_model(load_model_text(VALID_YAML).model)
    assert top_level_keys(text) == TOP_LEVEL_ORDER


def test_dump_key_order_does_not_depend_on_input_order():
    data = valid_data()
    scrambled = dict(reversed(list(data.items())))
    scrambled["profile"] = [dict(reversed(list(f.items()))) for f in scrambled["profile"]]
    a = dump_model(ScoringModel.model_validate(data))
    b = dump_model(ScoringModel.model_validate(scrambled))
    assert a == b
    assert top_level_keys(b) == TOP_LEVEL_ORDER


def test_dump_nested_key_order():
    data = model_to_data(load_model_text(VALID_YAML).model)
    assert list(data["profile"][0]) == ["name", "weight", "column", "values"]
    assert list(data["profile"][0]["values"][0]) == ["label", "score", "match"]
    assert list(data["profile"][0]["values"][2]) == ["label", "score", "knockout"]
    assert list(data["scenarios"][0]) == ["name", "profile", "engagement", "estimate", "estimates_by_member"]
    assert list(data["team"][0]) == ["name", "title", "function", "role", "steering_committee", "email"]


def test_load_dump_load_is_identity():
    first = load_model_text(VALID_YAML).model
    text = dump_model(first)
    second = load_model_text(text).model
    assert second == first
    assert dump_model(second) == text


def test_dump_is_valid_yaml_for_any_safe_loader():
    text = dump_model(load_model_text(VALID_YAML).model)
    plain = yaml.safe_load(text)
    assert plain["name"] == "Sales automation software — test"
    assert plain["profile"][2]["values"][1]["label"] == "No"  # quoted, so YAML 1.1 loaders read text too
    assert plain["engagement_levels"][0]["level"] == "1"


def test_dump_does_not_write_defaults_except_missing():
    data = valid_data()
    del data["missing"]
    text = dump_model(ScoringModel.model_validate(data))
    assert "missing: zero" in text
    assert "knockout: false" not in text
    assert "steering_committee: false" not in text


def test_numbers_are_tidy():
    data = valid_data()
    data["profile"][0]["weight"] = 35.0
    data["profile"][1]["weight"] = 39.5
    data["profile"][2]["weight"] = 25.50
    data["profile_grades"][0]["min"] = 75.0
    text = dump_model(ScoringModel.model_validate(data))
    assert "weight: 35\n" in text
    assert "weight: 39.5\n" in text
    assert "weight: 25.5\n" in text
    assert "{grade: A, min: 75}" in text
    assert ".0\n" not in text and ".0}" not in text and ".0," not in text


def test_tidy_numbers_keep_the_value():
    data = valid_data()
    data["engagement"][1]["values"][1]["score"] = -100.0
    data["profile"][0]["values"][1]["score"] = 33.333
    m = ScoringModel.model_validate(data)
    again = load_model_text(dump_model(m)).model
    assert again.engagement[1].values[1].score == -100
    assert again.profile[0].values[1].score == 33.333


def test_multiline_description_round_trips_as_block():
    data = valid_data()
    data["description"] = "Line one\nLine two: with colon\n  indented # not a comment\n"
    m = ScoringModel.model_validate(data)
    text = dump_model(m)
    assert "description: |" in text
    assert load_model_text(text).model.description == data["description"]


# --------------------------------------------------------------------------------------------
# YAML 1.2 booleans: labels stay text
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("word", ["No", "no", "Off", "off", "Yes", "yes", "On", "Y", "n", "NO"])
def test_yes_no_on_off_labels_stay_text(word):
    text = VALID_YAML.replace("{label: No, score: 20}", f"{{label: {word}, score: 20}}")
    model = load_model_text(text).model
    assert model.profile[2].values[1].label == word
    assert load_model_text(dump_model(model)).model.profile[2].values[1].label == word


def test_true_and_false_are_booleans():
    parsed = parse_yaml("a: true\nb: False\nc: TRUE\nd: yes\n")
    assert parsed.data == {"a": True, "b": False, "c": True, "d": "yes"}


def test_dates_stay_text():
    assert parse_yaml("a: 2024-01-31\n").data == {"a": "2024-01-31"}


def test_boolean_label_is_a_shape_error():
    text = VALID_YAML.replace("{label: No, score: 20}", "{label: true, score: 20}")
    with pytest.raises(ModelInvalid) as exc:
        load_model_text(text)
    assert [p.location for p in exc.value.problems] == ["profile[2].values[1].label"]
    assert exc.value.problems[0].message == "must be text"


# --------------------------------------------------------------------------------------------
# aliases and tags refused
# --------------------------------------------------------------------------------------------
def test_alias_refused_with_line():
    text = "schema_version: 1\nname: &n Model\ndescription: *n\n"
    msg = file_error(text)
    assert "line 3" in msg
    assert "aliases" in msg


def test_billion_laughs_refused_fast():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    msg = file_error("\n".join(lines) + "\n")
    assert "aliases" in msg
    assert "line 2" in msg


def test_anchor_without_alias_is_harmless():
    assert parse_yaml("a: &x 1\n").data == {"a": 1}


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!python/object/apply:os.system ['echo pwned']", "python/object/apply:os.system"),
        ("!!python/object:builtins.dict {}", "python/object:builtins.dict"),
        ("!!python/name:os.system ''", "python/name:os.system"),
        ("!foo bar", "!foo"),
        ("!!binary aGVsbG8=", "binary"),
        ("!!set {x, y}", "set"),
        ("!!omap [{x: 1}]", "omap"),
        ("!!timestamp 2024-01-01", "timestamp"),
        ("!<tag:example.com,2024:thing> x", "tag:example.com,2024:thing"),
    ],
)
def test_custom_tags_refused(value, tag):
    msg = file_error(f"schema_version: 1\nname: {value}\n")
    assert tag in msg
    assert "not allowed" in msg
    assert "line 2" in msg


def test_python_tag_is_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    text = f"name: !!python/object/apply:os.system ['touch {marker}']\n"
    file_error(text)
    assert not marker.exists()


def test_tag_on_a_key_refused():
    assert "'!foo'" in file_error("!foo name: x\n")


@pytest.mark.parametrize("text", ["name: !!str 12\n", "name: !!int '12'\n"])
def test_plain_explicit_tags_allowed(text):
    assert "name" in parse_yaml(text).data


# --------------------------------------------------------------------------------------------
# size cap
# --------------------------------------------------------------------------------------------
def padded(size: int) -> str:
    """The valid model text padded with a comment to exactly ``size`` bytes."""
    base = VALID_YAML.encode("utf-8")
    pad = size - len(base) - 2
    assert pad >= 0
    return VALID_YAML + "#" + "x" * pad + "\n"


def test_default_cap_is_one_mebibyte(monkeypatch):
    monkeypatch.delenv(MAX_BYTES_ENV, raising=False)
    assert DEFAULT_MAX_BYTES == 1024 * 1024
    assert load_model_text(padded(DEFAULT_MAX_BYTES)).model.name.startswith("Sales automation")
    msg = file_error(padded(DEFAULT_MAX_BYTES + 1))
    assert "too large" in msg and "1,048,577 bytes" in msg and "1,048,576" in msg


def test_cap_via_max_bytes(monkeypatch):
    monkeypatch.delenv(MAX_BYTES_ENV, raising=False)
    size = len(VALID_YAML.encode("utf-8"))
    assert load_model_text(VALID_YAML, max_bytes=size).model
    assert "too large" in file_error(VALID_YAML, max_bytes=size - 1)


def test_cap_via_environment(monkeypatch, tmp_path):
    size = len(VALID_YAML.encode("utf-8"))
    monkeypatch.setenv(MAX_BYTES_ENV, str(size - 1))
    assert f"the limit is {size - 1:,} bytes" in file_error(VALID_YAML)
    path = tmp_path / "m.yaml"
    path.write_text(VALID_YAML, encoding="utf-8")
    with pytest.raises(ModelFileError, match="too large"):
        load_model_file(path)
    monkeypatch.setenv(MAX_BYTES_ENV, str(size))
    assert load_model_file(path).model.name


@pytest.mark.parametrize("raw", ["", "abc", "0", "-5"])
def test_bad_environment_value_falls_back_to_default(monkeypatch, raw):
    monkeypatch.setenv(MAX_BYTES_ENV, raw)
    assert wio.max_model_bytes() == DEFAULT_MAX_BYTES


def test_max_bytes_argument_wins_over_environment(monkeypatch):
    monkeypatch.setenv(MAX_BYTES_ENV, "10")
    assert load_model_text(VALID_YAML, max_bytes=10**6).model


def test_file_over_cap_is_refused_before_reading(monkeypatch, tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * 2000)
    with pytest.raises(ModelFileError, match="too large: 2,000 bytes"):
        load_model_file(path, max_bytes=1000)


# --------------------------------------------------------------------------------------------
# unreadable files
# --------------------------------------------------------------------------------------------
def test_syntax_error_reports_line_and_column():
    text = "schema_version: 1\nname: x\nstates: [a, b\nmatrix: {}\n"
    msg = file_error(text)
    assert re.search(r"line 4, column \d+: not valid YAML", msg), msg


def test_mapping_value_error_line_and_column():
    msg = file_error("schema_version: 1\nname: a: b\n")
    assert msg.startswith("line 2, column 8: not valid YAML: mapping values are not allowed here")


def test_tab_indentation_reports_line():
    msg = file_error("schema_version: 1\nprofile:\n\t- name: x\n")
    assert "line 3, column 1" in msg and "'\\t'" in msg


def test_two_documents_refused():
    assert "not valid YAML" in file_error("a: 1\n---\nb: 2\n")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("- a\n- b\n", "the file holds a list"),
        ("just text\n", "the file holds a single value"),
        ("42\n", "the file holds a single value"),
        ("~\n", "the file holds a single value"),
        ("", "file is empty"),
        ("# only a comment\n\n", "file is empty"),
        ("   \n\n", "file is empty"),
    ],
)
def test_top_level_must_be_a_mapping(text, fragment):
    msg = file_error(text)
    assert fragment in msg
    assert "a model file is a YAML mapping" in msg


@pytest.mark.parametrize("raw", [b"\xff\xfe\x00n\x00a", b"name: caf\xe9\n", b"\x80\x81\x82", b"name: \xc3\x28\n"])
def test_non_utf8_refused(raw):
    assert "not UTF-8" in file_error(raw)


def test_nul_bytes_refused():
    assert "NUL" in file_error(b"name: a\x00b\n")


def test_utf8_bom_accepted():
    assert load_model_text(b"\xef\xbb\xbf" + VALID_YAML.encode()).model.schema_version == 1


@pytest.mark.parametrize("char", ["\x07", "\x01", "\x1b", "\x7f", "\x0c"])
def test_control_characters_are_a_model_file_error(char):
    msg = file_error(VALID_YAML.replace("description: A small", f"description: A{char} small"))
    assert "line 3" in msg


def test_integer_with_too_many_digits_is_a_model_file_error():
    msg = file_error(VALID_YAML.replace("    weight: 35\n", "    weight: " + "9" * 5000 + "\n"))
    assert "line" in msg


def test_duplicate_keys_reported_with_line_of_first():
    text = VALID_YAML.replace("missing: zero\n", "missing: zero\nname: Second name\n")
    with pytest.raises(ModelInvalid) as exc:
        load_model_text(text)
    (problem,) = exc.value.problems
    second_line = text.splitlines().index("name: Second name") + 1
    assert problem.location == "name"
    assert "duplicate key (first given on line 2)" in problem.message
    assert problem.line == second_line
    assert str(problem) == f"name: duplicate key (first given on line 2); give each key once (line {second_line})"


def test_nested_duplicate_key_location():
    text = VALID_YAML.replace("    weight: 40\n", "    weight: 40\n    weight: 45\n", 1)
    with pytest.raises(ModelInvalid) as exc:
        load_model_text(text)
    (problem,) = exc.value.problems
    first = text.splitlines().index("    weight: 40") + 1
    assert problem.location == "profile[1].weight"
    assert f"first given on line {first}" in problem.message


def test_duplicate_keys_listed_together_with_shape_problems():
    text = VALID_YAML.replace("missing: zero\n", "missing: zero\nmissing: neutral\nbogus: 1\n")
    with pytest.raises(ModelInvalid) as exc:
        load_model_text(text)
    locations = [p.location for p in exc.value.problems]
    assert "missing" in locations and "bogus" in locations


@pytest.mark.parametrize("depth", [1200, 20000])
@pytest.mark.parametrize("style", ["flow_list", "flow_map", "block"])
def test_deep_nesting_refused_without_recursion_error(depth, style):
    if style == "flow_list":
        text = "name: " + "[" * depth + "]" * depth + "\n"
    elif style == "flow_map":
        text = "name: " + "{a: " * depth + "1" + "}" * depth + "\n"
    else:
        depth = min(depth, 1000)  # block indentation grows quadratically
        text = "".join(" " * i + "k:\n" for i in range(depth)) + " " * depth + "k: 1\n"
    limit = sys.getrecursionlimit()
    msg = file_error(text)
    assert "nested too deeply" in msg
    assert sys.getrecursionlimit() == limit


def test_moderate_nesting_is_a_shape_problem_not_a_crash():
    text = VALID_YAML.replace("description: A small", "description: " + "[" * 50 + "]" * 50 + "\n# A small")
    with pytest.raises(ModelInvalid) as exc:
        load_model_text(text)
    assert [p.location for p in exc.value.problems] == ["description"]


def test_missing_file(tmp_path):
    with pytest.raises(ModelFileError, match="no such file"):
        load_model_file(tmp_path / "nope.yaml")


def test_folder_is_not_a_file(tmp_path):
    with pytest.raises(ModelFileError, match="not a file|is a folder"):
        load_model_file(tmp_path)


def test_load_model_file_reads_utf8(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_bytes(VALID_YAML.encode("utf-8"))
    loaded = load_model_file(path)
    assert loaded.model.name == "Sales automation software — test"
    assert loaded.lines[("profile", 0, "weight")] == VALID_YAML.splitlines().index("    weight: 35") + 1


# --------------------------------------------------------------------------------------------
# problems and locations
# --------------------------------------------------------------------------------------------
def test_problem_str_format():
    assert str(Problem("profile[2].values[0].score", "must be between -100 and 100", line=41)) == (
        "profile[2].values[0].score: must be between -100 and 100 (line 41)"
    )
    assert str(Problem("name", "must not be empty")) == "name: must not be empty"


def test_format_location():
    assert format_location(("profile", 2, "values", 0, "score")) == "profile[2].values[0].score"
    assert format_location(("matrix", "B2")) == "matrix.B2"
    assert format_location(()) == "(top level)"


def test_shape_problems_carry_lines():
    text = VALID_YAML.replace("    weight: 40\n", "    weight: forty\n", 1)
    with pytest.raises(ModelInvalid) as exc:
        load_model_text(text)
    (problem,) = exc.value.problems
    assert problem.location == "profile[1].weight"
    assert problem.line == text.splitlines().index("    weight: forty") + 1
    assert str(problem).startswith("profile[1].weight: must be a number (line ")


def test_model_invalid_message_lists_every_problem():
    data = valid_data()
    del data["name"]
    data["profile"][0]["weight"] = "x"
    with pytest.raises(ModelInvalid) as exc:
        model_from_data(data)
    text = str(exc.value)
    assert "name: required key is missing" in text
    assert "profile[0].weight: must be a number" in text


@pytest.mark.parametrize(("literal", "fragment"), [(".nan", "finite"), (".inf", "finite"), ("-.inf", "finite"),
                                                   ("1.0e+400", "finite")])
def test_non_finite_numbers_are_shape_problems(literal, fragment):
    text = VALID_YAML.replace("    weight: 35\n", f"    weight: {literal}\n")
    with pytest.raises(ModelInvalid) as exc:
        load_model_text(text)
    (problem,) = exc.value.problems
    assert problem.location == "profile[0].weight"
    assert fragment in problem.message


# --------------------------------------------------------------------------------------------
# atomic writes
# --------------------------------------------------------------------------------------------
def test_write_text_atomic_writes_whole_file(tmp_path):
    target = tmp_path / "out.yaml"
    target.write_text("old")
    write_text_atomic(target, "new text — ü\n")
    assert target.read_text(encoding="utf-8") == "new text — ü\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]


def test_write_text_atomic_into_missing_folder_leaves_nothing(tmp_path):
    with pytest.raises(OSError):
        write_text_atomic(tmp_path / "nope" / "out.yaml", "x")
    assert list(tmp_path.iterdir()) == []


def test_write_text_atomic_failure_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.yaml"
    target.write_text("old")

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(wio.os, "replace", boom)
    with pytest.raises(OSError):
        write_text_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]


# Names refuse control and invisible characters (tests/security/test_names.py); match texts are
# free text, so the dumper's handling of unusual characters is tested on them.
@pytest.mark.parametrize("label", ["\x85", "Line\x85break"])
def test_next_line_character_round_trips(label):
    data = valid_data()
    data["profile"][2]["values"][1]["match"] = {"equals": [label]}
    model = ScoringModel.model_validate(data)
    assert load_model_text(dump_model(model)).model.profile[2].values[1].match.equals == [label]


@pytest.mark.parametrize("label", ["\u2028", "a\u2029b", "x\r", "tab\there", "\ufeff", "\xa0", "🚀"])
def test_unusual_characters_round_trip(label):
    data = valid_data()
    data["profile"][2]["values"][1]["match"] = {"equals": [label]}
    model = ScoringModel.model_validate(data)
    assert load_model_text(dump_model(model)).model == model


@pytest.mark.parametrize(("written", "label"), [("9:00", "9:00"), ("12:30", "12:30"), ("1_000", "1_000"),
                                                ("0b101", "0b101")])
def test_unquoted_labels_that_yaml_11_reads_as_numbers_keep_their_text(written, label):
    text = VALID_YAML.replace("{label: No, score: 20}", f"{{label: {written}, score: 20}}")
    assert load_model_text(text).model.profile[2].values[1].label == label
