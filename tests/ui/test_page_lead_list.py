"""Lead list page: upload, column mapping (remembered in the workbook), scoring, reports, errors.

Expected numbers never come from the page's own path: they are computed with the per-row
reference scorer (``score_leads_naive``: ``match.labels_for_row`` + ``engine.score_lead``)
and plain pandas on the same rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from workbook.examples import example_path
from workbook.files import load_model_file
from workbook.leads import read_lead_bytes, score_leads_naive
from workbook.leads.synthetic import generate_leads
from workbook.store import Store, default_db_path
from workbook.ui.keys import StateKeys, page_key
from workbook.ui.leads_page import demo_path
from workbook.ui.leads_state import MISSING, NO_OUTCOME, Keys

PAGE = "pages/lead_list.py"
AS_OF = dt.date(2026, 3, 2)
SALES = load_model_file(example_path("sales_automation.yaml")).model


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------
def leads_csv(rows: int = 400, seed: int = 7, **renames: str) -> bytes:
    frame = generate_leads(SALES, rows, as_of=AS_OF, seed=seed, wide_numbers=True)
    # Some outcomes are unreadable: they must be counted but left out of every rate.
    frame.loc[frame.index % 17 == 0, "Converted"] = "maybe"
    frame.loc[frame.index % 23 == 0, "Converted"] = ""
    frame = frame.rename(columns=renames)
    return frame.to_csv(index=False).encode("utf-8")


def upload(at: AppTest, data: bytes, name: str = "leads.csv") -> AppTest:
    at.file_uploader[0].upload(name, data).run()
    assert not at.exception, at.exception
    return at


def set_as_of(at: AppTest, day: dt.date = AS_OF) -> None:
    at.date_input(key=Keys.AS_OF).set_value(day).run()
    assert not at.exception, at.exception


def reference(data: bytes, model=SALES, as_of: dt.date = AS_OF, renames: dict[str, str] | None = None) -> pd.DataFrame:
    """The list as read, scored row by row with the reference path (columns renamed for the model first)."""
    frame = read_lead_bytes(data, "leads.csv").frame
    if renames:
        frame = frame.rename(columns=renames)
    scored = score_leads_naive(model, frame, as_of)
    return pd.concat([frame, scored], axis=1)


def state_metrics(at: AppTest, model=SALES) -> dict[str, int]:
    names = set(model.state_names)
    return {m.label.replace("\\", ""): int(m.value.replace(",", "")) for m in at.metric
            if m.label.replace("\\", "") in names}


def grid_counts(at: AppTest) -> dict[str, int]:
    """Cell → count, read from the text of the distribution heatmap ("<b>A1</b> · state<br>1,234 · 13 %")."""
    charts = [c for c in at.get("plotly_chart") if c.proto.id and page_key("leads", "grid") in c.proto.id]
    assert charts, "the grid heatmap is shown"
    spec = json.loads(charts[0].proto.spec)
    out = {}
    for row in spec["data"][0]["text"]:
        for text in row:
            cell = re.search(r"<b>(.+?)</b>", text).group(1)
            out[cell] = int(re.search(r"<br>([\d,]+) · ", text).group(1).replace(",", ""))
    return out


TABLES = {
    page_key("leads", "volumes"): "Per week",
    page_key("leads", "quality"): "No match",
    page_key("leads", "outcome_states"): "Known outcome",
}


def frame_by_key(at: AppTest, key: str) -> pd.DataFrame:
    """A table of the page, told by a column only it has."""
    frames = [d.value for d in at.dataframe if TABLES[key] in d.value.columns]
    assert len(frames) == 1, f"{key} is shown once"
    return frames[0]


def mapping_editor_key(at: AppTest, data: bytes) -> str:
    return f"{Keys.mapping(hashlib.sha256(data).hexdigest())}@{at.session_state[StateKeys.REVISION]}"


def scoring_bar(at: AppTest):
    """The page's scoring progress bar (the sidebar has a progress bar of its own)."""
    bars = [p for p in at.progress if p.text and p.text.startswith(("Scor", "Apply", "Count"))]
    return bars[0] if bars else None


def errors(at: AppTest) -> str:
    return "\n".join(e.value.replace("\\", "") for e in at.error)


@pytest.fixture
def page(open_page) -> AppTest:
    return open_page(PAGE)


# --------------------------------------------------------------------------------------------
# Scoring an upload
# --------------------------------------------------------------------------------------------
def test_page_starts_empty_with_the_cap_told(page):
    assert not page.exception
    uploader = page.file_uploader[0]
    assert "200 MB" in uploader.help
    assert not page.get("plotly_chart") and scoring_bar(page) is None


