"""``export --format`` for the binary formats: platform packs print their fidelity report (scenarios,
and a lead list with ``--leads``) to standard error before writing; binary files never go to a
terminal; the Excel workbook and the PDF are written whole."""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

import pypdf
import pytest

from workbook.cli import main
from workbook.export import fidelity, get_format
from workbook.export.platforms import PACKS
from workbook.export.xlsx import read_workbook_xlsx
from workbook.leads.synthetic import generate_leads

REPO = Path(__file__).resolve().parents[2]
SALES = REPO / "scenarios" / "sales_automation.yaml"
AS_OF = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def lead_csv(tmp_path_factory, sales) -> Path:
    path = tmp_path_factory.mktemp("leads") / "leads.csv"
    generate_leads(sales, 400, as_of=AS_OF, seed=5).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("name", list(PACKS))
def test_a_pack_prints_its_fidelity_before_writing(name, sales, capsys, tmp_path):
    out = tmp_path / "pack.zip"
    assert main(["export", str(SALES), "--format", name, "-o", str(out)]) == 0
    err = capsys.readouterr().err
    expected = fidelity(name, sales)
    assert err.index("How faithfully") < err.index(f"wrote {out}"), "the report comes before the file is written"
    kept = expected.scenarios - len(expected.scenario_changes)
    assert f"{kept} of {expected.scenarios} scenarios keep their state." in err
    for change in expected.scenario_changes:
        assert change.name in err
    for note in expected.approximations:
        assert note in err
    with zipfile.ZipFile(out) as archive:
        assert archive.read("fidelity.md").decode() in err, "the pack holds the report that was printed"


def test_leads_give_the_share_of_leads_preserved(sales, lead_csv, capsys, tmp_path):
    out = tmp_path / "ae.zip"
    argv = ["export", str(SALES), "--format", "account-engagement", "--leads", str(lead_csv),
            "--as-of", AS_OF.isoformat(), "-o", str(out)]
    assert main(argv) == 0
    err = capsys.readouterr().err
    frame = generate_leads(sales, 400, as_of=AS_OF, seed=5)
    report = fidelity("account-engagement", sales, frame, AS_OF)
    assert report.leads == 400 and report.share is not None and report.share < 1
    assert f"{report.leads_preserved:,} of 400 leads ({report.share:.1%}) keep their state" in err
    with zipfile.ZipFile(out) as archive:
        assert f"({report.share:.1%}) keep their state" in archive.read("fidelity.md").decode()


def test_leads_without_the_model_columns_are_refused_by_name(capsys, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text("email,company\na@b.c,Acme\n")
    assert main(["export", str(SALES), "--format", "hubspot", "--leads", str(path), "-o", str(tmp_path / "x.zip")]) == 2
    err = capsys.readouterr().err
    assert "has no column" in err and "Traceback" not in err
    assert not (tmp_path / "x.zip").exists()


def test_leads_only_for_packs(capsys, lead_csv):
    assert main(["export", str(SALES), "--format", "yaml", "--leads", str(lead_csv)]) == 2
    assert "--leads is for the platform setup packs" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["xlsx", "pdf", "hubspot"])
def test_binary_formats_refuse_a_terminal(name, capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["export", str(SALES), "--format", name]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert re.search(r"binary file .* a terminal cannot show: give -o FILE", captured.err)


def test_binary_formats_go_to_a_pipe(sales, capsysbinary):
    assert main(["export", str(SALES), "--format", "marketo"]) == 0
    out = capsysbinary.readouterr().out
    assert out == get_format("marketo").render(sales, {}).as_bytes()


def test_xlsx_and_pdf_to_files(sales, capsys, tmp_path):
    xlsx, pdf = tmp_path / "m.xlsx", tmp_path / "m.pdf"
    assert main(["export", str(SALES), "--format", "xlsx", "-o", str(xlsx)]) == 0
    assert read_workbook_xlsx(xlsx.read_bytes()) == sales
    assert main(["export", str(SALES), "--format", "pdf", "--as-of", "2026-12-03", "-o", str(pdf)]) == 0
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages).split())
    assert sales.name in text and "2026-12-03" in text
    assert "How faithfully" not in capsys.readouterr().err, "only packs have a fidelity report"
