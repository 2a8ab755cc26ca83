"""AppTest: the Model summary page — the document, final/draft downloads, upload and examples.

Plus the pure functions behind the downloads (file names, draft text, match rules in words).
"""

from __future__ import annotations

import re
from pathlib import Path
from unittest.mock import patch

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from workbook.files import load_model_file, load_model_text
from workbook.files.problems import Problem
from workbook.model import Estimate, Match, Scenario
from workbook.ui import actions, summary_page
from workbook.ui.keys import StateKeys, page_key
from workbook.ui.text import md
from workbook.validate import Report, validate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "sales_automation.yaml"
OTHER_EXAMPLE = ROOT / "scenarios" / "x_education.yaml"
PAGE = "pages/model_summary.py"


@pytest.fixture
def example():
    return load_model_file(EXAMPLE).model


@pytest.fixture
def invalid(example):
    """The example with the first ICP weight raised by 5: the weights add up to 105."""
    model = example.model_copy(deep=True)
    model.profile[0].weight += 5
    return model


def rev(at: AppTest) -> int:
    return at.session_state[StateKeys.REVISION]


def unescape(markdown: str) -> str:
    """What a Markdown renderer shows for backslash-escaped text."""
    return re.sub(r"\\(.)", r"\1", markdown)


def download_keys(at: AppTest) -> set[str]:
    return {b.key for b in at.get("download_button")}


class Downloads:
    """Captures what the page hands to its download buttons (file name → bytes)."""

    def __init__(self):
        self.files: dict[str, bytes] = {}

    def __enter__(self):
        original = MediaFileManager.add
        files = self.files

        def add(manager, data, mimetype, coordinates, file_name=None, is_for_static_download=False):
            if file_name:
                files[file_name] = data
            return original(manager, data, mimetype, coordinates, file_name=file_name,
                            is_for_static_download=is_for_static_download)

        self._patch = patch.object(MediaFileManager, "add", add)
        self._patch.start()
        return self

    def __exit__(self, *exc):
        self._patch.stop()


def upload(at: AppTest, name: str, data: bytes) -> None:
    at.file_uploader(key=f"summary.upload@{rev(at)}").upload(name, data, "application/x-yaml").run()
    assert not at.exception, at.exception


# --------------------------------------------------------------------------------------------
# The document
# --------------------------------------------------------------------------------------------
def test_summary_of_a_valid_model(open_page, example):
    with Downloads() as downloads:
        at = open_page(PAGE)
    assert unescape(at.title[0].value) == example.name
    assert any("Valid" in s.value for s in at.success)
    assert download_keys(at) == {"summary.download_final", "summary.download_draft"}
    final = downloads.files["sales-automation-software-fy27-lead-scoring.yaml"]
    assert load_model_text(final).model == example
    draft = downloads.files["sales-automation-software-fy27-lead-scoring-draft.yaml"].decode()
    assert draft.startswith("# DRAFT")
    assert load_model_text(draft).model == example
    # Sections for the steering committee, with the model's own numbers.
    headers = [h.value for h in at.header]
    assert headers == ["Validation", "Thresholds and the action grid", "ICP weights", "Activity weights",
                       "Test scenarios", "Team and steering committee"]
    tables = [t.value for t in at.table]
    weights = next(t for t in tables if "Lead\\-list column" in t.columns and len(t) == len(example.profile))
    assert [unescape(w) for w in weights["Weight"]] == [f"{a.weight:g} %" for a in example.profile]
    assert any("17 of 21 scenarios agree" in m.value and "81 %" in m.value for m in at.markdown)
    assert any("Dana Ortiz, Marcus Lindqvist, Akira Tanaka" in m.value for m in at.markdown)
    assert at.get("plotly_chart"), "the grid heatmap"


def test_the_print_stylesheet_is_static_css(open_page):
    at = open_page(PAGE)
    css = [h.value for h in at.html if "@media print" in h.value]
    assert len(css) == 1
    assert "<script" not in css[0].lower() and "stSidebar" in css[0] and "break-inside: avoid" in css[0]
    assert css[0].strip() == summary_page.PRINT_CSS.strip(), "no user text in it"


