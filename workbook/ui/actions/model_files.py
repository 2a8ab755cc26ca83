"""The one "open a model file" flow (Workbooks page and Model summary)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import streamlit as st

from workbook.files import ModelFileError, ModelInvalid, load_model_file, load_model_text, max_model_bytes
from workbook.model import ScoringModel
from workbook.ui.actions.session import create_workbook
from workbook.ui.keys import StateKeys
from workbook.validate import validate


@dataclass
class ModelFile:
    """A model file read for opening: its model, or the located problems that refuse it."""

    name: str  # the file's name, as people know it
    model: ScoringModel | None = None
    errors: list[str] = field(default_factory=list)  # the file cannot be opened: nothing changes
    warnings: list[str] = field(default_factory=list)  # it opens, but breaks rules (a draft)


def _read(name: str, loader: Callable[[], object]) -> ModelFile:
    try:
        loaded = loader()
    except ModelFileError as exc:
        return ModelFile(name, errors=[str(exc)])
    except ModelInvalid as exc:
        return ModelFile(name, errors=[str(p) for p in exc.problems])
    except Exception as exc:  # noqa: BLE001 — a reader bug must refuse the file, not crash the page
        return ModelFile(name, errors=[f"the file cannot be read as a model file ({type(exc).__name__}: {exc})"])
    report = validate(loaded.model, loaded.lines)  # type: ignore[attr-defined]
    return ModelFile(name, loaded.model, warnings=[str(p) for p in report.errors])  # type: ignore[attr-defined]


def read_model_file(name: str, data: bytes, cap: int | None = None) -> ModelFile:
    """Read an uploaded model file (size-capped); shape errors refuse it, rule errors only warn."""
    limit = max_model_bytes() if cap is None else cap
    return _read(name, lambda: load_model_text(data, max_bytes=limit))


def read_example(path: Path) -> ModelFile:
    """Read one of the example workbooks of ``scenarios/``."""
    return _read(path.name, lambda: load_model_file(path))


def open_model_file(file: ModelFile, kind: Literal["upload", "example"]) -> bool:
    """Open a read model file as a new workbook of this session; True when it opened.

    The store knows an example by its file name and an upload only as "upload", so the
    message names the file.
    """
    if file.model is None:
        st.session_state[StateKeys.ERROR] = f"Could not open {file.name}: " + "; ".join(file.errors)
        return False
    source = f"example:{file.name}" if kind == "example" else "upload"
    return create_workbook(file.model, source, f"Opened {file.name}")
