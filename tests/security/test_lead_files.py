"""Hostile and odd lead-list files (issue 12, findings 6 and 8): refused early with a reason, or
read right with the guess named — never minutes of work, a traceback or garbled names."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from workbook.leads import reading
from workbook.leads.reading import LeadListError, read_lead_bytes

JAPANESE = "名前,会社,役職\n山田太郎,株式会社サンプル,営業部長\n鈴木花子,テスト商事,マーケティング担当\n"
LATIN = "Name,Company\nDana,Acme\nPriya,Globex\n"


def small_xlsx(rows: int = 3) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Company"])
    for i in range(rows):
        sheet.append([f"Lead {i}", "Acme"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_padding(data: bytes, megabytes: int) -> bytes:
    """The workbook with one more part of zeros: tiny packed, large unpacked (a zip bomb's shape)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/media/padding.bin", b"\0" * (megabytes * 1024 * 1024))
    return out.getvalue()


def test_zip_bomb_is_refused_before_reading():
    bomb = with_padding(small_xlsx(), 60)
    assert len(bomb) < 200_000
    with pytest.raises(LeadListError, match="times its size"):
        read_lead_bytes(bomb, "leads.xlsx")


def test_unpacked_size_counts_against_the_cap():
    data = with_padding(small_xlsx(), 2)
    with pytest.raises(LeadListError, match="unpacks to"):
        read_lead_bytes(data, "leads.xlsx", max_bytes=len(data) * 2)


def test_more_rows_than_excel_holds_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "EXCEL_MAX_ROWS", 5)
    assert len(read_lead_bytes(small_xlsx(4), "ok.xlsx").frame) == 4
    with pytest.raises(LeadListError, match="more than 5 rows"):
        read_lead_bytes(small_xlsx(20), "big.xlsx")


@pytest.mark.parametrize("encoding", ["shift_jis", "cp932", "gb18030", "utf_16_le", "utf_16_be"])
def test_east_asian_and_utf16_without_bom_are_read_and_named(encoding):
    leads = read_lead_bytes(JAPANESE.encode(encoding), "leads.csv")
    assert leads.frame.iloc[0].tolist() == ["山田太郎", "株式会社サンプル", "営業部長"]
    assert "a guess" in leads.notes[0]


@pytest.mark.parametrize("encoding", ["utf_16_le", "utf_16_be"])
def test_latin_utf16_without_bom_is_not_binary(encoding):
    leads = read_lead_bytes(LATIN.encode(encoding), "leads.csv")
    assert leads.frame["Company"].tolist() == ["Acme", "Globex"]
    assert encoding.upper().replace("_", "-") in leads.notes[0]


def test_real_binary_is_still_refused():
    with pytest.raises(LeadListError, match="binary data"):
        read_lead_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, "leads.csv")
