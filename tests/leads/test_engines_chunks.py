"""`score` engines on files the whole-list reader reads: other encodings (the duckdb engine
through a UTF-8 copy), the pandas engine a chunk at a time (same cells, same data-quality
report, never the whole file), and the CSV facts the engines share (encoding, cells spanning lines)."""

from __future__ import annotations

import codecs

import pandas as pd
import pytest
from engines_support import scored, text
from leads_support import AS_OF, differences

from workbook.leads import read_lead_list, score_leads
from workbook.leads.engines import EngineError
from workbook.leads.engines.csv_files import cells_span_lines, csv_encoding, csv_facts, utf8_copy
from workbook.leads.engines.pandas_engine import UnmatchedSums
from workbook.leads.reading import _encoding
from workbook.leads.synthetic import generate_leads

# Written in each encoding: accents Windows-1252 and Latin-1 share, the euro sign and a dash
# only Windows-1252 has, and letters beyond both (UTF-16 only).
NOTES = {"cp1252": ["Société générale", "Grüße – 5 €", "Ærø"], "latin-1": ["Société générale", "Grüße", "Ærø"],
         "utf-16": ["Société générale", "Grüße – 5 €", "東京 Łódź"], "utf-8-sig": ["Société", "Grüße", "Ærø"]}


def _encoded(model, tmp_path, encoding: str, rows: int = 300, sep: str = ","):
    leads = generate_leads(model, rows, as_of=AS_OF, seed=21, wide_numbers=True)
    notes = NOTES[encoding]
    leads["Note"] = [notes[i % len(notes)] for i in range(rows)]
    path = tmp_path / f"leads-{encoding}.csv"
    path.write_bytes(leads.to_csv(index=False, sep=sep).encode(encoding))
    return leads, path


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-8-sig"])
def test_the_duckdb_engine_reads_the_encodings_the_pandas_reader_reads(sales, tmp_path, encoding):
    leads, path = _encoded(sales, tmp_path, encoding)
    whole = read_lead_list(path)
    assert text(whole.frame["Note"]) == text(leads["Note"])  # the reference reader gets the text back
    expected = score_leads(sales, whole.frame, AS_OF).frame
    for engine in ("duckdb", "pandas"):
        got, run = scored(sales, path, engine, AS_OF, batch_rows=128)
        assert differences(expected, got) == {}, engine
        assert text(got["Note"]) == text(leads["Note"]), engine
        assert text(got["Lead ID"]) == text(leads["Lead ID"]), engine
        assert run.notes == whole.notes, engine  # the same note on the guessed encoding


def test_a_latin1_file_gets_the_latin1_note(tmp_path):
    path = tmp_path / "l.csv"
    path.write_bytes("name,city\nA\x81b,Z\xfcrich\n".encode("latin-1"))  # 0x81 is no Windows-1252 letter
    encoding, note = csv_encoding(path)
    assert (encoding, note) == _encoding(path.read_bytes())
    assert encoding == "latin-1" and "nor Windows-1252" in note


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"])
def test_the_streamed_guess_is_the_whole_file_readers_guess(tmp_path, encoding):
    body = "job_title;country\n" + "".join(f"Directeur général {i};Österreich\n" for i in range(5_000))
    path = tmp_path / "l.csv"
    path.write_bytes(body.encode(encoding))
    facts = csv_facts(path)
    assert (facts.encoding, facts.note) == _encoding(path.read_bytes())
    assert facts.delimiter == ";"
    copy = utf8_copy(path, facts.encoding, tmp_path)
    assert copy.read_bytes() == body.encode("utf-8") and not copy.read_bytes().startswith(codecs.BOM_UTF8)


def test_cells_spanning_lines_are_found(tmp_path):
    plain, spanning, quoted = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    plain.write_text('a,b\n1,"x, ""y"""\n2,z\n' * 1000)
    spanning.write_text('a,b\n1,x\n' * 1000 + '2,"two\nlines"\n')
    quoted.write_text('a,b\r\n1,"a ""quoted"" word"\r\n')
    assert not cells_span_lines(plain) and cells_span_lines(spanning) and not cells_span_lines(quoted)


