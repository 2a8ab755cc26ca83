"""Cells in separated text, double quotes read the way spreadsheets and CSV write them.

One reader for the two places people type or paste such text: a block copied from a
spreadsheet (cells split by tabs, rows by line breaks; :mod:`workbook.editing.paste`) and a
match key's list of texts typed into one cell (items split by commas;
:mod:`workbook.match.row_cells`).

A cell whose first character after any spaces is ``"`` is quoted: up to the closing quote,
separators and line breaks are part of the cell and ``""`` stands for one ``"``. A quoted
cell keeps its spaces; text after its closing quote is kept as CSV readers keep it, but for
the spaces before the next separator. An unquoted cell is trimmed.
"""

from __future__ import annotations

__all__ = ["split_quoted"]


def split_quoted(text: str, separator: str, line_break: str | None = None) -> list[list[str]]:
    """``text`` as lines of cells, split at ``separator`` and (when given) ``line_break``.

    Without ``line_break`` the result is at most one line. An empty text has no lines, and a
    text ending in a line break has no empty line after it; blank cells are kept (callers
    decide whether a blank cell means anything).
    """
    lines: list[list[str]] = []
    line: list[str] = []
    cell: list[str] = []
    quoted = in_quotes = False
    closed_at = 0  # where a quoted cell's quotes closed: what follows is trailing text

    def close_cell() -> None:
        nonlocal cell, quoted
        text = "".join(cell[:closed_at]) + "".join(cell[closed_at:]).rstrip() if quoted else "".join(cell).strip()
        line.append(text)
        cell, quoted = [], False

    i = 0
    while i < len(text):
        ch = text[i]
        if in_quotes:
            if ch == '"' and text[i + 1 : i + 2] == '"':
                cell.append('"')
                i += 1
            elif ch == '"':
                in_quotes, closed_at = False, len(cell)
            else:
                cell.append(ch)
        elif ch == '"' and not quoted and not "".join(cell).strip():
            cell, quoted, in_quotes = [], True, True
        elif ch == separator:
            close_cell()
        elif line_break is not None and ch == line_break:
            close_cell()
            lines.append(line)
            line = []
        else:
            cell.append(ch)
        i += 1
    if cell or line or quoted:
        if in_quotes:  # a quote never closed: the rest of the text is the cell's, as typed
            closed_at = len(cell)
        close_cell()
        lines.append(line)
    return lines
