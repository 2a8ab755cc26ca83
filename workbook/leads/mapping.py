"""Column mapping: which column of a lead list stands for each column the model reads.

A lead list often names its columns differently from the model (``Lead Source`` for
``lead_source``). For every model column the list lacks, :func:`mapping_rows` proposes the
column remembered in the workbook (``metadata.column_map``), else the closest name
(:func:`closest_column`); :func:`scoring_frame` then adds the chosen columns under the
model's names, leaving the list itself unchanged.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from workbook.match import label_for
from workbook.model import ScoringModel


@dataclass(frozen=True)
class MapRow:
    """One model column the list does not have, and the list column chosen for it."""

    needed: str  # the column the model reads
    read_by: str  # the attributes/activities reading it, in words
    chosen: str  # a list column, or "" for none
    status: str  # remembered / suggested / not found


def closest_column(column: str, present: Sequence[str]) -> str | None:
    """The list column most like ``column``: the same letters and digits ignoring case, else a close spelling."""

    def squash(s: str) -> str:
        return "".join(ch for ch in s.lower() if ch.isalnum())

    for p in present:
        if squash(p) == squash(column):
            return p
    close = difflib.get_close_matches(column, list(present), n=1, cutoff=0.75)
    return close[0] if close else None


def column_readers(model: ScoringModel) -> dict[str, list[str]]:
    """Model column → the names of the attributes and activities reading it, in model order."""
    readers: dict[str, list[str]] = {}
    for f in [*model.profile, *model.engagement]:
        readers.setdefault(f.source_column, []).append(f.name)
    return readers


def mapping_rows(model: ScoringModel, columns: Sequence[str]) -> list[MapRow]:
    """For each column the model reads and the list lacks: the remembered or suggested list column."""
    present = [str(c) for c in columns]
    remembered = model.metadata.column_map if model.metadata else {}
    rows = []
    for needed, names in column_readers(model).items():
        if needed in present:
            continue
        read_by = ", ".join(names)
        saved = remembered.get(needed)
        if saved == "":
            rows.append(MapRow(needed, read_by, "", "remembered: no column"))
        elif saved is not None and saved in present:
            rows.append(MapRow(needed, read_by, saved, "remembered"))
        else:
            guess = closest_column(needed, present)
            status = "suggested" if guess else "no similar column"
            if saved is not None:
                status += f" (the remembered column '{saved}' is not in this list)"
            rows.append(MapRow(needed, read_by, guess or "", status))
    return rows


def scoring_frame(frame: pd.DataFrame, rows: Sequence[MapRow]) -> tuple[pd.DataFrame, list[str]]:
    """A copy of the list with every mapped model column added (empty for "no column"); the added names.

    The list itself is never changed; the added columns are dropped again from the scored list.
    """
    out = frame.copy(deep=False)
    added = []
    for row in rows:
        if row.chosen:
            out[row.needed] = frame[row.chosen]
        else:
            out[row.needed] = pd.Series([""] * len(frame), index=frame.index, dtype="str")
        added.append(row.needed)
    return out, added


def no_column_note(model: ScoringModel, row: MapRow) -> str:
    """What "no column" means for the attributes reading it: "Geography: no column — …"."""
    notes = []
    for f in [*model.profile, *model.engagement]:
        if f.source_column != row.needed:
            continue
        label = label_for(f, "")
        if label is None:
            notes.append(f"{f.name}: no column — every lead counts as missing here")
        else:
            notes.append(f"{f.name}: no column — every lead reads as empty here, which is the value '{label}'")
    return "; ".join(notes)
