"""What every export format shares: file names from the model's name, the draft option and the
draft notice, and the rule that a final export needs a valid model.

A *final* export is the agreed model and is refused while the model breaks a SPEC §5 rule; a
*draft* is the model as it stands. Formats read the draft option :data:`DRAFT` (a bool) and may
read :data:`REPORT` (the model's validation report, computed when not given) to say why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from workbook.model import ScoringModel
from workbook.validate import Report, validate

DRAFT = "draft"  # option: write the model as a draft (marked as one, file name ending in -draft)
REPORT = "report"  # option: the model's validation report, when the caller already has it


def slug(name: str) -> str:
    """A file-name-safe form of the model's name: ``Sales automation — FY27`` → ``sales-automation-fy27``."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return text[:60].rstrip("-") or "lead-scoring-model"


def file_name(model: ScoringModel, extension: str, *, draft: bool = False, suffix: str = "") -> str:
    """``<slug><suffix>[-draft].<extension>``, e.g. ``sales-automation-fy27-draft.yaml``."""
    return f"{slug(model.name)}{suffix}{'-draft' if draft else ''}.{extension}"


def is_draft(options: Mapping[str, Any]) -> bool:
    return bool(options.get(DRAFT, False))


def report_of(model: ScoringModel, options: Mapping[str, Any]) -> Report:
    """The report the caller passed in the options, or the model's own validation."""
    report = options.get(REPORT)
    return report if isinstance(report, Report) else validate(model)


def final_refusal(report: Report) -> str | None:
    """Why a final export is refused, in plain words; None when the model may be exported as final."""
    if report.is_valid:
        return None
    return f"a final export needs a valid model ({len(report.errors)} error(s))"


def draft_notice(report: Report) -> str:
    """The first line of a draft's notice: how many problems keep it from being final."""
    if report.errors:
        return f"DRAFT: this model is not valid yet ({len(report.errors)} problem(s)); not for production use."
    return "DRAFT: a working copy of the model, not the agreed final export."


def one_line(text: str) -> str:
    """Text a user typed, safe inside a one-line comment: every control character and line or
    paragraph separator becomes a space (YAML ends a comment at U+2028 and U+2029 too)."""
    return "".join(" " if unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp") else ch
                   for ch in text)
