"""Helpers for the engine tests: a sink that keeps the batches, and scoring a file with an engine."""

from __future__ import annotations

import pandas as pd

from workbook.export.sql import to_sql
from workbook.leads.engines import score_file


class Collect:
    """A sink that keeps every batch (and whether it was closed or aborted)."""

    def __init__(self) -> None:
        self.batches: list[pd.DataFrame] = []
        self.closed = self.aborted = False

    def write(self, batch: pd.DataFrame) -> None:
        self.batches.append(batch.reset_index(drop=True))

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = True

    @property
    def frame(self) -> pd.DataFrame:
        return pd.concat(self.batches, ignore_index=True)


def scored(model, path, engine: str, as_of, **kw) -> tuple[pd.DataFrame, object]:
    sink = Collect()
    run = score_file(model, path, sink, engine=engine, as_of=as_of, query=to_sql, **kw)
    assert sink.closed and not sink.aborted
    return sink.frame, run


def text(values) -> list[str | None]:
    """Cells as text for comparing pass-through columns across engines (NULL and "" alike)."""
    return [None if v is None or (isinstance(v, float) and v != v) or v == "" else str(v) for v in values]
