"""The model as one SQL SELECT over a lead table (SPEC §3 + §4), for five dialects.

The query is built once as a sqlglot expression tree and generated for each dialect
(duckdb, postgres, snowflake, bigquery, spark). It returns every input column plus
``profile_pct, engagement_pct, profile_grade, engagement_level, cell, state, knocked_out``
with exactly the answers of :mod:`workbook.engine` and :mod:`workbook.match`:

* Each column the model reads is read once per DISTINCT cell (CTEs ``lsw_d…``): its cells are
  parsed into helper columns, each value's match rule is a condition on them (both from the
  match-rule keys: :mod:`workbook.match.sql` and :data:`workbook.match.rules.RULE_KEYS`), and the
  value each attribute picks becomes what the column adds to a lead — its points per section,
  the weights of the attributes present, whether it knocks the lead out. One join per column
  brings those numbers back to the leads (lead lists hold few distinct cells per column;
  measured in benchmarks/sql_speed.py), and the per-lead part is additions and comparisons of
  integers.
* Each attribute is a searched ``CASE`` over its values in order (first match wins) giving
  the index of the value that matched (on the distinct cells). ``contains`` uses
  ``STRPOS``/``POSITION`` (no ``LIKE``: ``%`` and ``_`` in user text are plain characters); all
  user text is a string literal quoted by sqlglot for the dialect.
* Percentages are computed in integers, like :mod:`workbook.leads.scoring`: every value's
  points are an integer multiple of ``1/S``, and the canonical percentage in units of 10⁻⁹
  is a half-to-even rounded integer quotient (``MOD`` and an exact ``DIV``) — no engine's
  ``ROUND`` (half away from zero in most) and no decimal-division rules are involved. The
  percentage is returned as ``DECIMAL(12, 9)``; the band minimums are compared in the same
  integer units, which is the exact decimal comparison.
* Dates are compared with the session's ``CURRENT_DATE``, or with a fixed ``as_of`` date.

The helper columns (named ``lsw_…``) are dropped from the result with ``* EXCLUDE`` /
``* EXCEPT`` (DuckDB, Snowflake, BigQuery, Spark); PostgreSQL has neither, so there the per-lead
levels are ``CROSS JOIN LATERAL`` projections after the joins and the result is ``lsw_src.*`` plus
the seven columns. A lead table must not already have columns named like the seven or ``lsw_…``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from workbook.leads.scoring import NANO, FactorPlan, SectionPlan, band_nanos, plan_section
from workbook.match import effective_match, sqlexpr
from workbook.match.rules import match_rule
from workbook.match.sql import SqlColumn, match_condition
from workbook.model import ScoringModel

DIALECTS = ("duckdb", "postgres", "snowflake", "bigquery", "spark")
LATERAL_DIALECTS = ("postgres",)  # no SELECT * EXCLUDE/EXCEPT there
BROADCAST_DIALECTS = ("spark",)  # join hints
PCT_TYPE = "DECIMAL(12, 9)"
SOURCE_ALIAS = "lsw_src"
_HUNDRED_NANO = 100 * NANO
Level = list[tuple[str, exp.Expression]]


class SqlExportError(Exception):
    """The model cannot be written as SQL (e.g. a table name that does not parse)."""


# --------------------------------------------------------------------------------------------
# Small builders
# --------------------------------------------------------------------------------------------
# The expression builders live with the match rules' SQL forms; the query's own names for them:
_int, _str, _cast, _col = sqlexpr.integer, sqlexpr.string, sqlexpr.cast, sqlexpr.column
_or, _case = sqlexpr.any_of, sqlexpr.case


def _mod(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    def wrap(e: exp.Expression) -> exp.Expression:
        return e if isinstance(e, exp.Column | exp.Literal) else exp.Paren(this=e)

    return exp.Mod(this=wrap(a), expression=wrap(b))


def _sum(terms: Sequence[exp.Expression]) -> exp.Expression:
    if not terms:
        return _cast(_int(0), "BIGINT")
    out = terms[0]
    for t in terms[1:]:
        out = exp.Add(this=out, expression=t)
    return out


# --------------------------------------------------------------------------------------------
# Per column, on its distinct cells: the value each attribute picked and what it adds (SPEC §3-§4)
# --------------------------------------------------------------------------------------------
def _columns(plans: Sequence[SectionPlan], dialect: str | None) -> dict[str, SqlColumn]:
    columns: dict[str, SqlColumn] = {}
    for plan in plans:
        for p in plan.factors:
            c = columns.setdefault(p.column, SqlColumn(p.column, len(columns), dialect=dialect))
            for value in p.match_values:
                c.add(effective_match(value))
    return columns


def _value_index(p: FactorPlan, c: SqlColumn, as_of: dt.date | None) -> exp.Expression:
    """First match wins: the index of the attribute's own value, NULL when missing."""
    own = [int(p.resolve[j]) for j in range(len(p.match_values))]
    last = max((j for j, o in enumerate(own) if o != p.missing), default=-1)
    branches = [
        (match_condition(effective_match(p.match_values[j]), c, as_of), _int(own[j]) if own[j] != p.missing
         else exp.null())
        for j in range(last + 1)
    ]
    return _case(branches, None)


