"""Reading lead lists (CSV or Excel .xlsx) as tables of text.

Every cell is read as text (``""`` for an empty cell), never guessed by pandas: the match rules
of SPEC §4 decide what is a number or a date. Decisions where the spec is silent:

* **Encoding.** UTF-8 (with or without BOM) or UTF-16 with BOM. Otherwise charset-normalizer
  guesses: a multi-byte encoding (Shift-JIS, GB18030, UTF-16 without BOM…) is read as guessed,
  and the note names the guess. Other text that is not valid UTF-8 is read as Windows-1252
  (what Excel on Windows writes), or Latin-1 if it is not that either, and a note says so —
  accented letters may then need checking.
* **Delimiter.** Comma, semicolon, tab or pipe, whichever splits the first lines into the
  most columns consistently.
* **Excel.** The first worksheet, its first non-empty row as the header. Dates become ISO
  text (``2026-01-15``), whole numbers lose their ``.0``.
* Columns without a header that are empty throughout (a trailing delimiter on every line,
  as in the X Education list) are dropped, with a note.
* A size cap, 200 MB by default, ``WORKBOOK_MAX_LEADS_BYTES`` to change it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workbook.leads.mapping import closest_column
from workbook.match import cell_text
from workbook.model import ScoringModel

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
MAX_BYTES_ENV = "WORKBOOK_MAX_LEADS_BYTES"
DELIMITERS = (",", ";", "\t", "|")
SNIFF_BYTES = 256 * 1024  # the head of a CSV file the delimiter is guessed from (the engines read as much)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


class LeadListError(Exception):
    """The lead list cannot be read, or does not have what the model needs."""


class MissingColumns(LeadListError):
    """Columns the model reads are absent; ``missing`` maps each to the attributes/activities reading it."""

    def __init__(self, message: str, missing: dict[str, list[str]]):
        super().__init__(message)
        self.missing = missing


@dataclass
class LeadList:
    frame: pd.DataFrame
    name: str
    format: str  # "csv" or "xlsx"
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)


def max_leads_bytes() -> int:
    """The size cap for lead lists: ``WORKBOOK_MAX_LEADS_BYTES`` or 200 MB."""
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_MAX_BYTES


def _too_large(size: int, cap: int) -> LeadListError:
    return LeadListError(
        f"the file is too large: {size / 1e6:,.1f} MB, the limit is {cap / 1e6:,.1f} MB "
        f"(set {MAX_BYTES_ENV} to raise it)"
    )


def read_lead_list(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> LeadList:
    """Read a lead list from a CSV or .xlsx file; raises :class:`LeadListError` with a clear message."""
    p = Path(path)
    cap = max_leads_bytes() if max_bytes is None else max_bytes
    try:
        if p.is_dir():
            raise LeadListError(f"{p} is a folder, not a file")
        size = p.stat().st_size
        if size > cap:
            raise _too_large(size, cap)
        data = p.read_bytes()
    except FileNotFoundError:
        raise LeadListError(f"{p}: no such file") from None
    except PermissionError:
        raise LeadListError(f"{p}: permission denied") from None
    except OSError as exc:
        raise LeadListError(f"{p}: cannot be read ({exc.strerror})") from None
    return read_lead_bytes(data, p.name, max_bytes=cap)


def read_lead_bytes(data: bytes, name: str = "lead list", *, max_bytes: int | None = None) -> LeadList:
    """Read a lead list from the bytes of a CSV or .xlsx file (e.g. an upload)."""
    cap = max_leads_bytes() if max_bytes is None else max_bytes
    if len(data) > cap:
        raise _too_large(len(data), cap)
    suffix = Path(name).suffix.lower()
    if data.startswith(_OLE_MAGIC) or suffix == ".xls":
        raise LeadListError("this is an old-style Excel workbook (.xls); save it as .xlsx or CSV and try again")
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, name, cap)
    if suffix in (".xlsx", ".xlsm"):
        raise LeadListError(f"{name} is not an Excel workbook (.xlsx): the file is not a zip archive")
    return _read_csv(data, name)


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------
# Encodings a guess may name that the Western fallback below would garble: several bytes a
# character (East Asian), or UTF-16/32 without a byte-order mark.
_MULTIBYTE = ("utf_16", "utf_32", "cp932", "shift_jis", "euc_jp", "iso2022_jp", "gb2312", "gbk", "gb18030",
              "big5", "cp950", "euc_kr", "cp949", "johab")
_GUESS_BYTES = 64 * 1024


def guess_encoding(data: bytes) -> str | None:
    """A multi-byte encoding charset-normalizer finds in the file's first bytes, if any.

    Single-byte guesses are not used: for Western text the detector often names a sibling
    code page (cp1250 for cp1252 text), and Windows-1252 is what Excel writes there. UTF-16/32
    only where the text then has lines or delimiters, since a few odd bytes can pass for UTF-16.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_GUESS_BYTES]).best()
    name = best.encoding if best is not None else None
    if name is None or not name.startswith(_MULTIBYTE):
        return None
    wide = name.startswith(("utf_16", "utf_32"))
    try:
        text = (data[: len(data) - len(data) % 4] if wide else data).decode(name)
    except (UnicodeDecodeError, LookupError):
        return None
    head = text[:_GUESS_BYTES]
    if "\x00" in head:
        return None
    if wide and not any(d in head for d in ("\n", *DELIMITERS)):
        return None
    return name