def test_upload_distribution_equals_the_reference(page):
    data = leads_csv()
    upload(page, data)
    set_as_of(page)
    expected = reference(data)

    assert scoring_bar(page).value == 100
    assert "Scored 400 leads as of 2026-03-02" in scoring_bar(page).text
    assert state_metrics(page) == {s: int((expected["state"] == s).sum()) for s in SALES.state_names}
    assert grid_counts(page) == {c: int((expected["cell"] == c).sum()) for c in SALES.cells}
    volumes = frame_by_key(page, page_key("leads", "volumes")).set_index("State")
    assert volumes["Leads"].to_dict() == {s: int((expected["state"] == s).sum()) for s in SALES.state_names}
    assert volumes["Leads"].sum() == 400
    # The list is scored once: a rerun that changes nothing in the key reuses the scoring.
    scored = page.session_state[Keys.SCORED]
    page.number_input(key=Keys.WEEKS).set_value(2).run()
    assert page.session_state[Keys.SCORED] is scored
    # A new as-of date rescores (recency rules move).
    set_as_of(page, AS_OF + dt.timedelta(days=30))
    later = reference(data, as_of=AS_OF + dt.timedelta(days=30))
    assert page.session_state[Keys.SCORED] is not scored
    assert grid_counts(page) == {c: int((later["cell"] == c).sum()) for c in SALES.cells}


def test_the_data_quality_report_counts_unmatched_cells(page):
    data = leads_csv()
    upload(page, data)
    set_as_of(page)
    frame = read_lead_bytes(data, "leads.csv").frame
    quality = frame_by_key(page, page_key("leads", "quality")).set_index("Name")
    assert list(quality.index) == [f.name for f in [*SALES.profile, *SALES.engagement]]
    from workbook.match import label_for

    for f in [*SALES.profile, *SALES.engagement]:
        unmatched = sum(label_for(f, cell, AS_OF) is None for cell in frame[f.source_column])
        assert quality.loc[f.name, "No match"] == unmatched, f.name
        assert quality.loc[f.name, "Share"] == pytest.approx(100 * unmatched / len(frame))


def test_an_excel_upload_scores_like_the_csv(page):
    openpyxl = pytest.importorskip("openpyxl")
    data = leads_csv(rows=60)
    frame = read_lead_bytes(data, "leads.csv").frame
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if v == "" else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    upload(page, buffer.getvalue(), "leads.xlsx")
    set_as_of(page)
    expected = reference(data)
    assert state_metrics(page) == {s: int((expected["state"] == s).sum()) for s in SALES.state_names}


def test_the_download_button_offers_the_scored_list(page):
    upload(page, leads_csv(rows=50), "spring leads.csv")
    buttons = page.get("download_button")
    assert buttons and "50 leads" in buttons[0].proto.label


# --------------------------------------------------------------------------------------------
# Column mapping
# --------------------------------------------------------------------------------------------
def test_missing_column_shows_the_mapping_and_a_choice_is_remembered(page, model_of):
    data = leads_csv(country="Land", job_title="Job Title")
    upload(page, data)
    set_as_of(page)
    table = page.dataframe[0].value
    assert list(table["needed"]) == ["job_title", "country"]
    # A clear near-name is suggested (and used); no similar name: no value until someone chooses.
    assert list(table["column"]) == ["Job Title", MISSING]
    notes = [i.value.replace("\\", "") for i in page.info]
    assert "Geography: no column — every lead counts as missing here" in notes
    frame = read_lead_bytes(data, "leads.csv").frame.rename(columns={"Job Title": "job_title"})
    frame["country"] = ""
    expected = score_leads_naive(SALES, frame, AS_OF)
    assert state_metrics(page) == {s: int((expected["state"] == s).sum()) for s in SALES.state_names}

    revision_before = page.session_state[StateKeys.BASE]
    page.session_state[mapping_editor_key(page, data)] = {
        "edited_rows": {1: {"column": "Land"}}, "added_rows": [], "deleted_rows": [],
    }
    page.run()
    assert not page.exception, page.exception
    saved = {"job_title": "Job Title", "country": "Land"}
    assert model_of(page).metadata.column_map == saved
    store = Store(default_db_path())
    head = store.head(page.session_state[StateKeys.WORKBOOK])
    assert head.number == revision_before + 1
    assert head.model.metadata.column_map == saved
    # The table now says so, and the scoring reads Land as the country.
    table = page.dataframe[0].value
    assert list(table["column"]) == ["Job Title", "Land"]
    assert all(s.startswith("remembered") for s in table["status"])
    expected = reference(data, renames={"Job Title": "job_title", "Land": "country"})
    assert state_metrics(page) == {s: int((expected["state"] == s).sum()) for s in SALES.state_names}
    assert grid_counts(page) == {c: int((expected["cell"] == c).sum()) for c in SALES.cells}
    # The scored list keeps the list's own columns: no helper columns added for the mapping.
    scored = page.session_state[Keys.SCORED][1].frame
    assert "country" not in scored.columns and "Land" in scored.columns


