"""The match-rule keys of SPEC §4, one entry each in :data:`RULE_KEYS`.

Every key carries all of its forms, side by side, so that a key is read the same way
everywhere and adding one is one entry here plus its tests (``tests/match`` fails when a
key of :class:`workbook.model.Match` lacks an entry or an entry lacks a form):

* ``check`` — SPEC §5 well-formedness: ``(location, message)`` findings for a rule;
* ``words`` — the rule in words for people (``None`` when another key already said it);
* ``cell`` — the per-cell reference on a :class:`workbook.match.cells.Cell`;
* ``vector`` — the same on every distinct value of a :class:`workbook.match.columns.ColumnView`;
* ``sql`` — the same as a sqlglot condition on the helper columns of one lead-table column;
* ``row`` — how the key is typed into the table editor (:mod:`workbook.match.row_cells`);
* ``samples`` / ``misses`` — raw cells around the rule for generated lead lists.

``reads`` names the form of the cell the key compares (``key``: trimmed lower-case text,
``lower``: lower-case text, ``number``, ``date``, ``empty``); the vectorized view and the SQL
export compute each form once per column, for the keys that need it. A cell that is NA
satisfies a key exactly when the per-cell form says so for ``Cell(None)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
from sqlglot import exp

from workbook import fmt
from workbook.match import samples as s
from workbook.match import sqlexpr as q
from workbook.match.cells import NOT_A_DAY, Cell, day_number, equals_keys, equals_numbers, window_start
from workbook.match.row_cells import DAYS, NUMBER, TEXTS, TICK, RowCell
from workbook.model import Match, Value

if TYPE_CHECKING:
    from workbook.match.columns import ColumnView

MAX_WITHIN_DAYS = 36500  # a hundred years: anything beyond is a typo
Form = Literal["key", "lower", "number", "date", "empty"]
Loc = tuple[str | int, ...]
Finding = tuple[Loc, str]


class SqlCell(Protocol):
    """One lead-table column in the SQL export: ``form(name)`` is its helper column of that form."""

    def form(self, name: Form) -> exp.Expression: ...


@dataclass(frozen=True)
class RuleKey:
    """One match key and every form of it (see the module notes)."""

    name: str
    reads: Form
    check: Callable[[Match, Loc], list[Finding]]
    words: Callable[[Match], str | None]
    cell: Callable[[Match, Cell, dt.date], bool]
    vector: Callable[[Match, ColumnView, dt.date], np.ndarray]
    sql: Callable[[Match, SqlCell, dt.date | None], exp.Expression]
    row: RowCell
    samples: Callable[[np.random.Generator, Match, dt.date], list[str]]
    misses: Callable[[dt.date], list[str]]
    also_reads: Callable[[Match], set[Form]] = lambda rule: set()

    def forms(self, rule: Match) -> set[Form]:
        """Every form of the cell this key reads for this rule."""
        return {self.reads} | self.also_reads(rule)


def effective_match(value: Value) -> Match:
    """A value without ``match`` matches a cell equal to its label."""
    return value.match if value.match is not None else Match(equals=[value.label])


def _double(x: float) -> exp.Expression:
    return q.cast(q.string(repr(float(x))), "DOUBLE")


def _quoted(items: list[str]) -> str:
    return ", ".join(f"“{item}”" for item in items)


def _no_misses(as_of: dt.date) -> list[str]:
    return []


# --------------------------------------------------------------------------------------------
# equals / contains: lists of texts
# --------------------------------------------------------------------------------------------
def _check_texts(key: str) -> Callable[[Match, Loc], list[Finding]]:
    def check(rule: Match, loc: Loc) -> list[Finding]:
        items = getattr(rule, key) or []
        out: list[Finding] = []
        if not items:
            out.append(((*loc, key), "must list at least one text"))
        out += [((*loc, key, i), "must not be empty") for i, item in enumerate(items) if not item.strip()]
        return out

    return check


def _equals_cell(rule: Match, c: Cell, as_of: dt.date) -> bool:
    items = rule.equals or []
    if c.key is not None and c.key in equals_keys(items):
        return True
    numbers = equals_numbers(items)
    return bool(numbers) and c.number is not None and c.number in numbers


def _equals_vector(rule: Match, view: ColumnView, as_of: dt.date) -> np.ndarray:
    items = rule.equals or []
    hit = view.keys.isin(equals_keys(items)).to_numpy(dtype=bool)
    numbers = equals_numbers(items)
    if numbers:
        hit = hit | np.isin(view.numbers, np.array(sorted(numbers)))
    return hit


def _equals_sql(rule: Match, cell: SqlCell, as_of: dt.date | None) -> exp.Expression:
    items = rule.equals or []
    keys = sorted(equals_keys(items)) if items else []
    if not keys:
        return exp.false()
    # Items in their written order first, then the truth words they pair with.
    ordered = list(dict.fromkeys([*(i.strip(" ").lower() for i in items), *keys]))
    condition: exp.Expression = exp.In(this=cell.form("key"), expressions=[q.string(i) for i in ordered])
    numbers = equals_numbers(items)
    if numbers:
        as_numbers = exp.In(this=cell.form("number"), expressions=[_double(n) for n in sorted(numbers)])
        condition = q.any_of([condition, as_numbers])
    return condition


def _contains_vector(rule: Match, view: ColumnView, as_of: dt.date) -> np.ndarray:
    hit = np.zeros(view.size, dtype=bool)
    for item in rule.contains or []:
        hit |= view.lowered.str.contains(item.lower(), regex=False).to_numpy(dtype=bool)
    return hit


def _contains_sql(rule: Match, cell: SqlCell, as_of: dt.date | None) -> exp.Expression:
    hits: list[exp.Expression] = []
    for item in dict.fromkeys(i.lower() for i in rule.contains or []):
        if item:
            # STRPOS/POSITION, not LIKE: % and _ in user text are plain characters.
            hits.append(exp.GT(this=exp.StrPosition(this=cell.form("lower"), substr=q.string(item)),
                               expression=q.integer(0)))
        else:  # every text contains the empty string
            hits.append(exp.Not(this=exp.Is(this=cell.form("lower"), expression=exp.null())))
    return q.any_of(hits)


EQUALS = RuleKey(
    name="equals",
    reads="key",
    check=_check_texts("equals"),
    words=lambda rule: "equals " + _quoted(rule.equals or []),
    cell=_equals_cell,
    vector=_equals_vector,
    sql=_equals_sql,
    row=TEXTS,
    samples=lambda rng, rule, as_of: s.equal_texts(rng, rule.equals or []),
    misses=_no_misses,
    also_reads=lambda rule: {"number"} if equals_numbers(rule.equals or []) else set(),
)

CONTAINS = RuleKey(
    name="contains",
    reads="lower",
    check=_check_texts("contains"),
    words=lambda rule: "contains " + _quoted(rule.contains or []),
    cell=lambda rule, c, as_of: c.lower is not None and any(i.lower() in c.lower for i in rule.contains or []),
    vector=_contains_vector,
    sql=_contains_sql,
    row=TEXTS,
    samples=lambda rng, rule, as_of: s.containing_texts(rng, rule.contains or []),
    misses=_no_misses,
)


# --------------------------------------------------------------------------------------------
# min / max: numbers, min ≤ n < max
# --------------------------------------------------------------------------------------------
def _check_max(rule: Match, loc: Loc) -> list[Finding]:
    if rule.min is not None and rule.max is not None and rule.min >= rule.max:
        return [((*loc, "max"), f"must be greater than min ({rule.max:g} is not above {rule.min:g}); "
                                "a number matches when min ≤ n < max")]
    return []


def _min_words(rule: Match) -> str:
    if rule.max is not None:
        return f"a number from {fmt.number(rule.min, 6)} to under {fmt.number(rule.max, 6)}"
    return f"a number of at least {fmt.number(rule.min, 6)}"


def _bound_vector(rule: Match, view: ColumnView, as_of: dt.date, *, upper: bool) -> np.ndarray:
    numbers = view.numbers
    with np.errstate(invalid="ignore"):
        inside = numbers < rule.max if upper else numbers >= rule.min
    return ~np.isnan(numbers) & inside


MIN = RuleKey(
    name="min",
    reads="number",
    check=lambda rule, loc: [],
    words=_min_words,
    cell=lambda rule, c, as_of: c.number is not None and c.number >= rule.min,
    vector=lambda rule, view, as_of: _bound_vector(rule, view, as_of, upper=False),
    sql=lambda rule, cell, as_of: exp.GTE(this=cell.form("number"), expression=_double(rule.min)),
    row=NUMBER,
    samples=lambda rng, rule, as_of: s.number_texts(rng, rule.min, rule.max),
    misses=_no_misses,
)

MAX = RuleKey(
    name="max",
    reads="number",
    check=_check_max,
    words=lambda rule: None if rule.min is not None else f"a number under {fmt.number(rule.max, 6)}",
    cell=lambda rule, c, as_of: c.number is not None and c.number < rule.max,
    vector=lambda rule, view, as_of: _bound_vector(rule, view, as_of, upper=True),
    sql=lambda rule, cell, as_of: exp.LT(this=cell.form("number"), expression=_double(rule.max)),
    row=NUMBER,
    # with a min, the min's samples already cover both edges
    samples=lambda rng, rule, as_of: [] if rule.min is not None else s.number_texts(rng, None, rule.max),
    misses=_no_misses,
)


# --------------------------------------------------------------------------------------------
# within_days: dates, as_of - n ≤ date ≤ as_of
# --------------------------------------------------------------------------------------------
def _check_within_days(rule: Match, loc: Loc) -> list[Finding]:
    out: list[Finding] = []
    days = rule.within_days
    if days is not None and not 0 <= days <= MAX_WITHIN_DAYS:
        out.append(((*loc, "within_days"), f"must be between 0 and {MAX_WITHIN_DAYS} days (is {days})"))
    if rule.min is not None or rule.max is not None:
        out.append(((*loc, "within_days"),
                    "cannot be combined with min/max: a cell is a date or a number, not both"))
    return out


def _within_cell(rule: Match, c: Cell, as_of: dt.date) -> bool:
    return c.date is not None and window_start(as_of, rule.within_days or 0) <= c.date <= as_of


def _within_vector(rule: Match, view: ColumnView, as_of: dt.date) -> np.ndarray:
    days = view.days
    lo = day_number(window_start(as_of, rule.within_days or 0))
    return (days != NOT_A_DAY) & (days >= lo) & (days <= day_number(as_of))


def _date_literal(day: dt.date) -> exp.Expression:
    return q.cast(q.string(day.isoformat()), "DATE")


def _within_sql(rule: Match, cell: SqlCell, as_of: dt.date | None) -> exp.Expression:
    days = rule.within_days or 0
    if as_of is not None:
        lo: exp.Expression = _date_literal(window_start(as_of, days))
        hi: exp.Expression = _date_literal(as_of)
    else:
        hi = exp.CurrentDate()
        lo = exp.DateSub(this=exp.CurrentDate(), expression=q.integer(days), unit=exp.Var(this="DAY"))
    return exp.Between(this=cell.form("date"), low=lo, high=hi)


WITHIN_DAYS = RuleKey(
    name="within_days",
    reads="date",
    check=_check_within_days,
    words=lambda rule: f"a date within the last {rule.within_days} days",
    cell=_within_cell,
    vector=_within_vector,
    sql=_within_sql,
    row=DAYS,
    samples=lambda rng, rule, as_of: s.date_texts(rng, as_of, rule.within_days or 0),
    misses=s.not_dates,
)


# --------------------------------------------------------------------------------------------
# empty: NA or blank text
# --------------------------------------------------------------------------------------------
def _check_empty(rule: Match, loc: Loc) -> list[Finding]:
    if rule.empty is not True:
        return [((*loc, "empty"), "must be true (leave it out to match non-empty cells)")]
    if len(rule.keys()) > 1:
        return [((*loc, "empty"), "cannot be combined with other keys: an empty cell matches nothing else")]
    return []


def _empty_sql(rule: Match, cell: SqlCell, as_of: dt.date | None) -> exp.Expression:
    return cell.form("empty") if rule.empty else exp.Not(this=cell.form("empty"))


EMPTY = RuleKey(
    name="empty",
    reads="empty",
    check=_check_empty,
    words=lambda rule: "the cell is empty" if rule.empty else "the cell is not empty",
    cell=lambda rule, c, as_of: c.empty == rule.empty,
    vector=lambda rule, view, as_of: view.empty if rule.empty else ~view.empty,
    sql=_empty_sql,
    row=TICK,
    samples=lambda rng, rule, as_of: [],  # every pool holds "", blanks and NA already
    misses=_no_misses,
)


RULE_KEYS: dict[str, RuleKey] = {k.name: k for k in (EQUALS, CONTAINS, MIN, MAX, WITHIN_DAYS, EMPTY)}


# --------------------------------------------------------------------------------------------
# Whole rules, through the table
# --------------------------------------------------------------------------------------------
def check_match(rule: Match, loc: Loc) -> list[Finding]:
    """SPEC §5: the well-formedness findings of one match rule, each with its location."""
    keys = rule.keys()
    if not keys:
        return [(loc, "match rule is empty; give " + ", ".join(list(RULE_KEYS)[:-1]) + f" or {list(RULE_KEYS)[-1]}")]
    return [finding for key in keys for finding in RULE_KEYS[key].check(rule, loc)]


def describe_match(rule: Match | None) -> str:
    """A value's match rule in words, for whoever configures the marketing platform (SPEC §4)."""
    if rule is None:
        return "the cell equals the value's label"
    parts = [words for key in rule.keys() if (words := RULE_KEYS[key].words(rule)) is not None]
    return "; ".join(parts) or "any cell"


def match_rule(rule: Match, cell: Any, as_of: dt.date) -> bool:
    """Does this raw cell satisfy every key of the rule? (The per-cell reference.)"""
    c = cell if isinstance(cell, Cell) else Cell(cell)
    return all(RULE_KEYS[key].cell(rule, c, as_of) for key in rule.keys())
