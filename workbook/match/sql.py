"""SPEC §4 in SQL: the helper columns one lead-table column is read through, and a rule's condition.

Each column the model reads is parsed once into the forms its keys need (``reads`` in
:data:`workbook.match.rules.RULE_KEYS`): its trimmed text, its trimmed lower-case text
(``equals``), its lower-case text (``contains``), its number, its date, whether it is empty.
Cells are read as text (``CAST(col AS VARCHAR)``), so typed columns work too. Numbers and
dates are recognised with the same backslash-free regular expressions as
:mod:`workbook.match.cells` and only then cast, inside ``CASE``, so no engine ever casts a
text that is not a number or a valid date (PostgreSQL has no ``TRY_CAST``).

The helpers come in two levels (:meth:`SqlColumn.texts`, then :meth:`SqlColumn.parsed`), each a
list of ``(name, expression)`` that the export projects one level after the other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlglot import exp

from workbook.match import sqlexpr as q
from workbook.match.cells import DATE_PATTERN, MAX_NUMBER_CHARS, NUMBER_PATTERN, WHITESPACE
from workbook.match.rules import RULE_KEYS, Form
from workbook.model import Match

# The dialects are listed once, in workbook.export.sql; here only the exceptions are named.
NO_SAFE_CAST_DIALECTS = ("postgres",)  # no TRY_CAST / SAFE_CAST: the calendar checks stay
WIDE_TRIM_DIALECTS = ("bigquery",)  # TRIM also removes other white space
TYPEOF_DIALECTS = ("duckdb",)
DUCKDB_NUMBER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                       "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE")
DUCKDB_DATE_TYPES = ("DATE", "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS")
_HELPER_SUFFIX: dict[str, str] = {"key": "key", "lower": "lower", "number": "num", "date": "date", "empty": "empty"}


@dataclass
class SqlColumn:
    """One lead-table column and the helper columns its match keys need."""

    name: str
    slot: int
    needs: set[str] = field(default_factory=set)
    dialect: str | None = None  # None: forms that every dialect runs the same way

    @property
    def safe_casts(self) -> bool:
        """TRY_CAST / SAFE_CAST return NULL where a cast fails; PostgreSQL has no such cast."""
        return self.dialect not in NO_SAFE_CAST_DIALECTS

    @property
    def typed_branches(self) -> bool:
        """DuckDB folds ``typeof(column)`` to a constant and binds every branch for every type,
        so one query reads a typed column as it is and a text column as text."""
        return self.dialect in TYPEOF_DIALECTS

    @property
    def plain_trim(self) -> bool:
        """``TRIM(x)`` removes spaces only (BigQuery's removes every Unicode white space)."""
        return self.dialect not in WIDE_TRIM_DIALECTS

    def add(self, rule: Match) -> None:
        """Note the forms this rule's keys read."""
        self.needs |= {form for key in rule.keys() for form in RULE_KEYS[key].forms(rule)}

    def helper(self, form: str) -> str:
        return f"lsw_c{self.slot}_{form}"

    def form(self, name: Form) -> exp.Expression:
        """The helper column holding this form of the cell."""
        return q.column(self.helper(_HELPER_SUFFIX[name]))

    def raw(self) -> exp.Expression:
        return exp.column(self.name, quoted=True)

    def text(self) -> exp.Expression:
        return q.cast(self.raw(), "VARCHAR")

    def stripped(self) -> exp.Expression:
        return q.column(self.helper("text"))

    def texts(self) -> list[tuple[str, exp.Expression]]:
        """Level 1: the trimmed text and the lower-case text."""
        out = []
        if self.needs & {"key", "number", "date", "empty"} and self.plain_trim:
            out.append((self.helper("text"), exp.Trim(this=self.text())))
        elif self.needs & {"key", "number", "date", "empty"}:
            # TRIM only cells with a space at either end: the same result, and DuckDB's TRIM
            # with an explicit character set is slow.
            padded = q.any_of([exp.Like(this=self.text(), expression=q.string(" %")),
                               exp.Like(this=self.text(), expression=q.string("% "))])
            trimmed = exp.Trim(this=self.text(), expression=q.string(WHITESPACE), position="BOTH")
            out.append((self.helper("text"), q.case([(padded, trimmed)], self.text())))
        if "lower" in self.needs:
            out.append((self.helper("lower"), exp.Lower(this=self.text())))
        return out

    def parsed(self) -> list[tuple[str, exp.Expression]]:
        """Level 2: what ``equals``, ``min``/``max``, ``within_days`` and ``empty`` compare."""
        out = []
        if "key" in self.needs:
            out.append((self.helper("key"), exp.Lower(this=self.stripped())))
        if "number" in self.needs:
            out.append((self.helper("num"), self._number()))
        if "date" in self.needs:
            out.append((self.helper("date"), self._date()))
        if "empty" in self.needs:
            empty = q.any_of([exp.Is(this=self.stripped(), expression=exp.null()),
                              exp.EQ(this=self.stripped(), expression=q.string(""))])
            out.append((self.helper("empty"), q.case([(empty, exp.true())], exp.false())))
        return out

    def _number(self) -> exp.Expression:
        looks_like = q.all_of([
            exp.RegexpLike(this=self.stripped(), expression=q.string(NUMBER_PATTERN)),
            exp.LTE(this=exp.Length(this=self.stripped()), expression=q.integer(MAX_NUMBER_CHARS)),
        ])
        from_text = q.case([(looks_like, q.cast(self.stripped(), "DOUBLE"))], None)
        if self.typed_branches:
            # A number column as it is; infinities are no numbers (SPEC §4: finite only).
            typed = q.any_of([exp.In(this=self._type_name(), expressions=[q.string(t) for t in DUCKDB_NUMBER_TYPES]),
                              exp.Like(this=self._type_name(), expression=q.string("DECIMAL%"))])
            as_number = exp.TryCast(this=self.raw(), to=exp.DataType.build("DOUBLE"))
            finite = exp.Anonymous(this="isfinite", expressions=[as_number.copy()])
            return q.case([(typed, q.case([(finite, as_number)], None))], from_text)
        return from_text

    def _type_name(self) -> exp.Expression:
        return exp.Anonymous(this="typeof", expressions=[self.raw()])

    def _date(self) -> exp.Expression:
        shaped = exp.RegexpLike(this=self.stripped(), expression=q.string(DATE_PATTERN))
        if self.safe_casts:
            # The dialect's own safe cast checks the calendar (2026-02-30 is NULL); only year 0,
            # which some engines read as 1 BC, is refused first. (``safe``: Spark's TRY_CAST;
            # ``requires_string``: Snowflake's TRY_CAST takes text only, which this is.)
            day = exp.Substring(this=self.stripped(), start=q.integer(1), length=q.integer(10))
            year = exp.Substring(this=self.stripped(), start=q.integer(1), length=q.integer(4))
            valid = q.all_of([shaped, exp.NEQ(this=year, expression=q.string("0000"))])
            as_date = exp.TryCast(this=day, to=exp.DataType.build("DATE"), safe=True, requires_string=True)
            from_text = q.case([(valid, as_date)], None)
        else:
            from_text = self._date_by_hand(shaped)
        if self.typed_branches:
            # A DATE or TIMESTAMP column as it is (its calendar date); text and other types
            # through their text. (Time-zone-aware columns go through their text: see the doc.)
            typed = exp.In(this=self._type_name(), expressions=[q.string(t) for t in DUCKDB_DATE_TYPES])
            return q.case([(typed, q.cast(self.raw(), "DATE"))], from_text)
        return from_text

    def _date_by_hand(self, shaped: exp.Expression) -> exp.Expression:
        def part(start: int, length: int) -> exp.Expression:
            return exp.Substring(this=self.stripped(), start=q.integer(start), length=q.integer(length))

        def year() -> exp.Expression:
            return q.cast(part(1, 4), "INT")

        # The shape is checked first, so the parts are digits: two-digit texts compare like
        # numbers, and only 29 February needs the year as a number.
        leap = q.any_of([
            q.all_of([exp.EQ(this=q.mod(year(), q.integer(4)), expression=q.integer(0)),
                      exp.NEQ(this=q.mod(year(), q.integer(100)), expression=q.integer(0))]),
            exp.EQ(this=q.mod(year(), q.integer(400)), expression=q.integer(0)),
        ])
        last_day = q.case(
            [
                (exp.In(this=part(6, 2), expressions=[q.string("04"), q.string("06"), q.string("09"),
                                                      q.string("11")]), q.string("30")),
                (exp.EQ(this=part(6, 2), expression=q.string("02")), q.string("29")),
            ],
            q.string("31"),
        )
        valid = q.all_of([
            exp.Between(this=part(6, 2), low=q.string("01"), high=q.string("12")),
            exp.Between(this=part(9, 2), low=q.string("01"), high=last_day),
            exp.NEQ(this=part(1, 4), expression=q.string("0000")),
            q.any_of([exp.NEQ(this=part(6, 5), expression=q.string("02-29")), leap]),
        ])
        as_date = q.cast(part(1, 10), "DATE")
        # Nested CASEs: nothing is cast before the shape is right, and the text becomes a DATE
        # only once the day exists.
        return q.case([(shaped, q.case([(valid, as_date)], None))], None)


def match_condition(rule: Match, column: SqlColumn, as_of: dt.date | None) -> exp.Expression:
    """SQL for one value's match rule on the helper columns (NULL counts as false: it only sits in CASE WHEN)."""
    return q.all_of([RULE_KEYS[key].sql(rule, column, as_of) for key in rule.keys()])
