"""Small sqlglot builders shared by the SQL forms of the match keys (dialect-neutral trees)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp


def integer(n: int) -> exp.Expression:
    return exp.Literal.number(n) if n >= 0 else exp.Neg(this=exp.Literal.number(-n))


def string(text: str) -> exp.Literal:
    return exp.Literal.string(text)


def cast(e: exp.Expression, to: str) -> exp.Cast:
    return exp.Cast(this=e, to=exp.DataType.build(to))


def column(name: str) -> exp.Column:
    return exp.column(name)


def _paren(e: exp.Expression) -> exp.Expression:
    return exp.Paren(this=e) if isinstance(e, exp.And | exp.Or) else e


def all_of(parts: Sequence[exp.Expression]) -> exp.Expression:
    """``a AND b AND …``; TRUE for none."""
    if not parts:
        return exp.true()
    out = parts[0]
    for p in parts[1:]:
        out = exp.And(this=_paren(out), expression=_paren(p))
    return out


def any_of(parts: Sequence[exp.Expression]) -> exp.Expression:
    """``a OR b OR …``; FALSE for none."""
    if not parts:
        return exp.false()
    out = parts[0]
    for p in parts[1:]:
        out = exp.Or(this=_paren(out), expression=_paren(p))
    return out


def case(branches: Sequence[tuple[exp.Expression, exp.Expression]], default: exp.Expression | None) -> exp.Expression:
    """A searched ``CASE``; the default alone when there is no branch."""
    if not branches:
        return default if default is not None else exp.null()
    out = exp.Case()
    for cond, result in branches:
        out = out.when(cond, result)
    if default is not None:
        out = out.else_(default)
    return out


def mod(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    def wrap(e: exp.Expression) -> exp.Expression:
        return e if isinstance(e, exp.Column | exp.Literal) else exp.Paren(this=e)

    return exp.Mod(this=wrap(a), expression=wrap(b))
