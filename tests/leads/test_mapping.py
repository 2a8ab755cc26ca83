"""Column mapping of a lead list: remembered, suggested, none; the frame the scorer reads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbook.editing import set_column_map
from workbook.files import load_model_file
from workbook.leads.mapping import MapRow, closest_column, column_readers, mapping_rows, scoring_frame

EXAMPLE = load_model_file(Path(__file__).resolve().parents[2] / "scenarios" / "sales_automation.yaml").model


def test_closest_column_ignores_case_and_punctuation_then_allows_a_close_spelling():
    assert closest_column("lead_source", ["Lead Source", "Country"]) == "Lead Source"
    assert closest_column("country", ["Countryy", "City"]) == "Countryy"
    assert closest_column("industry", ["Phone", "Email"]) is None


def test_columns_the_list_has_need_no_row():
    needed = list(column_readers(EXAMPLE))
    assert mapping_rows(EXAMPLE, needed) == []


def test_a_missing_column_is_suggested_by_its_closest_name():
    needed = list(column_readers(EXAMPLE))
    first = needed[0]
    shown = [first.upper().replace("_", " "), *needed[1:]]
    rows = mapping_rows(EXAMPLE, shown)
    assert [(r.needed, r.chosen, r.status) for r in rows] == [(first, shown[0], "suggested")]


def test_a_remembered_choice_wins_and_a_remembered_none_stays_none():
    needed = list(column_readers(EXAMPLE))
    first, second = needed[0], needed[1]
    model = set_column_map(EXAMPLE, {first: "Other", second: ""})
    rows = {r.needed: r for r in mapping_rows(model, ["Other", *needed[2:]])}
    assert (rows[first].chosen, rows[first].status) == ("Other", "remembered")
    assert (rows[second].chosen, rows[second].status) == ("", "remembered: no column")


def test_the_scoring_frame_adds_mapped_columns_and_leaves_the_list_alone():
    frame = pd.DataFrame({"Src": ["web", "fair"]})
    out, added = scoring_frame(frame, [MapRow("source", "Source", "Src", "suggested"), MapRow("x", "X", "", "none")])
    assert added == ["source", "x"]
    assert out["source"].tolist() == ["web", "fair"] and out["x"].tolist() == ["", ""]
    assert list(frame.columns) == ["Src"]
