"""What the store hands out and the errors it raises: records of workbooks and revisions.

Also the stored form of a model (:func:`model_json`) and the check every model passes on
its way in (:func:`checked_model`); the revision and review classes share them.
"""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import ValidationError

from workbook.files import ModelInvalid, Problem, model_from_data
from workbook.model import ScoringModel
from workbook.store.database import StoreError

# create/duplicate: revision 1; edit: a commit from the head; merge: a commit from an older
# revision, merged with what others saved meanwhile; rename, undo, restore.
RevisionKind = Literal["create", "duplicate", "edit", "merge", "rename", "undo", "restore"]


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------
class InvalidModelError(StoreError):
    """The model is not a structurally valid model; ``problems`` says where. Nothing was stored."""

    def __init__(self, problems: builtins.list[Problem]):
        self.problems = problems
        lines = "\n".join(f"- {p}" for p in problems)
        super().__init__(f"the model was not saved because it is not a valid model file:\n{lines}")


@dataclass(frozen=True)
class FieldConflict:
    """One field the session changed that someone else set to a different value meanwhile."""

    path: str  # in words: "ICP weight 'Job role'"
    base: Any  # the value when the session last looked (None: not there)
    mine: Any  # the session's value
    theirs: Any  # the value saved meanwhile
    by: str | None = None  # who saved it, if they gave a name
    message: str = ""  # "ICP weight 'Job role': you set 40, Sam set 45 since you last looked"
    key: tuple[Any, ...] = ()  # the field as stable keys (workbook.store.addressing)


class ConflictError(StoreError):
    """The edit clashes with changes saved since the session last looked; nothing was stored."""

    def __init__(self, conflicts: builtins.list[FieldConflict], base_revision: int, head_revision: int):
        self.conflicts = conflicts
        self.base_revision = base_revision
        self.head_revision = head_revision
        lines = "\n".join(f"- {c.message}" for c in conflicts)
        super().__init__(
            "Your change was not saved: it clashes with what others saved since you last looked "
            f"(revision {base_revision}; now revision {head_revision}).\n{lines}"
        )


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WorkbookInfo:
    id: str
    name: str
    created_at: datetime
    updated_at: datetime
    head_revision: int
    archived: bool
    source: str  # "blank", "example:<file>", "upload", "duplicate:<id>@<revision>"


@dataclass(frozen=True)
class RevisionInfo:
    number: int
    at: datetime
    author: str | None
    summary: builtins.list[str]
    kind: RevisionKind
    release_candidate: bool = False
    source_revision: int | None = None  # restore: the revision restored; undo: the revision undone


@dataclass(frozen=True)
class Revision:
    number: int
    model: ScoringModel
    at: datetime
    author: str | None
    summary: builtins.list[str]
    kind: RevisionKind = "edit"


@dataclass(frozen=True)
class CommitResult:
    revision: int  # the new head (the old head when nothing was stored)
    model: ScoringModel  # the head model, including changes of others merged in
    summary: builtins.list[str]  # what this revision changed; empty when nothing was stored
    merged: builtins.list[str] = field(default_factory=builtins.list)  # others' changes merged into yours
    stored: bool = True


def utc_now() -> datetime:
    """Now, in UTC: every time the store writes is UTC."""
    return datetime.now(UTC)


def stamp(value: datetime) -> str:
    """A time as stored: ISO 8601 in UTC to the microsecond (sorts as text)."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def from_stamp(text: str) -> datetime:
    """A stored time read back."""
    return datetime.fromisoformat(text)


def author_name(author: str | None) -> str | None:
    """A name as given, trimmed; blank means nobody said who."""
    name = (author or "").strip()
    return name or None


# --------------------------------------------------------------------------------------------
# Models in and out
# --------------------------------------------------------------------------------------------
def model_json(model: ScoringModel) -> str:
    """The stored form of a model: compact JSON without default values."""
    return model.model_dump_json(exclude_defaults=True)


def checked_model(model: ScoringModel | dict[str, Any]) -> tuple[ScoringModel, str]:
    """Validate a model afresh (one edited in place may hold anything): a private copy and its JSON.

    Raises :class:`InvalidModelError` listing every problem.
    """
    if isinstance(model, ScoringModel):
        try:
            # A value of the wrong type (an int weight set in place) is written as it is and
            # checked by the validation below; pydantic's warnings about it are noise (and slow).
            text = model.model_dump_json(exclude_defaults=True, warnings=False)
        except Exception as exc:  # noqa: BLE001 — any value that cannot even be written out
            raise InvalidModelError([Problem("(model)", f"cannot be written out: {exc}")]) from None
        try:
            fresh = ScoringModel.model_validate_json(text)
        except ValidationError:
            data = json.loads(text)
        else:
            return fresh, model_json(fresh)
    elif isinstance(model, dict):
        data = model
    else:
        raise InvalidModelError([Problem("(model)", f"expected a scoring model, got {type(model).__name__}")])
    try:
        fresh = model_from_data(data)
    except ModelInvalid as exc:
        raise InvalidModelError(exc.problems) from None
    return fresh, model_json(fresh)


def workbook_info(row: tuple[Any, ...]) -> WorkbookInfo:
    """A ``workbooks`` row as a record."""
    wid, name, created, updated, head, archived, source = row
    return WorkbookInfo(wid, name, from_stamp(created), from_stamp(updated), head, bool(archived), source)
