"""The remembered lead-list column mapping (``metadata.column_map``), as the Lead list page saves it."""

from __future__ import annotations

import pytest

from workbook.editing import EditError, set_column_map
from workbook.examples import example_path
from workbook.files import dump_model, load_model_file, load_model_text
from workbook.model import ChangeNote, Metadata


@pytest.fixture
def model():
    return load_model_file(example_path("sales_automation.yaml")).model


def test_sets_entries_and_round_trips_through_the_file(model):
    assert model.metadata is None
    mapped = set_column_map(model, {"job_title": "Title", "country": ""})
    assert mapped.metadata.column_map == {"job_title": "Title", "country": ""}
    assert model.metadata is None, "the argument is never changed"
    text = dump_model(mapped)
    assert "column_map" in text
    assert load_model_text(text).model == mapped


def test_keeps_other_entries_forgets_with_none_and_drops_identity(model):
    mapped = set_column_map(model, {"job_title": "Title", "country": "Country"})
    again = set_column_map(mapped, {"country": None, "industry": "industry", "employees": "Staff"})
    assert again.metadata.column_map == {"job_title": "Title", "employees": "Staff"}


def test_an_empty_mapping_leaves_no_metadata_behind(model):
    mapped = set_column_map(model, {"job_title": "Title"})
    cleared = set_column_map(mapped, {"job_title": None})
    assert cleared.metadata is None
    assert "metadata" not in dump_model(cleared)


def test_other_metadata_is_kept(model):
    noted = model.model_copy(update={"metadata": Metadata(version="1.2", changes=[ChangeNote(summary="x")])})
    mapped = set_column_map(noted, {"job_title": "Title"})
    assert mapped.metadata.version == "1.2"
    assert [c.summary for c in mapped.metadata.changes] == ["x"]
    cleared = set_column_map(mapped, {"job_title": None})
    assert cleared.metadata is not None and cleared.metadata.column_map == {}


def test_refuses_a_column_the_model_does_not_read(model):
    with pytest.raises(EditError, match="no attribute or activity reads a column named 'Job role'"):
        set_column_map(model, {"Job role": "Title"})
    with pytest.raises(EditError, match="must be text"):
        set_column_map(model, {"job_title": 3})
