"""The command line: ``python -m workbook check|scenarios|export|score|calibrate …``.

One module per command, each with ``register(subparsers)`` (its arguments) and ``run(args) -> exit
code``; :data:`COMMANDS` lists them in the order ``--help`` shows. What they share (exit codes,
errors, loading, report printing, tables) is in :mod:`workbook.cli.common`. Exit codes: 0 fine,
1 the model is invalid, 2 a file cannot be read or the command line is wrong; never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from workbook.cli import calibrate, check, export, fit, scenarios, score
from workbook.cli.common import EXIT_OK, CommandError

COMMANDS: tuple[ModuleType, ...] = (check, scenarios, export, calibrate, score, fit)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m workbook",
        description="Lead Scoring Workbook: check, test and export lead scoring models.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CommandError as exc:
        print(exc, file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


__all__ = ["COMMANDS", "build_parser", "main"]