def _index_of_null(p: FactorPlan, as_of: dt.date | None) -> int | None:
    """The value index a NULL cell gets (NULL never equals anything, so it is not joined)."""
    for j, value in enumerate(p.match_values):
        if match_rule(effective_match(value), None, as_of or dt.date.today()):
            own = int(p.resolve[j])
            return own if own != p.missing else None
    return None


def _lookup(index: str, table: dict[int, exp.Expression], default: exp.Expression) -> exp.Expression:
    """``CASE index WHEN k THEN table[k] … ELSE default END``."""
    if not table:
        return default
    case = exp.Case(this=_col(index))
    for k, result in table.items():
        case = case.when(_int(k), result)
    return case.else_(default)


@dataclass
class _Part:
    """One number (or the knockout flag) a column adds to a lead: its SQL on the column's distinct
    cells, and its value for a NULL cell (which is not joined)."""

    name: str  # lsw_pn / lsw_en (points), lsw_pw / lsw_ew (weights present), lsw_ko
    terms: list[exp.Expression]
    null: int | bool


def _parts(readers: Sequence[tuple[str, FactorPlan, SectionPlan]], as_of: dt.date | None) -> list[_Part]:
    """What the attributes reading one column add to each lead, from their value indices."""
    parts: dict[str, _Part] = {}

    def add(name: str, term: exp.Expression, null: int | bool) -> None:
        part = parts.setdefault(name, _Part(name, [], False if name == "lsw_ko" else 0))
        part.terms.append(term)
        part.null = (part.null or null) if name == "lsw_ko" else part.null + null

    for index, p, plan in readers:
        prefix = index[:5]  # lsw_p / lsw_e
        at_null = _index_of_null(p, as_of)
        table = {k: _int(int(x)) for k, x in enumerate(p.points[:-1]) if int(x) != 0}
        if table:
            add(f"{prefix}n", _lookup(index, table, _int(0)), int(p.points[at_null]) if at_null is not None else 0)
        if plan.neutral and p.weight:
            present = exp.Not(this=exp.Is(this=_col(index), expression=exp.null()))
            add(f"{prefix}w", _case([(present, _int(p.weight))], _int(0)), p.weight if at_null is not None else 0)
        ko = [k for k, flag in enumerate(p.knockout[:-1]) if flag]
        if ko:
            add("lsw_ko", exp.In(this=_col(index), expressions=[_int(k) for k in ko]), at_null in ko)
    return list(parts.values())


def _part_sql(part: _Part) -> exp.Expression:
    if part.name == "lsw_ko":
        return _case([(_or(part.terms), exp.true())], exp.false())
    return _cast(_sum(part.terms), "BIGINT")


def _projection(level: Level) -> list[exp.Expression]:
    return [exp.alias_(e, name) for name, e in level]


