"""The ``pandas`` engine: the vectorized scorer, a chunk of the list at a time.

A CSV is read ``batch_rows`` rows at a time (pandas' ``chunksize``; the encoding and the
delimiter found as :func:`workbook.leads.read_lead_list` finds them, streamed: see
:mod:`workbook.leads.engines.csv_files`), a Parquet file a batch at a time (pyarrow), so memory
stays bounded whatever the file's size; an .xlsx (at most Excel's million rows) is read whole by
the project's reader and scored a chunk at a time. Each lead's answer depends on its own cells
only, so chunks give the whole list's answer; the data-quality report (values that matched
nothing) is added up chunk by chunk (:class:`UnmatchedSums`).

Where chunks cannot see the whole file: a column without a header is dropped when it is empty
in the first chunk (the whole-file reader drops it when it is empty throughout).
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from workbook.leads.reading import LeadListError, first_long_row, read_lead_list, tidy_columns
from workbook.leads.scoring import TOP_VALUES, Unmatched, score_leads
from workbook.model import ScoringModel

if TYPE_CHECKING:
    from workbook.leads.engines import Emit, Progress, Run

_KEPT = 10_000  # distinct unmatched cells remembered per factor (only the top 5 are reported)


class UnmatchedSums:
    """The data-quality report of a list scored in chunks: the chunks' reports added up.

    Each chunk reports every unmatched value in the order of its first row, so the top values
    come out as one pass over the whole list gives them (most common first, ties by first row),
    as long as a factor has at most ``_KEPT`` distinct unmatched values.
    """

    def __init__(self) -> None:
        self.rows = 0
        self.factors: dict[tuple[str, str, str], list] = {}

    def add(self, chunk: list[Unmatched]) -> None:
        if chunk:
            self.rows += chunk[0].rows
        for u in chunk:
            key = (u.section, u.name, u.column)
            total, values = self.factors.setdefault(key, [0, Counter()])
            self.factors[key][0] = total + u.count
            for value, count in u.top_values:
                if value in values or len(values) < _KEPT:
                    values[value] += count

    def report(self) -> list[Unmatched]:
        out = []
        for (section, name, column), (total, values) in self.factors.items():
            ranked = sorted(values.items(), key=lambda vc: -vc[1])  # stable: ties keep first-row order
            out.append(Unmatched(section, name, column, self.rows, total, ranked[:TOP_VALUES]))
        return out


def run_pandas(model: ScoringModel, path: Path, run: Run, emit: Emit, progress: Progress, batch_rows: int) -> None:
    from workbook.leads.engines import EngineError, input_kind

    kind = input_kind(path)
    if kind == "parquet":
        chunks = _parquet_chunks(path, batch_rows, progress)
    elif kind == "csv":
        chunks = _csv_chunks(path, batch_rows, run)
    else:
        try:
            leads = read_lead_list(path)
        except LeadListError as exc:
            raise EngineError(f"cannot read the lead list: {exc}") from None
        run.notes += leads.notes
        progress.total = len(leads.frame)
        chunks = (leads.frame.iloc[s:s + batch_rows] for s in range(0, max(len(leads.frame), 1), batch_rows))
    sums = UnmatchedSums()
    for chunk in chunks:
        try:
            scored = score_leads(model, chunk, run.as_of, top_values=None)
        except LeadListError as exc:  # MissingColumns
            raise EngineError(str(exc)) from None
        sums.add(scored.unmatched)
        run.replaced_columns = list(scored.replaced_columns)
        emit(scored.frame)
    run.unmatched = sums.report()


def _parquet_chunks(path: Path, batch_rows: int, progress: Progress) -> Iterator[pd.DataFrame]:
    from workbook.leads.engines import EngineError

    try:
        import pyarrow.parquet as pq

        source = pq.ParquetFile(path)
        progress.total = source.metadata.num_rows
        batches = source.iter_batches(batch_size=batch_rows)
        emitted = False
        for batch in batches:
            yield batch.to_pandas()
            emitted = True
        if not emitted:
            yield source.schema_arrow.empty_table().to_pandas()
    except (OSError, ValueError) as exc:  # pyarrow's errors derive from these
        raise EngineError(f"cannot read the Parquet file: {exc}") from None


def _csv_chunks(path: Path, batch_rows: int, run: Run) -> Iterator[pd.DataFrame]:
    import csv

    from workbook.leads.engines import EngineError
    from workbook.leads.engines.csv_files import csv_facts

    name = path.name
    try:
        facts = csv_facts(path)
    except LeadListError as exc:
        raise EngineError(f"cannot read the lead list: {exc}") from None
    except FileNotFoundError:
        raise EngineError(f"cannot read the lead list: {path}: no such file") from None
    except OSError as exc:
        raise EngineError(f"cannot read the lead list: {path}: {exc.strerror}") from None
    if facts.note:
        run.notes.append(facts.note)
    with open(path, encoding=facts.encoding, errors="replace", newline="") as fh:
        header = next(csv.reader(fh, delimiter=facts.delimiter), [])
    drop: list[str] | None = None
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            reader = pd.read_csv(path, sep=facts.delimiter, dtype=str, keep_default_na=False, na_filter=False,
                                 encoding=facts.encoding, skip_blank_lines=True, index_col=False, engine="c",
                                 chunksize=batch_rows)
            with reader:
                for chunk in reader:
                    if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
                        with open(path, encoding=facts.encoding, errors="replace", newline="") as fh:
                            where = first_long_row(fh, facts.delimiter)
                        raise EngineError(f"cannot read the lead list: {name} is not a well-formed table: {where}")
                    if drop is None:
                        blank = [h.strip() == "" for h in header] if len(header) == chunk.shape[1] else None
                        tidy, notes = tidy_columns(chunk, blank)
                        drop = [c for c in chunk.columns if c not in tidy.columns]
                        run.notes += notes
                        repeated = [h for h, n in Counter(h for h in header if h.strip()).items() if n > 1]
                        if repeated:
                            run.notes.append(f"repeated column name(s) {', '.join(repeated)}: the second is read "
                                             "as NAME.1 and so on")
                        if facts.delimiter != ",":
                            label = {";": "semicolon", "\t": "tab", "|": "pipe"}[facts.delimiter]
                            run.notes.append(f"columns are separated by {label}s")
                    yield chunk.drop(columns=drop) if drop else chunk
    except pd.errors.EmptyDataError:
        raise EngineError(f"cannot read the lead list: {name} is empty: a lead list needs a header row and one row "
                          "per lead") from None
    except pd.errors.ParserError:  # its line number counts from the chunk: find the row in the file
        with open(path, encoding=facts.encoding, errors="replace", newline="") as fh:
            where = first_long_row(fh, facts.delimiter)
        raise EngineError(f"cannot read the lead list: {name} is not a well-formed table: {where}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise EngineError(f"cannot read the lead list: {name} cannot be read as CSV text ({exc})") from None
    if drop is None:  # a header and no lead
        yield pd.DataFrame({h: pd.Series([], dtype=str) for h in header if h.strip()})
