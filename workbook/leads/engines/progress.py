"""A one-line progress bar on standard error, only when it is a terminal.

A dozen lines of our own rather than a dependency: the CLI needs one bar with a count, a
share and a rate, redrawn at most a few times a second.
"""

from __future__ import annotations

import sys
import time
from typing import IO


class Progress:
    """``scored 1,200,000 of 20,000,000 leads  ██████░░░░  6%  310,000 leads/s``."""

    def __init__(self, total: int | None, stream: IO[str] | None = None, *, enabled: bool | None = None,
                 every: float = 0.25):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total, self.done, self.every = total, 0, every
        self.start = self._last = time.monotonic()
        self._drawn = False

    def update(self, rows: int) -> None:
        self.done += rows
        now = time.monotonic()
        if self.enabled and now - self._last >= self.every:
            self._last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        rate = self.done / max(now - self.start, 1e-9)
        if self.total:
            share = min(self.done / self.total, 1.0)
            bar = "█" * int(share * 20) + "░" * (20 - int(share * 20))
            text = f"scored {self.done:,} of {self.total:,} leads  {bar} {share:4.0%}  {rate:,.0f} leads/s"
        else:
            text = f"scored {self.done:,} leads  {rate:,.0f} leads/s"
        self.stream.write("\r" + text + "\x1b[K")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self.enabled and self._drawn:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