def test_remember_button_saves_the_suggestions_and_no_column(page, model_of):
    data = leads_csv(country="Land", job_title="Job Title")
    upload(page, data)
    page.button(key=Keys.REMEMBER).click().run()
    assert not page.exception
    assert model_of(page).metadata.column_map == {"job_title": "Job Title", "country": ""}
    assert Keys.REMEMBER not in [b.key for b in page.button], "nothing left to remember"


def test_a_remembered_mapping_maps_the_next_list(open_page, model_of):
    from workbook.editing import set_column_map

    model = set_column_map(SALES, {"country": "Land"})
    at = open_page(PAGE, model)
    data = leads_csv(country="Land")
    upload(at, data)
    set_as_of(at)
    table = at.dataframe[0].value
    assert list(table["column"]) == ["Land"] and table["status"][0] == "remembered"
    expected = reference(data, renames={"Land": "country"})
    assert state_metrics(at) == {s: int((expected["state"] == s).sum()) for s in SALES.state_names}


# --------------------------------------------------------------------------------------------
# Outcome and capacity
# --------------------------------------------------------------------------------------------
def test_outcome_rates_per_state_equal_a_pandas_groupby(page):
    data = leads_csv()
    upload(page, data)
    set_as_of(page)
    assert page.selectbox(key=Keys.outcome(hashlib.sha256(data).hexdigest())).value == "Converted"
    expected = reference(data)
    outcome = expected["Converted"].map({"1": 1.0, "0": 0.0})  # "maybe" and "" are unknown
    known = expected[outcome.notna()].assign(y=outcome.dropna())
    base = known["y"].mean()
    by_state = known.groupby(known["state"].astype(str))["y"].agg(["count", "sum", "mean"])

    shown = frame_by_key(page, page_key("leads", "outcome_states")).set_index("State")
    for state, row in by_state.iterrows():
        assert shown.loc[state, "Known outcome"] == row["count"]
        assert shown.loc[state, "Converted"] == row["sum"]
        assert shown.loc[state, "Rate"] == pytest.approx(100 * row["mean"])
        assert shown.loc[state, "Lift"] == pytest.approx(row["mean"] / base)
        assert shown.loc[state, "Leads"] == int((expected["state"] == state).sum())
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["Unknown outcome"] == f"{int(outcome.isna().sum()):,}"
    keys = {c.proto.id for c in page.get("plotly_chart")}
    assert any(page_key("leads", "capture") in k for k in keys)
    assert any(page_key("leads", "rate_grid") in k for k in keys)


def test_no_outcome_column_hides_the_rates(page):
    data = leads_csv()
    upload(page, data)
    page.selectbox(key=Keys.outcome(hashlib.sha256(data).hexdigest())).select(NO_OUTCOME).run()
    assert not page.exception
    keys = {c.proto.id for c in page.get("plotly_chart")}
    assert not any(page_key("leads", "capture") in k for k in keys)


def test_capacity_flags_the_sdr_states_over_it(page):
    data = leads_csv()
    upload(page, data)
    set_as_of(page)
    expected = reference(data)
    worked = int(expected["state"].isin(["Send to sales", "Qualify"]).sum())
    page.number_input(key=Keys.WEEKS).set_value(2).run()
    below, above = int(worked / 2) - 1, int(worked / 2) + 1
    page.number_input(key=Keys.CAPACITY).set_value(below).run()
    assert not page.exception
    assert "Over capacity" in errors(page)
    assert f"your SDR team can take {below}." in errors(page)
    page.number_input(key=Keys.CAPACITY).set_value(above).run()
    assert "Over capacity" not in errors(page)
    assert any("Within capacity" in s.value for s in page.success)


# --------------------------------------------------------------------------------------------
# Files that cannot be read: a clear message, never a traceback
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("leads.csv", b'{"leads": [1, 2, 3]}', "is not a table: it looks like JSON"),
        ("leads.csv", b"name,title\x00\x01\x02\nx,y\n", "is not a table: it holds binary data"),
        ("leads.csv", b"", "is empty"),
        ("leads.xlsx", b"a,b\n1,2\n", "is not an Excel workbook"),
        ("leads.csv", b"a,b\n1,2\n3,4,5,6\n", "line 3 has 4 fields where the header has 2"),
    ],
    ids=["json", "binary", "empty", "fake-xlsx", "ragged"],
)
def test_a_bad_file_is_refused_clearly(page, name, data, message):
    upload(page, data, name)
    assert message in errors(page)
    assert "could not be read" in errors(page)
    assert scoring_bar(page) is None and not page.get("plotly_chart")


