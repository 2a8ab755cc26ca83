"""Rows pasted from a spreadsheet, and tables read from a file, as rows of an editor's table.

A block copied from Excel or Google Sheets is text: one line per row, cells separated by
tabs. The table editor spreads such a block over its cells itself when a cell is selected,
but pasted into a cell being typed in (the add-row of an empty table opens one) the whole
block lands in that one cell. :func:`expand_pasted` finds such cells and spreads them as a
spreadsheet would: one row per line, one cell per column, from the column pasted into.

Decisions where the issue is silent:

* A first line whose every cell names a column (its key or its label, any case) is a
  header: it is not a row, and the cells below go to the columns it names. A new row the
  editor made of a pasted header (each of at least two texts naming its own column) is
  dropped too. Without one,
  cells go to the columns in display order from the pasted one; extra cells are dropped.
* A cell is split when it holds a tab, or a line break in a new row or the first (name)
  column — names never hold either. A line break inside other text of an existing row
  (a state's action, say) is left alone.
* Blank lines are skipped. Cells are trimmed. Numbers may carry a ``%`` and a decimal
  comma (``12,5 %``); yes/no cells read ``yes``, ``true``, ``1``, ``x``, ``✓`` as ticked.
  A cell that does not read as a number is passed on as text, so the edit refuses it by
  name instead of guessing.
* A text that matches one of a column's choices but for case takes the choice's spelling.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbook.files.quoted import split_quoted

__all__ = ["TableShape", "expand_pasted", "is_header", "rows_from_table", "split_block"]

_SPLITS = re.compile(r"[\t\r\n]")
_TRUE = {"yes", "y", "true", "1", "x", "✓", "✔", "ja", "oui", "si", "sí"}
_FALSE = {"no", "n", "false", "0", "", "-", "–", "nein", "non"}


@dataclass(frozen=True)
class TableShape:
    """What a table editor shows: its editable columns in display order, and how to read them.

    ``columns`` are row keys; ``labels`` the headers people see (a key's label, or the key);
    ``numbers`` and ``flags`` the columns read as numbers and as yes/no; ``choices`` each
    select column's options.
    """

    columns: Sequence[str]
    labels: Mapping[str, str] = field(default_factory=dict)
    numbers: frozenset[str] = frozenset()
    flags: frozenset[str] = frozenset()
    choices: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def column_for(self, header: str) -> str | None:
        """The column a header cell names (its key or label, any case, spaces trimmed), if any."""
        wanted = _fold(header)
        if not wanted:
            return None
        for column in self.columns:
            if wanted in (_fold(column), _fold(self.labels.get(column, column))):
                return column
        return None


def _fold(text: str) -> str:
    return " ".join(str(text).replace("_", " ").split()).casefold()


def split_block(text: str) -> list[list[str]]:
    """Tab-separated text as rows of trimmed cells; blank lines are skipped.

    A cell quoted the way spreadsheets quote a cell holding a tab or line break
    (``"a<TAB>b"``) is read as one cell.
    """
    rows: list[list[str]] = []
    for line in split_quoted(text.replace("\r\n", "\n").replace("\r", "\n"), "\t", "\n"):
        cells = [c.strip() for c in line]
        if any(cells):
            rows.append(cells)
    return rows


def is_header(cells: Sequence[str], shape: TableShape) -> bool:
    """Does every non-empty cell name a column? (At least one must.)"""
    named = [c for c in cells if c.strip()]
    return bool(named) and all(shape.column_for(c) is not None for c in named)


def _read(column: str, text: str, shape: TableShape) -> Any:
    """One pasted cell as the column's value (see the module's decisions)."""
    if column in shape.numbers:
        if not text:
            return None
        number = text.replace("%", "").replace("\u00a0", "").replace(" ", "")
        if "," in number and "." not in number:
            number = number.replace(",", ".")
        try:
            value = float(number)
        except ValueError:
            return text
        return value if math.isfinite(value) else text
    if column in shape.flags:
        folded = text.casefold()
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
        return text
    for choice in shape.choices.get(column, ()):
        if _fold(choice) == _fold(text):
            return choice
    return text or None


def rows_from_table(
    cells: Sequence[Sequence[str]], shape: TableShape, *, start: str | None = None, header: bool | None = None
) -> list[dict[str, Any]]:
    """Rows of cells (a pasted block, a CSV file) as row dicts of the table's columns.

    ``start`` is the column the first cell goes to when there is no header (default the
    first column). ``header`` None: the first row is a header when :func:`is_header` says so.
    Rows come back without ``orig``: they are new rows.
    """
    rows = [list(r) for r in cells if any(str(c).strip() for c in r)]
    if not rows:
        return []
    if header is None:
        header = is_header(rows[0], shape)
    if header:
        targets = [shape.column_for(c) for c in rows[0]]
        rows = rows[1:]
    else:
        columns = list(shape.columns)
        first = columns.index(start) if start in columns else 0
        targets = columns[first:]
    out = []
    for row in rows:
        values: dict[str, Any] = {}
        for target, text in zip(targets, row, strict=False):
            if target is not None and target not in values:
                values[target] = _read(target, str(text).strip(), shape)
        out.append(values)
    return out


def _pasted_cell(row: Mapping[str, Any], shape: TableShape) -> str | None:
    """The first column of ``row`` holding a pasted block, if any."""
    new = _is_new(row)
    first = shape.columns[0] if shape.columns else None
    for column in shape.columns:
        value = row.get(column)
        if isinstance(value, str) and _SPLITS.search(value):
            if "\t" in value or new or column == first:
                return column
    return None


def _header_row(row: Mapping[str, Any], shape: TableShape) -> bool:
    """A new row whose texts (two or more) each name their own column: a pasted header."""
    if not _is_new(row):
        return False
    texts = {c: row[c] for c in shape.columns if isinstance(row.get(c), str) and row[c].strip()}
    return len(texts) >= 2 and all(shape.column_for(t) == c for c, t in texts.items())


def _is_new(row: Mapping[str, Any]) -> bool:
    orig = row.get("orig")
    return orig is None or (isinstance(orig, float) and math.isnan(orig))


def expand_pasted(rows: Sequence[Mapping[str, Any]], shape: TableShape) -> list[dict[str, Any]]:
    """The rows with every pasted block spread out: one row per line, one cell per column.

    The row a block was pasted into takes its first line (it keeps its ``orig``, so an
    existing row stays itself); the other lines become new rows right after it. A new row
    made of a pasted header line is dropped. Other rows come back unchanged.
    """
    out: list[dict[str, Any]] = []
    for row in rows:
        if _header_row(row, shape):
            continue
        column = _pasted_cell(row, shape)
        if column is None:
            out.append(dict(row))
            continue
        block = split_block(str(row[column]))
        spread = rows_from_table(block, shape, start=column)
        if not spread:
            out.append({**row, column: None})
            continue
        first = dict(row)
        first[column] = None
        first.update(spread[0])
        out.append(first)
        out.extend({**dict.fromkeys(row), "orig": None, **extra} for extra in spread[1:])
    return out
