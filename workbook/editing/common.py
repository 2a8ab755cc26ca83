"""What every edit shares: the error it raises, reading table cells, renames, a blank model.

Rows coming from a table editor carry ``orig``: the row's position in the list before
the edit, or ``None`` for a new row. That is how a rename is told from a delete + add.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from workbook.model import EngagementLevel, ProfileGrade, ScoringModel, State

Row = Mapping[str, Any]


from workbook.match.row_cells import EditError  # noqa: E402,F401  (defined below editing, beside the rule keys)


def _copy(model: ScoringModel) -> ScoringModel:
    return model.model_copy(deep=True)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _opt_text(value: Any) -> str | None:
    return _text(value) or None


def _number(value: Any, default: float = 0.0) -> float:
    if value is None or value == "":
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise EditError(f"'{value}' is not a number") from None
    if math.isnan(number):
        return default
    if math.isinf(number):
        raise EditError("a number must be finite")
    return number


def _orig(row: Row) -> int | None:
    raw = row.get("orig")
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    return int(raw)


def _renames(old_names: Sequence[str], rows: Sequence[Row], key: str) -> dict[str, str]:
    out = {}
    for row in rows:
        i = _orig(row)
        if i is not None and 0 <= i < len(old_names):
            new = _text(row.get(key))
            if new and new != old_names[i]:
                out[old_names[i]] = new
    return out


def _check_unique(names: Sequence[str], what: str) -> None:
    seen = set()
    for name in names:
        if not name:
            raise EditError(f"every {what} needs a name")
        if name.casefold() in seen:
            raise EditError(f"two {what}s are named '{name}'; names must be unique")
        seen.add(name.casefold())


def _first_error(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}" if where else first["msg"]
    return str(exc)


def blank_model(name: str = "New lead scoring model") -> ScoringModel:
    """A blank workbook with the usual states, bands and a sensible grid, ready to fill in."""
    grades = [("A", 75), ("B", 50), ("C", 25), ("D", 0)]
    levels = [("1", 70), ("2", 40), ("3", 15), ("4", 0)]
    grid = {
        "A": ["Send to sales", "Send to sales", "Nurture", "Nurture"],
        "B": ["Send to sales", "Qualify", "Nurture", "Nurture"],
        "C": ["Qualify", "Qualify", "Nurture", "Ignore"],
        "D": ["Nurture", "Ignore", "Ignore", "Ignore"],
    }
    return ScoringModel(
        schema_version=1,
        name=name,
        states=[
            State(name="Send to sales", action="Route to field sales within one business day"),
            State(name="Qualify", action="Inside sales (SDR) qualifies"),
            State(name="Nurture", action="Keep in marketing nurture"),
            State(name="Ignore", action="No action"),
        ],
        profile_grades=[ProfileGrade(grade=g, min=m) for g, m in grades],
        engagement_levels=[EngagementLevel(level=lv, min=m) for lv, m in levels],
        matrix={g + lv: grid[g][i] for g in grid for i, (lv, _) in enumerate(levels)},
        profile=[],
        engagement=[],
    )