def _by_distinct_cell(model: ScoringModel, table: exp.Table, as_of: dt.date | None,
                      dialect: str | None) -> tuple[list[tuple[str, exp.Select]], exp.Select, Level]:
    """Each value's match rule once per distinct cell of its column, joined back to the leads.

    A lead list holds few distinct cells per column (titles, countries, dates), so the
    conversions and pattern tests run on those instead of on every lead. Per column ``n`` the
    CTEs ``lsw_d{n}_…`` read its distinct cells, their forms and every attribute's value index,
    and ``lsw_d{n}`` turns those into what the column adds to a lead: its points per section
    (``lsw_d{n}_pn``, ``_en``), the weights of the attributes present (neutral policy: ``_pw``,
    ``_ew``) and whether it knocks the lead out (``_ko``). Only those few numbers are joined
    back, one join per column, so each lead's sums are plain additions (measured in
    benchmarks/sql_speed.py: value indices joined back and looked up per lead cost more than
    the joins themselves). Returns the CTEs, the leads joined with them, and the first level of
    the score (``lsw_pn``, ``lsw_en``, [``lsw_pw``, ``lsw_ew``], ``lsw_ko``) over that join.
    """
    plans = _plans(model)
    columns = _columns(plans, dialect)
    readers: dict[str, list[tuple[str, FactorPlan, SectionPlan]]] = {name: [] for name in columns}
    for plan, prefix in zip(plans, PREFIXES, strict=True):
        for i, p in enumerate(plan.factors):
            readers[p.column].append((f"{prefix}{i}", p, plan))
    source = table.copy()
    source.set("alias", exp.TableAlias(this=exp.to_identifier(SOURCE_ALIAS)))
    joined = exp.select(exp.column(exp.Star(), table=SOURCE_ALIAS)).from_(source)
    ctes: list[tuple[str, exp.Select]] = []
    names: list[exp.Identifier] = []  # the joined CTEs
    sums: dict[str, list[exp.Expression]] = {name: [] for name in ("lsw_pn", "lsw_en", "lsw_pw", "lsw_ew", "lsw_ko")}
    for c in columns.values():
        name = f"lsw_d{c.slot}"
        parts = _parts(readers[c.name], as_of)
        if not parts:
            continue  # the column adds nothing whatever it holds
        step: exp.Select = exp.select(c.raw()).distinct().from_(table.copy())
        for j, level in enumerate((c.texts(), c.parsed())):
            if level:
                ctes.append((f"{name}_{j}", step))
                step = exp.select(exp.Star(), *_projection(level)).from_(f"{name}_{j}")
        ctes.append((f"{name}_2", step))
        indices = [(index, _value_index(p, c, as_of)) for index, p, _ in readers[c.name]]
        ctes.append((f"{name}_3", exp.select(c.raw(), *_projection(indices)).from_(f"{name}_2")))
        added = [(f"{name}_{part.name[4:]}", _part_sql(part)) for part in parts]
        ctes.append((name, exp.select(c.raw(), *_projection(added)).from_(f"{name}_3")))
        on = exp.EQ(this=exp.column(c.name, table=SOURCE_ALIAS, quoted=True),
                    expression=exp.column(c.name, table=name, quoted=True))
        joined = joined.join(exp.to_table(name), on=on, join_type="LEFT")
        names.append(exp.to_identifier(name))
        for part, (column, _) in zip(parts, added, strict=True):
            # A NULL cell is not joined: it adds what the rules give a NULL cell.
            null = exp.true() if part.null is True else exp.false() if part.null is False else _int(part.null)
            sums[part.name].append(exp.func("COALESCE", exp.column(column, table=name), null))
    if dialect in BROADCAST_DIALECTS and names:
        # The distinct cells are few: broadcast them, so that the leads are not shuffled (and keep their order).
        joined.set("hint", exp.Hint(expressions=[exp.Anonymous(this="BROADCAST", expressions=names)]))
    first = [(n, _sum(t)) for n, t in sums.items() if n in ("lsw_pn", "lsw_en") or (plans[0].neutral and n == "lsw_pw")
             or (plans[1].neutral and n == "lsw_ew")]
    first.append(("lsw_ko", _or(sums["lsw_ko"])))
    return ctes, joined, first


# --------------------------------------------------------------------------------------------
# Per lead: the section sums to the percentages, bands, cell and state (SPEC §3)
# --------------------------------------------------------------------------------------------
def _clamp_low(column: str, low: int) -> exp.Expression:
    """max(column, low) as a plain CASE (GREATEST differs between dialects on NULLs and in name)."""
    return _case([(exp.GT(this=_col(column), expression=_int(low)), _col(column))], _int(low))


def _clamp_high(column: str, high: int) -> exp.Expression:
    return _case([(exp.GT(this=_col(column), expression=_int(high)), _int(high))], _col(column))


def _quotient_terms(plan: SectionPlan, prefix: str) -> Level:
    """A = max(N, 0)·k and B = max(W, 1)·d (neutral) or d: the canonical % is round_half_even(A / B)."""
    terms = [(f"{prefix}a", exp.Mul(this=_clamp_low(f"{prefix}n", 0), expression=_int(plan.k)))]
    if plan.neutral:
        terms.append((f"{prefix}b", exp.Mul(this=_clamp_low(f"{prefix}w", 1), expression=_int(plan.d))))
    return terms