def looks_utf16(data: bytes) -> bool:
    """Text of UTF-16 without a byte-order mark: every other byte of Latin text is NUL."""
    head = data[:4096]
    return len(head) >= 8 and head.count(0) >= len(head) // 4


def _encoding(data: bytes) -> tuple[str, str | None]:
    """The encoding to read with, and a note when it is not UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", None
    if looks_utf16(data):
        guess = guess_encoding(data)
        if guess:
            return guess, f"the file has no byte-order mark; read it as {guess.upper().replace('_', '-')} (a guess)"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), 1 << 20):
            decoder.decode(data[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
        return "utf-8", None
    except UnicodeDecodeError as exc:
        where = f"near byte {exc.start}" if exc.start < (1 << 20) else "further down"
        guess = guess_encoding(data)
        if guess:
            return guess, (
                f"the file is not UTF-8 (invalid byte {where}); read it as {guess.upper().replace('_', '-')} "
                "(a guess) — check the names, or save the file as UTF-8"
            )
        try:
            data.decode("cp1252")
            return "cp1252", (
                f"the file is not UTF-8 (invalid byte {where}); read it as Windows-1252 — "
                "check accented letters, or save the file as UTF-8"
            )
        except UnicodeDecodeError:
            return "latin-1", (
                f"the file is not UTF-8 (invalid byte {where}) nor Windows-1252; read it as Latin-1 — "
                "check accented letters, or save the file as UTF-8"
            )


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter (comma, semicolon, tab or pipe) that splits ``lines`` most consistently into
    the most columns; a comma when none splits the header."""
    best, best_key = ",", (-1.0, 0)
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not widths:
            continue
        header = widths[0]
        consistent = sum(w == header for w in widths) / len(widths)
        key = (1.0 if consistent >= 0.9 else consistent, header)
        if header > 1 and key > best_key:
            best, best_key = delimiter, key
    return best


