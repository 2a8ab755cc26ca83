"""Where scored leads go, one batch at a time: a CSV or Parquet file, or JSON lines on a stream.

Each engine hands the sink batches of scored rows (a pandas frame: the input columns plus
:data:`workbook.leads.SCORED_COLUMNS`) in the lead list's order, so no engine needs the whole
list in memory. Files are written to a hidden temporary file beside the target and renamed
over it at the end: written whole or not at all.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from pathlib import Path
from typing import IO, Any, Protocol

import pandas as pd

from workbook.files.cells import safe_frame

OUTPUT_FORMATS = ("csv", "parquet")


class Sink(Protocol):
    def write(self, batch: pd.DataFrame) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


def output_format(path: str | None, explicit: str | None) -> str:
    """``--output-format`` when given, else the output file's suffix (``.parquet``/``.pq``), else CSV."""
    if explicit:
        return explicit
    if path and Path(path).suffix.lower() in (".parquet", ".pq"):
        return "parquet"
    return "csv"


def _for_output(batch: pd.DataFrame) -> pd.DataFrame:
    out = batch.copy(deep=False)
    out["knocked_out"] = out["knocked_out"].map({True: "true", False: "false"})
    return out


def csv_chunk(batch: pd.DataFrame, header: bool) -> str:
    """One batch as CSV for a spreadsheet (formula-like cells neutralised, line breaks quoted).

    A batch with a carriage return in any cell is written with every cell quoted (see
    :func:`workbook.files.cells.csv_text`); other batches quote where needed — both read back
    the same.
    """
    safe = safe_frame(_for_output(batch))
    text_cells = [safe[c].astype("string") for c in safe.columns if safe[c].dtype == object or
                  pd.api.types.is_string_dtype(safe[c])]
    has_cr = any(t.str.contains("\r", regex=False, na=False).any() for t in text_cells)
    buffer = io.StringIO()
    safe.to_csv(buffer, index=False, header=header, lineterminator="\n",
                quoting=csv.QUOTE_ALL if has_cr else csv.QUOTE_MINIMAL)
    return buffer.getvalue()


class _AtomicFile:
    """A hidden temporary file beside ``target``, renamed over it on success."""

    def __init__(self, target: str):
        self.target = Path(target)
        fd, name = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent or ".")
        os.close(fd)
        self.temp = Path(name)

    def commit(self) -> None:
        os.replace(self.temp, self.target)

    def abort(self) -> None:
        self.temp.unlink(missing_ok=True)


class CsvSink:
    """CSV to a file (atomic) or to a text stream."""

    def __init__(self, target: str | None, stream: IO[str] | None = None):
        self._file = _AtomicFile(target) if target else None
        self._out: IO[str] = open(self._file.temp, "w", encoding="utf-8", newline="") if self._file else stream
        self._header = True

    def write(self, batch: pd.DataFrame) -> None:
        self._out.write(csv_chunk(batch, self._header))
        self._header = False

    def close(self) -> None:
        if self._file:
            self._out.close()
            self._file.commit()
        else:
            self._out.flush()

    def abort(self) -> None:
        if self._file:
            self._out.close()
            self._file.abort()


class ParquetSink:
    """Parquet to a file (atomic), one row group per batch; the scored columns typed
    (percentages as DOUBLE, ``knocked_out`` as BOOLEAN), the input columns as they came."""

    def __init__(self, target: str):
        self._file = _AtomicFile(target)
        self._writer: Any = None
        self._schema: Any = None

    def write(self, batch: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        out = batch.copy(deep=False)
        for column in ("profile_pct", "engagement_pct"):
            out[column] = pd.to_numeric(out[column].astype(object), errors="coerce").astype("float64")
        table = pa.Table.from_pandas(out, preserve_index=False)
        if self._writer is None:
            # A column with no cell in the first batch has no type yet: text, as cells are.
            self._schema = pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type) else f
                                      for f in table.schema])
            table = table.cast(self._schema)
            self._writer = pq.ParquetWriter(self._file.temp, self._schema)
        elif table.schema != self._schema:
            table = table.cast(self._schema)
        self._writer.write_table(table)

    def close(self) -> None:
        if self._writer is None:
            raise ValueError("no rows to write")
        self._writer.close()
        self._file.commit()

    def abort(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._file.abort()


def plain(value: Any) -> Any:
    """A cell as JSON has it: NA/NaN as null, numpy scalars and decimals as plain numbers."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "as_integer_ratio") and not isinstance(value, int | float):  # Decimal
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class JsonLinesSink:
    """Every scored lead as one line ``{"row": {...}}`` on a text stream, as it is scored."""

    def __init__(self, stream: IO[str]):
        self._out = stream

    def write(self, batch: pd.DataFrame) -> None:
        columns = [str(c) for c in batch.columns]
        lines = []
        for values in batch.itertuples(index=False, name=None):
            row = {c: plain(v) for c, v in zip(columns, values, strict=True)}
            lines.append(json.dumps({"row": row}, ensure_ascii=False))
        if lines:
            self._out.write("\n".join(lines) + "\n")

    def close(self) -> None:
        self._out.flush()

    def abort(self) -> None:
        self._out.flush()


class Fanout:
    """Several sinks fed the same batches."""

    def __init__(self, sinks: list[Sink]):
        self.sinks = sinks

    def write(self, batch: pd.DataFrame) -> None:
        for s in self.sinks:
            s.write(batch)

    def close(self) -> None:
        for s in self.sinks:
            s.close()

    def abort(self) -> None:
        for s in self.sinks:
            s.abort()