def _raw_nanos(plan: SectionPlan, prefix: str) -> exp.Expression:
    """round_half_even(A / B) in integers: units of 10⁻⁹ before clamping to 100."""
    a = f"{prefix}a"
    if not plan.neutral and plan.d == 1:
        return _col(a)

    def b() -> exp.Expression:  # sqlglot nodes have one parent each: a fresh tree per use
        return _col(f"{prefix}b") if plan.neutral else _int(plan.d)

    def q() -> exp.Expression:  # exact: A - (A mod B) is a multiple of B
        return exp.Paren(this=exp.IntDiv(this=exp.Paren(this=exp.Sub(this=_col(a), expression=_mod(_col(a), b()))),
                                         expression=b()))

    def twice_r() -> exp.Expression:
        return exp.Mul(this=_int(2), expression=_mod(_col(a), b()))

    bump = _case(
        [
            (exp.GT(this=twice_r(), expression=b()), _int(1)),
            (exp.EQ(this=twice_r(), expression=b()), _mod(q(), _int(2))),
        ],
        _int(0),
    )
    nanos = exp.Add(this=q(), expression=bump)
    if not plan.neutral:
        return nanos
    # With no attribute present the section's % is 0.
    return _case([(exp.EQ(this=_col(f"{prefix}w"), expression=_int(0)), _int(0))], nanos)


def _pct(nanos: exp.Expression) -> exp.Expression:
    scaled = exp.Mul(this=_cast(nanos, "DECIMAL(20, 0)"), expression=_cast(_str("0.000000001"), "DECIMAL(10, 9)"))
    return _cast(scaled, PCT_TYPE)


def _band(nanos: str, bands: Sequence[tuple[str, float]]) -> exp.Expression:
    """The first band whose minimum the canonical % reaches, compared in integer units of 10⁻⁹
    (exactly the comparison of the DECIMAL % with the minimum, without decimal arithmetic)."""
    branches = []
    for (name, _), lo in zip(bands, band_nanos([b for _, b in bands]), strict=True):
        if lo > _HUNDRED_NANO:
            continue  # no canonical % reaches it
        if lo <= 0:
            branches.append((exp.true(), _str(name)))
            break
        branches.append((exp.GTE(this=_col(nanos), expression=_int(lo)), _str(name)))
    return _case(branches, None)


def _state(model: ScoringModel) -> exp.Expression:
    """Knocked out, or the state of the lead's cell: one equality per cell, no ``IN`` list (DuckDB
    plans a long ``IN`` list of texts as a hash join, one more probe per lead than a few equalities)."""
    ko_state = model.effective_knockout_state
    branches = [(exp.EQ(this=_col("lsw_ko"), expression=exp.true()),
                 _str(ko_state) if ko_state is not None else exp.null())]
    cells: dict[str, list[str]] = {}
    for name in model.cells:
        if name in model.matrix:
            cells.setdefault(model.matrix[name], []).append(name)
    branches += [(_or([exp.EQ(this=_col("cell"), expression=_str(c)) for c in names]), _str(state))
                 for state, names in cells.items()]
    return _case(branches, None)


# --------------------------------------------------------------------------------------------
OUTPUT_COLUMNS = ("profile_pct", "engagement_pct", "profile_grade", "engagement_level", "cell", "state",
                  "knocked_out")


PREFIXES = ("lsw_p", "lsw_e")


def _plans(model: ScoringModel) -> list[SectionPlan]:
    return [plan_section(model, "profile"), plan_section(model, "engagement")]


def _score_levels(model: ScoringModel, plans: Sequence[SectionPlan]) -> list[Level]:
    """From the section sums (``lsw_pn``, ``lsw_en``, …, ``lsw_ko``) to the seven result columns."""
    quotients = [*_quotient_terms(plans[0], "lsw_p"), *_quotient_terms(plans[1], "lsw_e")]
    raw = [("lsw_pr", _raw_nanos(plans[0], "lsw_p")), ("lsw_er", _raw_nanos(plans[1], "lsw_e"))]
    clamped = [("lsw_pc", _clamp_high("lsw_pr", _HUNDRED_NANO)), ("lsw_ec", _clamp_high("lsw_er", _HUNDRED_NANO))]
    pct = [
        ("profile_pct", _pct(_col("lsw_pc"))),
        ("engagement_pct", _pct(_col("lsw_ec"))),
        ("profile_grade", _band("lsw_pc", [(b.grade, b.min) for b in model.profile_grades])),
        ("engagement_level", _band("lsw_ec", [(b.level, b.min) for b in model.engagement_levels])),
    ]
    cell = [("cell", exp.DPipe(this=_col("profile_grade"), expression=_col("engagement_level")))]
    final = [("state", _state(model)), ("knocked_out", _col("lsw_ko"))]
    return [quotients, raw, clamped, pct, cell, final]