def test_invalid_model_refuses_the_final_export_and_lists_the_problems(open_page, invalid):
    with Downloads() as downloads:
        at = open_page(PAGE, invalid)
    assert download_keys(at) == {"summary.download_draft"}, "only the draft is offered"
    expected = [str(p) for p in validate(invalid).errors]
    assert any("profile" in p and "100" in p for p in expected), "the test breaks the weight total"
    refusal = next(e for e in at.error if "Final export refused" in str(e.proto))
    assert [unescape(line[2:]) for line in refusal.value.splitlines()] == expected
    listing = next(e for e in at.error if "Invalid" in str(e.proto))  # the Validation section
    assert [unescape(line[2:]) for line in listing.value.splitlines()] == expected
    draft = downloads.files["sales-automation-software-fy27-lead-scoring-draft.yaml"].decode()
    assert load_model_text(draft).model == invalid
    assert all(p in draft for p in expected), "the draft says why it is not final"


# --------------------------------------------------------------------------------------------
# Upload and examples
# --------------------------------------------------------------------------------------------
def test_uploading_a_valid_file_opens_it(open_page):
    at = open_page(PAGE)
    before = at.session_state[StateKeys.WORKBOOK]
    upload(at, "x_education.yaml", OTHER_EXAMPLE.read_bytes())
    assert at.session_state[StateKeys.MODEL] == load_model_file(OTHER_EXAMPLE).model
    assert at.session_state[StateKeys.WORKBOOK] != before, "a new workbook"
    assert any("the uploaded file x\\_education\\.yaml" in s.value and "passes validation" in s.value
               for s in at.success)
    assert unescape(at.title[0].value) == load_model_file(OTHER_EXAMPLE).model.name


def test_uploading_a_broken_file_shows_where_and_keeps_the_model(open_page, example):
    at = open_page(PAGE)
    text = EXAMPLE.read_text()
    broken = text.replace("weight: 30 ", "weight: thirty ", 1)
    line = broken.splitlines().index(next(ln for ln in broken.splitlines() if "weight: thirty" in ln)) + 1
    upload(at, "broken.yaml", broken.encode())
    assert at.session_state[StateKeys.MODEL] == example, "nothing changed"
    refusal = next(e for e in at.error if "Could not open" in str(e.proto))
    assert unescape(refusal.value) == f"- profile[0].weight: must be a number (line {line})"
    assert "broken" in str(refusal.proto)


def test_uploading_text_that_is_not_yaml(open_page, example):
    at = open_page(PAGE)
    upload(at, "notes.yaml", b"name: [unclosed\n")
    assert at.session_state[StateKeys.MODEL] == example
    assert any("line 2" in unescape(e.value) and "not valid YAML" in unescape(e.value) for e in at.error)


def test_uploading_a_file_over_the_size_cap(open_page, example, monkeypatch):
    at = open_page(PAGE)
    monkeypatch.setenv("WORKBOOK_MAX_MODEL_BYTES", "100")  # after the example workbook opened
    upload(at, "big.yaml", EXAMPLE.read_bytes())
    assert at.session_state[StateKeys.MODEL] == example
    assert any("too large" in unescape(e.value) for e in at.error)


def test_uploading_an_invalid_model_opens_it_as_a_draft_with_warnings(open_page, invalid):
    at = open_page(PAGE)
    text = summary_page.draft_text(invalid, validate(invalid))
    upload(at, "draft.yaml", text.encode())
    assert at.session_state[StateKeys.MODEL] == invalid
    warning = next(w for w in at.warning if "opens as a draft" in w.value)
    assert any("profile" in unescape(w) and "100" in unescape(w) for w in warning.value.splitlines())
    assert download_keys(at) == {"summary.download_draft"}


def test_opening_an_example(open_page):
    at = open_page(PAGE)
    at.selectbox(key=page_key("summary", "example")).select(OTHER_EXAMPLE).run()
    at.button(key=page_key("summary", "open_example")).click().run()
    assert not at.exception
    assert at.session_state[StateKeys.MODEL] == load_model_file(OTHER_EXAMPLE).model
    assert at.session_state[StateKeys.SOURCE] == "example:x_education.yaml"
    assert any("the example x\\_education\\.yaml" in s.value for s in at.success)