def _read_csv(data: bytes, name: str) -> LeadList:
    notes: list[str] = []
    encoding, note = _encoding(data)
    if note:
        notes.append(note)
    head = data[:SNIFF_BYTES].decode(encoding, errors="replace")
    if not head.strip().strip("\ufeff"):
        raise LeadListError(f"{name} is empty: a lead list needs a header row and one row per lead")
    if "\x00" in head:
        raise LeadListError(f"{name} is not a table: it holds binary data (NUL bytes), not CSV text")
    first = head.lstrip("\ufeff \t\r\n")[:1]
    if first in ("{", "[", "<"):
        kind = "JSON" if first in "{[" else "HTML or XML"
        raise LeadListError(f"{name} is not a table: it looks like {kind}; export the leads as CSV or .xlsx")
    lines = head.splitlines()
    if len(data) > SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    lines = [line for line in lines[:200] if line.strip()]
    delimiter = sniff_delimiter(lines)
    header = next(csv.reader(lines[:1], delimiter=delimiter), [])
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.BytesIO(data),
                sep=delimiter,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                encoding=encoding,
                skip_blank_lines=True,
                index_col=False,  # never turn extra leading fields into an index: that shifts every column
                engine="c",
            )
        if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
            raise LeadListError(f"{name} is not a well-formed table: {_first_long_row(data, encoding, delimiter)}")
    except pd.errors.EmptyDataError:
        raise LeadListError(f"{name} is empty: a lead list needs a header row and one row per lead") from None
    except pd.errors.ParserError as exc:
        detail = str(exc).strip().splitlines()[-1]
        fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", detail)
        if fields:
            expected, line, saw = fields.groups()
            detail = f"line {line} has {saw} fields where the header has {expected}"
        raise LeadListError(f"{name} is not a well-formed table: {detail}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise LeadListError(f"{name} cannot be read as CSV text ({exc})") from None
    frame, more = tidy_columns(frame, [h.strip() == "" for h in header] if len(header) == frame.shape[1] else None)
    notes += more
    repeated = [h for h, n in Counter(h for h in header if h.strip()).items() if n > 1]
    if repeated:
        notes.append(f"repeated column name(s) {', '.join(repeated)}: the second is read as NAME.1 and so on")
    label = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}[delimiter]
    if delimiter != ",":
        notes.append(f"columns are separated by {label}s")
    return LeadList(frame, name, "csv", encoding, delimiter, notes)


def _first_long_row(data: bytes, encoding: str, delimiter: str) -> str:
    """Where a row has more fields than the header (only called when pandas saw one)."""
    return first_long_row(io.StringIO(data.decode(encoding, errors="replace")), delimiter)


def first_long_row(lines: Iterable[str], delimiter: str) -> str:
    """Where the first row with more fields than the header is, in words ("line 7 has 4 fields
    where the header has 2"); read line by line, so a file of any size can be searched."""
    reader = csv.reader(lines, delimiter=delimiter)
    header = None
    for row in reader:
        if not row:
            continue
        if header is None:
            header = len(row)
        elif len(row) > header:
            return f"line {reader.line_num} has {len(row)} fields where the header has {header}"
    return "some rows have more fields than the header"


def tidy_columns(frame: pd.DataFrame, blank_header: list[bool] | None) -> tuple[pd.DataFrame, list[str]]:
    """Drop headerless empty columns; note headerless and repeated column names."""
    notes = []
    names = [str(c) for c in frame.columns]
    if blank_header is None:
        blank_header = [n.startswith("Unnamed: ") for n in names]
    drop = [n for n, blank in zip(names, blank_header, strict=True) if blank and _all_blank(frame[n])]
    if drop:
        frame = frame.drop(columns=drop)
        notes.append(f"ignored {len(drop)} empty column(s) without a header (a trailing delimiter on each line)")
    kept = [n for n, blank in zip(names, blank_header, strict=True) if blank and n not in drop]
    if kept:
        notes.append(f"column(s) without a header read as {', '.join(kept)}")
    return frame, notes


def _all_blank(column: pd.Series) -> bool:
    return bool((column.fillna("").str.strip() == "").all())


# --------------------------------------------------------------------------------------------
# Excel
# --------------------------------------------------------------------------------------------
def _excel_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0) and value.tzinfo is None:
        return value.date().isoformat()
    return cell_text(value) or ""


EXCEL_MAX_ROWS = 1_048_576  # Excel's own limit per worksheet
MAX_PACKING_RATIO = 100  # real workbooks pack 5–20 times; a zip bomb thousands of times


def _check_unpacked(name: str, packed: int, unpacked: int, cap: int) -> None:
    """Refuse an .xlsx whose parts unpack beyond the size cap, or pack suspiciously tight.

    Reading a workbook costs time and memory in proportion to its unpacked XML, not its file
    size: 9 MB that unpack to 1.9 GB took 13 minutes and 3.3 GB of memory.
    """
    if unpacked > cap:
        raise LeadListError(
            f"{name} unpacks to {unpacked / 1e6:,.1f} MB, more than the {cap / 1e6:,.1f} MB a lead list may hold "
            f"(set {MAX_BYTES_ENV} to raise it), or export the leads as CSV"
        )
    if packed and unpacked > MAX_PACKING_RATIO * packed and unpacked > 10 * 1024 * 1024:
        raise LeadListError(
            f"{name} unpacks to {unpacked / packed:,.0f} times its size ({unpacked / 1e6:,.1f} MB): "
            "that is not an ordinary workbook; export the leads as CSV"
        )