def build_select(model: ScoringModel, table: exp.Table, as_of: dt.date | None = None, *,
                 lateral: bool = False, dialect: str | None = None) -> exp.Select:
    """The scoring query as a dialect-neutral sqlglot tree.

    Both shapes read each column's distinct cells and join what they add to the leads
    (:func:`_by_distinct_cell`). Then the per-lead levels are CTEs read with
    ``SELECT * EXCLUDE (helpers)``, or, with ``lateral`` (PostgreSQL, which has no EXCLUDE), a
    chain of ``CROSS JOIN LATERAL`` projections after the joins, the result being ``lsw_src.*``
    plus the seven columns. ``dialect`` lets the cell forms use that dialect's safe conversions
    (:class:`workbook.match.sql.SqlColumn`); None: forms valid in every dialect.
    """
    ctes, joined, first = _by_distinct_cell(model, table, as_of, dialect)
    levels = [first, *_score_levels(model, _plans(model))]
    if lateral:
        query = joined
        where: dict[str, str] = {}
        for i, level in enumerate(levels, start=1):
            alias = f"lsw_{i}"
            inner = exp.select(*_projection(level)).subquery()
            query = query.join(exp.Lateral(this=inner, alias=exp.TableAlias(this=exp.to_identifier(alias))),
                               join_type="CROSS")
            where |= {name: alias for name, _ in level}
        query = query.select(*(exp.column(name, table=where[name]) for name in OUTPUT_COLUMNS))
    else:
        ctes.append(("lsw_v", joined.select(*_projection(first))))
        helpers = [name for level in levels for name, _ in level if name not in OUTPUT_COLUMNS]
        previous = "lsw_v"
        for i, level in enumerate(levels[1:-1], start=1):
            ctes.append((f"lsw_{i}", exp.select(exp.Star(), *_projection(level)).from_(previous)))
            previous = f"lsw_{i}"
        star = exp.Star(except_=[_col(h) for h in helpers])
        query = exp.select(star, *_projection(levels[-1])).from_(previous)
    for name, cte in ctes:
        query = query.with_(name, as_=cte)
    return query


def parse_table(name: str, dialect: str) -> exp.Table:
    """A table name as written in the dialect (``leads``, ``analytics.leads``, ``"Lead list"``)."""
    try:
        table = exp.to_table(name, dialect=dialect)
    except (sqlglot.errors.ParseError, sqlglot.errors.TokenError, ValueError) as exc:
        raise SqlExportError(f"'{name}' is not a table name in {dialect} SQL ({exc})") from None
    if table is None or not table.name:
        raise SqlExportError(f"'{name}' is not a table name in {dialect} SQL")
    return table


def header(model: ScoringModel, dialect: str, as_of: dt.date | None, source: str) -> str:
    """The comment block on top of an exported query."""
    name = " ".join(model.name.split())
    when = f"dates relative to {as_of.isoformat()}" if as_of else "dates relative to CURRENT_DATE"
    return (
        f"-- Lead scoring model: {name}\n"
        f"-- Generated by Lead Scoring Workbook for {dialect}; reads {' '.join(source.split())}; {when}.\n"
        "-- Returns every input column plus profile_pct, engagement_pct, profile_grade, engagement_level,\n"
        "-- cell, state, knocked_out (SPEC §3-§4). Regenerate it from the model file; do not edit by hand.\n"
    )


def to_sql(
    model: ScoringModel,
    dialect: str = "duckdb",
    table: str = "leads",
    as_of: dt.date | None = None,
    *,
    pretty: bool = True,
    comment: bool = True,
    lateral: bool | None = None,
) -> str:
    """The scoring query for ``dialect`` over ``table``, as text ending in a newline."""
    if dialect not in DIALECTS:
        raise SqlExportError(f"unknown dialect '{dialect}'; choose one of {', '.join(DIALECTS)}")
    lateral = dialect in LATERAL_DIALECTS if lateral is None else lateral
    tree = build_select(model, parse_table(table, dialect), as_of, lateral=lateral, dialect=dialect)
    text = tree.sql(dialect=dialect, pretty=pretty, unsupported_level=sqlglot.ErrorLevel.RAISE)
    top = header(model, dialect, as_of, table) if comment else ""
    return top + text + "\n"
