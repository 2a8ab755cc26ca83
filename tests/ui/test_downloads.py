"""AppTest: the download menu of the Model summary page offers every format of the export registry,
with the format's own file name, media type and options; final refused while the model is invalid."""

from __future__ import annotations

from unittest.mock import patch

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from workbook.export import DRAFT, FORMATS, REPORT, format_names, get_format
from workbook.ui import downloads
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
            assert captured.files[draft.file_name] == (draft.as_bytes(), draft.media_type)
        else:
            assert buttons(at) == {downloads.FILE_KEY}, name
        assert captured.files[final.file_name] == (final.as_bytes(), final.media_type), name
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