# --------------------------------------------------------------------------------------------
# What people typed is shown as text
# --------------------------------------------------------------------------------------------
def test_user_text_is_shown_literally(open_page, example):
    model = example.model_copy(deep=True)
    model.name = "**bold**"
    model.description = "# not a heading <script>alert(1)</script>"
    model.scenarios.insert(0, Scenario(name="<img src=x onerror=alert(1)>", estimate=Estimate(state="Qualify")))
    at = open_page(PAGE, model)
    assert at.title[0].value == md("**bold**") and unescape(at.title[0].value) == "**bold**"
    assert any(unescape(m.value) == model.description for m in at.markdown)
    scenario_table = next(t.value for t in at.table if "Scenario" in t.value.columns)
    assert unescape(scenario_table["Scenario"].iloc[0]) == "<img src=x onerror=alert(1)>"
    assert scenario_table["Scenario"].iloc[0].startswith("\\<img")
    for element in [*at.markdown, *at.caption, *at.title, *at.error, *at.success, *at.warning]:
        assert "<img" not in element.value.replace("\\<img", "")
        assert "<script" not in element.value.replace("\\<script", "")


# --------------------------------------------------------------------------------------------
# The pure functions behind the page
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sales automation software — FY27 lead scoring", "sales-automation-software-fy27-lead-scoring"),
        ("Crème brûlée / B2B  ", "creme-brulee-b2b"),
        ("**bold**", "bold"),
        ("../../etc/passwd", "etc-passwd"),
        ("———", "lead-scoring-model"),
        ("x" * 100, "x" * 60),
    ],
)
def test_slug(name, expected):
    assert summary_page.slug(name) == expected


def test_file_names(example):
    assert summary_page.final_file_name(example) == "sales-automation-software-fy27-lead-scoring.yaml"
    assert summary_page.draft_file_name(example) == "sales-automation-software-fy27-lead-scoring-draft.yaml"


def test_draft_comments_cannot_be_escaped_by_typed_text(invalid):
    hijack = "Dana\nschema_version: 2\r\nname: hijacked"
    model = invalid.model_copy(deep=True)
    model.team[0].email = hijack  # free text, quoted below as a rule of tomorrow might
    found = validate(model)
    report = Report(errors=[*found.errors, Problem("team[0].email", f"'{hijack}' is quoted")], warnings=found.warnings)
    text = summary_page.draft_text(model, report)
    head = text[: text.index("schema_version: 1")]
    assert all(line.startswith("#") for line in head.splitlines())
    assert len(head.splitlines()) == 1 + len(report.errors)
    assert load_model_text(text).model == model


def test_a_valid_draft_says_it_is_a_draft(example):
    text = summary_page.draft_text(example, validate(example))
    assert text.splitlines()[0].startswith("# DRAFT") and load_model_text(text).model == example


@pytest.mark.parametrize(
    ("match", "words"),
    [
        (None, "the cell equals the value's label"),
        (Match(contains=["revops", "sales ops"]), "contains “revops”, “sales ops”"),
        (Match(equals=["US"], empty=True), "equals “US”; the cell is empty"),
        (Match(min=200, max=1000), "a number from 200 to under 1000"),
        (Match(min=5000), "a number of at least 5000"),
        (Match(max=10), "a number under 10"),
        (Match(within_days=7), "a date within the last 7 days"),
    ],
)
def test_describe_match(match, words):
    assert summary_page.describe_match(match) == words


def test_open_upload_sorts_refusals_from_warnings(invalid):
    good = actions.read_model_file("m.yaml", EXAMPLE.read_bytes())
    assert good.model is not None and not good.errors and not good.warnings
    draft = actions.read_model_file("d.yaml", summary_page.draft_text(invalid, validate(invalid)).encode())
    assert draft.model == invalid and draft.warnings and not draft.errors
    assert all("(line " in w for w in draft.warnings), "problems located in the file"
    bad = actions.read_model_file("b.yaml", b"schema_version: 1\nname: x\nstates: 3\n")
    assert bad.model is None and any(e.startswith("states: must be a list (line 3)") for e in bad.errors)