# --------------------------------------------------------------------------------------------
# The pandas engine, chunk by chunk
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("source", ["csv", "parquet", "semicolon"])
def test_pandas_chunks_give_the_whole_lists_answer_and_data_quality_report(all_kinds, tmp_path, source):
    leads = generate_leads(all_kinds, 2_000, as_of=AS_OF, seed=5, wide_numbers=True)
    path = tmp_path / ("l.parquet" if source == "parquet" else "l.csv")
    if source == "parquet":
        leads.to_parquet(path, index=False)
    else:
        leads.to_csv(path, index=False, sep=";" if source == "semicolon" else ",")
    # The reference: the whole list read at once (CSV: empty cells are "", as the chunks read them).
    whole = score_leads(all_kinds, pd.read_parquet(path) if source == "parquet" else read_lead_list(path).frame, AS_OF)
    got, run = scored(all_kinds, path, "pandas", AS_OF, batch_rows=150)
    assert differences(whole.frame, got) == {}
    assert text(got["Lead ID"]) == text(leads["Lead ID"])
    assert [u.as_dict() for u in run.unmatched] == [u.as_dict() for u in whole.unmatched]
    assert any(u.count for u in whole.unmatched)  # the report has something to add up
    assert run.notes == (["columns are separated by semicolons"] if source == "semicolon" else [])


def test_pandas_reads_a_csv_in_chunks_never_whole(sales, tmp_path, monkeypatch):
    leads = generate_leads(sales, 1_000, as_of=AS_OF, seed=9)
    path = tmp_path / "l.csv"
    leads.to_csv(path, index=False)

    def whole(*_a, **_k):
        raise AssertionError("the whole-file reader was used")

    monkeypatch.setattr("workbook.leads.engines.pandas_engine.read_lead_list", whole)
    from engines_support import Collect

    from workbook.export.sql import to_sql
    from workbook.leads.engines import score_file

    sink = Collect()
    score_file(sales, path, sink, engine="pandas", as_of=AS_OF, query=to_sql, batch_rows=300)
    assert [len(b) for b in sink.batches] == [300, 300, 300, 100]


def test_unmatched_sums_rank_ties_by_first_row():
    from workbook.leads.scoring import Unmatched

    sums = UnmatchedSums()
    sums.add([Unmatched("profile", "A", "a", 3, 3, [("x", 1), ("y", 2)])])
    sums.add([Unmatched("profile", "A", "a", 3, 3, [("z", 3), ("x", 1)])])
    [report] = sums.report()
    assert (report.rows, report.count) == (6, 6)
    assert report.top_values == [("z", 3), ("x", 2), ("y", 2)]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "is empty"),
    (b"a,b\n1,2,3,4\n", "not a well-formed table: line 2 has 4 fields where the header has 2"),
])
def test_pandas_chunks_name_a_bad_file(sales, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(EngineError, match=message):
        scored(sales, path, "pandas", AS_OF)


def test_pandas_chunks_name_the_files_line_of_a_long_row_beyond_the_first_chunk(sales, tmp_path):
    """pandas counts lines from the chunk it reads; the message names the line of the file."""
    leads = generate_leads(sales, 700, as_of=AS_OF, seed=5)
    body = leads.to_csv(index=False, lineterminator="\n")
    extra = ",".join(["x"] * (leads.shape[1] + 2))
    path = tmp_path / "long.csv"
    path.write_text(body + extra + "\n", encoding="utf-8")
    with pytest.raises(EngineError, match=f"not a well-formed table: line 702 has {leads.shape[1] + 2} fields "
                                          f"where the header has {leads.shape[1]}"):
        scored(sales, path, "pandas", AS_OF, batch_rows=250)