def _read_xlsx(data: bytes, name: str, cap: int) -> LeadList:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        _check_unpacked(name, len(data), unpacked, cap)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except LeadListError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise LeadListError(f"{name} is not a readable Excel workbook (.xlsx): {exc}") from None
    notes = []
    try:
        if not book.worksheets:
            raise LeadListError(f"{name} has no worksheet")
        sheet = book.worksheets[0]
        if len(book.worksheets) > 1:
            notes.append(f"read the first worksheet '{sheet.title}' of {len(book.worksheets)}")
        rows = []
        for row in sheet.iter_rows(values_only=True):
            if len(rows) > EXCEL_MAX_ROWS:
                raise LeadListError(
                    f"{name} has more than {EXCEL_MAX_ROWS:,} rows, more than Excel itself holds; "
                    "export the leads as CSV instead"
                )
            rows.append(list(row))
    finally:
        book.close()
    rows = [r for r in rows if any(v is not None and str(v).strip() for v in r)]
    if not rows:
        raise LeadListError(f"{name} is empty: its first worksheet has no rows")
    width = max(max((i + 1 for i, v in enumerate(r) if v is not None), default=0) for r in rows)
    header_cells = (rows[0] + [None] * width)[:width]
    blank = [v is None or not str(v).strip() for v in header_cells]
    header = [f"Unnamed: {i}" if b else _excel_text(v)
              for i, (v, b) in enumerate(zip(header_cells, blank, strict=True))]
    header, renamed = _dedupe(header)
    if renamed:
        notes.append("repeated column name(s) read as " + ", ".join(renamed))
    body = [(r + [None] * width)[:width] for r in rows[1:]]
    columns = {h: pd.array([_excel_text(r[i]) for r in body], dtype="str") for i, h in enumerate(header)}
    frame = pd.DataFrame(columns)
    frame, more = tidy_columns(frame, blank)
    return LeadList(frame, name, "xlsx", None, None, notes + more)


def _dedupe(names: list[str]) -> tuple[list[str], list[str]]:
    """Repeated names get ``.1``, ``.2`` … as pandas does for CSV."""
    seen: Counter[str] = Counter()
    out, renamed = [], []
    for n in names:
        if seen[n]:
            new = f"{n}.{seen[n]}"
            while new in names or new in out:
                seen[n] += 1
                new = f"{n}.{seen[n]}"
            out.append(new)
            renamed.append(new)
        else:
            out.append(n)
        seen[n] += 1
    return out, renamed


# --------------------------------------------------------------------------------------------
# What the model needs
# --------------------------------------------------------------------------------------------
def required_columns(model: ScoringModel) -> dict[str, list[str]]:
    """Column → the attributes and activities that read it ("profile attribute 'Job role'")."""
    needed: dict[str, list[str]] = {}
    for section, what in (("profile", "profile attribute"), ("engagement", "activity")):
        for f in model.section(section):  # type: ignore[arg-type]
            needed.setdefault(f.source_column, []).append(f"{what} '{f.name}'")
    return needed


def check_columns(model: ScoringModel, frame: pd.DataFrame) -> None:
    """Raise :class:`MissingColumns` naming every absent column and who reads it."""
    present = [str(c) for c in frame.columns]
    missing = {c: who for c, who in required_columns(model).items() if c not in frame.columns}
    if not missing:
        return
    lines = []
    for column, who in missing.items():
        line = f"the lead list has no column '{column}' (read by {' and '.join(who)})"
        hint = closest_column(column, present)
        if hint:
            line += f"; did you mean '{hint}'?"
        lines.append(line)
    shown = ", ".join(f"'{p}'" for p in present[:40]) + (f", … ({len(present)} in all)" if len(present) > 40 else "")
    lines.append(f"columns in the list: {shown or 'none'}")
    raise MissingColumns("\n".join(lines), missing)
