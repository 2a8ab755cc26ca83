"""AppTest: the download menu of the Model summary page offers every format of the export registry,
with the format's own file name, media type and options; final refused while the model is invalid;
a platform pack shows its fidelity before its download buttons; the PDF's text is the model's."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from unittest.mock import patch

import pypdf
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from workbook.export import DRAFT, FORMATS, REPORT, fidelity, format_names, get_format
from workbook.export.xlsx import read_workbook_xlsx
from workbook.leads.synthetic import generate_leads
from workbook.ui import downloads
from workbook.ui.leads_state import Keys as LeadKeys
from workbook.ui.leads_state import LoadedList
from workbook.validate import validate

PAGE = "pages/model_summary.py"


class Captured:
    """What the page hands to its download buttons: file name → (bytes, media type)."""

    def __init__(self):
        self.files: dict[str, tuple[bytes, str]] = {}

    def __enter__(self):
        original = MediaFileManager.add
        files = self.files

        def add(manager, data, mimetype, coordinates, file_name=None, is_for_static_download=False):
            if file_name:
                files[file_name] = (data if isinstance(data, bytes) else data.encode(), mimetype)
            return original(manager, data, mimetype, coordinates, file_name=file_name,
                            is_for_static_download=is_for_static_download)

        self._patch = patch.object(MediaFileManager, "add", add)
        self._patch.start()
        return self

    def __exit__(self, *exc):
        self._patch.stop()


def same(name: str, got: tuple[bytes, str], expected: tuple[bytes, str]) -> bool:
    """The same file: byte for byte, except the Excel workbook, which carries the time it was written."""
    if name == "xlsx":
        return got[1] == expected[1] and read_workbook_xlsx(got[0]) == read_workbook_xlsx(expected[0])
    return got == expected


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages).split())


def buttons(at) -> set[str]:
    return {b.key for b in at.get("download_button")}


@pytest.fixture
def invalid(example):
    model = example.model_copy(deep=True)
    model.profile[0].weight += 5
    return model


def test_the_menu_offers_every_registered_format(open_page, example):
    at = open_page(PAGE, example)
    picker = at.selectbox(key=downloads.FORMAT_KEY)
    assert picker.options == [f.label for f in FORMATS]
    assert picker.value == FORMATS[0].name
    for name in format_names():
        fmt = get_format(name)
        with Captured() as captured:
            at.selectbox(key=downloads.FORMAT_KEY).select(name).run()
        assert not at.exception, at.exception
        final = fmt.render(example, {})
        if fmt.needs_model:
            assert buttons(at) == {downloads.FINAL_KEY, downloads.DRAFT_KEY}, name
            draft = fmt.render(example, {DRAFT: True, REPORT: validate(example)})
            assert same(name, captured.files[draft.file_name], (draft.as_bytes(), draft.media_type))
        else:
            assert buttons(at) == {downloads.FILE_KEY}, name
        assert same(name, captured.files[final.file_name], (final.as_bytes(), final.media_type)), name
        assert any(final.file_name in c.value.replace("\\", "") for c in at.caption), "the file name is shown"


def test_sql_options_reach_the_file(open_page, example):
    at = open_page(PAGE, example)
    at.selectbox(key=downloads.FORMAT_KEY).select("sql").run()
    with Captured() as captured:
        at.selectbox(key=downloads.DIALECT_KEY).select("postgres").run()
        at.text_input(key=downloads.TABLE_KEY).input("analytics.leads").run()
    assert not at.exception
    expected = get_format("sql").render(example, {"dialect": "postgres", "table": "analytics.leads"})
    assert captured.files[expected.file_name][0] == expected.as_bytes()
    assert "analytics.leads" in expected.content and "postgres" in expected.file_name
    assert at.selectbox(key=downloads.DIALECT_KEY).options == ["duckdb", "postgres", "snowflake", "bigquery", "spark"]


def test_a_bad_table_name_is_explained_not_a_crash(open_page, example):
    at = open_page(PAGE, example)
    at.selectbox(key=downloads.FORMAT_KEY).select("dbt").run()
    at.text_input(key=downloads.TABLE_KEY).input("a.b.c").run()
    assert not at.exception
    assert any("cannot be written" in str(e.proto) and "not a dbt relation" in e.value for e in at.error)
    assert not buttons(at)


@pytest.mark.parametrize("name", ["json", "sql", "dbt"])
def test_an_invalid_model_refuses_every_final_export_and_offers_the_draft(open_page, invalid, name):
    at = open_page(PAGE, invalid)
    with Captured() as captured:
        at.selectbox(key=downloads.FORMAT_KEY).select(name).run()
    assert buttons(at) == {downloads.DRAFT_KEY}
    refusal = next(e for e in at.error if "Final export refused" in str(e.proto))
    assert "the model is invalid" in str(refusal.proto) and "1 problem to fix first" in str(refusal.proto)
    assert "100" in refusal.value
    draft = get_format(name).render(invalid, {DRAFT: True, REPORT: validate(invalid)})
    assert "draft" in draft.file_name and captured.files[draft.file_name][0] == draft.as_bytes()


def test_the_json_schema_is_offered_for_an_invalid_model_too(open_page, invalid):
    at = open_page(PAGE, invalid)
    at.selectbox(key=downloads.FORMAT_KEY).select("jsonschema").run()
    assert buttons(at) == {downloads.FILE_KEY}
    assert not any("Final export refused" in str(e.proto) for e in at.error)



# --------------------------------------------------------------------------------------------
# Platform packs: the fidelity before the download
# --------------------------------------------------------------------------------------------
def fidelity_text(at) -> str:
    """The page's Markdown, without the escapes that keep typed text from being read as Markdown."""
    return "\n".join(m.value for m in at.get("markdown")).replace("\\", "")


