"""A CSV lead list as the engines read it, without holding the file: the encoding guessed as the
pandas reader (:func:`workbook.leads.read_lead_list`) guesses it, the delimiter, a UTF-8 copy for
the SQL engines when the file is in another encoding, and whether any cell spans lines.

The guess follows :mod:`workbook.leads.reading` (same rules, same notes) but streams: the whole
file is checked for UTF-8 (and Windows-1252) a megabyte at a time, and charset-normalizer looks
at the first bytes only.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbook.leads.reading import SNIFF_BYTES, LeadListError, guess_encoding, looks_utf16, sniff_delimiter

_BLOCK = 1 << 20
_SCAN_BLOCK = 64 << 20
UTF8 = ("utf-8", "utf_8", "utf8")


@dataclass(frozen=True)
class CsvFacts:
    """What reading a CSV file needs: Python's codec name, a note when it is not UTF-8, the delimiter."""

    encoding: str
    note: str | None
    delimiter: str

    @property
    def is_utf8(self) -> bool:
        """Plain UTF-8, no byte-order mark: what DuckDB and Spark read as it is."""
        return self.encoding in UTF8


def _first_invalid(path: Path, encoding: str) -> int | None:
    """The offset of the first byte ``encoding`` cannot decode, or None when the whole file decodes."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with open(path, "rb") as fh:
        while block := fh.read(_BLOCK):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                return offset + exc.start
            offset += len(block)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return offset
    return None


def _guessed(head: bytes) -> str | None:
    # Cut after the last line break, so that no character is cut in two.
    cut = head.rfind(b"\n")
    return guess_encoding(head[: cut + 1] if cut > 0 else head)


def csv_encoding(path: Path) -> tuple[str, str | None]:
    """The encoding to read ``path`` with, and a note when it is not UTF-8 (as the pandas reader's)."""
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", None
    if looks_utf16(head):
        guess = _guessed(head)
        if guess:
            return guess, f"the file has no byte-order mark; read it as {guess.upper().replace('_', '-')} (a guess)"
    bad = _first_invalid(path, "utf-8")
    if bad is None:
        return "utf-8", None
    where = f"near byte {bad}" if bad < _BLOCK else "further down"
    guess = _guessed(head)
    if guess:
        return guess, (f"the file is not UTF-8 (invalid byte {where}); read it as {guess.upper().replace('_', '-')} "
                       "(a guess) — check the names, or save the file as UTF-8")
    if _first_invalid(path, "cp1252") is None:
        return "cp1252", (f"the file is not UTF-8 (invalid byte {where}); read it as Windows-1252 — "
                          "check accented letters, or save the file as UTF-8")
    return "latin-1", (f"the file is not UTF-8 (invalid byte {where}) nor Windows-1252; read it as Latin-1 — "
                       "check accented letters, or save the file as UTF-8")


def csv_facts(path: Path) -> CsvFacts:
    """Encoding (with its note) and delimiter of a CSV file; :class:`LeadListError` when it is empty."""
    encoding, note = csv_encoding(path)
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head.strip().strip("\ufeff"):
        raise LeadListError(f"{path.name} is empty: a lead list needs a header row and one row per lead")
    if "\x00" in head:
        raise LeadListError(f"{path.name} is not a table: it holds binary data (NUL bytes), not CSV text")
    lines = head.splitlines()
    if len(head) >= SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    lines = [line for line in lines[:200] if line.strip()]
    return CsvFacts(encoding, note, sniff_delimiter(lines))


def utf8_copy(path: Path, encoding: str, folder: Path) -> Path:
    """``path`` re-encoded as UTF-8 (no byte-order mark) in ``folder``, a megabyte at a time.

    The line breaks and quotes are copied as they are, so the copy parses as the original.
    """
    target = Path(folder) / "leads-utf8.csv"
    with (open(path, encoding=encoding, errors="strict", newline="") as src,
          open(target, "w", encoding="utf-8", newline="") as out):
        first = True
        while block := src.read(_BLOCK):
            if first:
                block, first = block.lstrip("\ufeff"), False
            out.write(block)
    return target


def cells_span_lines(path: Path) -> bool:
    """Does any quoted cell of this UTF-8 file hold a line break?

    In a CSV file (quotes doubled inside quoted cells) a line break lies inside a cell exactly
    when an odd number of quotes comes before it. Readers that split a file between workers
    by lines (Spark without ``multiLine``) need to know; with it, they read the file in one piece.
    """
    quotes_before = 0
    with open(path, "rb") as fh:
        while block := fh.read(_SCAN_BLOCK):
            data = np.frombuffer(block, dtype=np.uint8)
            quotes = np.flatnonzero(data == 0x22)
            breaks = np.flatnonzero((data == 0x0A) | (data == 0x0D))
            if len(breaks):
                before = quotes_before + np.searchsorted(quotes, breaks)
                if (before % 2).any():
                    return True
            quotes_before += len(quotes)
    return False
