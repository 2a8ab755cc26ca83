"""What every command shares: exit codes, the error a user can act on, loading a model file,
printing a validation report, plain-text tables, dates, reading a lead list, JSON-ready values and
writing an output file.

Exit codes: 0 fine, 1 the model is invalid (each problem printed as ``location: message``),
2 the file cannot be read (missing, not YAML, not a mapping, too large, alias or tag refused)
or the command line is wrong. Never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from workbook.calibrate import WeightBound
from workbook.files import (
    LoadedModel,
    ModelFileError,
    ModelInvalid,
    load_model_file,
    write_bytes_atomic,
    write_text_atomic,
)
from workbook.model import ScoringModel
from workbook.validate import Report

if TYPE_CHECKING:
    import pandas as pd

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


class CommandError(Exception):
    """A failure the user can act on; carries its exit code."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


def load(path: str) -> LoadedModel:
    """The model file at ``path``; a :class:`CommandError` (exit 2 unreadable, 1 wrong shape) otherwise."""
    try:
        return load_model_file(path)
    except ModelFileError as exc:
        raise CommandError(f"{path}: cannot read the model file: {exc}", EXIT_UNREADABLE) from None
    except ModelInvalid as exc:
        lines = [f"{path}: the model file is invalid ({len(exc.problems)} problem(s)):"]
        lines += [f"  {p}" for p in exc.problems]
        raise CommandError("\n".join(lines), EXIT_INVALID) from None


def print_report(report: Report, out: TextIO) -> None:
    """Every error, then every warning, one per line."""
    for problem in report.errors:
        print(f"error: {problem}", file=out)
    for problem in report.warnings:
        print(f"warning: {problem}", file=out)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], right_aligned: set[int]) -> str:
    """A plain-text table: a header, a rule, the rows; columns as wide as their widest cell."""
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            str(c).rjust(w) if i in right_aligned else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=False))
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def as_of_date(text: str) -> dt.date:
    """``--as-of YYYY-MM-DD``."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date such as 2026-01-31") from None


def write_output(path: str, content: str | bytes) -> None:
    """Write ``content`` to ``path`` whole or not at all; a :class:`CommandError` (exit 2) when it cannot."""
    try:
        if isinstance(content, bytes):
            write_bytes_atomic(path, content)
        else:
            write_text_atomic(path, content)
    except OSError as exc:
        raise CommandError(f"{path}: cannot write ({exc.strerror})", EXIT_UNREADABLE) from None


def locks(model: ScoringModel, names: Sequence[str]) -> dict[tuple[str, str], WeightBound]:
    """``--lock NAME`` (or ``profile:NAME``): the weights a suggestion must leave as they are."""
    out: dict[tuple[str, str], WeightBound] = {}
    for raw in names:
        section, _, name = raw.partition(":")
        if section not in ("profile", "engagement") or not name:
            section, name = "", raw
        sections = [section] if section else ["profile", "engagement"]
        hits = [(s, name) for s in sections if any(f.name == name for f in model.section(s))]  # type: ignore[arg-type]
        if not hits:
            raise CommandError(f"--lock: no attribute or activity is named '{name}'", EXIT_UNREADABLE)
        for key in hits:
            out[key] = WeightBound(locked=True)
    return out


def read_leads(path: str, outcome: str | None = None) -> pd.DataFrame:
    """The lead list at ``path`` as text columns, its reading notes printed to stderr.

    A list that cannot be read, or an ``outcome`` column (given with ``--outcome``) it lacks,
    is a :class:`CommandError` (exit 2) naming the file and, for the column, the ones it has.
    """
    from workbook.leads import LeadListError, read_lead_list

    try:
        leads = read_lead_list(path)
    except LeadListError as exc:
        raise CommandError(f"{path}: cannot read the lead list: {exc}", EXIT_UNREADABLE) from None
    for note in leads.notes:
        print(f"note: {path}: {note}", file=sys.stderr)
    if outcome is not None and outcome not in leads.frame.columns:
        raise CommandError(
            f"{path}: the lead list has no column '{outcome}' (given with --outcome); "
            "columns in the list: " + ", ".join(f"'{c}'" for c in leads.frame.columns),
            EXIT_UNREADABLE,
        )
    return leads.frame


def json_ready(value: Any) -> Any:
    """``value`` as JSON can hold it: NaN and NA as null, numpy scalars, decimals and dates as plain values."""
    from workbook.leads.engines.sinks import plain

    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return plain(value)
