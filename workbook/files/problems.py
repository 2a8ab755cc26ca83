"""Problems found in a model file, each with its place: a dotted location and, where known, the line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One finding about a model, with its place in the file."""

    location: str
    message: str
    severity: Literal["error", "warning"] = "error"
    line: int | None = None
    # The location as parts, for saying it in words (workbook.places); the CLI prints ``location``.
    path: Location = field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.location}: {self.message}{where}"


class ModelFileError(Exception):
    """The file cannot be read as a model file at all (missing, too large, not YAML, …)."""


MAX_PROBLEMS = 50  # a file with 100,000 unknown keys printed 21 MB of errors


class ModelInvalid(Exception):
    """The file is YAML but not the shape of a model file; ``problems`` says where.

    At most :data:`MAX_PROBLEMS` are kept, the last one saying how many more there were.
    """

    def __init__(self, problems: list[Problem]):
        if len(problems) > MAX_PROBLEMS:
            more = len(problems) - (MAX_PROBLEMS - 1)
            problems = [*problems[: MAX_PROBLEMS - 1], Problem("…", f"and {more:,} more problems like these")]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def format_location(loc: Iterable[str | int]) -> str:
    """``('profile', 2, 'values', 0, 'score')`` → ``profile[2].values[0].score``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"
