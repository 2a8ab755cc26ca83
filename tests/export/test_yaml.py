"""The model file export: final and draft texts and names, in the export core."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook.export import yaml as yaml_export
from workbook.export.naming import file_name, one_line, slug
from workbook.files import dump_model, load_model_file, load_model_text
from workbook.files.problems import Problem
from workbook.validate import Report, validate

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "sales_automation.yaml"


@pytest.fixture
def example():
    return load_model_file(EXAMPLE).model


@pytest.fixture
def invalid(example):
    model = example.model_copy(deep=True)
    model.profile[0].weight += 5
    return model


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sales automation software — FY27 lead scoring", "sales-automation-software-fy27-lead-scoring"),
        ("Crème brûlée / B2B  ", "creme-brulee-b2b"),
        ("../../etc/passwd", "etc-passwd"),
        ("———", "lead-scoring-model"),
        ("x" * 100, "x" * 60),
    ],
)
def test_slug(name, expected):
    assert slug(name) == expected


def test_file_names(example):
    assert yaml_export.final_file_name(example) == "sales-automation-software-fy27-lead-scoring.yaml"
    assert yaml_export.draft_file_name(example) == "sales-automation-software-fy27-lead-scoring-draft.yaml"
    assert file_name(example, "sql", suffix="-postgres") == "sales-automation-software-fy27-lead-scoring-postgres.sql"


def test_the_final_text_is_the_model_file(example):
    assert yaml_export.final_text(example) == dump_model(example)
    exported = yaml_export.render(example, {})
    assert (exported.content, exported.file_name) == (dump_model(example), yaml_export.final_file_name(example))


def test_the_draft_lists_every_problem_in_comments(invalid):
    report = validate(invalid)
    text = yaml_export.draft_text(invalid, report)
    head = text[: text.index("schema_version: 1")].splitlines()
    assert head[0] == f"# DRAFT: this model is not valid yet ({len(report.errors)} problem(s)); not for production use."
    assert head[1:] == [f"#   {p}" for p in report.errors]
    assert load_model_text(text).model == invalid
    assert yaml_export.render(invalid, {"draft": True}).content == text, "the report is computed when not given"


HIJACK = "Dana\nschema_version: 2\r\nname: hijacked\u2028x\x85y\u2029z"


def with_quoting_problem(report):
    """The report plus a problem quoting typed text with every kind of line break.

    Names refuse control characters now, so no rule of today quotes such text in an error;
    free-text fields (e-mail, notes, column names) still hold it, and a rule may quote one
    tomorrow. The draft's defence must hold whatever a problem quotes.
    """
    return Report(errors=[*report.errors, Problem("team[0].email", f"'{HIJACK}' does not look like an e-mail")],
                  warnings=report.warnings)


def test_draft_comments_cannot_be_escaped_by_typed_text(invalid):
    model = invalid.model_copy(deep=True)
    model.team[0].email = HIJACK  # free text: kept as typed, and round-trips
    report = with_quoting_problem(validate(model))
    text = yaml_export.draft_text(model, report)
    head = text[: text.index("schema_version: 1")]
    assert all(line.startswith("#") for line in head.splitlines())
    assert len(head.splitlines()) == 1 + len(report.errors)
    assert load_model_text(text).model == model


def test_one_line_flattens_every_control_character():
    assert one_line("a\nb\r\tc\x00d\u2028e\u2029f\x85g") == "a b  c d e f g"


def test_a_line_separator_in_a_problem_cannot_end_a_comment(invalid):
    """U+2028 is no control character, yet YAML ends a comment there: the draft did not open again."""
    model = invalid.model_copy(deep=True)
    report = Report(errors=[*validate(model).errors, Problem("notes", "Nobody\u2028name: hijacked")])
    text = yaml_export.draft_text(model, report)
    assert load_model_text(text).model == model


def test_a_valid_draft_says_it_is_a_draft(example):
    text = yaml_export.draft_text(example, validate(example))
    assert text.splitlines()[0] == "# DRAFT: a working copy of the model, not the agreed final export."
    assert load_model_text(text).model == example