def test_a_pack_shows_its_fidelity_before_the_download(open_page, example):
    at = open_page(PAGE, example)
    with Captured() as captured:
        at.selectbox(key=downloads.FORMAT_KEY).select("account-engagement").run()
    assert not at.exception, at.exception
    report = fidelity("account-engagement", example)
    assert report.scenario_changes, "Account Engagement changes some scenarios of the example"
    text = fidelity_text(at)
    kept = report.scenarios - len(report.scenario_changes)
    assert f"**{kept} of {report.scenarios}** scenarios keep their state on {report.platform}" in text
    for change in report.scenario_changes:
        assert change.name in text
    for note in report.approximations[:3]:
        assert note[:60] in text
    assert "Open a lead list on the Lead list page" in text
    # the report comes before the buttons on the page
    assert buttons(at) == {downloads.FINAL_KEY, downloads.DRAFT_KEY}
    elements = list(at.main)  # depth first, in page order
    first_button = next(i for i, e in enumerate(elements) if getattr(e, "type", "") == "download_button")
    last_fidelity = max(i for i, e in enumerate(elements) if "keep their state" in str(getattr(e, "value", "")))
    assert last_fidelity < first_button
    final = get_format("account-engagement").render(example, {})
    with zipfile.ZipFile(io.BytesIO(captured.files[final.file_name][0])) as archive:
        assert archive.read("fidelity.md").decode() == report.text(), "the pack holds the report shown"


def test_a_pack_measures_the_lead_list_of_the_session(open_page, example):
    at = open_page(PAGE, example)
    as_of = dt.date(2026, 12, 1)
    frame = generate_leads(example, 300, as_of=as_of, seed=11)
    at.session_state[LeadKeys.LIST] = LoadedList(frame, "pipeline.csv", "d" * 64)
    at.session_state[LeadKeys.AS_OF] = as_of
    at.selectbox(key=downloads.FORMAT_KEY).select("mautic").run()
    assert not at.exception, at.exception
    report = fidelity("mautic", example, frame, as_of)
    assert report.leads == 300 and report.share is not None
    expected = f"On the lead list pipeline.csv, **{report.leads_preserved:,} of 300 leads ({report.share:.1%})**"
    assert expected in fidelity_text(at)
    (was, now), count = max(report.moves.items(), key=lambda kv: kv[1])
    assert f"Most moved: {count:,} from {was} to {now}" in fidelity_text(at)


def test_the_pdf_download_is_the_model_summary(open_page, example):
    at = open_page(PAGE, example)
    with Captured() as captured:
        at.selectbox(key=downloads.FORMAT_KEY).select("pdf").run()
    assert not at.exception, at.exception
    (name,) = [n for n in captured.files if n.endswith(".pdf") and "draft" not in n]
    data, media = captured.files[name]
    assert media == "application/pdf"
    text = pdf_text(data)
    assert example.name in text and dt.date.today().isoformat() in text
    for scenario in example.scenarios[:3]:
        assert scenario.name[:25] in text
    (draft,) = [n for n in captured.files if n.endswith("-draft.pdf")]
    assert "DRAFT" in pdf_text(captured.files[draft][0])
