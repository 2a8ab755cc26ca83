"""The PDF model summary, tested by extracting its text."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest

from workbook.engine import evaluate_scenarios
from workbook.examples import example_path
from workbook.export.pdf import FORMAT, changes_since_approval, pdf_bytes
from workbook.files import load_model_file
from workbook.model import ScoringModel


def text_of(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def sales() -> ScoringModel:
    return load_model_file(example_path("sales_automation.yaml")).model


def with_metadata(model: ScoringModel, **changes) -> ScoringModel:
    data = model.model_dump()
    data.update(changes)
    return ScoringModel.model_validate(data)


def test_summary_has_every_part_for_the_committee(sales):
    model = with_metadata(
        sales,
        name="Ortiz — VP, São Paulo & Zürich <b>not bold</b>",
        metadata={
            "version": "1.2", "revision": 5, "status": "approved",
            "approvals": [{"member": "Dana Ortiz", "decision": "approved", "revision": 3,
                           "at": "2026-11-02T10:00:00", "comment": "Go — ship it"}],
            "changes": [
                {"revision": 2, "summary": "Raised the Job role weight to 30"},
                {"revision": 4, "author": "Jordan Ellis", "summary": "Employees 5,000+ scored 50 (was 70)"},
            ],
        },
    )
    text = flat(text_of(pdf_bytes(model, day=dt.date(2026, 12, 3))))
    assert "Ortiz — VP, São Paulo & Zürich <b>not bold</b>" in text  # unicode and markup as plain text
    for part in ("Version 1.2", "Revision 5", "approved", "2026-12-03", "Dana Ortiz", "Go — ship it",
                 "Marcus Lindqvist (VP Sales, North America & EMEA)"):
        assert part in text, part
    # thresholds and the grid
    assert "Profile grades (best first)" in text and "A1 is the hottest" in text
    assert "Route to the account executive within one business day" in text
    # weights and values with match rules in words; points = weight × score / 100
    assert "Job role — weight 30 %" in text
    assert "“job_title” contains any of “sales operations”, “sales ops”" in text
    assert "Area of interest" in text and "13.5" in text  # 15 × 90 / 100
    # scenarios with estimated vs computed
    results = evaluate_scenarios(model)
    agree = sum(1 for r in results if r.agrees)
    assert f"{agree} of {sum(1 for r in results if r.agrees is not None)} scenarios with an estimate agree" in text
    assert "RevOps head at a mid-size SaaS company, demo last week" in text
    # the change summary: only what came after the approval of revision 3
    assert "Employees 5,000+ scored 50 (was 70)" in text
    assert "Raised the Job role weight to 30" not in text


def test_without_metadata_it_says_so(sales):
    text = flat(text_of(pdf_bytes(sales)))
    assert "No approvals recorded yet." in text
    assert "No change notes recorded since the last approval." in text


def test_changes_since_approval_by_date_when_revisions_are_missing(sales):
    model = with_metadata(sales, metadata={
        "approvals": [{"member": "Dana Ortiz", "decision": "approved", "at": "2026-11-02T10:00:00"},
                      {"member": "Akira Tanaka", "decision": "rejected", "at": "2026-11-20T10:00:00"}],
        "changes": [{"at": "2026-11-01T09:00:00", "summary": "before"},
                    {"at": "2026-11-03T09:00:00", "summary": "after"}],
    })
    assert [c.summary for c in changes_since_approval(model)] == ["after"]


def test_format_renders_a_pdf():
    model = load_model_file(example_path("x_education.yaml")).model
    exported = FORMAT.render(model, {"as_of": "2026-12-03"})
    assert exported.media_type == "application/pdf" and exported.file_name.endswith("-summary.pdf")
    assert exported.as_bytes().startswith(b"%PDF")
    assert "model summary, 2026-12-03" in text_of(exported.as_bytes())


def test_names_beyond_the_font_render_readably(sales):
    model = with_metadata(sales, name="Łukasz Dvořák — Tōkyō 東京 😀")
    text = flat(text_of(pdf_bytes(model)))
    # kept as written where the font has the letters, else without the accent; never dropped
    assert "ukasz Dvo" in text and ("Dvořák" in text or "Dvorak" in text)
    assert "T" in text and ("Tōkyō" in text or "Tokyo" in text)
    assert "?? ?" in text  # CJK and emoji the font lacks: a visible “?” each


def test_without_system_fonts_the_bundled_font_is_used(sales, monkeypatch):
    from workbook.export import pdf

    monkeypatch.setattr(pdf, "_FONT_DIRS", ())
    monkeypatch.setattr(pdf, "_glyphs", set())
    try:
        text = flat(text_of(pdf_bytes(with_metadata(sales, name="Ortiz — VP, São Paulo, Dvořák"))))
        assert "Ortiz — VP, São Paulo, Dvo" in text  # Vera has the Western European letters
    finally:
        monkeypatch.undo()
        pdf._glyphs.clear()  # so the next document registers the system font again
