"""The ``pandas`` engine: the vectorized scorer on the whole list in memory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbook.leads.reading import LeadListError, read_lead_list
from workbook.leads.scoring import score_leads
from workbook.model import ScoringModel

if TYPE_CHECKING:
    from workbook.leads.engines import Emit, Progress, Run


def run_pandas(model: ScoringModel, path: Path, run: Run, emit: Emit, progress: Progress, batch_rows: int) -> None:
    from workbook.leads.engines import EngineError, input_kind

    if input_kind(path) == "parquet":
        frame = _read_parquet(path)
    else:
        try:
            leads = read_lead_list(path)
        except LeadListError as exc:
            raise EngineError(f"cannot read the lead list: {exc}") from None
        run.notes += leads.notes
        frame = leads.frame
    try:
        scored = score_leads(model, frame, run.as_of)
    except LeadListError as exc:  # MissingColumns
        raise EngineError(str(exc)) from None
    del frame
    run.unmatched = scored.unmatched
    run.replaced_columns = list(scored.replaced_columns)
    progress.total = len(scored.frame)
    for start in range(0, len(scored.frame), batch_rows):
        emit(scored.frame.iloc[start:start + batch_rows])
    if scored.frame.empty:
        emit(scored.frame)


def _read_parquet(path: Path):
    from workbook.leads.engines import EngineError

    try:
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pandas()
    except (OSError, ValueError) as exc:  # pyarrow's errors derive from these
        raise EngineError(f"cannot read the Parquet file: {exc}") from None
