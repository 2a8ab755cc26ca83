"""Reading lead lists: CSV encodings and delimiters, Excel, size cap, and clear errors."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from leads_support import X_EDUCATION_CSV

from workbook.leads import LeadListError, MissingColumns, check_columns, read_lead_bytes, read_lead_list
from workbook.leads.reading import MAX_BYTES_ENV, max_leads_bytes


def test_utf8_with_and_without_bom_reads_every_cell_as_text():
    text = "Name,Employees,Joined\nZoë,0012,2026-01-02\nNA,,null\n"
    for data in (text.encode(), b"\xef\xbb\xbf" + text.encode()):
        leads = read_lead_bytes(data, "l.csv")
        assert leads.encoding in ("utf-8", "utf-8-sig") and leads.notes == []
        assert list(leads.frame.columns) == ["Name", "Employees", "Joined"]
        assert leads.frame.to_dict("records") == [
            {"Name": "Zoë", "Employees": "0012", "Joined": "2026-01-02"},
            {"Name": "NA", "Employees": "", "Joined": "null"},  # no NA guessing: text stays text
        ]


def test_windows_1252_is_read_with_a_note():
    leads = read_lead_bytes("City,Note\nZürich,“quoted” €5\n".encode("cp1252"), "l.csv")
    assert leads.encoding == "cp1252"
    assert leads.frame.loc[0, "City"] == "Zürich" and leads.frame.loc[0, "Note"] == "“quoted” €5"
    assert "not UTF-8" in leads.notes[0] and "Windows-1252" in leads.notes[0]


def test_bytes_undefined_in_cp1252_fall_back_to_latin1():
    leads = read_lead_bytes(b"A\n\x81\x8d\xe9\n", "l.csv")
    assert leads.encoding == "latin-1" and "Latin-1" in leads.notes[0]
    assert leads.frame.loc[0, "A"] == "\x81\x8dé"


def test_utf16_with_bom():
    leads = read_lead_bytes("A\tB\nx\ty\n".encode("utf-16"), "export.txt")
    assert leads.frame.to_dict("records") == [{"A": "x", "B": "y"}] and leads.delimiter == "\t"


@pytest.mark.parametrize(("sep", "word"), [(";", "semicolon"), ("\t", "tab"), ("|", "pipe")])
def test_the_delimiter_is_sniffed(sep, word):
    data = sep.join(["Lead", "Amount, EUR", "Country"]) + "\n" + sep.join(["a", "1,5", "DE"]) + "\n"
    leads = read_lead_bytes(data.encode(), "l.csv")
    assert list(leads.frame.columns) == ["Lead", "Amount, EUR", "Country"]
    assert leads.frame.loc[0, "Amount, EUR"] == "1,5" and f"{word}s" in leads.notes[-1]


def test_quoted_commas_and_newlines_stay_in_their_cell():
    leads = read_lead_bytes(b'Title,Company\n"Head of Sales, EMEA","Acme\nInc"\n', "l.csv")
    assert leads.frame.to_dict("records") == [{"Title": "Head of Sales, EMEA", "Company": "Acme\nInc"}]


def test_trailing_delimiters_make_an_empty_headerless_column_that_is_dropped():
    leads = read_lead_bytes(b"A,B,\n1,2,\n3,4,\n", "l.csv")
    assert list(leads.frame.columns) == ["A", "B"] and "ignored 1 empty column" in leads.notes[0]
    kept = read_lead_bytes(b"A,,C\n1,x,3\n", "l.csv")
    assert list(kept.frame.columns) == ["A", "Unnamed: 1", "C"] and "without a header" in kept.notes[0]


def test_repeated_column_names_are_kept_apart_with_a_note():
    leads = read_lead_bytes(b"Email,Email,Name\na,b,c\n", "l.csv")
    assert list(leads.frame.columns) == ["Email", "Email.1", "Name"]
    assert "repeated column name(s) Email" in leads.notes[0]


def test_header_only_is_an_empty_list_not_an_error():
    leads = read_lead_bytes(b"A,B\n", "l.csv")
    assert leads.frame.shape == (0, 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"  \n\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        (b'{"leads": []}', "looks like JSON"),
        (b"<html><body>leads</body></html>", "HTML or XML"),
        (b"A,B\n1,2\n1,2,3,4\n", "not a well-formed table: line 3 has 4 fields where the header has 2"),
        # more fields than the header from the first row on: pandas would silently make the
        # extra fields an index and shift every column
        (b"A,B\n1,2,3\n4,5,6\n", "not a well-formed table: line 2 has 3 fields where the header has 2"),
        (b"A,B\n1,2,3,4\n5\n", "not a well-formed table: line 2 has 4 fields where the header has 2"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old-style Excel"),
        (b"PK\x03\x04garbage", "not a readable Excel workbook"),
        (b"A,B\n1,2\n", None),  # fine
    ],
)
def test_clear_errors_for_what_is_not_a_lead_list(data, message):
    if message is None:
        read_lead_bytes(data, "l.csv")
        return
    with pytest.raises(LeadListError, match=message):
        read_lead_bytes(data, "leads.csv")


def test_an_xlsx_name_on_a_text_file_and_an_xls_name():
    with pytest.raises(LeadListError, match="not a zip archive"):
        read_lead_bytes(b"A,B\n", "leads.xlsx")
    with pytest.raises(LeadListError, match=r"\.xls"):
        read_lead_bytes(b"A,B\n", "leads.xls")


def test_the_size_cap_and_its_environment_variable(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_bytes(b"A\n" + b"x\n" * 600)
    monkeypatch.setenv(MAX_BYTES_ENV, "1000")
    assert max_leads_bytes() == 1000
    with pytest.raises(LeadListError, match=rf"too large.*{MAX_BYTES_ENV}"):
        read_lead_list(path)
    monkeypatch.setenv(MAX_BYTES_ENV, "not a number")
    assert max_leads_bytes() == 200 * 1024 * 1024
    assert len(read_lead_list(path).frame) == 600
    assert len(read_lead_list(path, max_bytes=10_000).frame) == 600


def test_files_that_cannot_be_opened(tmp_path):
    with pytest.raises(LeadListError, match="no such file"):
        read_lead_list(tmp_path / "missing.csv")
    with pytest.raises(LeadListError, match="folder"):
        read_lead_list(tmp_path)


def _xlsx(rows: list[list[object]], extra_sheet: bool = False) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Leads"
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        book.create_sheet("Notes").append(["ignored"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_excel_cells_become_the_text_people_see():
    data = _xlsx([
        [None, None, None],  # a blank first row is skipped
        ["Name", "Employees", "Joined", "Ratio", "Flag", None, "Name"],
        ["Zoë", 250, dt.datetime(2026, 1, 2), 0.25, True, None, "dup"],
        ["Al", 12.0, dt.datetime(2026, 1, 2, 9, 30), None, False, None, None],
        [None, None, None, None, None, None, None],  # formatted but empty rows at the end
    ], extra_sheet=True)
    leads = read_lead_bytes(data, "leads.xlsx")
    assert leads.format == "xlsx"
    assert list(leads.frame.columns) == ["Name", "Employees", "Joined", "Ratio", "Flag", "Name.1"]
    assert leads.frame.to_dict("records") == [
        {"Name": "Zoë", "Employees": "250", "Joined": "2026-01-02", "Ratio": "0.25", "Flag": "true", "Name.1": "dup"},
        {"Name": "Al", "Employees": "12", "Joined": "2026-01-02 09:30:00", "Ratio": "", "Flag": "false",
         "Name.1": ""},
    ]
    assert any("first worksheet 'Leads' of 2" in n for n in leads.notes)
    assert any("Name.1" in n for n in leads.notes)
    assert any("ignored 1 empty column" in n for n in leads.notes)


def test_an_empty_workbook():
    with pytest.raises(LeadListError, match="is empty"):
        read_lead_bytes(_xlsx([]), "leads.xlsx")


def test_missing_columns_are_named_with_who_reads_them(sales):
    frame = pd.DataFrame(columns=["Job Title", "employees", "Industry "])
    with pytest.raises(MissingColumns) as err:
        check_columns(sales, frame)
    message = str(err.value)
    assert "no column 'job_title' (read by profile attribute 'Job role'); did you mean 'Job Title'?" in message
    assert "no column 'industry' (read by profile attribute 'Organisation type'); did you mean 'Industry '?" in message
    assert "'employees'" not in message.split("columns in the list")[0]
    assert message.endswith("columns in the list: 'Job Title', 'employees', 'Industry '")


def test_the_real_list_reads_as_37_text_columns():
    if not X_EDUCATION_CSV.exists():
        pytest.skip(f"the X Education list is not at {X_EDUCATION_CSV}")
    leads = read_lead_list(X_EDUCATION_CSV)
    assert leads.frame.shape == (9240, 37) and leads.encoding == "utf-8"
    assert all(isinstance(t, pd.StringDtype) for t in leads.frame.dtypes)
    assert leads.frame.loc[0, "Country"] == "" and leads.frame.loc[0, "Specialization"] == "Select"
