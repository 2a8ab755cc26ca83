"""Lead list tab: the remembered column mapping of a model."""

from __future__ import annotations

from collections.abc import Mapping

from workbook.editing.common import EditError, _copy
from workbook.model import Metadata, ScoringModel


# ``metadata.column_map`` maps a column the MODEL reads (an attribute's or activity's
# ``source_column``) to the lead-list header it is read from when a list does not have that
# column; ``""`` means "this list has no such column: every lead counts as having no value".
# Keyed by the model's column (not by the list's header) because one list column may feed
# several model columns, and "no column" has no header to be keyed by.
def set_column_map(model: ScoringModel, mapping: Mapping[str, str | None]) -> ScoringModel:
    """Remember lead-list columns for model columns; ``""`` = no column, ``None`` = forget.

    Entries not named in ``mapping`` are kept. A key must be a column some attribute or
    activity reads; an entry that maps a column to itself is dropped (nothing to remember).
    """
    read = {f.source_column for f in [*model.profile, *model.engagement]}
    current = dict(model.metadata.column_map) if model.metadata else {}
    for key, value in mapping.items():
        if key not in read:
            raise EditError(f"no attribute or activity reads a column named '{key}'")
        if value is None or value == key:
            current.pop(key, None)
        elif not isinstance(value, str):
            raise EditError(f"the lead-list column for '{key}' must be text")
        else:
            current[key] = value
    new = _copy(model)
    metadata = new.metadata or Metadata()
    metadata.column_map = current
    # A model without any metadata stays without it: no empty ``metadata:`` in its file.
    new.metadata = None if metadata == Metadata() else metadata
    return new
