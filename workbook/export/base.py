"""The one interface every export format implements.

A format turns the typed model into one file: :class:`Exported` carries its content (text or
bytes), the file name a browser or the CLI offers, and its media type. :class:`ExportFormat`
describes a format once, so that the command line and the app's download menu read the same
list (the registry in :mod:`workbook.export`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from workbook.model import ScoringModel


@dataclass(frozen=True)
class Exported:
    """One exported file: its content, the name to save it under and its media type."""

    content: str | bytes
    file_name: str
    media_type: str

    def as_bytes(self) -> bytes:
        return self.content.encode("utf-8") if isinstance(self.content, str) else self.content


# render(model, options) -> Exported; options are the format's own (dialect, table, as_of, draft…)
Renderer = Callable[[ScoringModel, Mapping[str, Any]], Exported]


@dataclass(frozen=True)
class ExportFormat:
    """A format as people and the CLI see it.

    ``name`` is the CLI's ``--format`` value; ``label`` and ``description`` are what the app's
    download menu shows; ``needs_model`` is False for formats that do not depend on the model
    (the JSON Schema); ``options`` names the options the format reads (e.g. ``dialect``);
    ``binary`` is True when the file is bytes (.xlsx, .pdf, .zip), not text.
    """

    name: str
    label: str
    description: str
    render: Renderer
    needs_model: bool = True
    options: tuple[str, ...] = field(default=())
    binary: bool = False