def test_a_file_over_the_cap_is_refused(open_page, monkeypatch):
    monkeypatch.setenv("WORKBOOK_MAX_LEADS_BYTES", "500")
    at = open_page(PAGE)
    assert "0.5 KB" in at.file_uploader[0].help
    upload(at, leads_csv(rows=40))
    assert "the file is too large" in errors(at)
    assert scoring_bar(at) is None


def test_a_windows_1252_file_is_read_with_a_note(page):
    data = leads_csv(rows=30).decode().replace("Converted", "Convertéd").encode("cp1252")
    upload(page, data)
    assert not page.error
    notes = " ".join(c.value.replace("\\", "") for c in page.caption)
    assert "the file is not UTF-8" in notes
    assert "Convertéd" in page.selectbox(key=Keys.outcome(hashlib.sha256(data).hexdigest())).options


def test_a_good_file_after_a_bad_one_clears_the_error(page):
    upload(page, b"{}", "bad.csv")
    assert page.error
    upload(page, leads_csv(rows=30), "good.csv")
    assert not page.error
    assert scoring_bar(page).value == 100


def test_list_text_is_shown_as_text(page):
    nasty = "**<img src=x onerror=alert(1)>**"
    data = leads_csv(rows=30).replace(b"Converted", nasty.encode())
    upload(page, data, "[x](javascript:alert(1)).csv")
    assert not page.exception
    caption = next(c.value for c in page.caption if "javascript" in c.value)
    assert "\\[x\\]\\(javascript\\:alert\\(1\\)\\)" in caption, "the file name is escaped"
    quality = frame_by_key(page, page_key("leads", "quality"))
    assert not quality.empty


# --------------------------------------------------------------------------------------------
# The X Education demo list
# --------------------------------------------------------------------------------------------
def test_the_demo_list_with_its_workbook(page, open_page, model_of):
    path = demo_path()
    if path is None:
        pytest.skip("the X Education list (../shared/data/x-education/Leads.csv) is not next to the repository")
    page.button(key=Keys.DEMO).click().run()
    assert not page.exception
    # The open workbook (sales automation) does not read these columns: one click opens the right one.
    page.button(key=Keys.OPEN_DEMO_MODEL).click().run()
    assert not page.exception
    assert page.session_state[StateKeys.SOURCE] == "example:x_education.yaml"
    x_education = load_model_file(example_path("x_education.yaml")).model
    assert model_of(page) == x_education
    assert Keys.OPEN_DEMO_MODEL not in [b.key for b in page.button]
    assert not page.dataframe[0].value.empty and "needed" not in page.dataframe[0].value.columns

    frame = read_lead_bytes(path.read_bytes(), path.name).frame
    expected = score_leads_naive(x_education, frame, page.session_state[Keys.AS_OF])
    assert state_metrics(page, x_education) == {
        s: int((expected["state"] == s).sum()) for s in x_education.state_names
    }
    assert page.selectbox(key=Keys.outcome(hashlib.sha256(path.read_bytes()).hexdigest())).value == "Converted"

    # Another session, on another workbook: the same click opens that X Education workbook again.
    other = open_page(PAGE, SALES)
    assert other.session_state[StateKeys.WORKBOOK] != page.session_state[StateKeys.WORKBOOK]
    other.button(key=Keys.DEMO).click().run()
    other.button(key=Keys.OPEN_DEMO_MODEL).click().run()
    assert not other.exception
    assert other.session_state[StateKeys.WORKBOOK] == page.session_state[StateKeys.WORKBOOK]
    sources = [w.source for w in Store(default_db_path()).list()]
    assert sources.count("example:x_education.yaml") == 1


def test_without_the_demo_file_there_is_no_demo_button(open_page, monkeypatch, tmp_path):
    import workbook.ui.leads_page as leads_page

    monkeypatch.setattr(leads_page, "DEMO_PATH", tmp_path / "nothing" / "Leads.csv")
    at = open_page(PAGE)
    assert Keys.DEMO not in [b.key for b in at.button]
    assert any("demo list is not here" in c.value.replace("\\", "") for c in at.caption)


def test_a_list_with_a_header_and_no_leads_shows_empty_reports(page):
    header = leads_csv(rows=5).split(b"\n", 1)[0] + b"\n"
    upload(page, header)
    assert not page.exception
    assert not page.error
    assert "Scored 0 leads" in scoring_bar(page).text
    assert set(state_metrics(page).values()) == {0}


def test_the_uploader_lets_go_of_the_file_once_read_and_the_list_can_be_removed(page):
    upload(page, leads_csv())
    # Streamlit holds an uploaded file's bytes while its uploader holds the file: it is emptied
    assert page.file_uploader[0].value is None
    assert page.session_state[Keys.LIST].frame.shape[0] == 400
    assert scoring_bar(page) is not None
    page.button(key=Keys.REMOVE).click().run()
    assert not page.exception
    assert Keys.LIST not in page.session_state and scoring_bar(page) is None
