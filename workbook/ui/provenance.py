"""Where a workbook and its revisions come from, in words: when, who, what kind, what changed.

Pure helpers (no Streamlit) for the Workbooks, History and Review pages, tested as functions:
times in the reader's zone, sources and revision kinds in words, changes grouped for the
side-by-side view, and reading an uploaded model file without ever raising.
Times are stored in UTC; people read them in their browser's time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from workbook.ui.actions import Change, ChangeKind, RevisionInfo, how_words, say


# --------------------------------------------------------------------------------------------
# When
# --------------------------------------------------------------------------------------------
def local_zone(name: str | None, offset_minutes: int | None = None) -> tzinfo | None:
    """The browser's time zone: by IANA name, else by its UTC offset, else None (the server's).

    ``offset_minutes`` is JavaScript's ``getTimezoneOffset()``: minutes *behind* UTC.
    """
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    if offset_minutes is not None:
        return timezone(-timedelta(minutes=offset_minutes))
    return None


def when_text(at: datetime, zone: tzinfo | None = None, now: datetime | None = None) -> str:
    """``today 14:05``, ``yesterday 09:12``, ``3 Mar, 16:40``, ``3 Mar 2025, 16:40`` — local time."""
    local = at.astimezone(zone)
    today = (now or datetime.now(UTC)).astimezone(zone).date()
    clock = local.strftime("%H:%M")
    day = local.date()
    if day == today:
        return f"today {clock}"
    if day == today - timedelta(days=1):
        return f"yesterday {clock}"
    return f"{_day_month(day)}{'' if day.year == today.year else f' {day.year}'}, {clock}"


def _day_month(day: date) -> str:
    return f"{day.day} {day.strftime('%b')}"


# --------------------------------------------------------------------------------------------
# What kind, from where
# --------------------------------------------------------------------------------------------
KIND_WORDS = {
    "create": "Created",
    "duplicate": "Copied",
    "edit": "Edit",
    "merge": "Edit (merged with others' changes)",
    "rename": "Renamed",
    "undo": "Undo",
    "restore": "Restore",
}


def kind_text(kind: str) -> str:
    return KIND_WORDS.get(kind, kind.capitalize())


def revision_kind_text(info: RevisionInfo) -> str:
    """``Edit``, ``Undo of revision 12``, ``Restore of revision 7``."""
    if info.kind in ("undo", "restore") and info.source_revision:
        return f"{kind_text(info.kind)} of revision {info.source_revision}"
    return kind_text(info.kind)


def who_text(author: str | None) -> str:
    return author or "–"


# A typed name or no name can only change an open workbook (a claimed one lets only a link or a
# sign-in edit), so History says so beside the core's words (workbook.store.access.HOW_WORDS).
OPEN_WORKBOOK_ONLY = ("typed", "none")


def identified_text(how: str | None) -> str:
    """How a revision's author was identified: ``invite link``, ``signed in``,
    ``typed name, unverified (open workbook)`` — or ``not recorded``."""
    words = how_words(how)
    return f"{words} (open workbook)" if how in OPEN_WORKBOOK_ONLY else words


def who_and_how(author: str | None, how: str | None) -> str:
    """``Priya Nair (invite link)`` for a revision's detail; ``–`` for nobody, unrecorded."""
    if how is None:
        return who_text(author)
    return f"{author or 'Anonymous'} ({identified_text(how)})"


def source_text(source: str, names: dict[str, str] | None = None) -> str:
    """``example:x.yaml`` → ``Example x.yaml``; ``duplicate:<id>@7`` → ``Copy of 'Name' (revision 7)``."""
    if source == "blank":
        return "Blank"
    if source == "upload":
        return "Uploaded file"
    kind, _, rest = source.partition(":")
    if kind == "example" and rest:
        return f"Example {rest}"
    if kind == "duplicate" and rest:
        workbook_id, _, revision = rest.rpartition("@")
        original = (names or {}).get(workbook_id, workbook_id or "another workbook")
        return f"Copy of '{original}' (revision {revision})" if revision else f"Copy of '{original}'"
    return source


def share_link(app_url: str | None, workbook_id: str, page_path: str = "") -> str:
    """The link that opens this workbook: the app's URL (without the page) with ``?wb=<id>``.

    Without the browser's URL (tests, old browsers) just the query, which works after the app's address.
    """
    if not app_url:
        return f"?wb={workbook_id}"
    base = app_url.rstrip("/")
    if page_path and base.endswith("/" + page_path):
        base = base[: -len(page_path) - 1]
    return f"{base}/?wb={workbook_id}"


def copy_name(name: str, taken: Sequence[str]) -> str:
    """``Name (copy)``, ``Name (copy 2)``, … — the first not already taken."""
    candidate, n = f"{name} (copy)", 2
    while candidate in taken:
        candidate, n = f"{name} (copy {n})", n + 1
    return candidate


# --------------------------------------------------------------------------------------------
# Revisions
# --------------------------------------------------------------------------------------------
def revision_label(info: RevisionInfo, zone: tzinfo | None = None, now: datetime | None = None) -> str:
    """One line for a picker: ``12 · today 14:05 · Sam · ICP weight 'Job role' 35 → 40``."""
    parts = [str(info.number), when_text(info.at, zone, now)]
    if info.author:
        parts.append(info.author)
    summary = info.summary[0] if info.summary else kind_text(info.kind)
    if len(info.summary) > 1:
        summary += f" (+{len(info.summary) - 1} more)"
    parts.append(summary)
    if info.release_candidate:
        parts.append("release candidate")
    return " · ".join(parts)


def undo_target(history: Sequence[RevisionInfo]) -> int | None:
    """The revision that 'Undo last change' takes back (None: nothing left to undo).

    ``history``: the workbook's revisions, newest first. The store's rule: the newest change
    still in effect — an undo points at the change it took back, and the one before that
    is the next candidate.
    """
    by_number = {r.number: r for r in history}
    target = history[0].number if history else 0
    while target >= 2 and target in by_number and by_number[target].kind == "undo":
        target = (by_number[target].source_revision or 0) - 1
    return target if target >= 2 else None


# --------------------------------------------------------------------------------------------
# Differences
# --------------------------------------------------------------------------------------------
CHANGE_GROUPS: dict[ChangeKind, str] = {
    "weight": "Weights",
    "value": "Values",
    "threshold": "Thresholds",
    "cell": "Grid cells",
    "state": "States",
    "team": "Team",
    "scenario": "Scenarios",
    "other": "Other",
}


@dataclass(frozen=True)
class ChangeGroup:
    kind: ChangeKind
    title: str
    changes: list[Change]


def group_changes(changes: Sequence[Change]) -> list[ChangeGroup]:
    """Changes grouped by kind (weights, values, thresholds, grid cells, …), groups in that order."""
    return [
        ChangeGroup(kind, title, [c for c in changes if c.kind == kind])
        for kind, title in CHANGE_GROUPS.items()
        if any(c.kind == kind for c in changes)
    ]


def value_text(value: Any, limit: int = 120) -> str:
    """A before/after value as text for a table: ``35``, ``(none)``, ``label: X; score: 100``."""
    return say(value, limit=limit) if value is not None else "–"
